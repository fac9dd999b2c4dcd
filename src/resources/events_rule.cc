// events.rule: an EventBridge rule on the default bus with its targets (the automatic failover
// trigger: CloudWatch alarm state change -> StartExecution of the failover state machine).
//
// Attributes: `name` (replace), `description`, `event_pattern` (JSON object, compared by
// meaning), `state` ENABLED | DISABLED (the kill switch: disabling keeps rule and targets),
// `targets` [ {`id`, `arn`, `role_arn`?} ] (exact set, ordered by id; a target may be another
// region's event bus, which needs a role), `tags` {..}; computed `arn` and `account` (the
// account id from the ARN, so a forwarding rule elsewhere can name this region's bus:
// "arn:aws:events:R:@{events.rule.x#account}:event-bus/default"). Id: the rule name.
// Read: per target DescribeRule (ResourceNotFoundException → absent), ListTargetsByRule
// (NextToken pages), ListTagsForResource. Create: PutRule (with Tags) + PutTargets. Update:
// PutRule when pattern or description differ (it also sets State), else EnableRule /
// DisableRule when only the state differs; PutTargets for new or changed targets and
// RemoveTargets for extra ones; TagResource / UntagResource. A PutTargets/RemoveTargets reply
// with FailedEntryCount > 0 is an error. Destroy: RemoveTargets (all), DeleteRule.
#include <algorithm>

#include "resources/common.h"
#include "resources/json_tagging.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;

aws::Result<json> call(aws::Client& c, const std::string& region, const std::string& op, const json& body) {
  return c.json(aws::services::events, region, op, body);
}

const JsonTagging kTagging{&aws::services::events, "ResourceARN", "Tags", "Key", "Value", "TagKeys"};

json normalised_targets(const json& targets) {
  json out = json::array();
  for (const auto& t : targets.is_array() ? targets : json::array()) {
    json x = {{"id", get_string(t, "id", "")}, {"arn", get_string(t, "arn", "")}};
    if (const auto r = get_string(t, "role_arn", ""); !r.empty()) x["role_arn"] = r;
    out.push_back(x);
  }
  std::sort(out.begin(), out.end(), [](const json& a, const json& b) { return a["id"] < b["id"]; });
  return out;
}

aws::Result<json> list_targets(aws::Client& c, const std::string& region, const std::string& rule) {
  json out = json::array();
  std::string token;
  for (int page = 0; page < 100; ++page) {
    json body = {{"Rule", rule}};
    if (!token.empty()) body["NextToken"] = token;
    auto r = call(c, region, "ListTargetsByRule", body);
    if (!r) return model::err(r.error());
    for (const auto& t : r->value("Targets", json::array())) {
      json x = {{"id", get_string(t, "Id", "")}, {"arn", get_string(t, "Arn", "")}};
      if (const auto role = get_string(t, "RoleArn", ""); !role.empty()) x["role_arn"] = role;
      out.push_back(x);
    }
    token = get_string(*r, "NextToken", "");
    if (token.empty()) break;
  }
  return normalised_targets(out);
}

// "arn:aws:events:us-west-2:111122223333:rule/x" -> "111122223333" ("" when not an ARN).
std::string account_of(const std::string& arn) {
  size_t at = 0;
  for (int colon = 0; colon < 4; ++colon) {
    at = arn.find(':', at);
    if (at == std::string::npos) return "";
    ++at;
  }
  const auto end = arn.find(':', at);
  return end == std::string::npos ? "" : arn.substr(at, end - at);
}

aws::Result<std::optional<Live>> describe(aws::Client& c, const std::string& region, const std::string& name) {
  auto d = call(c, region, "DescribeRule", {{"Name", name}});
  if (!d) {
    if (has_code(d.error(), {"ResourceNotFoundException"})) return std::optional<Live>{};
    return model::err(d.error());
  }
  const auto arn = get_string(*d, "Arn", "");
  auto targets = list_targets(c, region, name);
  if (!targets) return model::err(targets.error());
  auto tags = list_tags(c, kTagging, region, arn);
  if (!tags) return model::err(tags.error());
  const auto text = get_string(*d, "EventPattern", "");
  json pattern = json::parse(text, nullptr, false);
  if (pattern.is_discarded()) pattern = text;
  return std::optional<Live>{Live{name,
                                  {{"name", name},
                                   {"arn", arn},
                                   {"account", account_of(arn)},
                                   {"description", get_string(*d, "Description", "")},
                                   {"event_pattern", pattern},
                                   {"state", get_string(*d, "State", "")},
                                   {"targets", *targets},
                                   {"tags", tag_json(*tags)}}}};
}

aws::AwsError failed_entries(const std::string& op, const json& reply) {
  return local_error("FailedEntries", op + " failed for some targets: " + json_text(reply.value("FailedEntries", json())),
                     "events", op);
}

