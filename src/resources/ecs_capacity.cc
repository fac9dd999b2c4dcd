// ecs.capacity: the standby desired count of an ECS service in the DR region, plus the
// drctl:failover-count tag the failover runbook reads back from AWS.
//
// The service is the user's: drctl never creates or deletes it. Create and update are the same
// UpdateService desiredCount (a missing service is a clear error); destroy only forgets.
// Read: DescribeServices per cluster, at most 10 services per call (the API's limit), with
// include=TAGS. A MISSING failure, an INACTIVE service or ClusterNotFoundException is absent;
// any other failure reason is failed. Live `tags` hold only drctl:* keys and keys desired
// names (capacity::managed_tags).
#include <set>

#include "resources/capacity_common.h"
#include "resources/common.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
constexpr size_t kServicesPerCall = 10;  // DescribeServices: at most 10 services per request

std::string cluster_of(const Target& t) {
  if (auto c = str_attr(t.attrs, "cluster"); !c.empty()) return c;
  return t.id.substr(0, t.id.find('/'));
}
std::string service_of(const Target& t) {
  if (auto s = str_attr(t.attrs, "service"); !s.empty()) return s;
  auto slash = t.id.find('/');
  return slash == std::string::npos ? t.id : t.id.substr(slash + 1);
}

// The last path segment of an ARN ("arn:...:service/shop/api" -> "api"), or the text itself.
std::string last_segment(const std::string& s) {
  auto slash = s.rfind('/');
  return slash == std::string::npos ? s : s.substr(slash + 1);
}

TagMap tags_of(const json& service) {
  TagMap m;
  if (service.contains("tags") && service["tags"].is_array())
    for (const auto& t : service["tags"]) m[get_string(t, "key", "")] = get_string(t, "value", "");
  return m;
}

Live to_live(const std::string& cluster, const std::string& service, const json& s, const json& desired) {
  return Live{cluster + "/" + service,
              {{"cluster", cluster},
               {"service", service},
               {"arn", get_string(s, "serviceArn", "")},
               {"desired_count", get_int(s, "desiredCount", 0)},
               {"running_count", get_int(s, "runningCount", 0)},
               {"task_definition", get_string(s, "taskDefinition", "")},
               {"tags", tag_json(capacity::managed_tags(tags_of(s), desired))}}};
}

aws::Result<json> call(aws::Client& c, const std::string& region, const std::string& op, const json& body) {
  return c.json(aws::services::ecs, region, op, body);
}

struct ServiceOutcome {
  bool found = false;
  json service;
  std::optional<aws::AwsError> error;  // a failure other than MISSING
};

// Describes services of one cluster, 10 per call; outcome per service name as asked.
aws::Result<std::map<std::string, ServiceOutcome>> describe(aws::Client& c, const std::string& region,
                                                             const std::string& cluster,
                                                             const std::vector<std::string>& services) {
  std::map<std::string, ServiceOutcome> out;
  for (const auto& chunk : capacity::chunks(services, kServicesPerCall)) {
    auto r = call(c, region, "DescribeServices", {{"cluster", cluster}, {"services", chunk}, {"include", json::array({"TAGS"})}});
    if (!r) {
      if (has_code(r.error(), {"ClusterNotFoundException"})) {
        for (const auto& s : chunk) out[s] = ServiceOutcome{};
        continue;
      }
      return model::err(r.error());
    }
    if (r->contains("services") && (*r)["services"].is_array())
      for (const auto& s : (*r)["services"]) {
        // A deleted service stays visible as INACTIVE for a while: it is gone.
        if (get_string(s, "status", "") == "INACTIVE") continue;
        const auto name = get_string(s, "serviceName", "");
        for (const auto& asked : chunk)
          if (asked == name || asked == get_string(s, "serviceArn", "")) out[asked] = ServiceOutcome{true, s, {}};
      }
    if (r->contains("failures") && (*r)["failures"].is_array())
      for (const auto& f : (*r)["failures"]) {
        const auto reason = get_string(f, "reason", "");
        if (reason == "MISSING") continue;
        const auto arn = get_string(f, "arn", "");
        for (const auto& asked : chunk)
          if (asked == arn || last_segment(asked) == last_segment(arn))
            out[asked] = ServiceOutcome{false, nullptr,
                                        local_error(reason.empty() ? "DescribeFailure" : reason,
                                                    "DescribeServices failure for " + arn + ": " + reason + " " +
                                                        get_string(f, "detail", ""),
                                                    "ecs", "DescribeServices")};
      }
    for (const auto& s : chunk) out.try_emplace(s);  // neither described nor a failure: absent
  }
  return out;
}

