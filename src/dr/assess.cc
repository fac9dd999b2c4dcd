// assess(): both halves per workload, verdicts against the declared objectives, diagnostics.
#include "dr/assess.h"

#include <fmt/format.h>

#include "dr/assess_internal.h"

namespace dr {

namespace detail {

const nlohmann::json* attrs_of(const model::Graph& g, const std::string& address) {
  const model::Resource* r = g.find(address);
  return r ? &r->attrs : nullptr;
}

Step timing_step(const TimingModel& timings, const std::string& timing, std::string what) {
  const Timing t = timings.get(timing);
  return Step{std::move(what), t.value, timing, t.source};
}

std::string workload_field(const model::Workload& w, const std::string& field) {
  return "workloads." + w.name + "." + field;
}

std::optional<model::SourceRange> workload_where(const model::Topology& t, const model::Workload& w,
                                                 const std::string& field) {
  return t.where(w.pointer + "/" + field);
}

bool backups_reach_dr(const model::Topology& t) {
  return t.backups.is_object() && t.backups.value("copy_to_dr", true);
}

}  // namespace detail

namespace {

// Where an objective was declared: the workload's own, else the stack default it inherits.
void declared(const model::Topology& t, const model::Workload& w, const std::string& which, ObjectiveCheck& c) {
  const std::string own = w.pointer + "/objectives/" + which;
  if (t.positions.count(own)) {
    c.declared_at = t.positions.at(own);
    c.declared_field = "workloads." + w.name + ".objectives." + which;
  } else {
    c.declared_at = t.where("/objectives/" + which);
    c.declared_field = "objectives." + which;
  }
}

Verdict verdict_of(const ObjectiveCheck& c) {
  const Achievable& a = c.achievable;
  if (a.bound == Bound::not_applicable) return Verdict::not_applicable;
  if (!c.objective) return Verdict::no_objective;
  if (a.bound == Bound::unbounded) return Verdict::misses;
  if (a.value && *a.value <= *c.objective) return Verdict::meets;
  return a.bound == Bound::bounded ? Verdict::misses : Verdict::unverifiable;
}

void diagnose(const WorkloadAssessment& w, const std::string& which, const ObjectiveCheck& c,
              model::Diagnostics& out) {
  if (c.verdict != Verdict::misses && c.verdict != Verdict::unverifiable) return;
  model::Diagnostic d;
  d.severity = c.verdict == Verdict::misses ? model::Severity::error : model::Severity::warning;
  d.summary = fmt::format("workload '{}' {} its {} of {}: achievable {}", w.name,
                          c.verdict == Verdict::misses ? "cannot meet" : "cannot be shown to meet", which,
                          model::format_duration(*c.objective), bound_text(c.achievable));
  for (const auto& r : c.achievable.reasoning) d.detail += (d.detail.empty() ? "" : "\n  ") + r;
  if (c.achievable.cause) {
    const auto& p = *c.achievable.cause;
    d.detail += fmt::format("\n  cause: {}:{}:{}: {}", p.file, p.line, p.column, c.achievable.cause_field);
  }
  d.where = c.declared_at;
  d.field = c.declared_field;
  out.push_back(std::move(d));
}

}  // namespace

std::string verdict_name(Verdict v) {
  switch (v) {
    case Verdict::meets: return "meets";
    case Verdict::misses: return "misses";
    case Verdict::unverifiable: return "unverifiable";
    case Verdict::no_objective: return "no objective";
    case Verdict::not_applicable: return "n/a";
  }
  return "?";
}

std::string bound_text(const Achievable& a) {
  switch (a.bound) {
    case Bound::bounded: return model::format_duration(*a.value);
    case Bound::best_effort: return a.value ? "no bound (worst case " + model::format_duration(*a.value) + ")" : "no bound";
    case Bound::unbounded: return "unbounded";
    case Bound::not_applicable: return "n/a";
  }
  return "?";
}

Assessment assess(const model::Topology& t, const model::Graph& g, const TimingModel& timings) {
  Assessment out;
  out.stack = t.stack;
  out.strategy = t.strategy;
  const auto detection = detection_of(t, g, timings);
  for (const auto& w : t.workloads) {
    WorkloadAssessment a;
    a.name = w.name;
    a.kind = w.kind;
    a.strategy = t.strategy;
    a.rpo.objective = w.objectives.rpo;
    a.rpo.achievable = achievable_rpo(t, w, g, timings);
    declared(t, w, "rpo", a.rpo);
    a.rpo.verdict = verdict_of(a.rpo);
    a.rto.objective = w.objectives.rto;
    a.rto.achievable = achievable_rto(t, w, g, timings, &detection);
    declared(t, w, "rto", a.rto);
    a.rto.verdict = verdict_of(a.rto);
    diagnose(a, "RPO", a.rpo, out.diagnostics);
    diagnose(a, "RTO", a.rto, out.diagnostics);
    out.workloads.push_back(std::move(a));
  }
  return out;
}

}  // namespace dr