class EventsRule final : public ResourceType {
 public:
  std::string_view name() const override { return "events.rule"; }
  const Schema& schema() const override {
    static const Schema s{
        {{"name", AttrKind::replace}, {"arn", AttrKind::computed}, {"account", AttrKind::computed}}, false};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    for (const auto& t : targets) {
      auto d = describe(ctx.aws, region, id_or_attr(t, "name"));
      out[t.address] = !d ? failed(d.error()) : *d ? found(std::move(**d)) : absent();
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto& w = want.attrs;
    json body = {{"Name", str_attr(w, "name")},
                 {"EventPattern", json_text(w.value("event_pattern", json::object()))},
                 {"State", get_string(w, "state", "ENABLED")},
                 {"Description", str_attr(w, "description")}};
    if (w.contains("tags")) body["Tags"] = wire_tags(kTagging, tag_map(w["tags"]));
    auto r = call(ctx.aws, want.region, "PutRule", body);
    if (!r) return model::err(r.error());
    auto have = describe(ctx.aws, want.region, str_attr(w, "name"));
    if (!have) return model::err(have.error());
    if (!*have) return model::err(local_error("MalformedResponse", "rule vanished after PutRule", "events", "PutRule"));
    return update(ctx, want, **have);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    const auto& w = want.attrs;
    const auto& h = have.attrs;
    const auto name = str_attr(w, "name");
    const auto state = get_string(w, "state", "ENABLED");
    if (w.value("event_pattern", json()) != h.value("event_pattern", json()) ||
        str_attr(w, "description") != str_attr(h, "description")) {
      auto r = call(ctx.aws, want.region, "PutRule",
                    {{"Name", name},
                     {"EventPattern", json_text(w.value("event_pattern", json::object()))},
                     {"State", state},
                     {"Description", str_attr(w, "description")}});
      if (!r) return model::err(r.error());
    } else if (state != str_attr(h, "state")) {
      auto r = call(ctx.aws, want.region, state == "DISABLED" ? "DisableRule" : "EnableRule", {{"Name", name}});
      if (!r) return model::err(r.error());
    }
    const json want_targets = normalised_targets(w.value("targets", json::array()));
    const json have_targets = h.value("targets", json::array());
    json put = json::array();
    for (const auto& t : want_targets)
      if (std::find(have_targets.begin(), have_targets.end(), t) == have_targets.end()) {
        json x = {{"Id", t["id"]}, {"Arn", t["arn"]}};
        if (t.contains("role_arn")) x["RoleArn"] = t["role_arn"];
        put.push_back(x);
      }
    if (!put.empty()) {
      auto r = call(ctx.aws, want.region, "PutTargets", {{"Rule", name}, {"Targets", put}});
      if (!r) return model::err(r.error());
      if (get_int(*r, "FailedEntryCount", 0) > 0) return model::err(failed_entries("PutTargets", *r));
    }
    json remove = json::array();
    for (const auto& t : have_targets) {
      const bool wanted = std::any_of(want_targets.begin(), want_targets.end(), [&](const json& x) { return x["id"] == t["id"]; });
      if (!wanted) remove.push_back(t["id"]);
    }
    if (!remove.empty()) {
      auto r = call(ctx.aws, want.region, "RemoveTargets", {{"Rule", name}, {"Ids", remove}});
      if (!r) return model::err(r.error());
      if (get_int(*r, "FailedEntryCount", 0) > 0) return model::err(failed_entries("RemoveTargets", *r));
    }
    if (w.contains("tags"))
      if (auto r = sync_tags(ctx.aws, kTagging, want.region, str_attr(h, "arn"), tag_map(w["tags"]),
                             tag_map(h.value("tags", json::object())));
          !r)
        return model::err(r.error());
    auto now = describe(ctx.aws, want.region, name);
    if (!now) return model::err(now.error());
    if (!*now) return model::err(local_error("MalformedResponse", "rule " + name + " vanished during update", "events"));
    return **now;
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    const auto name = id_or_attr(have, "name");
    auto targets = list_targets(ctx.aws, have.region, name);
    if (!targets) {
      if (has_code(targets.error(), {"ResourceNotFoundException"})) return model::ok();
      return model::err(targets.error());
    }
    json ids = json::array();
    for (const auto& t : *targets) ids.push_back(t["id"]);
    if (!ids.empty()) {
      auto r = call(ctx.aws, have.region, "RemoveTargets", {{"Rule", name}, {"Ids", ids}});
      if (!r) return model::err(r.error());
    }
    auto r = call(ctx.aws, have.region, "DeleteRule", {{"Name", name}});
    if (!r && !has_code(r.error(), {"ResourceNotFoundException"})) return model::err(r.error());
    return model::ok();
  }
};

}  // namespace

const ResourceType& events_rule_type() {
  static const EventsRule t;
  return t;
}

}  // namespace resources
