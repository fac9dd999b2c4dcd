// Recovery points: the newest completed recovery point in the primary vault and its copy in
// the DR vault (ListRecoveryPointsByBackupVault, every page; botocore data/backup/2018-11-15),
// each an RpoObservation.
//  - Stack level: against the schedule (one interval; plus the copy time for the DR copy):
//    backups that stopped are a warning while replication still protects the data.
//  - Workloads that backups alone protect (a data kind without a replication resource): their
//    own recovery points (matched on ResourceArn, else the vault's newest for tag selections)
//    against the workload's RPO; older or none at all is critical.
#include <algorithm>

#include <fmt/format.h>

#include "config/schedule.h"
#include "dr/readiness_internal.h"
#include "resources/backup_common.h"
#include "resources/common.h"

namespace dr::readiness_detail {

namespace {

using Clock = std::chrono::system_clock;

struct RecoveryPoint {
  std::string arn, resource_arn;
  Clock::time_point created;
};

struct Vault {
  std::string address, name, region;
  const model::Resource* resource = nullptr;
  std::vector<RecoveryPoint> points;  // completed ones
  bool read = false;                  // listed (exists and the listing worked)
};

Vault list_vault(const Probe& p, const model::Resource& r, Sink& out) {
  Vault v{r.address.str(), resources::str_attr(r.attrs, "name"), r.region, &r, {}, false};
  if (!p.live(v.address)) return v;  // missing: check_config reports it
  auto req = resources::backup::request("ListRecoveryPointsByBackupVault", "GET",
                                        "/backup-vaults/" + v.name + "/recovery-points/");
  auto st = resources::backup::paginate(p.aws, v.region, req, [&](const nlohmann::json& page) {
    for (const auto& rp : page.value("RecoveryPoints", nlohmann::json::array())) {
      if (!rp.is_object() || rp.value("Status", "COMPLETED") != "COMPLETED") continue;
      auto created = parse_timestamp(rp.value("CreationDate", nlohmann::json()));
      if (!created) continue;
      v.points.push_back({rp.value("RecoveryPointArn", ""), rp.value("ResourceArn", ""), *created});
    }
    return true;
  });
  if (!st) {
    out.failed_read(v.address, st.error(), "recovery points of vault " + v.name);
    return v;
  }
  v.read = true;
  return v;
}

// The ResourceArn fragment a workload's own recovery points carry; "" when backups pick its
// resources by tags (any recovery point of the vault may be its).
std::vector<std::string> resource_markers(const model::Workload& w) {
  const auto& s = w.spec;
  auto str = [&](const char* key) { return s.contains(key) && s[key].is_string() ? s[key].get<std::string>() : ""; };
  if (w.kind == "rds" && !str("source").empty()) return {":db:" + str("source")};
  if (w.kind == "aurora" && !str("cluster").empty()) return {":cluster:" + str("cluster")};
  if (w.kind == "dynamodb" && !str("table").empty()) return {":table/" + str("table")};
  if (w.kind == "efs" && !str("file_system").empty()) return {":file-system/" + str("file_system")};
  std::vector<std::string> arns;
  if (s.contains("arns") && s["arns"].is_array())
    for (const auto& a : s["arns"])
      if (a.is_string()) arns.push_back(a.get<std::string>());
  return arns;
}

bool is_data_kind(const std::string& kind) {
  return kind == "rds" || kind == "aurora" || kind == "dynamodb" || kind == "efs" || kind == "ebs" || kind == "ec2";
}

bool replicated(const Probe& p, const std::string& workload) {
  for (const auto& r : p.graph.resources)
    if (r.workload == workload &&
        (r.address.type == "rds.replica" || r.address.type == "rds.global_cluster" ||
         r.address.type == "dynamodb.replica" || r.address.type == "efs.replication"))
      return true;
  return false;
}

const RecoveryPoint* newest(const Vault& v, const std::vector<std::string>& markers) {
  const RecoveryPoint* best = nullptr;
  for (const auto& rp : v.points) {
    const bool mine = markers.empty() || std::any_of(markers.begin(), markers.end(), [&](const std::string& m) {
                        return rp.resource_arn == m || rp.resource_arn.find(m) != std::string::npos;
                      });
    if (mine && (!best || rp.created > best->created)) best = &rp;
  }
  return best;
}

// One observation and one finding for the newest matching recovery point of a vault.
void observe(const Probe& p, const Vault& v, const std::vector<std::string>& markers, const std::string& workload,
             const std::string& what, const std::string& check, Grade grade,
             std::optional<model::Seconds> objective, const std::string& objective_why, Sink& out) {
  if (!v.read) return;
  const auto* rp = newest(v, markers);
  RpoObservation o;
  o.what = what;
  o.objective = objective;
  o.source = fmt::format("ListRecoveryPointsByBackupVault {} vault {}", v.region, v.name);
  if (rp) o.age = std::chrono::duration_cast<model::Seconds>(p.now - rp->created);
  out.observe(workload, o);
  const std::string mine = markers.empty() ? "" : " of " + markers.front().substr(markers.front().find_first_not_of(':'));
  const std::string evidence = o.source + ": " +
                               (rp ? fmt::format("{} completed recovery point(s); newest {} ({} old)", v.points.size(),
                                                 rp->arn, age_text(*o.age))
                                   : fmt::format("{} completed recovery point(s), none{}", v.points.size(), mine));
  std::string summary;
  if (!rp) summary = fmt::format("no recovery point{} in {} ({})", mine, v.name, v.region);
  else if (o.within())
    summary = fmt::format("{} is {} old, within {}{}", what, age_text(*o.age),
                          objective ? model::format_duration(*objective) : "-", objective_why);
  else
    summary = fmt::format("{} is {} old, older than {}{}", what, age_text(*o.age),
                          objective ? model::format_duration(*objective) : "-", objective_why);
  out.add(workload, finding(check, grade, rp && o.within(), summary, evidence, v.address, v.resource->where));
}

}  // namespace

void check_recovery_points(const Probe& p, Sink& out) {
  const model::Resource* primary_res = p.graph.find("backup.vault.primary");
  if (!primary_res) return;  // no backups: block
  const model::Resource* dr_res = p.graph.find("backup.vault.dr");
  const Vault primary = list_vault(p, *primary_res, out);
  const Vault dr = dr_res ? list_vault(p, *dr_res, out) : Vault{};

  const std::string schedule = p.topology.backups.is_object() ? p.topology.backups.value("schedule", "") : "";
  const auto interval = config::interval_of(schedule);
  const auto copy = p.timings.get("backup_copy").value;
  const auto stack_primary = interval ? interval : p.topology.objectives.rpo;
  const auto stack_dr = interval ? std::optional<model::Seconds>(*interval + copy) : p.topology.objectives.rpo;
  const std::string why = interval ? " (the schedule " + schedule + ")" : " (the stack's RPO)";
  observe(p, primary, {}, kStackWorkload, "newest recovery point (primary vault)", "backup.recovery_point",
          Grade::warning, stack_primary, why, out);
  if (dr_res)
    observe(p, dr, {}, kStackWorkload, "newest DR copy (DR vault)", "backup.dr_copy_age", Grade::warning, stack_dr,
            interval ? " (the schedule + copy " + model::format_duration(copy) + ")" : why, out);

  for (const auto& w : p.topology.workloads) {
    if (!is_data_kind(w.kind) || replicated(p, w.name)) continue;
    const auto markers = resource_markers(w);
    const std::string why_rpo = " (the RPO: backups are its only protection)";
    observe(p, primary, markers, w.name, "newest recovery point (primary vault)", "backup.recovery_point",
            Grade::critical, w.objectives.rpo, why_rpo, out);
    if (dr_res)
      observe(p, dr, markers, w.name, "newest DR copy (DR vault)", "backup.dr_copy_age", Grade::critical,
              w.objectives.rpo, why_rpo, out);
  }
}

}  // namespace dr::readiness_detail
