#include "report/plan_markdown.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "model/resource.h"
#include "report/assess_view.h"

namespace report {
namespace {

using nlohmann::json;

constexpr size_t kMaxDiagramNodes = 50;
constexpr size_t kMaxChecksWhenCut = 30;

// How far the comment had to shrink to fit.
enum class Level { full, no_details, summary_tables, summary_diagram, no_diagram };

// A table cell: pipes escaped, one line.
std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

// Inline code that survives backticks in the text (CommonMark: a longer fence, padded).
std::string code(const std::string& s) {
  const std::string fence = s.find('`') == std::string::npos ? "`" : "``";
  const bool pad = !s.empty() && (s.front() == '`' || s.back() == '`');
  return fence + (pad ? " " : "") + s + (pad ? " " : "") + fence;
}

std::string html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

const char* symbol(plan::Action a) {
  switch (a) {
    case plan::Action::create: return "➕";
    case plan::Action::update: return "🔄";
    case plan::Action::replace: return "♻️";
    case plan::Action::destroy: return "🗑️";
    case plan::Action::import_: return "📥";
    case plan::Action::noop: return "";
  }
  return "";
}

std::string summary_line(const plan::Summary& s) {
  return fmt::format("**Plan:** {} to add, {} to change, {} to replace, {} to destroy, {} to import ({} unchanged).",
                     s.create, s.update, s.replace, s.destroy, s.import, s.noop);
}

std::string workload_name(const std::string& w) { return w.empty() ? "(stack)" : w; }

// Changes by workload, in first-seen order of the plan (which is sorted by address).
std::vector<std::pair<std::string, std::vector<const plan::Change*>>> by_workload(const plan::Plan& p) {
  std::vector<std::pair<std::string, std::vector<const plan::Change*>>> out;
  std::map<std::string, size_t> index;
  for (const auto& c : p.changes) {
    auto [it, added] = index.try_emplace(c.workload, out.size());
    if (added) out.push_back({c.workload, {}});
    out[it->second].second.push_back(&c);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.first.empty() != b.first.empty() ? !a.first.empty() : a.first < b.first;
  });
  return out;
}

// One value in a diff line: references read "(known after apply)"; long values are cut so one
// attribute cannot eat the comment.
std::string diff_value(const json& v) {
  if (v.is_string() && v.get<std::string>().rfind("@{", 0) == 0 && !model::find_references(v).empty())
    return "(known after apply)";
  std::string s = v.is_null() ? "(none)" : v.dump();
  if (s.size() > 400) s = s.substr(0, 397) + "...";
  return s;
}

// "+ rules[0].rtc = true" lines, one per leaf, so a reviewer sees each setting.
void leaf_lines(const std::string& path, const json& v, char sign, std::string& out) {
  if (v.is_object() && !v.empty()) {
    for (auto it = v.begin(); it != v.end(); ++it) leaf_lines(path.empty() ? it.key() : path + "." + it.key(), it.value(), sign, out);
  } else if (v.is_array() && !v.empty()) {
    for (size_t i = 0; i < v.size(); ++i) leaf_lines(fmt::format("{}[{}]", path, i), v[i], sign, out);
  } else {
    out += fmt::format("{} {} = {}\n", sign, path, diff_value(v));
  }
}

// The attribute diff of one change, as a diff block inside <details>.
std::string change_diff(const plan::Change& c) {
  std::string body;
  if (c.action == plan::Action::create || (c.action == plan::Action::import_ && c.attrs.empty())) {
    if (c.after.is_object()) leaf_lines("", c.after, '+', body);
  } else if (c.action == plan::Action::destroy) {
    if (c.before.is_object()) leaf_lines("", c.before, '-', body);
  } else {
    for (const auto& a : c.attrs) {
      if (!a.before.is_null()) body += fmt::format("- {} = {}\n", a.path, diff_value(a.before));
      if (!a.after.is_null() || a.after_unknown)
        body += fmt::format("+ {} = {}{}\n", a.path, a.after_unknown ? "(known after apply)" : diff_value(a.after),
                            a.forces_replace ? "   # forces replacement" : "");
    }
  }
  if (body.empty()) return "";
  return fmt::format("<details><summary><code>{}</code> ({})</summary>\n\n````diff\n{}````\n\n</details>\n",
                     html(c.address), plan::action_name(c.action), body);
}

// A state machine's change as runbook steps (plan/runbook_diff.h), shown open: it is what a
// reviewer of unattended failover reads, where the ASL diff is not.
std::string runbook_block(const plan::Change& c) {
  std::string body;
  for (const auto& line : c.runbook) body += line + "\n";
  return fmt::format("**Runbook {} by {}** ({}):\n\n````diff\n{}````\n\n",
                     c.action == plan::Action::create ? "deployed" : "changed", code(c.address),
                     plan::action_name(c.action), body);
}

std::string workload_tables(const plan::Plan& p, bool details, bool runbooks) {
  std::string out = "### Changes by workload\n\n";
  bool any = false;
  for (const auto& [workload, changes] : by_workload(p)) {
    int unchanged = 0;
    std::string rows, diffs, steps;
    for (const auto* c : changes) {
      if (c->action == plan::Action::noop) {
        ++unchanged;
        continue;
      }
      rows += fmt::format("| {} | {} | {} | {} | {} |\n", symbol(c->action), code(c->address),
                          plan::action_name(c->action), cell(c->region), cell(c->reason));
      if (runbooks && !c->runbook.empty()) steps += runbook_block(*c);
      if (details) diffs += change_diff(*c);
    }
    if (rows.empty()) continue;
    any = true;
    out += fmt::format("#### {}\n\n| | Resource | Action | Region | Why |\n|---|---|---|---|---|\n{}", code(workload_name(workload)), rows);
    if (unchanged) out += fmt::format("\n_{} more resource{} unchanged._\n", unchanged, unchanged == 1 ? "" : "s");
    out += "\n" + steps + diffs + (diffs.empty() ? "" : "\n");
  }
  if (!any) out += "No resource changes.\n\n";
  return out;
}

std::string summary_table(const plan::Plan& p) {
  std::string out = "### Changes by workload (summary)\n\n| Workload | Add | Change | Replace | Destroy | Import | Unchanged |\n|---|---|---|---|---|---|---|\n";
  for (const auto& [workload, changes] : by_workload(p)) {
    plan::Summary s;
    for (const auto* c : changes) {
      switch (c->action) {
        case plan::Action::create: ++s.create; break;
        case plan::Action::update: ++s.update; break;
        case plan::Action::replace: ++s.replace; break;
        case plan::Action::destroy: ++s.destroy; break;
        case plan::Action::import_: ++s.import; break;
        case plan::Action::noop: ++s.noop; break;
      }
    }
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", code(workload_name(workload)), s.create, s.update,
                       s.replace, s.destroy, s.import, s.noop);
  }
  return out + "\n";
}

