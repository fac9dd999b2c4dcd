#include "plan/drift_impact.h"

#include <algorithm>

namespace plan {
namespace {

// "rules[0].lifecycle.delete_after_days" -> "rules"
std::string top_key(const std::string& path) { return path.substr(0, path.find_first_of(".[")); }

// "rules[0].lifecycle.delete_after_days" -> "delete_after_days"; "rules[2]" -> "rules"
std::string last_key(const std::string& path) {
  std::string s = path;
  while (!s.empty() && s.back() == ']') s.erase(s.rfind('['));
  const auto dot = s.rfind('.');
  return dot == std::string::npos ? s : s.substr(dot + 1);
}

bool has_segment(const std::string& path, const std::string& key) {
  std::string s = path;
  for (auto& c : s)
    if (c == '[' || c == ']') c = '.';
  return ("." + s + ".").find("." + key + ".") != std::string::npos;
}

std::string for_whom(const std::string& workload) {
  return workload.empty() ? "for the stack" : "for workload '" + workload + "'";
}

// Numbers compared as numbers; anything else (null: gone) is "not lower".
bool lowered(const DriftAttr& a) {
  return a.expected.is_number() && a.actual.is_number() && a.actual.get<double>() < a.expected.get<double>();
}
bool raised(const DriftAttr& a) {
  return a.expected.is_number() && a.actual.is_number() && a.actual.get<double>() > a.expected.get<double>();
}
bool turned_off(const DriftAttr& a) {
  return a.expected == true && a.actual != true;
}

DriftImpact crit(std::string s) { return {DriftGrade::critical, std::move(s)}; }
DriftImpact warn(std::string s) { return {DriftGrade::warning, std::move(s)}; }
DriftImpact info(std::string s) { return {DriftGrade::info, std::move(s)}; }

DriftImpact deleted_impact(const std::string& type, const std::string& w) {
  const auto who = for_whom(w);
  if (type == "s3.bucket") return crit("DR bucket deleted: replication has no destination, RPO unbounded and failover impossible " + who);
  if (type == "s3.replication") return crit("replication rule set deleted: nothing reaches the DR region, RPO unbounded " + who);
  if (type == "rds.replica") return crit("read replica missing: failover impossible " + who);
  if (type == "rds.global_cluster") return crit("global database missing: no DR cluster to fail over to " + who);
  if (type == "dynamodb.replica") return crit("table replica missing: failover impossible " + who);
  if (type == "efs.replication") return crit("EFS replication removed: no DR copy, failover impossible " + who);
  if (type == "backup.vault") return crit("backup vault deleted: no recovery points kept there, restore impossible " + who);
  if (type == "backup.plan") return crit("backup plan deleted: no backups taken, RPO unbounded " + who);
  if (type == "backup.selection") return crit("backup selection deleted: the backup plan protects nothing, RPO unbounded " + who);
  if (type == "iam.role") return crit("service role deleted: replication or backups using it fail, RPO unbounded " + who);
  if (type == "route53.health_check") return crit("health check deleted: DNS failover never triggers " + who);
  if (type == "route53.failover_record") return crit("failover record deleted: DNS cannot switch to the DR region " + who);
  if (type == "autoscaling.capacity") return crit("standby Auto Scaling group gone: failover has no compute to scale " + who);
  if (type == "ecs.capacity") return crit("standby ECS service gone: failover has no service to scale " + who);
  if (type == "cloudwatch.alarm") return warn("alarm deleted: lag or failure goes unnoticed " + who);
  if (type == "sns.topic") return warn("notification topic deleted: on-call is not told about DR events " + who);
  return warn("deleted outside drctl: effect on recovery unknown " + who);
}

DriftImpact s3_bucket_attr(const DriftAttr& a, const std::string& who) {
  const auto key = top_key(a.path);
  if (key == "versioning") return crit("DR bucket versioning not enabled: S3 replication into it fails, RPO unbounded " + who);
  if (key == "encryption") return warn("DR bucket encryption differs: replicas not protected at rest as configured " + who);
  if (key == "object_lock") return warn("Object Lock changed: DR copies no longer immutable (ransomware protection weakened) " + who);
  return warn("DR bucket setting '" + a.path + "' changed: check replication still works " + who);
}

DriftImpact s3_replication_attr(const DriftAttr& a, const std::string& who) {
  const auto key = top_key(a.path), last = last_key(a.path);
  if (key == "source_versioning") return crit("source bucket versioning suspended: replication stops, RPO unbounded " + who);
  if (key == "role") return crit("replication uses another role: replication may be denied, RPO unbounded " + who);
  if (key != "rules") return warn("replication setting '" + a.path + "' changed " + who);
  if (last == "status")
    return a.actual == "Enabled" ? info("replication rule status changed but enabled " + who)
                                 : crit("replication rule disabled: RPO unbounded " + who);
  if (last == "destination_bucket") return crit("replication goes to another bucket: the DR bucket stops receiving data, RPO unbounded " + who);
  if (last == "rtc")
    return turned_off(a) ? warn("Replication Time Control off: RPO no longer bounded by 15 minutes " + who)
                         : info("Replication Time Control turned on: cost only " + who);
  if (last == "delete_markers") return warn("delete-marker replication changed: the DR copy diverges from the source " + who);
  if (last == "prefix") return warn("replication filter changed: part of the data is not replicated " + who);
  if (last == "storage_class") {
    const auto cls = a.actual.is_string() ? a.actual.get<std::string>() : "";
    if (cls.find("GLACIER") != std::string::npos || cls == "DEEP_ARCHIVE")
      return warn("replicas land in an archive class: objects must be restored first, RTO longer " + who);
    return info("replica storage class changed: cost only " + who);
  }
  if (last == "priority" || last == "id") return info("replication rule '" + last + "' changed: cosmetic " + who);
  // The rule list itself changed length: rules added or removed.
  return crit("replication rules changed: data may no longer replicate, RPO unbounded " + who);
}

DriftImpact backup_plan_attr(const DriftAttr& a, const std::string& who) {
  const auto last = last_key(a.path);
  if (has_segment(a.path, "copy_to")) return crit("cross-region backup copy changed: backups may not reach the DR region, restore there impossible " + who);
  if (last == "schedule") return warn("backup schedule changed: RPO from backups follows the new interval " + who);
  if (last == "target_vault") return crit("backups go to another vault: restore from the configured vault impossible " + who);
  if (last == "delete_after_days") return warn("backup retention changed: fewer restore points than configured " + who);
  if (last == "cold_after_days") return warn("backups move to cold storage at another age: restoring them takes longer, RTO longer " + who);
  if (last == "start_window_minutes" || last == "completion_window_minutes")
    return warn("backup window changed: backups may start or finish later, RPO longer " + who);
  if (top_key(a.path) == "name") return info("backup plan renamed: cosmetic " + who);
  return crit("backup rules changed: backups may not run as configured, RPO unbounded " + who);
}

DriftImpact capacity_attr(const DriftAttr& a, const std::string& who, const char* what) {
  if (lowered(a)) return warn(std::string(what) + " '" + a.path + "' lowered: more to scale at failover, RTO longer " + who);
  if (raised(a)) return info(std::string(what) + " '" + a.path + "' raised: cost only " + who);
  return warn(std::string(what) + " '" + a.path + "' changed: failover capacity may differ " + who);
}

DriftImpact changed_attr(const std::string& type, const std::string& w, const DriftAttr& a) {
  const auto who = for_whom(w);
  const auto key = top_key(a.path), last = last_key(a.path);
  if (key == "tags") {
    if (a.path.find("drctl:failover-") != std::string::npos)
      return warn("recorded failover capacity changed: failover scales to the wrong size " + who);
    return info("tag changed: cosmetic " + who);
  }
  if (key == "description") return info("description changed: cosmetic " + who);
  if (type == "s3.bucket") return s3_bucket_attr(a, who);
  if (type == "s3.replication") return s3_replication_attr(a, who);
  if (type == "iam.role") {
    if (key == "assume_role_policy") return crit("role trust policy changed: the service may not assume it, replication or backups fail " + who);
    if (key == "policies") return crit("role permissions changed: replication or backups may be denied, RPO unbounded " + who);
  }
  if (type == "backup.vault" && key == "lock") return warn("vault lock changed: recovery points no longer immutable as configured " + who);
  if (type == "backup.plan") return backup_plan_attr(a, who);
  if (type == "backup.selection") return crit("backup selection changed: the plan protects other resources, RPO unbounded " + who);
  if (type == "rds.replica" || type == "rds.global_cluster") {
    if (key == "source" || key == "source_region" || key == "source_cluster" || key == "members")
      return crit("replica no longer follows the primary: failover would promote other data " + who);
    if (key == "instance_class" || key == "secondary_instance_class")
      return warn("replica instance class changed: the promoted database serves with other capacity, RTO longer if it must be resized " + who);
    if (key == "multi_az") return warn("replica Multi-AZ changed: the promoted database has less redundancy " + who);
    if (key == "deletion_protection") return warn("deletion protection off: the replica can be deleted by accident " + who);
    if (key == "backup_retention_days") return warn("replica backup retention changed: fewer restore points after failover " + who);
  }
  if (type == "dynamodb.replica" && key == "pitr") return warn("point-in-time recovery off: no restore to a moment before corruption " + who);
  if (type == "efs.replication") return crit("EFS replication destination changed: the DR copy is not where failover expects it " + who);
  if (type == "autoscaling.capacity") return capacity_attr(a, who, "standby capacity");
  if (type == "ecs.capacity") return capacity_attr(a, who, "standby task count");
  if (type == "route53.health_check") {
    if (key == "failure_threshold" || key == "request_interval")
      return raised(a) ? warn("failure detection slower: RTO longer " + who)
                       : warn("failure detection settings changed: failover may trigger on noise " + who);
    return crit("health check probes something else: DNS failover may trigger wrongly or never " + who);
  }
  if (type == "route53.failover_record") {
    if (key == "ttl")
      return raised(a) ? warn("DNS TTL raised: clients switch later, RTO longer " + who)
                       : info("DNS TTL lowered: faster switch, more queries " + who);
    if (key == "health_check_id") return crit("record no longer tied to its health check: DNS failover never triggers " + who);
    return crit("failover record points elsewhere: traffic may not reach the right region " + who);
  }
  if (type == "cloudwatch.alarm") {
    if (key == "alarm_actions" || key == "ok_actions") return warn("alarm actions changed: nobody may be notified " + who);
    return warn("alarm definition changed: lag or failure noticed late or never " + who);
  }
  if (type == "sns.topic" && key == "subscriptions") return warn("subscriptions changed: on-call may not be told about DR events " + who);
  return warn("'" + a.path + "' differs from what drctl applied: effect on recovery unknown " + who);
}

}  // namespace

const char* drift_grade_name(DriftGrade g) {
  switch (g) {
    case DriftGrade::critical: return "critical";
    case DriftGrade::warning: return "warning";
    case DriftGrade::info: return "info";
  }
  return "?";
}

DriftImpact classify_drift_attr(const std::string& type, const std::string& workload, const DriftAttr& attr) {
  return changed_attr(type, workload, attr);
}

DriftImpact classify_drift(const DriftEntry& e) {
  switch (e.kind) {
    case DriftEntry::Kind::deleted: return deleted_impact(e.type, e.workload);
    case DriftEntry::Kind::unreadable:
      return warn("cannot be read: its part in recovery is unknown " + for_whom(e.workload));
    case DriftEntry::Kind::changed: break;
  }
  DriftImpact worst{DriftGrade::info, "no attribute differs"};
  bool first = true;
  for (const auto& a : e.attrs) {
    auto impact = classify_drift_attr(e.type, e.workload, a);
    if (first || impact.grade < worst.grade) worst = std::move(impact);
    first = false;
  }
  return worst;
}

std::vector<RankedDrift> rank_drift(const DriftReport& report) {
  std::vector<RankedDrift> out;
  for (const auto& e : report.entries) {
    RankedDrift r{e, classify_drift(e), {}};
    for (const auto& a : e.attrs) r.attr_impacts.push_back(classify_drift_attr(e.type, e.workload, a));
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const RankedDrift& a, const RankedDrift& b) { return a.impact.grade < b.impact.grade; });
  return out;
}

}  // namespace plan
