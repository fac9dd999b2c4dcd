#include "plan/runbook_diff.h"

#include <algorithm>
#include <map>
#include <set>

namespace plan {
namespace {

using nlohmann::json;

constexpr size_t kMaxDetails = 4;      // per changed step: more is "and N more"
constexpr size_t kMaxValueChars = 60;  // a value longer than this is cut

const json& definition_of(const json& attrs) {
  static const json none;
  if (!attrs.is_object() || !attrs.contains("definition") || !attrs["definition"].is_object()) return none;
  return attrs["definition"];
}

bool is_asl(const json& d) { return d.is_object() && d.contains("States") && d["States"].is_object(); }

std::string marker(const json& branch, const std::string& prefix) {
  if (!branch.is_object() || !branch.contains("States") || !branch["States"].is_object()) return "";
  const auto start = branch.value("StartAt", "");
  const auto& states = branch["States"];
  if (!states.contains(start) || !states[start].is_object()) return "";
  const auto comment = states[start].value("Comment", "");
  return comment.rfind(prefix, 0) == 0 ? comment.substr(prefix.size()) : "";
}

// Task resources from StartAt along Next, Default and Choices, first visit first: the order a
// reader expects ("promote, then poll"), not the alphabetical order of the state names.
std::vector<std::string> calls_of(const json& branch) {
  std::vector<std::string> out;
  const auto& states = branch["States"];
  std::set<std::string> seen;
  std::vector<std::string> todo = {branch.value("StartAt", "")};
  while (!todo.empty()) {
    const auto name = todo.front();
    todo.erase(todo.begin());
    if (!seen.insert(name).second || !states.contains(name) || !states[name].is_object()) continue;
    const auto& s = states[name];
    if (s.value("Type", "") == "Task") {
      const auto r = s.value("Resource", "");
      if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
    }
    if (s.contains("Next") && s["Next"].is_string()) todo.push_back(s["Next"]);
    for (const auto& c : s.value("Choices", json::array()))
      if (c.is_object() && c.contains("Next") && c["Next"].is_string()) todo.push_back(c["Next"]);
    if (s.contains("Default") && s["Default"].is_string()) todo.push_back(s["Default"]);
  }
  return out;
}

RunbookStep step_of(const json& branch, const std::string& prefix, int stage) {
  RunbookStep st;
  st.address = marker(branch, prefix);
  if (st.address.empty()) st.address = branch.value("StartAt", "");
  st.stage = stage;
  st.calls = calls_of(branch);
  st.branch = branch;
  return st;
}

std::string value(const json& v) {
  if (v.is_null()) return "(none)";
  if (v.is_string() && v.get<std::string>().rfind("@{", 0) == 0) return "(known after apply)";
  std::string s = v.dump();
  if (s.size() > kMaxValueChars) s = s.substr(0, kMaxValueChars - 3) + "...";
  return s;
}

// "Parameters.DesiredCount 3 -> 5" per differing leaf (paths relative to `path`).
void leaf_changes(const std::string& path, const json& before, const json& after, std::vector<std::string>& out) {
  if (before == after) return;
  if (before.is_object() && after.is_object()) {
    std::set<std::string> keys;
    for (auto it = before.begin(); it != before.end(); ++it) keys.insert(it.key());
    for (auto it = after.begin(); it != after.end(); ++it) keys.insert(it.key());
    for (const auto& k : keys)
      leaf_changes(path.empty() ? k : path + "." + k, before.contains(k) ? before[k] : json(),
                   after.contains(k) ? after[k] : json(), out);
    return;
  }
  if (before.is_array() && after.is_array() && before.size() == after.size()) {
    for (size_t i = 0; i < before.size(); ++i) leaf_changes(path + "[" + std::to_string(i) + "]", before[i], after[i], out);
    return;
  }
  out.push_back((path.empty() ? "" : path + " ") + value(before) + " -> " + value(after));
}

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (size_t i = 0; i < items.size() && i < kMaxDetails; ++i) s += (i ? "; " : "") + items[i];
  if (items.size() > kMaxDetails) s += "; and " + std::to_string(items.size() - kMaxDetails) + " more";
  return s;
}

std::string calls_text(const std::vector<std::string>& calls) {
  std::string s;
  for (const auto& c : calls) s += (s.empty() ? "" : ", ") + call_name(c);
  return s.empty() ? "no AWS call" : s;
}

// What differs inside one step's branch: the Parameters of the states both sides have, and
// states added or removed (a poll loop gained or lost).
std::vector<std::string> branch_changes(const RunbookStep& b, const RunbookStep& a) {
  std::vector<std::string> out;
  if (b.stage != a.stage) out.push_back("stage " + std::to_string(b.stage) + " -> " + std::to_string(a.stage));
  if (b.calls != a.calls) out.push_back("calls " + calls_text(b.calls) + " -> " + calls_text(a.calls));
  const auto& bs = b.branch["States"];
  const auto& as = a.branch["States"];
  for (auto it = bs.begin(); it != bs.end(); ++it) {
    if (!as.contains(it.key())) {
      out.push_back("state " + it.key() + " removed");
      continue;
    }
    json before = it.value(), after = as[it.key()];
    // Parameters read as the API's own names; other fields keep their ASL path.
    std::vector<std::string> params;
    leaf_changes("", before.value("Parameters", json()), after.value("Parameters", json()), params);
    out.insert(out.end(), params.begin(), params.end());
    if (before.is_object()) before.erase("Parameters");
    if (after.is_object()) after.erase("Parameters");
    leaf_changes(it.key(), before, after, out);
  }
  for (auto it = as.begin(); it != as.end(); ++it)
    if (!bs.contains(it.key())) out.push_back("state " + it.key() + " added");
  if (out.empty()) out.push_back("branch changed");
  // The same parameter in the act and its poll (DBInstanceIdentifier) is one change.
  std::vector<std::string> unique;
  for (auto& o : out)
    if (std::find(unique.begin(), unique.end(), o) == unique.end()) unique.push_back(std::move(o));
  return unique;
}

void diff_steps(const std::vector<RunbookStep>& before, const std::vector<RunbookStep>& after, const std::string& what,
                std::vector<std::string>& out) {
  std::map<std::string, const RunbookStep*> b, a;
  for (const auto& s : before) b[s.address] = &s;
  for (const auto& s : after) a[s.address] = &s;
  // Order: stage (after the change when the step remains), then address.
  std::vector<std::pair<std::pair<int, std::string>, std::string>> lines;
  auto where = [&](const RunbookStep& s) {
    return s.stage ? "stage " + std::to_string(s.stage) + ": " + calls_text(s.calls) : "readiness: " + calls_text(s.calls);
  };
  for (const auto& [address, s] : b)
    if (!a.count(address)) lines.push_back({{s->stage, address}, "- " + what + " " + address + " (" + where(*s) + ")"});
  for (const auto& [address, s] : a) {
    auto it = b.find(address);
    if (it == b.end())
      lines.push_back({{s->stage, address}, "+ " + what + " " + address + " (" + where(*s) + ")"});
    else if (it->second->branch != s->branch || it->second->stage != s->stage)
      lines.push_back({{s->stage, address}, "~ " + what + " " + address + ": " + joined(branch_changes(*it->second, *s))});
  }
  std::stable_sort(lines.begin(), lines.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& [_, line] : lines) out.push_back(std::move(line));
}

bool derived(const std::string& name) {
  return name == "Readiness" || name.rfind("Stage ", 0) == 0 || (name.rfind("Dry run ", 0) == 0);
}

std::string state_kind(const json& s) {
  const auto type = s.value("Type", "?");
  return type == "Task" ? "Task: " + call_name(s.value("Resource", "")) : type;
}

}  // namespace

