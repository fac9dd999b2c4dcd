// autoscaling.capacity: the standby min/desired/max of an Auto Scaling group in the DR region,
// plus the drctl:failover-* tags the failover runbook reads back from AWS.
//
// The group is the user's: drctl never creates or deletes it. Create and update are the same
// UpdateAutoScalingGroup (a missing group is a clear error); destroy only forgets.
// Read: DescribeAutoScalingGroups with up to 100 names per call (NextToken pages) for every
// target of the region. Live `tags` hold only drctl:* keys and keys desired names
// (capacity::managed_tags), so the user's own tags never show in plans or get removed.
#include <set>

#include "aws/pagination.h"
#include "resources/capacity_common.h"
#include "resources/common.h"
#include "resources/types.h"
#include "resources/xml_util.h"

namespace resources {
namespace {

using nlohmann::json;
constexpr size_t kNamesPerCall = 100;  // AutoScalingGroupNames: at most 100 per request

struct Group {
  std::string arn;
  json launch_template;  // {id, name, version} or null
  std::string launch_configuration;
  long long min = 0, desired = 0, max = 0, instances = 0;
  TagMap tags;
};

Group parse_group(pugi::xml_node g) {
  Group out;
  out.arn = xml::text(g, "AutoScalingGroupARN");
  out.min = xml::child(g, "MinSize").text().as_llong();
  out.max = xml::child(g, "MaxSize").text().as_llong();
  out.desired = xml::child(g, "DesiredCapacity").text().as_llong();
  out.instances = static_cast<long long>(xml::children(xml::child(g, "Instances"), "member").size());
  auto lt = xml::child(g, "LaunchTemplate");
  if (!lt) lt = xml::path(g, "MixedInstancesPolicy/LaunchTemplate/LaunchTemplateSpecification");
  if (lt)
    out.launch_template = {{"id", xml::text(lt, "LaunchTemplateId")},
                           {"name", xml::text(lt, "LaunchTemplateName")},
                           {"version", xml::text(lt, "Version")}};
  out.launch_configuration = xml::text(g, "LaunchConfigurationName");
  for (auto t : xml::children(xml::child(g, "Tags"), "member")) out.tags[xml::text(t, "Key")] = xml::text(t, "Value");
  return out;
}

Live to_live(const std::string& name, const Group& g, const json& desired) {
  Live live{name,
            {{"group", name},
             {"arn", g.arn},
             {"min", g.min},
             {"desired", g.desired},
             {"max", g.max},
             {"instances", g.instances},
             {"tags", tag_json(capacity::managed_tags(g.tags, desired))}}};
  if (!g.launch_template.is_null()) live.attrs["launch_template"] = g.launch_template;
  if (!g.launch_configuration.empty()) live.attrs["launch_configuration"] = g.launch_configuration;
  return live;
}

// Every named group that exists, by name (one call per 100 names, plus its pages).
aws::Result<std::map<std::string, Group>> describe(aws::Client& c, const std::string& region,
                                                   const std::vector<std::string>& names) {
  std::map<std::string, Group> found;
  for (const auto& chunk : capacity::chunks(names, kNamesPerCall)) {
    aws::Params p;
    capacity::add_member_list(p, "AutoScalingGroupNames", chunk);
    p.emplace_back("MaxRecords", "100");
    auto st = aws::paginate_query(c, aws::services::autoscaling, region, "DescribeAutoScalingGroups", p,
                                  [&](const pugi::xml_node& res) {
                                    for (auto g : xml::children(xml::child(res, "AutoScalingGroups"), "member"))
                                      found[xml::text(g, "AutoScalingGroupName")] = parse_group(g);
                                    return true;
                                  },
                                  {"NextToken", "NextToken"});
    if (!st) return model::err(st.error());
  }
  return found;
}

aws::AwsError missing_group(const std::string& name, const std::string& region) {
  return local_error("GroupNotFound", "Auto Scaling group " + name + " does not exist in " + region +
                                          ": drctl manages its capacity, not the group",
                     "autoscaling", "UpdateAutoScalingGroup");
}

aws::Result<model::Unit> call(aws::Client& c, const std::string& region, const std::string& action,
                              const aws::Params& p) {
  aws::XmlDoc keep;
  auto r = capacity::call_query(c, aws::services::autoscaling, region, action, p, keep);
  if (!r) return model::err(r.error());
  return model::ok();
}

void add_tag_members(aws::Params& p, size_t i, const std::string& group, const std::string& key) {
  const auto prefix = "Tags.member." + std::to_string(i);
  p.emplace_back(prefix + ".ResourceId", group);
  p.emplace_back(prefix + ".ResourceType", "auto-scaling-group");
  p.emplace_back(prefix + ".Key", key);
}

// Brings capacity and managed tags from `have` (live attrs, tags already filtered) to `want`.
aws::Result<Live> converge(aws::Client& c, const Target& want, const std::string& name, const json& have) {
  const json& w = want.attrs;
  aws::Params p{{"AutoScalingGroupName", name}};
  bool differs = false;
  static const std::pair<const char*, const char*> kMembers[] = {
      {"min", "MinSize"}, {"max", "MaxSize"}, {"desired", "DesiredCapacity"}};
  for (const auto& [attr, member] : kMembers) {
    if (!w.contains(attr)) continue;
    p.emplace_back(member, std::to_string(get_int(w, attr, 0)));
    differs = differs || !have.contains(attr) || have[attr] != w[attr];
  }
  if (differs) {
    auto r = call(c, want.region, "UpdateAutoScalingGroup", p);
    if (!r) {
      if (r.error().code == "ValidationError" && r.error().message.find("not found") != std::string::npos)
        return model::err(missing_group(name, want.region));
      return model::err(r.error());
    }
  }
  if (w.contains("tags")) {
    const auto d = diff_tags(tag_map(w["tags"]), tag_map(have.value("tags", json::object())));
    if (!d.set.empty()) {
      aws::Params t;
      size_t i = 1;
      for (const auto& [k, v] : d.set) {
        add_tag_members(t, i, name, k);
        const auto prefix = "Tags.member." + std::to_string(i++);
        t.emplace_back(prefix + ".Value", v);
        t.emplace_back(prefix + ".PropagateAtLaunch", "false");  // a DR marker, not an instance tag
      }
      if (auto r = call(c, want.region, "CreateOrUpdateTags", t); !r) return model::err(r.error());
    }
    if (!d.remove.empty()) {
      aws::Params t;
      for (size_t i = 0; i < d.remove.size(); ++i) add_tag_members(t, i + 1, name, d.remove[i]);
      if (auto r = call(c, want.region, "DeleteTags", t); !r) return model::err(r.error());
    }
  }
  Live live{name, have};
  for (auto it = w.begin(); it != w.end(); ++it) live.attrs[it.key()] = it.value();
  live.attrs["group"] = name;
  return live;
}

class AutoscalingCapacity final : public ResourceType {
 public:
  std::string_view name() const override { return "autoscaling.capacity"; }
  const Schema& schema() const override {
    static const Schema s{{{"group", AttrKind::replace},
                           {"arn", AttrKind::computed},
                           {"launch_template", AttrKind::computed},
                           {"launch_configuration", AttrKind::computed},
                           {"instances", AttrKind::computed}},
                          false};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    std::set<std::string> unique;
    for (const auto& t : targets) unique.insert(id_or_attr(t, "group"));
    auto groups = describe(ctx.aws, region, std::vector<std::string>(unique.begin(), unique.end()));
    for (const auto& t : targets) {
      if (!groups) {
        out[t.address] = failed(groups.error());
        continue;
      }
      const auto name = id_or_attr(t, "group");
      auto it = groups->find(name);
      out[t.address] = it == groups->end() ? absent() : found(to_live(name, it->second, t.attrs));
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto name = str_attr(want.attrs, "group");
    auto groups = describe(ctx.aws, want.region, {name});
    if (!groups) return model::err(groups.error());
    auto it = groups->find(name);
    if (it == groups->end()) return model::err(missing_group(name, want.region));
    return converge(ctx.aws, want, name, to_live(name, it->second, want.attrs).attrs);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    return converge(ctx.aws, want, have.id.empty() ? str_attr(want.attrs, "group") : have.id, have.attrs);
  }

  // The group is the user's: forgetting it is all destroy does.
  aws::Result<model::Unit> destroy(Context&, const Target&) const override { return model::ok(); }
};

}  // namespace

const ResourceType& autoscaling_capacity_type() {
  static const AutoscalingCapacity t;
  return t;
}

}  // namespace resources
