#include "report/audit_view.h"

#include <fmt/format.h>

#include "report/drill_view.h"

namespace report {
namespace {

using nlohmann::json;

std::string opt_duration(const std::optional<model::Seconds>& d) {
  return d ? model::format_duration(*d) : std::string("-");
}

json seconds_or_null(const std::optional<model::Seconds>& d) { return d ? json(d->count()) : json(nullptr); }

std::string revision_text(const dr::Revision& r) {
  if (r.commit.empty()) return "not in a git repository; config sha256 " + r.config_hash.substr(0, 12);
  return "git " + r.commit.substr(0, 12) + (r.dirty ? " with uncommitted changes" : "") + "; config sha256 " +
         r.config_hash.substr(0, 12);
}

std::string readiness_text(const dr::WorkloadAudit& w) {
  if (!w.readiness) return "not checked";
  if (w.readiness->ready()) return "ready";
  int critical = 0;
  for (const auto& f : w.readiness->findings) critical += !f.passed && f.grade == dr::Grade::critical;
  return fmt::format("NOT READY ({} critical)", critical);
}

std::string observed_text(const dr::WorkloadAudit& w) {
  if (!w.readiness || w.readiness->observed_rpo.empty()) return "-";
  std::string out;
  for (const auto& o : w.readiness->observed_rpo)
    out += fmt::format("{}{}: {}{}", out.empty() ? "" : "; ", o.what, opt_duration(o.age),
                       o.age && !o.within() ? " (over RPO)" : "");
  return out;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string mark(bool ok) { return ok ? "compliant" : "NOT COMPLIANT"; }

}  // namespace

json audit_json(const dr::AuditPack& p) {
  json workloads = json::array();
  for (const auto& w : p.workloads) {
    json controls = json::array();
    for (const auto& c : w.controls)
      controls.push_back({{"name", c.name}, {"value", c.value}, {"requirement", c.requirement}, {"compliant", c.compliant}});
    json observed = json::array();
    if (w.readiness)
      for (const auto& o : w.readiness->observed_rpo)
        observed.push_back({{"what", o.what}, {"age_seconds", seconds_or_null(o.age)},
                            {"objective_seconds", seconds_or_null(o.objective)}, {"within", o.within()},
                            {"source", o.source}});
    json j = {{"name", w.name}, {"kind", w.kind}, {"strategy", w.strategy}, {"compliant", w.compliant()},
              {"readiness", w.readiness ? json(w.readiness->ready() ? "ready" : "not ready") : json("not checked")},
              {"observed_rpo", observed}, {"controls", controls}};
    if (w.assessment) {
      const auto& a = *w.assessment;
      j["rpo"] = {{"objective_seconds", seconds_or_null(a.rpo.objective)},
                  {"achievable", dr::bound_text(a.rpo.achievable)}, {"verdict", dr::verdict_name(a.rpo.verdict)}};
      j["rto"] = {{"objective_seconds", seconds_or_null(a.rto.objective)},
                  {"achievable", dr::bound_text(a.rto.achievable)}, {"verdict", dr::verdict_name(a.rto.verdict)}};
    }
    workloads.push_back(std::move(j));
  }
  return {{"format_version", 1},
          {"stack", p.stack},
          {"strategy", p.strategy},
          {"regions", {{"primary", p.primary_region}, {"dr", p.dr_region}}},
          {"generated_at", p.generated_at},
          {"revision", {{"commit", p.revision.commit.empty() ? json(nullptr) : json(p.revision.commit)},
                        {"dirty", p.revision.dirty}, {"config_hash", p.revision.config_hash}}},
          {"readiness_checked", p.readiness != nullptr},
          {"ready", p.readiness ? json(p.readiness->ready()) : json(nullptr)},
          {"last_drill", p.last_drill ? dr::drill_json(*p.last_drill) : json(nullptr)},
          {"compliant", p.compliant()},
          {"workloads", workloads}};
}

std::string audit_markdown(const dr::AuditPack& p) {
  std::string out = fmt::format("# DR audit pack: `{}`\n\n", p.stack);
  out += fmt::format("- Strategy: {} ({} → {})\n", p.strategy, p.primary_region, p.dr_region);
  out += fmt::format("- Configuration: {}\n", revision_text(p.revision));
  out += fmt::format("- Generated: {}\n", p.generated_at);
  out += fmt::format("- Readiness: {}\n", !p.readiness ? "not checked" : p.readiness->ready() ? "ready" : "**NOT READY**");
  out += fmt::format("- Drill: {}\n", last_drill_line(p.last_drill, p.generated_at));
  out += fmt::format("- Overall: **{}**\n\n", mark(p.compliant()));
  out += "| Workload | Kind | Strategy | RPO objective / achievable | RTO objective / achievable | Readiness | Observed RPO | Verdict |\n";
  out += "|---|---|---|---|---|---|---|---|\n";
  for (const auto& w : p.workloads) {
    std::string rpo = "-", rto = "-";
    if (w.assessment) {
      rpo = opt_duration(w.assessment->rpo.objective) + " / " + dr::bound_text(w.assessment->rpo.achievable);
      rto = opt_duration(w.assessment->rto.objective) + " / " + dr::bound_text(w.assessment->rto.achievable);
    }
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} | {} |\n", w.name, w.kind, w.strategy, rpo, rto,
                       readiness_text(w), observed_text(w), w.compliant() ? "compliant" : "**not compliant**");
  }
  out += "\n## Backup controls\n\n| Workload | Control | Value | Requirement | Status |\n|---|---|---|---|---|\n";
  for (const auto& w : p.workloads)
    for (const auto& c : w.controls)
      out += fmt::format("| `{}` | {} | {} | {} | {} |\n", w.name, c.name, c.value, c.requirement,
                         c.compliant ? "compliant" : "**not compliant**");
  return out;
}

