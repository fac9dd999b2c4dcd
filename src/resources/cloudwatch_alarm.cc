// cloudwatch.alarm: a metric alarm (replica lag, health, backup job failures) with its actions
// and tags. The cloud id is the alarm name. CloudWatch speaks the query protocol here (signing
// name "monitoring"): moto has no CBOR, and query is what every SDK still accepts.
//
// Read: DescribeAlarms with up to 100 AlarmNames per call (MaxRecords 100, NextToken pages)
// once per region for every target, then, if any alarm exists, one tag index for the region
// (GetResources "cloudwatch:alarm", see tag_index.h) instead of a ListTagsForResource per
// alarm; an alarm the index does not list has no tags. Numbers are
// normalised (300.0 -> 300) and action lists ordered like desired, so equal alarms never diff.
// PutMetricAlarm is an upsert that replaces the whole definition: create sends it with Tags
// (AWS ignores Tags when the alarm exists), update sends it only when a definition attribute
// differs and converges tags with TagResource / UntagResource. Destroy: DeleteAlarms.
#include <set>

#include "aws/pagination.h"
#include "resources/capacity_common.h"
#include "resources/common.h"
#include "resources/tag_index.h"
#include "resources/types.h"
#include "resources/xml_util.h"

namespace resources {
namespace {

using nlohmann::json;
const aws::Service& cw() { return aws::services::cloudwatch; }
constexpr size_t kNamesPerCall = 100;  // DescribeAlarms AlarmNames: at most 100

// Attributes PutMetricAlarm carries: a difference in any of them needs a new Put.
const char* const kDefinition[] = {"description", "namespace", "metric", "dimensions", "statistic",
                                   "period", "evaluation_periods", "threshold", "comparison",
                                   "treat_missing_data", "alarm_actions", "ok_actions"};

bool standard_statistic(const std::string& s) {
  return s == "SampleCount" || s == "Average" || s == "Sum" || s == "Minimum" || s == "Maximum";
}

// A desired number (or numeric text) as the decimal text the query protocol sends.
std::string num_text(const json& attrs, const std::string& key) {
  if (!attrs.contains(key)) return "";
  const auto& v = attrs[key];
  if (v.is_number()) return capacity::number(v.get<double>()).dump();
  return v.is_string() ? v.get<std::string>() : "";
}

std::vector<std::string> strings(const json& attrs, const std::string& key) {
  std::vector<std::string> out;
  if (attrs.contains(key) && attrs[key].is_array())
    for (const auto& v : attrs[key])
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

json member_strings(pugi::xml_node list) {
  json out = json::array();
  for (auto m : xml::children(list, "member")) out.push_back(std::string(m.text().as_string()));
  return out;
}

Live to_live(pugi::xml_node a, const TagMap& tags, const json& desired) {
  const auto name = xml::text(a, "AlarmName");
  json dims = json::object();
  for (auto d : xml::children(xml::child(a, "Dimensions"), "member")) dims[xml::text(d, "Name")] = xml::text(d, "Value");
  auto statistic = xml::text(a, "Statistic");
  if (statistic.empty()) statistic = xml::text(a, "ExtendedStatistic");
  auto missing = xml::text(a, "TreatMissingData");
  const json want = desired.is_object() ? desired : json::object();
  return Live{name,
              {{"name", name},
               {"arn", xml::text(a, "AlarmArn")},
               {"description", xml::text(a, "AlarmDescription")},
               {"namespace", xml::text(a, "Namespace")},
               {"metric", xml::text(a, "MetricName")},
               {"dimensions", dims},
               {"statistic", statistic},
               {"period", capacity::number_text(xml::text(a, "Period"))},
               {"evaluation_periods", capacity::number_text(xml::text(a, "EvaluationPeriods"))},
               {"threshold", capacity::number_text(xml::text(a, "Threshold"))},
               {"comparison", xml::text(a, "ComparisonOperator")},
               {"treat_missing_data", missing.empty() ? "missing" : missing},  // AWS's default
               {"alarm_actions", capacity::order_like(member_strings(xml::child(a, "AlarmActions")),
                                                      want.value("alarm_actions", json::array()))},
               {"ok_actions", capacity::order_like(member_strings(xml::child(a, "OKActions")),
                                                   want.value("ok_actions", json::array()))},
               {"tags", tag_json(tags)},
               {"state", xml::text(a, "StateValue")}}};
}

aws::Result<model::Unit> call_void(aws::Client& c, const std::string& region, const std::string& action,
                                   const aws::Params& p) {
  aws::XmlDoc keep;
  auto r = capacity::call_query(c, cw(), region, action, p, keep);
  if (!r) return model::err(r.error());
  return model::ok();
}

// Every named metric alarm that exists, as a live object without tags yet.
aws::Result<std::map<std::string, Live>> describe(aws::Client& c, const std::string& region,
                                                  const std::vector<std::string>& names,
                                                  const std::map<std::string, json>& desired) {
  std::map<std::string, Live> found;
  for (const auto& chunk : capacity::chunks(names, kNamesPerCall)) {
    aws::Params p;
    capacity::add_member_list(p, "AlarmNames", chunk);
    p.emplace_back("MaxRecords", "100");
    auto st = aws::paginate_query(c, cw(), region, "DescribeAlarms", p,
                                  [&](const pugi::xml_node& res) {
                                    for (auto a : xml::children(xml::child(res, "MetricAlarms"), "member")) {
                                      const auto name = xml::text(a, "AlarmName");
                                      auto d = desired.find(name);
                                      found[name] = to_live(a, {}, d == desired.end() ? json::object() : d->second);
                                    }
                                    return true;
                                  },
                                  {"NextToken", "NextToken"});
    if (!st) return model::err(st.error());
  }
  return found;
}

aws::Params put_params(const std::string& name, const json& w, bool with_tags) {
  aws::Params p{{"AlarmName", name}};
  if (w.contains("description")) p.emplace_back("AlarmDescription", str_attr(w, "description"));
  p.emplace_back("Namespace", str_attr(w, "namespace"));
  p.emplace_back("MetricName", str_attr(w, "metric"));
  if (const auto s = str_attr(w, "statistic"); !s.empty())
    p.emplace_back(standard_statistic(s) ? "Statistic" : "ExtendedStatistic", s);
  int i = 1;
  for (const auto& [k, v] : tag_map(w.value("dimensions", json::object()))) {  // a sorted name -> value map
    const auto prefix = "Dimensions.member." + std::to_string(i++);
    p.emplace_back(prefix + ".Name", k);
    p.emplace_back(prefix + ".Value", v);
  }
  for (const auto* key : {"period", "evaluation_periods", "threshold"}) {
    const auto text = num_text(w, key);
    if (text.empty()) continue;
    static const std::map<std::string, std::string> member = {
        {"period", "Period"}, {"evaluation_periods", "EvaluationPeriods"}, {"threshold", "Threshold"}};
    p.emplace_back(member.at(key), text);
  }
  if (const auto c = str_attr(w, "comparison"); !c.empty()) p.emplace_back("ComparisonOperator", c);
  if (const auto t = str_attr(w, "treat_missing_data"); !t.empty()) p.emplace_back("TreatMissingData", t);
  capacity::add_member_list(p, "AlarmActions", strings(w, "alarm_actions"));
  capacity::add_member_list(p, "OKActions", strings(w, "ok_actions"));
  if (with_tags) capacity::add_tag_list(p, "Tags", tag_map(w.value("tags", json::object())));
  return p;
}

aws::Result<model::Unit> sync_tags(aws::Client& c, const std::string& region, const std::string& arn,
                                   const TagMap& want, const TagMap& have) {
  const auto d = diff_tags(want, have);
  if (!d.set.empty()) {
    aws::Params p{{"ResourceARN", arn}};
    capacity::add_tag_list(p, "Tags", d.set);
    if (auto r = call_void(c, region, "TagResource", p); !r) return r;
  }
  if (!d.remove.empty()) {
    aws::Params p{{"ResourceARN", arn}};
    capacity::add_member_list(p, "TagKeys", d.remove);
    if (auto r = call_void(c, region, "UntagResource", p); !r) return r;
  }
  return model::ok();
}

Live result(const Target& want, const std::string& name, const json& have) {
  Live live{name, want.attrs};
  live.attrs["name"] = name;
  live.attrs["arn"] = have.value("arn", json(""));
  live.attrs["state"] = have.value("state", json(""));
  for (const auto* key : {"period", "evaluation_periods", "threshold"})
    if (live.attrs.contains(key) && live.attrs[key].is_number())
      live.attrs[key] = capacity::number(live.attrs[key].get<double>());
  return live;
}

class CloudwatchAlarm final : public ResourceType {
 public:
  std::string_view name() const override { return "cloudwatch.alarm"; }
  const Schema& schema() const override {
    static const Schema s{{{"name", AttrKind::replace}, {"arn", AttrKind::computed}, {"state", AttrKind::computed}},
                          false};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    std::map<std::string, json> desired;
    for (const auto& t : targets) desired[id_or_attr(t, "name")] = t.attrs;
    std::vector<std::string> names;
    for (const auto& [n, _] : desired) names.push_back(n);
    auto alarms = describe(ctx.aws, region, names, desired);
    // One tag read for the region, and none when no alarm exists.
    aws::Result<TagIndex> tags = TagIndex{};
    if (alarms && !alarms->empty()) tags = tag_index(ctx.aws, region, {"cloudwatch:alarm"});
    for (const auto& t : targets) {
      if (!alarms) {
        out[t.address] = failed(alarms.error());
        continue;
      }
      auto it = alarms->find(id_or_attr(t, "name"));
      if (it == alarms->end()) {
        out[t.address] = absent();
        continue;
      }
      if (!tags) {  // never "no tags"
        out[t.address] = failed(tags.error());
        continue;
      }
      Live live = it->second;
      live.attrs["tags"] = tag_json(tags_in(*tags, str_attr(live.attrs, "arn")));
      out[t.address] = found(std::move(live));
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto name = str_attr(want.attrs, "name");
    if (auto r = call_void(ctx.aws, want.region, "PutMetricAlarm", put_params(name, want.attrs, true)); !r)
      return model::err(r.error());
    // PutMetricAlarm answers nothing: read back the ARN (for references) and the state.
    auto alarms = describe(ctx.aws, want.region, {name}, {{name, want.attrs}});
    if (!alarms) return model::err(alarms.error());
    auto it = alarms->find(name);
    return result(want, name, it == alarms->end() ? json::object() : it->second.attrs);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    const auto name = have.id.empty() ? str_attr(want.attrs, "name") : have.id;
    bool differs = false;
    for (const auto* key : kDefinition)
      if (want.attrs.contains(key) && (!have.attrs.contains(key) || have.attrs[key] != want.attrs[key])) differs = true;
    if (differs)
      if (auto r = call_void(ctx.aws, want.region, "PutMetricAlarm", put_params(name, want.attrs, false)); !r)
        return model::err(r.error());
    if (want.attrs.contains("tags"))
      if (auto r = sync_tags(ctx.aws, want.region, str_attr(have.attrs, "arn"), tag_map(want.attrs["tags"]),
                             tag_map(have.attrs.value("tags", json::object())));
          !r)
        return model::err(r.error());
    return result(want, name, have.attrs);
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    aws::Params p;
    capacity::add_member_list(p, "AlarmNames", {id_or_attr(have, "name")});
    auto r = call_void(ctx.aws, have.region, "DeleteAlarms", p);
    if (!r && !has_code(r.error(), {"ResourceNotFound", "ResourceNotFoundException"})) return r;
    return model::ok();
  }
};

}  // namespace

const ResourceType& cloudwatch_alarm_type() {
  static const CloudwatchAlarm t;
  return t;
}

}  // namespace resources