std::string call_name(const std::string& resource) {
  std::string r = resource;
  for (const char* prefix : {"arn:aws:states:::aws-sdk:", "arn:aws:states:::"})
    if (r.rfind(prefix, 0) == 0) {
      r = r.substr(std::string(prefix).size());
      break;
    }
  if (const auto colon = r.find(':'); colon != std::string::npos) r[colon] = ' ';
  return r;
}

RunbookSteps runbook_steps(const json& asl) {
  RunbookSteps out;
  if (!is_asl(asl)) return out;
  const auto& states = asl["States"];
  for (int i = 1; states.contains("Stage " + std::to_string(i)); ++i)
    for (const auto& b : states["Stage " + std::to_string(i)].value("Branches", json::array()))
      if (b.is_object() && b.contains("States") && b["States"].is_object())
        out.steps.push_back(step_of(b, "drctl-step ", i));
  if (states.contains("Readiness"))
    for (const auto& b : states["Readiness"].value("Branches", json::array()))
      if (!marker(b, "drctl-readiness ").empty()) out.checks.push_back(step_of(b, "drctl-readiness ", 0));
  return out;
}

std::vector<std::string> runbook_diff(const json& before_attrs, const json& after_attrs) {
  const json& before = definition_of(before_attrs);
  const json& after = definition_of(after_attrs);
  if ((!is_asl(before) && !is_asl(after)) || before == after) return {};
  const auto b = runbook_steps(before), a = runbook_steps(after);
  if (b.steps.empty() && a.steps.empty() && b.checks.empty() && a.checks.empty()) return {};  // not drctl's
  std::vector<std::string> out;
  diff_steps(b.steps, a.steps, "step", out);
  diff_steps(b.checks, a.checks, "check", out);
  if (!is_asl(before) || !is_asl(after)) return out;
  const auto& bs = before["States"];
  const auto& as = after["States"];
  for (auto it = bs.begin(); it != bs.end(); ++it)
    if (!derived(it.key()) && !as.contains(it.key())) out.push_back("- state " + it.key() + " (" + state_kind(it.value()) + ")");
  for (auto it = as.begin(); it != as.end(); ++it) {
    if (derived(it.key())) continue;
    if (!bs.contains(it.key())) {
      out.push_back("+ state " + it.key() + " (" + state_kind(it.value()) + ")");
    } else if (bs[it.key()] != it.value()) {
      std::vector<std::string> what;
      leaf_changes("", bs[it.key()], it.value(), what);
      out.push_back("~ state " + it.key() + ": " + joined(what));
    }
  }
  // Top-level fields (the mode in Comment, TimeoutSeconds, StartAt).
  json bt = before, at = after;
  bt.erase("States");
  at.erase("States");
  std::vector<std::string> what;
  leaf_changes("", bt, at, what);
  for (const auto& w : what) out.push_back("~ machine " + w);
  return out;
}

}  // namespace plan