std::string audit_html(const dr::AuditPack& p) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>DR audit pack: " + escape(p.stack) +
      "</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
      "margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}"
      ".ok{color:#176f2c;font-weight:600}.bad{color:#b00020;font-weight:600}code{background:#f6f6f6}</style></head>\n<body>\n";
  auto cls = [](bool ok) { return std::string(ok ? "ok" : "bad"); };
  out += "<h1>DR audit pack: <code>" + escape(p.stack) + "</code></h1>\n<ul>\n";
  out += "<li>Strategy: " + escape(p.strategy) + " (" + escape(p.primary_region) + " &rarr; " + escape(p.dr_region) + ")</li>\n";
  out += "<li>Configuration: " + escape(revision_text(p.revision)) + "</li>\n";
  out += "<li>Generated: " + escape(p.generated_at) + "</li>\n";
  out += "<li>Readiness: " + std::string(!p.readiness ? "not checked" : p.readiness->ready() ? "<span class=\"ok\">ready</span>" : "<span class=\"bad\">NOT READY</span>") + "</li>\n";
  out += "<li>Drill: " + escape(last_drill_line(p.last_drill, p.generated_at)) + "</li>\n";
  out += "<li>Overall: <span class=\"" + cls(p.compliant()) + "\">" + mark(p.compliant()) + "</span></li>\n</ul>\n";
  out += "<h2>Workloads</h2>\n<table><tr><th>Workload</th><th>Kind</th><th>Strategy</th><th>RPO objective / achievable</th>"
         "<th>RTO objective / achievable</th><th>Readiness</th><th>Observed RPO</th><th>Verdict</th></tr>\n";
  for (const auto& w : p.workloads) {
    std::string rpo = "-", rto = "-";
    if (w.assessment) {
      rpo = opt_duration(w.assessment->rpo.objective) + " / " + dr::bound_text(w.assessment->rpo.achievable);
      rto = opt_duration(w.assessment->rto.objective) + " / " + dr::bound_text(w.assessment->rto.achievable);
    }
    out += "<tr><td><code>" + escape(w.name) + "</code></td><td>" + escape(w.kind) + "</td><td>" + escape(w.strategy) +
           "</td><td>" + escape(rpo) + "</td><td>" + escape(rto) + "</td><td>" + escape(readiness_text(w)) + "</td><td>" +
           escape(observed_text(w)) + "</td><td class=\"" + cls(w.compliant()) + "\">" +
           (w.compliant() ? "compliant" : "not compliant") + "</td></tr>\n";
  }
  out += "</table>\n<h2>Backup controls</h2>\n<table><tr><th>Workload</th><th>Control</th><th>Value</th><th>Requirement</th><th>Status</th></tr>\n";
  for (const auto& w : p.workloads)
    for (const auto& c : w.controls)
      out += "<tr><td><code>" + escape(w.name) + "</code></td><td>" + escape(c.name) + "</td><td>" + escape(c.value) +
             "</td><td>" + escape(c.requirement) + "</td><td class=\"" + cls(c.compliant) + "\">" +
             (c.compliant ? "compliant" : "not compliant") + "</td></tr>\n";
  out += "</table>\n</body></html>\n";
  return out;
}

}  // namespace report