std::string cautions(const plan::Plan& p) {
  std::string out;
  for (const auto& c : p.changes)
    if (c.data_bearing && (c.action == plan::Action::destroy || c.action == plan::Action::replace))
      out += fmt::format("> [!CAUTION]\n> {} holds data: this plan {}s it, and the data is lost.\n\n", code(c.address),
                         plan::action_name(c.action));
  return out;
}

const json* find_workload(const json& assessment, const std::string& name) {
  if (!assessment.contains("workloads") || !assessment["workloads"].is_array()) return nullptr;
  for (const auto& w : assessment["workloads"])
    if (w.is_object() && w.value("name", "") == name) return &w;
  return nullptr;
}

std::string verdict_mark(const json& check) {
  const std::string v = check.value("verdict", "");
  if (v == "misses") return " ❌";
  if (v == "unverifiable") return " ⚠️";
  if (v == "meets") return " ✅";
  return "";
}

// A check's achievable value from an assessment JSON that may come from an older drctl.
std::string achievable_of(const json& workload, const std::string& key) {
  if (!workload.is_object() || !workload.contains(key) || !workload[key].is_object()) return "?";
  return workload[key].value("achievable", "?");
}

// "1h30m → **15m** ✅": bold when it moved; "first apply" / "new" when there is no before.
std::string before_after(const json* was, const json& now_workload, const std::string& key, bool first_apply) {
  const std::string now = achievable_of(now_workload, key);
  const std::string mark = verdict_mark(now_workload[key]);
  if (!was) return fmt::format("{} → {}{}", first_apply ? "first apply" : "new", now, mark);
  const std::string before = achievable_of(*was, key);
  if (before == now) return fmt::format("{} (unchanged){}", now, mark);
  return fmt::format("{} → **{}**{}", before, now, mark);
}

std::string objective(const json& check) {
  return check.contains("objective") && check["objective"].is_string() ? check["objective"].get<std::string>() : "-";
}

// "#### Checks: N failing, N warnings" and one line per check, at its file:line.
std::string checks_section(const model::Diagnostics& checks, bool cut) {
  if (checks.empty()) return "All checks pass.\n\n";
  size_t errors = 0;
  for (const auto& d : checks) errors += d.severity == model::Severity::error;
  std::string out = fmt::format("#### Checks: {} failing, {} warning{}\n\n", errors, checks.size() - errors,
                                checks.size() - errors == 1 ? "" : "s");
  size_t shown = 0;
  for (const auto& d : checks) {
    if (cut && shown == kMaxChecksWhenCut) {
      out += fmt::format("- … and {} more (see the SARIF or text output)\n", checks.size() - shown);
      break;
    }
    ++shown;
    std::string where;
    if (d.where && !d.where->file.empty())
      where = code(d.where->line > 0 ? fmt::format("{}:{}", d.where->file, d.where->line) : d.where->file) + " ";
    out += fmt::format("- {} {}{}{}{}\n", d.severity == model::Severity::error ? "❌" : "⚠️", where,
                       d.field.empty() ? "" : code(d.field) + ": ", cell(d.summary),
                       d.address.empty() ? "" : " (" + code(d.address) + ")");
  }
  return out + "\n";
}

