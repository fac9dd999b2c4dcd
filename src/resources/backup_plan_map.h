// backup.plan attributes <-> the Backup API's BackupPlan object, both ways.
//
// README shape: {name, rules: [{name, target_vault, schedule, start_window_minutes,
// completion_window_minutes, lifecycle {cold_after_days?, delete_after_days?},
// copy_to [{vault_arn, lifecycle {..}}]}]}. Absent optionals are omitted in both directions.
// AWS fills some optionals the user did not give (StartWindowMinutes 480,
// CompletionWindowMinutes 10080, an empty Lifecycle); when the desired rule does not have the
// key and the live value is that default, the key is left out of the live rule so the diff
// stays clean. A desired `lifecycle: {}` or `copy_to: []` reads back as the same empty value.
#pragma once

#include <nlohmann/json.hpp>

namespace resources::backup {

// {BackupPlanName, Rules: [...]} for CreateBackupPlan / UpdateBackupPlan.
nlohmann::json plan_input(const nlohmann::json& attrs);

// GetBackupPlan's "BackupPlan" -> {name, rules}. `desired` (the target's attrs, may be null)
// only steers defaults and the rule order (live rules follow the desired order by name).
nlohmann::json plan_attrs(const nlohmann::json& backup_plan, const nlohmann::json* desired);

}  // namespace resources::backup
