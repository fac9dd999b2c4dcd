#include "report/drill_view.h"

#include <cmath>

#include <fmt/format.h>

namespace report {
namespace {

std::string secs(double s) {
  if (s < 10) return fmt::format("{:.1f}s", s);
  return model::format_duration(model::Seconds{static_cast<long long>(std::llround(s))});
}

std::string achieved_text(const dr::DrillRecord& r) {
  const auto a = r.achieved_rto();
  return a ? model::format_duration(*a) : std::string("not achieved");
}

std::string objective_text(const dr::DrillRecord& r) {
  return r.rto_objective ? model::format_duration(*r.rto_objective) : std::string("none declared");
}

std::string verdict(const dr::DrillRecord& r) {
  if (!r.achieved_rto()) return "failed";
  return r.meets_rto() ? "meets" : "misses";
}

}  // namespace

std::string drill_text(const dr::DrillRecord& r, const Style& style) {
  std::string out = fmt::format("Drill of stack {} ({} -> {}), {} to {}\n\n", r.stack, r.from_region, r.to_region,
                                r.started_at, r.finished_at);
  for (const auto& p : r.phases) {
    out += fmt::format("  {:<18} {:>8}  {}{}\n", p.name, secs(p.seconds), p.ok ? style.green("ok") : style.red("FAILED"),
                       p.note.empty() ? "" : "  " + p.note);
    for (const auto& s : p.steps)
      out += fmt::format("      {:<40} {:>8}  {}\n", s.address, secs(s.seconds), s.outcome);
  }
  const auto v = verdict(r);
  const auto colored = v == "meets" ? style.green(v) : style.red(v);
  out += fmt::format("\nAchieved RTO: {} = detection {} ({}, modelled) + measured failover {}; objective {} ({}): {}\n",
                     achieved_text(r), model::format_duration(r.detection), r.detection_source,
                     r.phase("failover") ? secs(r.phase("failover")->seconds) : "-", objective_text(r),
                     r.rto_objective_of.empty() ? "-" : r.rto_objective_of, colored);
  return out;
}

std::string drill_markdown(const dr::DrillRecord& r) {
  std::string out = fmt::format("## DR drill: `{}` ({} → {})\n\n", r.stack, r.from_region, r.to_region);
  out += fmt::format("- Started {}, finished {}\n", r.started_at, r.finished_at);
  out += fmt::format("- **Achieved RTO: {}** (detection {} modelled: {}; failover measured {})\n", achieved_text(r),
                     model::format_duration(r.detection), r.detection_source,
                     r.phase("failover") ? secs(r.phase("failover")->seconds) : "-");
  out += fmt::format("- Objective: {} ({}) — **{}**\n\n", objective_text(r),
                     r.rto_objective_of.empty() ? "-" : "`" + r.rto_objective_of + "`", verdict(r));
  out += "| Phase | Step | Duration | Outcome |\n|---|---|---|---|\n";
  for (const auto& p : r.phases) {
    out += fmt::format("| {} | | {} | {}{} |\n", p.name, secs(p.seconds), p.ok ? "ok" : "**failed**",
                       p.note.empty() ? "" : ": " + p.note);
    for (const auto& s : p.steps) out += fmt::format("| | `{}` | {} | {} |\n", s.address, secs(s.seconds), s.outcome);
  }
  return out;
}

std::string last_drill_line(const std::optional<dr::DrillRecord>& r, const std::string& now_iso) {
  if (!r) return "no drill on record (run `drctl drill DIR`)";
  return fmt::format("last drill {}: {} vs RTO {} ({})", dr::age_text(r->started_at, now_iso), achieved_text(*r),
                     objective_text(*r), verdict(*r));
}

}  // namespace report