aws::AwsError missing_service(const std::string& cluster, const std::string& service, const std::string& region) {
  return local_error("ServiceNotFoundException",
                     "ECS service " + service + " does not exist in cluster " + cluster + " in " + region +
                         ": drctl manages its desired count, not the service",
                     "ecs", "UpdateService");
}

// Brings desired count and managed tags from `have` (live attrs, tags filtered) to `want`.
aws::Result<Live> converge(aws::Client& c, const Target& want, const std::string& cluster,
                           const std::string& service, const json& have) {
  const json& w = want.attrs;
  const auto arn = get_string(have, "arn", "");
  if (w.contains("desired_count") && (!have.contains("desired_count") || have["desired_count"] != w["desired_count"])) {
    auto r = call(c, want.region, "UpdateService",
                  {{"cluster", cluster}, {"service", service}, {"desiredCount", get_int(w, "desired_count", 0)}});
    if (!r) {
      if (has_code(r.error(), {"ServiceNotFoundException", "ServiceNotActiveException", "ClusterNotFoundException"}))
        return model::err(missing_service(cluster, service, want.region));
      return model::err(r.error());
    }
  }
  if (w.contains("tags")) {
    const auto d = diff_tags(tag_map(w["tags"]), tag_map(have.value("tags", json::object())));
    if (!d.set.empty()) {
      json tags = json::array();
      for (const auto& [k, v] : d.set) tags.push_back({{"key", k}, {"value", v}});
      if (auto r = call(c, want.region, "TagResource", {{"resourceArn", arn}, {"tags", tags}}); !r)
        return model::err(r.error());
    }
    if (!d.remove.empty())
      if (auto r = call(c, want.region, "UntagResource", {{"resourceArn", arn}, {"tagKeys", d.remove}}); !r)
        return model::err(r.error());
  }
  Live live{cluster + "/" + service, have};
  for (auto it = w.begin(); it != w.end(); ++it) live.attrs[it.key()] = it.value();
  live.attrs["cluster"] = cluster;
  live.attrs["service"] = service;
  return live;
}

class EcsCapacity final : public ResourceType {
 public:
  std::string_view name() const override { return "ecs.capacity"; }
  const Schema& schema() const override {
    static const Schema s{{{"cluster", AttrKind::replace},
                           {"service", AttrKind::replace},
                           {"arn", AttrKind::computed},
                           {"running_count", AttrKind::computed},
                           {"task_definition", AttrKind::computed}},
                          false};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    std::map<std::string, std::set<std::string>> by_cluster;
    for (const auto& t : targets) by_cluster[cluster_of(t)].insert(service_of(t));
    std::map<std::string, aws::Result<std::map<std::string, ServiceOutcome>>> described;
    for (const auto& [cluster, services] : by_cluster)
      described.emplace(cluster, describe(ctx.aws, region, cluster, {services.begin(), services.end()}));
    for (const auto& t : targets) {
      const auto cluster = cluster_of(t);
      const auto service = service_of(t);
      const auto& d = described.at(cluster);
      if (!d) {
        out[t.address] = failed(d.error());
        continue;
      }
      const auto& o = d->at(service);
      if (o.error) out[t.address] = failed(*o.error);
      else if (!o.found) out[t.address] = absent();
      else out[t.address] = found(to_live(cluster, service, o.service, t.attrs));
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto cluster = cluster_of(want);
    const auto service = service_of(want);
    auto d = describe(ctx.aws, want.region, cluster, {service});
    if (!d) return model::err(d.error());
    const auto& o = d->at(service);
    if (o.error) return model::err(*o.error);
    if (!o.found) return model::err(missing_service(cluster, service, want.region));
    return converge(ctx.aws, want, cluster, service, to_live(cluster, service, o.service, want.attrs).attrs);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    return converge(ctx.aws, want, cluster_of(want), service_of(want), have.attrs);
  }

  // The service is the user's: forgetting it is all destroy does.
  aws::Result<model::Unit> destroy(Context&, const Target&) const override { return model::ok(); }
};

}  // namespace

const ResourceType& ecs_capacity_type() {
  static const EcsCapacity t;
  return t;
}

}  // namespace resources
