// Plan: what apply would do, per resource, with the reason and attribute-level before/after.
// Plain data: built by diff.h, saved by saved_plan.h, rendered by report/, run by apply/.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/diagnostic.h"

namespace plan {

// import_: the object exists in AWS but not in state; it is adopted (and updated if it differs).
enum class Action { noop, create, update, replace, destroy, import_ };
const char* action_name(Action a);  // "no-op", "create", "update", "replace", "destroy", "import"

// One attribute that differs, by path ("rules[0].rtc", "tags.drctl:stack").
struct AttrChange {
  std::string path;
  nlohmann::json before;  // null when absent
  nlohmann::json after;   // null when removed
  bool after_unknown = false;  // holds a reference resolved only during apply
  bool forces_replace = false;
  bool operator==(const AttrChange&) const = default;
};

struct Change {
  std::string address;
  std::string type;
  std::string region;
  std::string workload;
  Action action = Action::noop;
  std::string reason;          // one line: why this action
  std::string cloud_id;        // known id of the live object, if any
  nlohmann::json before;       // live attributes (null when absent)
  nlohmann::json after;        // desired attributes; references may remain unresolved
  std::vector<AttrChange> attrs;
  // A failover state machine's change as runbook steps ("+ step op.rds_promote.orders (...)",
  // plan/runbook_diff.h); empty for every other change.
  std::vector<std::string> runbook;
  std::vector<std::string> depends_on;
  bool data_bearing = false;   // destroy/replace loses data
  std::optional<model::SourceRange> where;
};

struct Summary {
  int create = 0, update = 0, replace = 0, destroy = 0, import = 0, noop = 0;
  bool any() const { return create + update + replace + destroy + import > 0; }
};

struct Plan {
  static constexpr int kFormatVersion = 1;
  std::string stack;
  std::string config_dir;
  std::string config_hash;
  std::string lineage;        // state lineage the plan was made against ("" for a new state)
  long long serial = 0;       // state serial the plan was made against
  std::string created_at;
  bool refreshed = true;      // false with --refresh=false
  // What applying it does: "apply" (reconcile the stack), "failover", "failback-protect",
  // "failback-switch" (runbooks, dr/). Recorded as the run's kind in the state's history.
  std::string kind = "apply";
  // Facts the plan was made under that apply checks again (dr/lag.h: replication lag per
  // workload at planning time, the failover mode). Free-form object; {} for ordinary plans.
  nlohmann::json evidence = nlohmann::json::object();
  std::vector<Change> changes;  // every desired or known resource, no-ops included
  model::Diagnostics diagnostics;  // checks; an error makes the plan unappliable

  Summary summary() const;
  bool has_changes() const { return summary().any(); }
  const Change* find(const std::string& address) const;
};

}  // namespace plan
