// Audit pack: what a compliance reviewer asks of a DR setup, per workload — objective,
// strategy, the configuration revision, the readiness result, observed RPO, the last drill
// and its measured RTO, and backup controls each marked compliant or not.
//
// Backup controls follow AWS Backup Audit Manager's built-in controls and their defaults:
//   frequency     BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: at least daily, and no
//                 longer than the workload's RPO when backups are what bounds it
//   retention     same control: recovery points kept at least 35 days
//   cross-region  BACKUP_RECOVERY_POINT_... cross-Region copy: copies reach the DR region
//   vault lock    BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK: the vaults are locked
// Controls apply to workloads that hold data; compute and DNS workloads have none.
// Pure: the command gathers readiness, the drill history and the revision.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dr/assess.h"
#include "dr/drill.h"
#include "dr/readiness.h"

namespace dr {

struct Control {
  std::string name;         // "backup frequency"
  std::string value;        // "every 1h"
  std::string requirement;  // "at least daily, and within the RPO 15m"
  bool compliant = false;
};

struct Revision {
  std::string commit;       // git commit of the config folder; "" outside a repository
  bool dirty = false;       // uncommitted changes to the folder's files
  std::string config_hash;  // always: sha256 of the *.dr.yaml files
};

struct WorkloadAudit {
  std::string name, kind, strategy;
  const WorkloadAssessment* assessment = nullptr;  // objectives, achievable, verdicts
  const WorkloadReadiness* readiness = nullptr;    // null when readiness was not checked
  std::vector<Control> controls;
  bool compliant() const;  // every control compliant, objectives met, ready (when checked)
};

struct AuditPack {
  std::string stack, strategy, primary_region, dr_region, generated_at;
  Revision revision;
  const Assessment* assessment = nullptr;
  const Readiness* readiness = nullptr;  // null: not checked (--no-readiness)
  std::optional<DrillRecord> last_drill;
  std::vector<WorkloadAudit> workloads;
  bool compliant() const;
};

// The audit of `topology`. `assessment` and `readiness` must outlive the pack.
AuditPack build_audit(const model::Topology& topology, const Assessment& assessment, const Readiness* readiness,
                      std::optional<DrillRecord> last_drill, Revision revision, std::string generated_at);

// The backup controls of one workload (empty for workloads that hold no data).
std::vector<Control> backup_controls(const model::Topology& topology, const model::Workload& w);

}  // namespace dr
