#include "resources/backup_plan_map.h"

#include <algorithm>

#include "resources/common.h"

namespace resources::backup {
namespace {

using nlohmann::json;

constexpr long long kDefaultStartWindow = 480;
constexpr long long kDefaultCompletionWindow = 10080;

bool has(const json& j, const char* key) { return j.is_object() && j.contains(key); }

json lifecycle_input(const json& l) {
  json out = json::object();
  if (has(l, "cold_after_days")) out["MoveToColdStorageAfterDays"] = get_int(l, "cold_after_days", 0);
  if (has(l, "delete_after_days")) out["DeleteAfterDays"] = get_int(l, "delete_after_days", 0);
  return out;
}

json lifecycle_attrs(const json& l) {
  json out = json::object();
  if (has(l, "MoveToColdStorageAfterDays")) out["cold_after_days"] = get_int(l, "MoveToColdStorageAfterDays", 0);
  if (has(l, "DeleteAfterDays")) out["delete_after_days"] = get_int(l, "DeleteAfterDays", 0);
  return out;
}

json rule_input(const json& r) {
  json out = {{"RuleName", get_string(r, "name", "")}, {"TargetBackupVaultName", get_string(r, "target_vault", "")}};
  if (has(r, "schedule")) out["ScheduleExpression"] = get_string(r, "schedule", "");
  if (has(r, "start_window_minutes")) out["StartWindowMinutes"] = get_int(r, "start_window_minutes", 0);
  if (has(r, "completion_window_minutes"))
    out["CompletionWindowMinutes"] = get_int(r, "completion_window_minutes", 0);
  if (has(r, "lifecycle"))
    if (auto l = lifecycle_input(r["lifecycle"]); !l.empty()) out["Lifecycle"] = l;
  if (has(r, "copy_to") && r["copy_to"].is_array() && !r["copy_to"].empty()) {
    json actions = json::array();
    for (const auto& c : r["copy_to"]) {
      json a = {{"DestinationBackupVaultArn", get_string(c, "vault_arn", "")}};
      if (has(c, "lifecycle"))
        if (auto l = lifecycle_input(c["lifecycle"]); !l.empty()) a["Lifecycle"] = l;
      actions.push_back(a);
    }
    out["CopyActions"] = actions;
  }
  return out;
}

// `want` is the desired rule of the same name, or null.
json rule_attrs(const json& r, const json& want) {
  json out = {{"name", get_string(r, "RuleName", "")}, {"target_vault", get_string(r, "TargetBackupVaultName", "")}};
  if (has(r, "ScheduleExpression")) out["schedule"] = get_string(r, "ScheduleExpression", "");
  if (has(r, "StartWindowMinutes")) {
    const auto v = get_int(r, "StartWindowMinutes", 0);
    if (has(want, "start_window_minutes") || v != kDefaultStartWindow) out["start_window_minutes"] = v;
  }
  if (has(r, "CompletionWindowMinutes")) {
    const auto v = get_int(r, "CompletionWindowMinutes", 0);
    if (has(want, "completion_window_minutes") || v != kDefaultCompletionWindow)
      out["completion_window_minutes"] = v;
  }
  const json l = has(r, "Lifecycle") ? lifecycle_attrs(r["Lifecycle"]) : json::object();
  if (!l.empty() || has(want, "lifecycle")) out["lifecycle"] = l;

  json copies = json::array();
  if (has(r, "CopyActions") && r["CopyActions"].is_array()) {
    const json want_copies = has(want, "copy_to") && want["copy_to"].is_array() ? want["copy_to"] : json::array();
    for (size_t i = 0; i < r["CopyActions"].size(); ++i) {
      const auto& a = r["CopyActions"][i];
      json c = {{"vault_arn", get_string(a, "DestinationBackupVaultArn", "")}};
      const json cl = has(a, "Lifecycle") ? lifecycle_attrs(a["Lifecycle"]) : json::object();
      const bool want_lifecycle = i < want_copies.size() && has(want_copies[i], "lifecycle");
      if (!cl.empty() || want_lifecycle) c["lifecycle"] = cl;
      copies.push_back(c);
    }
  }
  if (!copies.empty() || has(want, "copy_to")) out["copy_to"] = copies;
  return out;
}

}  // namespace

json plan_input(const json& attrs) {
  json rules = json::array();
  if (has(attrs, "rules") && attrs["rules"].is_array())
    for (const auto& r : attrs["rules"]) rules.push_back(rule_input(r));
  return {{"BackupPlanName", get_string(attrs, "name", "")}, {"Rules", rules}};
}

json plan_attrs(const json& backup_plan, const json* desired) {
  std::vector<std::string> order;  // desired rule names, in order
  json want_by_name = json::object();
  if (desired && has(*desired, "rules") && (*desired)["rules"].is_array())
    for (const auto& r : (*desired)["rules"]) {
      const auto n = get_string(r, "name", "");
      order.push_back(n);
      want_by_name[n] = r;
    }
  std::vector<json> rules;
  if (has(backup_plan, "Rules") && backup_plan["Rules"].is_array())
    for (const auto& r : backup_plan["Rules"]) {
      const auto n = get_string(r, "RuleName", "");
      rules.push_back(rule_attrs(r, want_by_name.contains(n) ? want_by_name[n] : json()));
    }
  auto rank = [&](const json& r) {
    auto it = std::find(order.begin(), order.end(), r["name"].get<std::string>());
    return it - order.begin();
  };
  std::stable_sort(rules.begin(), rules.end(), [&](const json& a, const json& b) { return rank(a) < rank(b); });
  return {{"name", get_string(backup_plan, "BackupPlanName", "")}, {"rules", rules}};
}

}  // namespace resources::backup
