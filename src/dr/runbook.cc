#include "dr/runbook.h"

#include <algorithm>
#include <functional>

#include "resources/rds_common.h"

namespace dr {
namespace {

using nlohmann::json;

// Route 53 applies a change to its name servers in about a minute (GetChange INSYNC); clients
// then wait out the record's TTL. Notification is a single Publish call.
constexpr model::Seconds kDnsPropagation{60};
constexpr model::Seconds kNotify{5};

int tag_int(const json& attrs, const std::string& key, int def) {
  const auto& tags = attrs.value("tags", json::object());
  if (!tags.is_object() || !tags.contains(key) || !tags[key].is_string()) return def;
  try {
    return std::stoi(tags[key].get<std::string>());
  } catch (const std::exception&) {
    return def;
  }
}

struct Builder {
  const model::Topology& topo;
  const TimingModel& timings;
  Runbook rb;

  model::Resource& add(const std::string& type, const std::string& name, const std::string& region,
                       json attrs, const model::Resource& from, const std::string& timing,
                       model::Seconds extra = model::Seconds{0}) {
    model::Resource r;
    r.address = model::Address{type, name};
    r.region = region;
    r.attrs = std::move(attrs);
    r.workload = from.workload;
    r.where = from.where;
    rb.step_duration[r.address.str()] = (timing.empty() ? model::Seconds{0} : timings.get(timing).value) + extra;
    rb.step_timing[r.address.str()] = timing;
    rb.graph.resources.push_back(std::move(r));
    return rb.graph.resources.back();
  }
  void warn(const std::string& summary, const std::string& detail, const model::Resource* at) {
    rb.diagnostics.push_back({model::Severity::warning, summary, detail,
                              at ? at->where : std::nullopt, at ? at->address.str() : ""});
  }
};

// op.aurora_failover.<w>: the DR secondary cluster becomes the global database's writer, in
// the DR region. Its ARN needs the account, which the config gives only when source_cluster
// is an ARN; otherwise the op finds the member by region and cluster id (no STS call, which
// would go to the possibly dead primary region). Returns the step's address.
std::string add_aurora_failover(Builder& b, const model::Resource& r, const std::string& to, FailoverMode mode) {
  const auto& a = r.attrs;
  const auto global_id = a.value("global_cluster_id", "");
  const auto secondary = a.value("secondary_cluster_id", "");
  const auto source = a.value("source_cluster", "");
  const bool planned = mode == FailoverMode::planned;
  json attrs = {{"global_cluster_id", global_id},
                {"target_cluster_id", secondary},
                {"source_cluster", source},
                {"mode", planned ? "switchover" : "failover"}};
  if (const auto arn = resources::rds::parse_arn(source); arn && arn->kind == "cluster")
    attrs["target_cluster_arn"] =
        resources::rds::make_arn({arn->partition, to, arn->account, "cluster", secondary});
  // A headless secondary (no instance) holds the data but cannot serve until one is added.
  const bool headless = !a.contains("secondary_instance_class") || !a["secondary_instance_class"].is_string();
  auto& op = b.add("op.aurora_failover", r.address.name, to, std::move(attrs), r,
                   planned ? "aurora_global_switchover" : "aurora_global_failover",
                   headless ? b.timings.get("aurora_add_instance").value : model::Seconds{0});
  if (!planned)
    b.warn("unplanned failover of Aurora global database " + global_id + " allows data loss",
           op.address.str() + " sends FailoverGlobalCluster with AllowDataLoss: writes to " + source + " in " +
               b.topo.primary_region + " not yet replicated to " + secondary + " in " + to +
               " are lost (see the replication lag in this plan). When " + b.topo.primary_region +
               " recovers, Aurora brings the old primary back as a secondary; check it before failing back.",
           &r);
  if (headless)
    b.warn("the DR cluster " + secondary + " has no instance",
           "after " + op.address.str() + " add a writer instance to " + secondary + " in " + to +
               " by hand before it can serve (secondary.instance_class is unset); the estimate includes it",
           &r);
  return op.address.str();
}

}  // namespace

Runbook failover_runbook(const model::Topology& topo, const model::Graph& g, const std::string& to,
                         FailoverMode mode, const TimingModel& timings) {
  Builder b{topo, timings, {}};
  b.rb.graph.stack = g.stack;
  if (to != topo.dr_region) {
    b.rb.diagnostics.push_back({model::Severity::error, "cannot fail over to " + to,
                                "the stack's DR region is " + topo.dr_region + " (regions.dr); drctl fails over there only",
                                topo.where("/regions"), ""});
    return b.rb;
  }
  std::vector<std::string> before_dns;
  std::map<std::string, int> replicas_per_source;
  for (const auto& r : g.resources)
    if (r.address.type == "rds.replica") ++replicas_per_source[r.attrs.value("source", "")];

  for (const auto& r : g.resources) {
    const auto& t = r.address.type;
    const auto& a = r.attrs;
    if (t == "rds.replica") {
      const auto source = a.value("source", "");
      const bool last = replicas_per_source[source] <= 1;
      auto& op = b.add("op.rds_promote", r.address.name, r.region,
                       {{"identifier", a.value("identifier", "")}, {"source", source}, {"last_replica", last}}, r,
                       "rds_replica_promotion");
      before_dns.push_back(op.address.str());
      if (last)
        b.warn("promotes the last replica of " + source,
               "after " + op.address.str() + " the new primary " + a.value("identifier", "") + " in " + to +
                   " has no replica: nothing replicates it until `drctl failback` re-establishes replication",
               &r);
    } else if (t == "autoscaling.capacity") {
      const int desired = tag_int(a, "drctl:failover-desired", a.value("desired", 0));
      const int min = tag_int(a, "drctl:failover-min", desired);
      const int max = tag_int(a, "drctl:failover-max", std::max(desired, a.value("max", 0)));
      const bool from_zero = a.value("desired", 0) == 0;
      auto& op = b.add("op.asg_scale", r.address.name, r.region,
                       {{"group", a.value("group", "")}, {"min", min}, {"desired", desired}, {"max", max}}, r,
                       from_zero ? "asg_scale_from_zero" : "asg_scale_out");
      before_dns.push_back(op.address.str());
    } else if (t == "ecs.capacity") {
      const int count = tag_int(a, "drctl:failover-count", a.value("desired_count", 0));
      auto& op = b.add("op.ecs_scale", r.address.name, r.region,
                       {{"cluster", a.value("cluster", "")}, {"service", a.value("service", "")}, {"desired_count", count}},
                       r, a.value("desired_count", 0) == 0 ? "ecs_scale_from_zero" : "ecs_scale_out");
      before_dns.push_back(op.address.str());
    } else if (t == "rds.global_cluster") {
      before_dns.push_back(add_aurora_failover(b, r, to, mode));
    } else if (t == "dynamodb.replica" || t == "efs.replication") {
      const char* what = t == "efs.replication" ? "delete the EFS replication to make the DR file system writable"
                                                : "nothing: DynamoDB global table replicas are already writable";
      b.warn(r.address.str() + " is not part of this runbook", std::string("do by hand: ") + what, &r);
    }
  }
  std::vector<std::string> switches;
  for (const auto& r : g.resources) {
    if (r.address.type != "route53.failover_record" || r.attrs.value("failover", "") != "PRIMARY") continue;
    const auto& base = r.address.name;
    const auto stem = base.size() > 8 && base.ends_with("-primary") ? base.substr(0, base.size() - 8) : base;
    const auto* secondary = g.find("route53.failover_record." + stem + "-secondary");
    if (!secondary) {
      b.warn("no SECONDARY record for " + r.address.str(), "the DNS switch of " + stem + " is left out", &r);
      continue;
    }
    json attrs = r.attrs;
    attrs.erase("health_check_id");
    for (const char* k : {"records", "alias", "ttl"}) {
      attrs.erase(k);
      if (secondary->attrs.contains(k)) attrs[k] = secondary->attrs[k];
    }
    const auto ttl = model::Seconds{attrs.value("ttl", 0)};
    auto& op = b.add("op.dns_switch", stem, r.region, std::move(attrs), r, "",
                     kDnsPropagation + (ttl.count() > 0 ? ttl : timings.get("dns_ttl").value));
    op.depends_on = before_dns;
    switches.push_back(op.address.str());
  }

  if (const auto* topic = g.find("sns.topic.notify")) {
    const std::string how = mode == FailoverMode::planned ? "planned switchover" : "unplanned failover";
    auto& op = b.add("op.sns_notify", "failover", topic->region,
                     {{"topic", topic->attrs.value("name", "")},
                      {"subject", "drctl: " + topo.stack + " failed over to " + to},
                      {"message", "drctl " + how + " of stack " + topo.stack + " from " + topo.primary_region +
                                      " to " + to + " is complete: replicas promoted, DR capacity at failover values, "
                                      "DNS pointing at " + to + "."}},
                     *topic, "", kNotify);
    op.depends_on = switches.empty() ? before_dns : switches;
  }
  std::sort(b.rb.graph.resources.begin(), b.rb.graph.resources.end(),
            [](const auto& x, const auto& y) { return x.address.str() < y.address.str(); });
  return b.rb;
}

CriticalPath critical_path(const model::Graph& graph, const std::map<std::string, model::Seconds>& duration) {
  std::map<std::string, const model::Resource*> by;
  for (const auto& r : graph.resources) by[r.address.str()] = &r;
  std::map<std::string, CriticalPath> memo;
  std::function<const CriticalPath&(const std::string&)> finish = [&](const std::string& a) -> const CriticalPath& {
    if (auto it = memo.find(a); it != memo.end()) return it->second;
    memo[a] = {};  // a cycle (never built by the runbook) ends here instead of recursing forever
    CriticalPath best;
    for (const auto& d : by.at(a)->depends_on) {
      if (!by.count(d)) continue;
      const auto& p = finish(d);
      if (p.total > best.total || best.steps.empty()) best = p;
    }
    auto it = duration.find(a);
    best.total += it == duration.end() ? model::Seconds{0} : it->second;
    best.steps.push_back(a);
    return memo[a] = best;
  };
  CriticalPath out;
  for (const auto& [a, _] : by) {
    const auto& p = finish(a);
    if (p.total > out.total || out.steps.empty()) out = p;
  }
  return out;
}

}  // namespace dr
