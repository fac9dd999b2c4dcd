#include "dr/audit.h"

#include <fmt/format.h>

#include "config/schedule.h"

namespace dr {
namespace {

using model::format_duration;
using model::Seconds;

constexpr Seconds kDaily{24 * 3600};
constexpr Seconds kMinRetention{35 * 24 * 3600};

bool holds_data(const std::string& kind) {
  return kind != "asg" && kind != "ecs" && kind != "dns-failover";
}

std::optional<Seconds> duration_at(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key) || !obj[key].is_string()) return std::nullopt;
  return model::parse_duration(obj[key].get<std::string>());
}

}  // namespace

std::vector<Control> backup_controls(const model::Topology& t, const model::Workload& w) {
  std::vector<Control> out;
  if (!holds_data(w.kind)) return out;
  const auto& b = t.backups;
  if (!b.is_object()) {
    out.push_back({"backup plan", "none", "AWS Backup plan covering the workload", false});
    return out;
  }
  const auto schedule = b.value("schedule", "");
  const auto interval = config::interval_of(std::string_view(schedule));
  const auto rpo = w.objectives.rpo;
  std::string need = "at least daily";
  bool freq_ok = interval && *interval <= kDaily;
  // Replication bounds the RPO of replicated kinds; a backup-only workload relies on the schedule.
  const bool backup_only = w.kind == "ebs" || t.strategy == "backup-restore";
  if (backup_only && rpo) {
    need += ", and within the RPO " + format_duration(*rpo);
    freq_ok = freq_ok && *interval <= *rpo;
  }
  out.push_back({"backup frequency", interval ? "every " + format_duration(*interval) + " (" + schedule + ")" : schedule,
                 need, freq_ok});

  const auto retention = duration_at(b, "retention");
  out.push_back({"backup retention", retention ? format_duration(*retention) : "not set (kept forever)",
                 "at least " + format_duration(kMinRetention), !retention || *retention >= kMinRetention});

  const bool copies = b.value("copy_to_dr", false);
  out.push_back({"cross-region copy", copies ? "copied to " + t.dr_region : "not copied",
                 "recovery points copied to the DR region " + t.dr_region, copies});

  const bool locked = b.contains("vault_lock") && b["vault_lock"].is_object();
  std::string lock_text = "not locked";
  if (locked) {
    const auto min = duration_at(b["vault_lock"], "min_retention");
    lock_text = "locked" + (min ? ", min retention " + format_duration(*min) : std::string());
  }
  out.push_back({"vault lock", lock_text, "backup vaults protected by AWS Backup Vault Lock", locked});
  return out;
}

bool WorkloadAudit::compliant() const {
  for (const auto& c : controls)
    if (!c.compliant) return false;
  if (assessment && (assessment->rpo.verdict == Verdict::misses || assessment->rto.verdict == Verdict::misses))
    return false;
  return !readiness || readiness->ready();
}

bool AuditPack::compliant() const {
  for (const auto& w : workloads)
    if (!w.compliant()) return false;
  if (readiness && !readiness->ready()) return false;
  return last_drill && last_drill->ok() && last_drill->meets_rto();
}

AuditPack build_audit(const model::Topology& t, const Assessment& assessment, const Readiness* readiness,
                      std::optional<DrillRecord> last_drill, Revision revision, std::string generated_at) {
  AuditPack pack;
  pack.stack = t.stack;
  pack.strategy = t.strategy;
  pack.primary_region = t.primary_region;
  pack.dr_region = t.dr_region;
  pack.generated_at = std::move(generated_at);
  pack.revision = std::move(revision);
  pack.assessment = &assessment;
  pack.readiness = readiness;
  pack.last_drill = std::move(last_drill);
  for (const auto& w : t.workloads) {
    WorkloadAudit a;
    a.name = w.name;
    a.kind = w.kind;
    a.strategy = t.strategy;
    for (const auto& wa : assessment.workloads)
      if (wa.name == w.name) {
        a.assessment = &wa;
        a.strategy = wa.strategy;
      }
    if (readiness)
      for (const auto& wr : readiness->workloads)
        if (wr.name == w.name) a.readiness = &wr;
    a.controls = backup_controls(t, w);
    pack.workloads.push_back(std::move(a));
  }
  return pack;
}

}  // namespace dr
