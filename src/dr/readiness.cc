// check_readiness: refresh + diff for existence and configuration, then the live probes of
// readiness_*.cc, then replication lag; findings gathered per workload.
#include "dr/readiness.h"

#include <fmt/format.h>

#include "apply/refresh.h"
#include "dr/lag.h"
#include "dr/readiness_internal.h"
#include "state/store.h"

namespace dr {

std::string grade_name(Grade g) {
  switch (g) {
    case Grade::critical: return "critical";
    case Grade::warning: return "warning";
    case Grade::info: return "info";
  }
  return "critical";
}

namespace readiness_detail {

const nlohmann::json* Probe::live(const std::string& address) const {
  auto it = observed.find(address);
  if (it == observed.end() || it->second.status != plan::Observed::Status::found) return nullptr;
  return &it->second.attrs;
}

const model::Workload* Probe::workload(const std::string& name) const {
  for (const auto& w : topology.workloads)
    if (w.name == name) return &w;
  return nullptr;
}

std::optional<model::Seconds> Probe::rpo_of(const std::string& name) const {
  if (const auto* w = workload(name)) return w->objectives.rpo;
  return topology.objectives.rpo;
}

void Sink::add(const std::string& workload, Finding f) {
  findings[workload.empty() ? kStackWorkload : workload].push_back(std::move(f));
}

void Sink::observe(const std::string& workload, RpoObservation o) {
  observations[workload.empty() ? kStackWorkload : workload].push_back(std::move(o));
}

void Sink::failed_read(const std::string& address, const aws::AwsError& e, const std::string& what) {
  model::Diagnostic d;
  d.summary = "readiness could not read " + what;
  d.detail = e.describe();
  d.address = address;
  diagnostics.push_back(std::move(d));
}

Finding finding(std::string check, Grade grade, bool passed, std::string summary, std::string evidence,
                std::string address, std::optional<model::SourceRange> where) {
  Finding f;
  f.check = std::move(check);
  f.grade = grade;
  f.passed = passed;
  f.summary = std::move(summary);
  f.evidence = std::move(evidence);
  f.address = std::move(address);
  f.where = std::move(where);
  return f;
}

std::optional<std::chrono::system_clock::time_point> parse_timestamp(const nlohmann::json& v) {
  using namespace std::chrono;
  if (v.is_number()) return system_clock::time_point(duration_cast<system_clock::duration>(duration<double>(v.get<double>())));
  if (!v.is_string()) return std::nullopt;
  // ISO-8601 UTC: 2024-05-01T12:00:00(.fff)(Z|+00:00)
  std::tm tm{};
  const std::string s = v.get<std::string>();
  if (!strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return std::nullopt;
  return system_clock::from_time_t(timegm(&tm));
}

std::string age_text(model::Seconds age) {
  if (age.count() < 0) return "0s";
  return model::format_duration(age.count() >= 60 ? std::chrono::duration_cast<std::chrono::minutes>(age) : age);
}

namespace {

// Replication lag as dr/lag.h reads it: one observation per replicated workload and a finding
// when the lag is known (over the RPO: critical) or unknown (info: nothing to compare).
void check_lag(const Probe& p, Sink& out) {
  for (const auto& r : read_replication_lag(p.aws, p.topology, p.graph, true)) {
    RpoObservation o;
    o.what = "replica lag";
    o.age = r.lag;
    o.objective = r.rpo;
    o.source = r.metric + " in " + r.region + (r.note.empty() ? "" : " (" + r.note + ")");
    out.observe(r.workload, o);
    const auto* res = p.graph.find(r.address);
    const auto where = res ? res->where : std::nullopt;
    if (!r.lag) {
      out.add(r.workload, finding("replication.lag", Grade::info, false, "replication lag unknown: " + r.note,
                                  o.source, r.address, where));
      continue;
    }
    const std::string lag = age_text(*r.lag);
    const std::string rpo = r.rpo ? model::format_duration(*r.rpo) : "none";
    out.add(r.workload, finding("replication.lag", Grade::critical, !r.exceeds(),
                                fmt::format("replication lag {} {} the RPO of {}", lag,
                                            r.exceeds() ? "exceeds" : "is within", rpo),
                                o.source, r.address, where));
  }
}

std::map<std::string, plan::Prior> prior_of_graph(const model::Graph& graph,
                                                  const std::map<std::string, plan::Prior>& prior) {
  std::map<std::string, plan::Prior> out;
  for (const auto& [address, p] : prior)
    if (graph.find(address)) out.emplace(address, p);
  return out;
}

}  // namespace
}  // namespace readiness_detail

Readiness check_readiness(resources::Context& ctx, const model::Topology& topology, const model::Graph& graph,
                          const TimingModel& timings, const ReadinessOptions& options) {
  using namespace readiness_detail;
  Readiness r;
  r.stack = topology.stack;
  r.checked_at = state::now_iso8601();

  // Refresh everything the stack expands to; readiness never plans destroys, so state records
  // of addresses the graph no longer has (and failover op.* records) are left out.
  apply::RefreshRequest req;
  req.desired = &graph;
  req.prior = prior_of_graph(graph, options.prior);
  req.parallelism = options.parallelism;
  auto observed = apply::refresh(ctx, req);

  plan::DiffInput in;
  in.desired = &graph;
  in.observed = observed;
  in.prior = req.prior;
  const auto plan = plan::diff(in);

  const Probe p{ctx.aws, topology, graph, observed, timings,
                options.now.value_or(std::chrono::system_clock::now())};
  Sink sink;
  check_config(p, plan, sink);
  check_s3_rules(p, sink);
  check_rds(p, sink);
  check_compute(p, sink);
  check_dns_and_alarms(p, sink);
  check_recovery_points(p, sink);
  check_lag(p, sink);

  auto take = [&](const std::string& name, const std::string& kind) {
    WorkloadReadiness w;
    w.name = name;
    w.kind = kind;
    if (auto it = sink.findings.find(name); it != sink.findings.end()) w.findings = std::move(it->second);
    if (auto it = sink.observations.find(name); it != sink.observations.end()) w.observed_rpo = std::move(it->second);
    r.workloads.push_back(std::move(w));
  };
  for (const auto& w : topology.workloads) take(w.name, w.kind);
  if (sink.findings.count(kStackWorkload) || sink.observations.count(kStackWorkload)) take(kStackWorkload, "stack");
  r.diagnostics = std::move(sink.diagnostics);
  return r;
}

}  // namespace dr
