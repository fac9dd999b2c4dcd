#include "dr/failback.h"

#include <algorithm>

#include "plan/diff.h"

namespace dr {
namespace {

using nlohmann::json;

// As in the failover runbook: Route 53 propagation to its name servers, and one Publish.
constexpr model::Seconds kDnsPropagation{60};
constexpr model::Seconds kNotify{5};

struct Steps {
  const TimingModel& timings;
  Runbook rb;

  model::Resource& add(const std::string& type, const std::string& name, const std::string& region, json attrs,
                       const model::Resource& from, const std::string& timing, model::Seconds fixed = model::Seconds{0}) {
    model::Resource r;
    r.address = model::Address{type, name};
    r.region = region;
    r.attrs = std::move(attrs);
    r.workload = from.workload;
    r.where = from.where;
    rb.step_duration[r.address.str()] = timing.empty() ? fixed : timings.get(timing).value;
    rb.step_timing[r.address.str()] = timing;
    rb.graph.resources.push_back(std::move(r));
    return rb.graph.resources.back();
  }
  void warn(const std::string& summary, const std::string& detail, const model::Resource& at) {
    rb.diagnostics.push_back({model::Severity::warning, summary, detail, at.where, at.address.str()});
  }
};

// The primary instance's identifier: the configured source, by identifier or ARN.
std::string primary_identifier(const json& replica_attrs) {
  const auto source = replica_attrs.value("source", "");
  if (source.rfind("arn:", 0) == 0) return source.substr(source.rfind(':') + 1);
  return source;
}

void manual_steps(Steps& s, const model::Graph& g, FailbackPhase phase) {
  const bool protect = phase == FailbackPhase::protect;
  for (const auto& r : g.resources) {
    const auto& t = r.address.type;
    std::string what;
    if (t == "s3.replication")
      what = protect ? "replicate objects written in the DR bucket since the failover back to " +
                           r.attrs.value("bucket", "the source bucket") +
                           " (a replication rule from the DR bucket, or S3 Batch Replication)"
                     : "point writers back at " + r.attrs.value("bucket", "the source bucket") +
                           " and remove any reverse replication rule";
    else if (t == "dynamodb.replica")
      what = protect ? "nothing to re-establish: the global table replicates both ways; check that the " +
                           r.attrs.value("table", "table") + " replica in the primary region is ACTIVE"
                     : "move writers of " + r.attrs.value("table", "the table") + " back to the primary region";
    else if (t == "efs.replication")
      what = protect ? "create replication from the DR file system back to the primary region "
                       "(CreateReplicationConfiguration), wait for it to finish"
                     : "make the primary file system writable again (delete the reverse replication), then "
                       "`drctl apply --reset-after-failover` re-creates the configured replication";
    else if (t == "rds.global_cluster")
      what = protect ? "nothing to re-establish: the Aurora global database keeps replicating to the old primary "
                       "region once it is back; check its members"
                     : "switch the Aurora global database back to the primary region (SwitchoverGlobalCluster)";
    else
      continue;
    s.warn(r.address.str() + " is not part of this failback runbook", "do by hand: " + what, r);
  }
}

void protect(Steps& s, const model::Topology& topo, const model::Graph& g, const FailbackInputs& in) {
  for (const auto& r : g.resources) {
    if (r.address.type != "rds.replica") continue;
    const auto& w = r.address.name;
    const auto primary_id = primary_identifier(r.attrs);
    const auto dr_id = r.attrs.value("identifier", "");
    const auto retired = retired_identifier(primary_id, in.failover_stamp);
    const auto retire = s.add("op.rds_retire", w + "-old-primary", topo.primary_region,
                         {{"identifier", primary_id},
                          {"retired_identifier", retired},
                          {"reason", "stale primary: it diverged from " + dr_id + " at the failover"},
                          {"successor_source", dr_id},
                          {"successor_source_region", topo.dr_region}},
                         r, "rds_rename").address.str();
    auto& reverse = s.add("op.rds_reverse_replica", w, topo.primary_region,
                          {{"identifier", primary_id}, {"source", dr_id}, {"source_region", topo.dr_region}, {"like", retired}},
                          r, "rds_replica_creation");
    reverse.depends_on = {retire};
    s.warn("keeps the old primary " + primary_id + " as " + retired,
           retired + " in " + topo.primary_region + " may hold writes made before the failover that never reached " +
               dr_id + ". Compare, recover what is missing, then delete it by hand: drctl never deletes it",
           r);
  }
}

void switch_back(Steps& s, const model::Topology& topo, const model::Graph& g, const FailbackInputs& in) {
  std::vector<std::string> promotions, retires, switches;
  std::vector<std::pair<const model::Resource*, std::string>> dr_writers;
  for (const auto& r : g.resources) {
    if (r.address.type != "rds.replica") continue;
    const auto primary_id = primary_identifier(r.attrs);
    const auto dr_id = r.attrs.value("identifier", "");
    auto& op = s.add("op.rds_promote", r.address.name + "-failback", topo.primary_region,
                     {{"identifier", primary_id}, {"source", dr_id + " (" + topo.dr_region + ")"}, {"last_replica", false}},
                     r, "rds_replica_promotion");
    promotions.push_back(op.address.str());
    dr_writers.emplace_back(&r, dr_id);
  }
  std::map<std::string, plan::Observed> known;
  for (const auto& [address, id] : in.cloud_ids) known[address] = {plan::Observed::Status::found, id, json::object(), ""};
  for (const auto& r : g.resources) {
    if (r.address.type != "route53.failover_record" || r.attrs.value("failover", "") != "PRIMARY") continue;
    const auto& base = r.address.name;
    const auto stem = base.size() > 8 && base.ends_with("-primary") ? base.substr(0, base.size() - 8) : base;
    json attrs = r.attrs;
    if (attrs.contains("health_check_id") && !plan::resolve_from(attrs, known).empty()) {
      attrs.erase("health_check_id");
      s.warn(r.address.str() + " goes back without its health check",
             "state does not know the health check's id; `drctl apply DIR --reset-after-failover` attaches it again", r);
    }
    const auto ttl = model::Seconds{attrs.value("ttl", 0)};
    auto& op = s.add("op.dns_switch", stem + "-failback", r.region, std::move(attrs), r, "",
                     kDnsPropagation + (ttl.count() > 0 ? ttl : s.timings.get("dns_ttl").value));
    op.depends_on = promotions;
    switches.push_back(op.address.str());
  }
  // The DR writer is renamed only once traffic is home: its endpoint changes with the name.
  for (const auto& [r, dr_id] : dr_writers) {
    auto& op = s.add("op.rds_retire", r->address.name + "-dr-writer", topo.dr_region,
                     {{"identifier", dr_id},
                      {"retired_identifier", retired_identifier(dr_id, in.failover_stamp)},
                      {"reason", "DR writer after failback: the DR replica is created afresh from " +
                                     primary_identifier(r->attrs)},
                      {"successor_source", primary_identifier(r->attrs)},
                      {"successor_source_region", topo.primary_region}},
                     *r, "rds_rename");
    op.depends_on = promotions;
    op.depends_on.insert(op.depends_on.end(), switches.begin(), switches.end());
    retires.push_back(op.address.str());
  }
  if (const auto* topic = g.find("sns.topic.notify")) {
    auto& op = s.add("op.sns_notify", "failback", topic->region,
                     {{"topic", topic->attrs.value("name", "")},
                      {"subject", "drctl: " + topo.stack + " failed back to " + topo.primary_region},
                      {"message", "drctl failback of stack " + topo.stack + " to " + topo.primary_region +
                                      " is complete: primary-region replicas promoted, DNS pointing at " +
                                      topo.primary_region + ", DR writers retired. Next: drctl apply --reset-after-failover "
                                      "re-creates the DR replicas and returns DR capacity to standby."}},
                     *topic, "", kNotify);
    for (const auto* list : {&promotions, &switches, &retires}) op.depends_on.insert(op.depends_on.end(), list->begin(), list->end());
  }
}

}  // namespace

FailbackInputs failback_inputs(const std::vector<state::RunRecord>& runs,
                               const std::vector<state::ResourceRecord>& records) {
  FailbackInputs in;
  long long last_apply = 0;
  for (const auto& r : runs)
    if (r.kind == "apply") last_apply = std::max(last_apply, r.id);
  const state::RunRecord* first = nullptr;
  for (const auto& r : runs)
    if (r.kind == "failover" && r.id > last_apply && (!first || r.id < first->id)) first = &r;
  if (first) {
    std::string digits;  // "2024-05-01T12:00:00Z" -> "202405011200"
    for (char c : first->started_at)
      if (c >= '0' && c <= '9') digits += c;
    if (digits.size() >= 12) in.failover_stamp = digits.substr(0, 12);
  }
  for (const auto& r : records)
    if (!r.cloud_id.empty()) in.cloud_ids[r.address] = r.cloud_id;
  return in;
}

std::string retired_identifier(const std::string& identifier, const std::string& stamp) {
  const std::string suffix = "-pre-failback" + (stamp.empty() ? "" : "-" + stamp);
  std::string base = identifier.substr(0, identifier.size() + suffix.size() > 63 ? 63 - suffix.size() : identifier.size());
  while (!base.empty() && base.back() == '-') base.pop_back();
  return base + suffix;
}

Runbook failback_runbook(const model::Topology& topo, const model::Graph& g, FailbackPhase phase,
                         const TimingModel& timings, const FailbackInputs& inputs) {
  Steps s{timings, {}};
  s.rb.graph.stack = g.stack;
  if (phase == FailbackPhase::protect) protect(s, topo, g, inputs);
  else switch_back(s, topo, g, inputs);
  manual_steps(s, g, phase);
  std::sort(s.rb.graph.resources.begin(), s.rb.graph.resources.end(),
            [](const auto& x, const auto& y) { return x.address.str() < y.address.str(); });
  return s.rb;
}

}  // namespace dr
