#include "report/text.h"

#include <fmt/format.h>

#include "model/resource.h"

namespace report {
namespace {

std::string symbol(plan::Action a, const Style& s) {
  switch (a) {
    case plan::Action::create: return s.green("+");
    case plan::Action::update: return s.yellow("~");
    case plan::Action::replace: return s.red("-/+");
    case plan::Action::destroy: return s.red("-");
    case plan::Action::import_: return s.green("<=");
    case plan::Action::noop: return " ";
  }
  return "?";
}

// "+ step ...", "- step ...", "~ step ...": coloured by their sign, like the change symbols.
std::string runbook_line(const std::string& line, const Style& s) {
  switch (line.empty() ? ' ' : line[0]) {
    case '+': return s.green(line);
    case '-': return s.red(line);
    case '~': return s.yellow(line);
    default: return line;
  }
}

}  // namespace

std::string value_text(const nlohmann::json& v) {
  if (!model::find_references(v).empty() && v.is_string() && v.get<std::string>().rfind("@{", 0) == 0)
    return "(known after apply)";
  if (v.is_null()) return "(none)";
  std::string s = v.dump();
  if (s.size() > 160) s = s.substr(0, 157) + "...";
  return s;
}

std::string plan_text(const plan::Plan& p, const Style& style) {
  std::string out = fmt::format("drctl plan for stack {}{}\n", style.bold(p.stack),
                                p.refreshed ? "" : " (not refreshed: state's last read stands in for AWS)");
  for (const auto& c : p.changes) {
    if (c.action == plan::Action::noop) continue;
    out += fmt::format("\n  {} {} {} ({})\n      {}\n", symbol(c.action, style),
                       style.bold(c.address), plan::action_name(c.action), c.region, c.reason);
    if (c.action == plan::Action::create) {
      for (auto it = c.after.begin(); it != c.after.end(); ++it)
        out += fmt::format("      {:<22} {}\n", it.key(), value_text(it.value()));
    } else {
      for (const auto& a : c.attrs)
        out += fmt::format("      {:<22} {} -> {}{}\n", a.path, value_text(a.before),
                           a.after_unknown ? "(known after apply)" : value_text(a.after),
                           a.forces_replace ? style.red("  # forces replacement") : "");
    }
    if (!c.runbook.empty()) {
      out += "      runbook:\n";
      for (const auto& line : c.runbook) out += "        " + runbook_line(line, style) + "\n";
    }
    if (c.data_bearing && (c.action == plan::Action::destroy || c.action == plan::Action::replace))
      out += "      " + style.red("!! this deletes the data " + c.address + " holds") + "\n";
  }
  const auto s = p.summary();
  if (!s.any()) {
    out += fmt::format("\nNo changes. {} resource{} up to date.\n", s.noop, s.noop == 1 ? " is" : "s are");
  } else {
    out += fmt::format("\nPlan: {} to import, {} to create, {} to update, {} to replace, {} to destroy, {} unchanged.\n",
                       s.import, s.create, s.update, s.replace, s.destroy, s.noop);
  }
  return out;
}

std::string drift_text(const plan::DriftReport& r, const Style& style) {
  std::string out;
  if (!r.drifted() && !r.unreadable()) {
    out = fmt::format("No drift in stack {}: {} resource{} match what drctl applied.\n", r.stack,
                      r.checked, r.checked == 1 ? "" : "s");
  } else {
    out = fmt::format("Drift in stack {}: {} of {} resources differ from what drctl applied.\n",
                      style.bold(r.stack), r.entries.size(), r.checked);
    for (const auto& e : r.entries) {
      const char* mark = e.kind == plan::DriftEntry::Kind::deleted ? "-" : "~";
      out += fmt::format("\n  {} {} ({}) {}\n", e.kind == plan::DriftEntry::Kind::unreadable ? "?" : mark,
                         style.bold(e.address), e.region, plan::drift_kind_name(e.kind));
      if (!e.detail.empty()) out += "      " + e.detail + "\n";
      for (const auto& a : e.attrs)
        out += fmt::format("      {:<22} expected {}, found {}\n", a.path, value_text(a.expected),
                           value_text(a.actual));
    }
    if (r.drifted()) out += "\nRun `drctl apply` on the stack to restore what drifted.\n";
  }
  if (!r.not_applied.empty())
    out += fmt::format("{} resource{} in the configuration not applied yet (not drift).\n",
                       r.not_applied.size(), r.not_applied.size() == 1 ? " is" : "s are");
  return out;
}

std::string diagnostics_text(const model::Diagnostics& diags, const Style& style) {
  std::string out;
  for (const auto& d : diags) {
    std::string line = model::format_diagnostic(d);
    out += (d.severity == model::Severity::error ? style.red(line) : style.yellow(line)) + "\n";
  }
  return out;
}

}  // namespace report