std::string dr_impact(const PlanMarkdownInput& in, const model::Diagnostics& checks, bool cut_checks) {
  const json after = assess_json(*in.after);
  const json empty = json::object();
  const json& before = in.before ? *in.before : empty;
  const bool first_apply = !in.before.has_value();
  std::string out = "### DR impact\n\n";
  out += first_apply ? "Compared with: nothing applied yet (**first apply**).\n\n"
                     : fmt::format("Compared with: the last successful apply{}.\n\n",
                                   in.before_at.empty() ? "" : " (" + in.before_at + ")");
  const std::string was_strategy = before.value("strategy", "");
  if (!first_apply && !was_strategy.empty() && was_strategy != in.after->strategy)
    out += fmt::format("**Strategy change:** {} → **{}**\n\n", was_strategy, in.after->strategy);
  out += "| Workload | Strategy | RPO objective | Achievable RPO | RTO objective | Achievable RTO |\n|---|---|---|---|---|---|\n";
  for (const auto& w : after["workloads"]) {
    const std::string name = w.value("name", "");
    const json* was = find_workload(before, name);
    std::string strategy = w.value("strategy", "");
    if (was && was->value("strategy", "") != strategy) strategy = was->value("strategy", "") + " → **" + strategy + "**";
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", code(name), cell(strategy), objective(w["rpo"]),
                       cell(before_after(was, w, "rpo", first_apply)), objective(w["rto"]),
                       cell(before_after(was, w, "rto", first_apply)));
  }
  if (before.contains("workloads") && before["workloads"].is_array())
    for (const auto& w : before["workloads"])
      if (w.is_object() && !find_workload(after, w.value("name", "")))
        out += fmt::format("| {} | {} | - | {} → removed | - | {} → removed |\n", code(w.value("name", "")),
                           cell(w.value("strategy", "")), achievable_of(w, "rpo"), achievable_of(w, "rto"));
  out += "\n";
  return out + checks_section(checks, cut_checks);
}

std::string diagram(const GraphView& full, bool summarise) {
  const GraphView small = summarise ? workload_summary(full) : GraphView{};
  const GraphView& v = summarise ? small : full;
  return fmt::format("### Topology{}\n\n```mermaid\n{}```\n\n", v.summarised ? " (one node per workload and region)" : "",
                     graph_mermaid(v));
}

std::string render(const PlanMarkdownInput& in, Level level) {
  const plan::Plan& p = *in.plan;
  model::Diagnostics checks = p.diagnostics;
  checks.insert(checks.end(), in.objective_checks.begin(), in.objective_checks.end());

  std::string out = fmt::format("<!-- drctl-plan stack={} -->\n## drctl plan: {}\n\n", p.stack, code(p.stack));
  out += summary_line(p.summary()) + "\n\n";
  if (level != Level::full) {
    static const char* what[] = {"", "per-resource details left out",
                                 "per-resource details left out, workload tables summarised",
                                 "per-resource details left out, workload tables and diagram summarised",
                                 "per-resource details, diagram and some checks left out, workload tables summarised"};
    out += fmt::format("> [!NOTE]\n> Shortened to fit a {}-character comment: {}. `drctl plan --format text` "
                       "or `--format json` shows everything.\n\n",
                       in.max_chars, what[static_cast<int>(level)]);
  }
  if (!p.refreshed) out += "> [!NOTE]\n> Not refreshed: the state's last read stands in for AWS.\n\n";
  out += cautions(p);
  out += level >= Level::summary_tables ? summary_table(p)
                                        : workload_tables(p, level == Level::full, level <= Level::no_details);
  out += dr_impact(in, checks, level == Level::no_diagram);
  if (in.graph && level != Level::no_diagram)
    out += diagram(*in.graph, level >= Level::summary_diagram || in.graph->nodes.size() > kMaxDiagramNodes);
  out += fmt::format("<sub>drctl plan of `{}`, made {} against state serial {}{}.</sub>\n", p.stack,
                     p.created_at.empty() ? "now" : "at " + p.created_at, p.serial,
                     p.config_hash.empty() ? "" : ", config " + p.config_hash.substr(0, 12));
  return out;
}

}  // namespace

std::string plan_markdown(const PlanMarkdownInput& in) {
  std::string out;
  for (Level level : {Level::full, Level::no_details, Level::summary_tables, Level::summary_diagram, Level::no_diagram}) {
    out = render(in, level);
    if (out.size() <= in.max_chars) return out;
  }
  // Even the smallest form is too long (tens of thousands of workloads): cut it, visibly.
  const std::string tail = "\n\n… (cut at the comment limit)\n";
  size_t cut = in.max_chars > tail.size() ? in.max_chars - tail.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return out.substr(0, cut) + tail;
}

std::string plan_blocked_markdown(const std::string& stack, const model::Diagnostics& checks) {
  std::string out = fmt::format("<!-- drctl-plan stack={} -->\n## drctl plan: {}\n\n", stack, code(stack));
  out += "**No plan:** the configuration fails its checks; fix them and push again.\n\n";
  std::string list = checks_section(checks, checks.size() > kMaxChecksWhenCut);
  return out + list;
}

}  // namespace report
