// The three readiness views read the same data; JSON is the complete form
// (schemas/readiness.schema.json), text and Markdown show failed findings with their evidence
// first, then what passed, then the observed RPO table.
#include "report/readiness_view.h"

#include <fmt/format.h>

namespace report {

namespace {

using nlohmann::json;

constexpr dr::Grade kGrades[] = {dr::Grade::critical, dr::Grade::warning, dr::Grade::info};

std::string where_text(const std::optional<model::SourceRange>& w) {
  return w ? fmt::format("{}:{}:{}", w->file, w->line, w->column) : "";
}
json opt_seconds(const std::optional<model::Seconds>& s) { return s ? json(s->count()) : json(); }
std::string duration_text(const std::optional<model::Seconds>& s) {
  if (!s) return "-";
  if (s->count() >= 60) return model::format_duration(std::chrono::duration_cast<std::chrono::minutes>(*s));
  return model::format_duration(*s);
}
std::string within_text(const dr::RpoObservation& o) {
  if (!o.age) return "unknown";
  return o.within() ? "yes" : "NO";
}

struct Counts {
  int failed[3] = {0, 0, 0};
  int passed = 0;
};
Counts count(const dr::Readiness& r) {
  Counts c;
  for (const auto& w : r.workloads)
    for (const auto& f : w.findings) {
      if (f.passed) ++c.passed;
      else ++c.failed[static_cast<int>(f.grade)];
    }
  return c;
}

std::string verdict(bool ready) { return ready ? "READY" : "NOT READY"; }

std::string md_cell(std::string s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|') out += "\\|";
    else if (ch == '\n') out += "<br>";
    else out += ch;
  }
  return out;
}

}  // namespace

json readiness_json(const dr::Readiness& r) {
  json workloads = json::array();
  for (const auto& w : r.workloads) {
    json findings = json::array();
    for (const auto& f : w.findings)
      findings.push_back({{"check", f.check}, {"grade", dr::grade_name(f.grade)}, {"passed", f.passed},
                          {"summary", f.summary}, {"evidence", f.evidence}, {"address", f.address},
                          {"where", where_text(f.where)}});
    json rpo = json::array();
    for (const auto& o : w.observed_rpo)
      rpo.push_back({{"what", o.what}, {"age", o.age ? json(duration_text(o.age)) : json()},
                     {"age_seconds", opt_seconds(o.age)},
                     {"objective", o.objective ? json(model::format_duration(*o.objective)) : json()},
                     {"objective_seconds", opt_seconds(o.objective)}, {"within", o.within()},
                     {"source", o.source}});
    workloads.push_back({{"name", w.name}, {"kind", w.kind}, {"ready", w.ready()}, {"findings", findings},
                         {"observed_rpo", rpo}});
  }
  json diags = json::array();
  for (const auto& d : r.diagnostics)
    diags.push_back({{"severity", d.severity == model::Severity::error ? "error" : "warning"},
                     {"summary", d.summary}, {"detail", d.detail}, {"address", d.address}});
  const auto c = count(r);
  return {{"format_version", 1},
          {"stack", r.stack},
          {"checked_at", r.checked_at},
          {"ready", r.ready() && r.diagnostics.empty()},
          {"summary", {{"critical_failed", c.failed[0]}, {"warning_failed", c.failed[1]},
                       {"info_failed", c.failed[2]}, {"passed", c.passed}}},
          {"workloads", workloads},
          {"diagnostics", diags}};
}

