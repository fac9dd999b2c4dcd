// Drill: a failover rehearsed against the live environment, then undone, with every step
// measured. The record kept in the state's run history (kind "drill") and what `assess` and
// `report` show of it ("last drill 12 days ago: 41m vs RTO 1h").
//
// Achieved RTO = modelled detection (a drill is a planned switchover: nothing failed, so the
// health checks never had to notice; their interval x threshold from the timing model stands
// in) + the measured wall time of the failover runbook. It is compared with the tightest RTO
// any workload declares. Failback is measured too, but it is not part of the RTO.
// Plain data and pure functions; the drill command (cli/cmd_drill.cc) runs the phases.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dr/assess.h"
#include "model/duration.h"
#include "state/store.h"

namespace dr {

struct DrillStep {
  std::string address;
  double seconds = 0;
  std::string outcome;  // succeeded | failed | skipped
};

struct DrillPhase {
  std::string name;     // "readiness", "failover", "failback-protect", "failback-switch", "reset"
  bool ok = false;
  double seconds = 0;
  long long run_id = 0;  // the phase's own run in the history (0: no run, e.g. readiness)
  std::vector<DrillStep> steps;
  std::string note;     // why it failed or was skipped
};

struct DrillRecord {
  std::string stack;
  std::string started_at;   // ISO-8601 UTC
  std::string finished_at;
  std::string from_region, to_region;
  std::vector<DrillPhase> phases;
  model::Seconds detection{0};                  // modelled, see above
  std::string detection_source;                 // "dns health check 30s x 3"
  std::optional<model::Seconds> rto_objective;  // tightest declared
  std::string rto_objective_of;                 // the workload (or "stack") declaring it

  bool ok() const;  // every phase that ran succeeded and the failover ran
  const DrillPhase* phase(const std::string& name) const;
  // Detection + the failover phase's wall time; nullopt when the failover did not complete.
  std::optional<model::Seconds> achieved_rto() const;
  bool meets_rto() const { return achieved_rto() && (!rto_objective || *achieved_rto() <= *rto_objective); }
};

// The objective and detection parts, from the assessment of the stack.
void set_objective(DrillRecord& record, const Assessment& assessment);

nlohmann::json drill_json(const DrillRecord& record);
std::optional<DrillRecord> drill_from_json(const nlohmann::json& j);

// The newest finished drill in `runs` (kind "drill", newest first as Store::runs returns them).
std::optional<DrillRecord> last_drill(const std::vector<state::RunRecord>& runs);

// "3 days ago", "today": whole days between two ISO-8601 UTC timestamps.
std::string age_text(const std::string& then_iso, const std::string& now_iso);

}  // namespace dr
