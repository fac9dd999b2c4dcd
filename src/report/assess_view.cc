#include "report/assess_view.h"

#include <algorithm>

#include <fmt/format.h>

namespace report {

namespace {

using nlohmann::json;

json opt_seconds(const std::optional<model::Seconds>& s) { return s ? json(s->count()) : json(); }
std::string objective_text(const dr::ObjectiveCheck& c) {
  return c.objective ? model::format_duration(*c.objective) : "-";
}
std::string where_text(const std::optional<model::SourceRange>& w) {
  return w ? fmt::format("{}:{}:{}", w->file, w->line, w->column) : "";
}

std::string bound_name(dr::Bound b) {
  switch (b) {
    case dr::Bound::bounded: return "bounded";
    case dr::Bound::best_effort: return "best_effort";
    case dr::Bound::unbounded: return "unbounded";
    case dr::Bound::not_applicable: return "not_applicable";
  }
  return "?";
}

json check_json(const dr::ObjectiveCheck& c) {
  json steps = json::array();
  for (const auto& s : c.achievable.steps)
    steps.push_back({{"what", s.what}, {"duration", model::format_duration(s.duration)},
                     {"seconds", s.duration.count()}, {"timing", s.timing}, {"source", s.source}});
  json out = {{"objective", c.objective ? json(model::format_duration(*c.objective)) : json()},
              {"objective_seconds", opt_seconds(c.objective)},
              {"achievable", dr::bound_text(c.achievable)},
              {"achievable_seconds", opt_seconds(c.achievable.value)},
              {"bound", bound_name(c.achievable.bound)},
              {"verdict", dr::verdict_name(c.verdict)},
              {"declared_at", where_text(c.declared_at)},
              {"declared_field", c.declared_field},
              {"reasoning", c.achievable.reasoning},
              {"steps", steps},
              {"cause", where_text(c.achievable.cause)},
              {"cause_field", c.achievable.cause_field}};
  return out;
}

std::string verdict_styled(dr::Verdict v, const Style& style) {
  const std::string name = dr::verdict_name(v);
  switch (v) {
    case dr::Verdict::meets: return style.green(name);
    case dr::Verdict::misses: return style.red(name);
    case dr::Verdict::unverifiable: return style.yellow(name);
    default: return style.dim(name);
  }
}

// Pads by visible width (colour codes take no room).
std::string pad(const std::string& shown, size_t visible, size_t width) {
  return shown + std::string(width > visible ? width - visible : 0, ' ');
}

std::string steps_text(const dr::Achievable& a) {
  std::string out;
  for (const auto& s : a.steps)
    out += fmt::format("{}{} ({}, {})", out.empty() ? "" : "; ", s.what, model::format_duration(s.duration),
                       s.timing.empty() ? s.source : "timings." + s.timing);
  return out;
}

}  // namespace

json assess_json(const dr::Assessment& a) {
  json workloads = json::array();
  for (const auto& w : a.workloads)
    workloads.push_back({{"name", w.name}, {"kind", w.kind}, {"strategy", w.strategy},
                         {"rpo", check_json(w.rpo)}, {"rto", check_json(w.rto)}});
  json diags = json::array();
  for (const auto& d : a.diagnostics)
    diags.push_back({{"severity", d.severity == model::Severity::error ? "error" : "warning"},
                     {"summary", d.summary}, {"detail", d.detail}, {"field", d.field},
                     {"where", where_text(d.where)}});
  return {{"format_version", 1}, {"stack", a.stack}, {"strategy", a.strategy},
          {"meets_all", a.meets_all()}, {"workloads", workloads}, {"diagnostics", diags}};
}

std::string assess_text(const dr::Assessment& a, const Style& style) {
  std::string out = fmt::format("RTO/RPO assessment of stack {} ({})\n\n", style.bold(a.stack), a.strategy);
  const std::vector<std::string> head = {"WORKLOAD", "KIND", "RPO", "ACHIEVABLE", "VERDICT",
                                         "RTO", "ACHIEVABLE", "VERDICT"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& w : a.workloads)
    rows.push_back({w.name, w.kind, objective_text(w.rpo), dr::bound_text(w.rpo.achievable),
                    dr::verdict_name(w.rpo.verdict), objective_text(w.rto), dr::bound_text(w.rto.achievable),
                    dr::verdict_name(w.rto.verdict)});
  std::vector<size_t> width(head.size());
  for (size_t c = 0; c < head.size(); ++c) {
    width[c] = head[c].size();
    for (const auto& r : rows) width[c] = std::max(width[c], r[c].size());
  }
  for (size_t c = 0; c < head.size(); ++c)
    out += pad(style.bold(head[c]), head[c].size(), c + 1 == head.size() ? 0 : width[c] + 2);
  out += "\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& w = a.workloads[i];
    for (size_t c = 0; c < head.size(); ++c) {
      std::string shown = rows[i][c];
      if (c == 4) shown = verdict_styled(w.rpo.verdict, style);
      if (c == 7) shown = verdict_styled(w.rto.verdict, style);
      out += pad(shown, rows[i][c].size(), c + 1 == head.size() ? 0 : width[c] + 2);
    }
    out += "\n";
  }
  for (const auto& w : a.workloads) {
    out += fmt::format("\n{} ({})\n", style.bold(w.name), w.kind);
    for (const auto& r : w.rpo.achievable.reasoning) out += "  RPO: " + r + "\n";
    if (!w.rto.achievable.steps.empty()) out += "  RTO: " + steps_text(w.rto.achievable) + "\n";
    for (const auto& r : w.rto.achievable.reasoning) out += "  RTO: " + r + "\n";
  }
  size_t errors = 0;
  for (const auto& d : a.diagnostics) errors += d.severity == model::Severity::error;
  out += errors ? fmt::format("\n{} objective{} cannot be met.\n", errors, errors == 1 ? "" : "s")
                : "\nEvery declared objective can be met.\n";
  return out;
}

std::string assess_markdown(const dr::Assessment& a) {
  std::string out = fmt::format("## RTO/RPO assessment: `{}` ({})\n\n", a.stack, a.strategy);
  out += "| Workload | Kind | RPO objective | RPO achievable | RPO verdict | RTO objective | RTO achievable | RTO verdict |\n";
  out += "|---|---|---|---|---|---|---|---|\n";
  auto mark = [](dr::Verdict v) {
    const std::string n = dr::verdict_name(v);
    return v == dr::Verdict::misses ? "**" + n + "**" : n;
  };
  for (const auto& w : a.workloads)
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} | {} |\n", w.name, w.kind, objective_text(w.rpo),
                       dr::bound_text(w.rpo.achievable), mark(w.rpo.verdict), objective_text(w.rto),
                       dr::bound_text(w.rto.achievable), mark(w.rto.verdict));
  out += "\n### Reasoning\n\n";
  for (const auto& w : a.workloads) {
    out += fmt::format("- **{}**\n", w.name);
    for (const auto& r : w.rpo.achievable.reasoning) out += "  - RPO: " + r + "\n";
    if (!w.rto.achievable.steps.empty()) out += "  - RTO: " + steps_text(w.rto.achievable) + "\n";
    for (const auto& r : w.rto.achievable.reasoning) out += "  - RTO: " + r + "\n";
  }
  if (!a.diagnostics.empty()) {
    out += "\n### Problems\n\n";
    for (const auto& d : a.diagnostics) out += "- `" + model::format_diagnostic(d).substr(0, model::format_diagnostic(d).find('\n')) + "`\n";
  }
  return out;
}

}  // namespace report