std::string readiness_text(const dr::Readiness& r, const Style& style) {
  std::string out = fmt::format("Readiness of stack {} (read {})\n", style.bold(r.stack), r.checked_at);
  for (const auto& w : r.workloads) {
    const bool ready = w.ready();
    out += fmt::format("\n{} ({}): {}\n", style.bold(w.name), w.kind,
                       ready ? style.green(verdict(true)) : style.red(verdict(false)));
    for (auto g : kGrades) {
      std::string block;
      for (const auto& f : w.findings) {
        if (f.passed || f.grade != g) continue;
        const std::string mark = g == dr::Grade::critical ? style.red("✗") : g == dr::Grade::warning ? style.yellow("!") : style.dim("i");
        block += fmt::format("    {} {}{}\n", mark, f.summary, f.address.empty() ? "" : style.dim("  [" + f.address + "]"));
        if (!f.evidence.empty()) block += fmt::format("        evidence: {}\n", f.evidence);
        if (f.where) block += fmt::format("        config:   {}\n", where_text(f.where));
      }
      if (!block.empty()) out += fmt::format("  {}\n{}", dr::grade_name(g), block);
    }
    int passed = 0;
    for (const auto& f : w.findings) passed += f.passed ? 1 : 0;
    if (passed) {
      out += fmt::format("  passed ({})\n", passed);
      for (const auto& f : w.findings)
        if (f.passed) out += fmt::format("    {} {}\n", style.green("✓"), f.summary);
    }
    if (!w.observed_rpo.empty()) {
      out += "  observed RPO\n";
      out += fmt::format("    {:<40} {:>8} {:>10} {:>8}  {}\n", "what", "age", "objective", "within", "source");
      for (const auto& o : w.observed_rpo) {
        const std::string within = within_text(o);
        const std::string shown = within == "yes" ? style.green(within) : within == "NO" ? style.red(within) : style.yellow(within);
        out += fmt::format("    {:<40} {:>8} {:>10} {}{}  {}\n", o.what, duration_text(o.age),
                           o.objective ? model::format_duration(*o.objective) : "-",
                           std::string(within.size() < 8 ? 8 - within.size() : 0, ' '), shown, style.dim(o.source));
      }
    }
  }
  const auto c = count(r);
  out += fmt::format("\n{}: {} critical, {} warning, {} info finding(s) failed; {} passed\n",
                     r.ready() ? style.green("Stack " + verdict(true)) : style.red("Stack " + verdict(false)),
                     c.failed[0], c.failed[1], c.failed[2], c.passed);
  for (const auto& d : r.diagnostics)
    out += fmt::format("{}: {}{}{}\n", style.red("error"), d.summary, d.address.empty() ? "" : " [" + d.address + "]",
                       d.detail.empty() ? "" : ": " + d.detail);
  return out;
}

std::string readiness_markdown(const dr::Readiness& r) {
  const auto c = count(r);
  std::string out = fmt::format("# Readiness: {}\n\nRead {}. **{}**: {} critical, {} warning, {} info finding(s) failed; {} passed.\n",
                                r.stack, r.checked_at, verdict(r.ready()), c.failed[0], c.failed[1], c.failed[2], c.passed);
  for (const auto& w : r.workloads) {
    out += fmt::format("\n## {} ({}): {}\n", w.name, w.kind, verdict(w.ready()));
    for (auto g : kGrades) {
      std::string rows;
      for (const auto& f : w.findings)
        if (f.grade == g)
          rows += fmt::format("| {} | `{}` | {} | {} | {} |\n", f.passed ? "pass" : "**FAIL**", f.check, md_cell(f.summary),
                              md_cell(f.evidence), f.address.empty() ? "" : "`" + f.address + "`");
      if (!rows.empty())
        out += fmt::format("\n### {}\n\n| result | check | finding | evidence | address |\n|---|---|---|---|---|\n{}",
                           dr::grade_name(g), rows);
    }
    if (!w.observed_rpo.empty()) {
      out += "\n### Observed RPO\n\n| what | age | objective | within | source |\n|---|---|---|---|---|\n";
      for (const auto& o : w.observed_rpo)
        out += fmt::format("| {} | {} | {} | {} | {} |\n", md_cell(o.what), duration_text(o.age),
                           o.objective ? model::format_duration(*o.objective) : "-", within_text(o), md_cell(o.source));
    }
  }
  if (!r.diagnostics.empty()) {
    out += "\n## Reads that failed\n\n";
    for (const auto& d : r.diagnostics)
      out += fmt::format("- {}{}: {}\n", d.summary, d.address.empty() ? "" : " (`" + d.address + "`)", md_cell(d.detail));
  }
  return out;
}

}  // namespace report
