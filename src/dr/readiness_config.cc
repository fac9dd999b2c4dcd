// Existence and configuration: every resource of the stack graph as refresh found it, graded
// by what its absence or difference does to a recovery.
#include <fmt/format.h>

#include "dr/readiness_internal.h"
#include "resources/common.h"

namespace dr::readiness_detail {

namespace {

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }
bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

// What a missing object costs. Alarms and topics only delay detection or paging; everything
// else is on the data or failover path.
Grade missing_grade(const std::string& type) {
  if (type == "cloudwatch.alarm" || type == "sns.topic") return Grade::warning;
  return Grade::critical;
}

std::string short_json(const nlohmann::json& j) {
  if (j.is_null()) return "(absent)";
  std::string s = j.is_string() ? j.get<std::string>() : resources::json_text(j);
  return s.size() > 120 ? s.substr(0, 117) + "..." : s;
}

// A number a retention is written in, or nullopt.
std::optional<long long> number(const nlohmann::json& j) {
  if (j.is_number_integer()) return j.get<long long>();
  if (j.is_number()) return static_cast<long long>(j.get<double>());
  return std::nullopt;
}

// A retention is cut when live keeps recovery points for less time than desired.
bool retention_cut(const plan::AttrChange& c) {
  const auto want = number(c.after), have = number(c.before);
  return want && have && *have < *want;
}

}  // namespace

AttrGrade grade_attribute(const std::string& type, const plan::AttrChange& c) {
  const std::string& path = c.path;
  if (path == "tags" || starts_with(path, "tags.") || starts_with(path, "tags["))
    return {"config.tags", Grade::info};
  if (type == "s3.replication") {
    if (contains(path, ".status")) return {"s3.rule_enabled", Grade::critical};
    if (contains(path, ".rtc")) return {"s3.rtc", c.after == true ? Grade::critical : Grade::warning};
    if (contains(path, ".storage_class") || contains(path, ".priority")) return {"s3.rule", Grade::warning};
    return {"s3.replication", Grade::critical};  // role, destination, rules missing, source versioning
  }
  if (type == "backup.plan") {
    if (contains(path, "delete_after_days"))
      return {"backup.retention", retention_cut(c) ? Grade::critical : Grade::warning};
    if (contains(path, "cold_after_days") || contains(path, "window_minutes")) return {"backup.plan", Grade::warning};
    if (contains(path, "schedule")) return {"backup.schedule", Grade::critical};
    return {"backup.plan", Grade::critical};  // rules, copy_to, target vault
  }
  if (type == "backup.selection") return {"backup.selection", Grade::critical};
  if (type == "backup.vault") return {"backup.vault", Grade::warning};
  if (type == "rds.replica") {
    if (path == "source" || path == "source_region") return {"replica.source", Grade::critical};
    if (path == "backup_retention_days") return {"backup.retention", retention_cut(c) ? Grade::critical : Grade::warning};
    if (path == "instance_class") return {"pair.instance_class", Grade::warning};
    if (path == "kms_key_id") return {"pair.kms", Grade::critical};
    return {"replica.config", Grade::warning};
  }
  if (type == "rds.global_cluster") {
    if (path == "source_cluster" || path == "secondary_region" || path == "secondary_cluster_id")
      return {"replica.source", Grade::critical};
    return {"replica.config", Grade::warning};
  }
  if (type == "efs.replication") return {"replica.config", Grade::critical};
  if (type == "dynamodb.replica") return {"replica.config", Grade::warning};
  if (type == "autoscaling.capacity" || type == "ecs.capacity") return {"capacity.standby", Grade::warning};
  if (type == "route53.failover_record") {
    if (path == "ttl") return {"dns.record", Grade::warning};
    return {"dns.record", Grade::critical};  // target, health check, failover role
  }
  if (type == "route53.health_check") return {"dns.health_check", Grade::warning};
  if (type == "cloudwatch.alarm") return {path == "alarm_actions" ? "alarm.actions" : "alarm.config", Grade::warning};
  if (type == "iam.role") {
    if (path == "description") return {"config.description", Grade::info};
    return {"iam.role", Grade::critical};  // a replication or backup role that cannot act
  }
  return {"config." + path, Grade::warning};
}

void check_config(const Probe& p, const plan::Plan& plan, Sink& out) {
  for (const auto& c : plan.changes) {
    const auto* res = p.graph.find(c.address);
    if (!res) continue;  // a remembered object the graph no longer has: not readiness' business
    auto it = p.observed.find(c.address);
    if (it != p.observed.end() && it->second.status == plan::Observed::Status::failed) {
      model::Diagnostic d;
      d.summary = "readiness could not read " + c.address;
      d.detail = it->second.error;
      d.address = c.address;
      d.where = res->where;
      out.diagnostics.push_back(std::move(d));
      continue;
    }
    const std::string region = res->region;
    if (c.action == plan::Action::create) {
      out.add(res->workload,
              finding("exists", missing_grade(c.type), false, fmt::format("{} does not exist in {}", c.address, region),
                      fmt::format("refresh ({} read in {}): not found", c.type, region), c.address, res->where));
      continue;
    }
    const std::string id = c.cloud_id.empty() ? "" : " (" + c.cloud_id + ")";
    if (c.attrs.empty()) {
      out.add(res->workload, finding("exists", missing_grade(c.type), true,
                                     fmt::format("{}{} exists and matches its configuration", c.address, id),
                                     fmt::format("refresh ({} read in {}): found", c.type, region), c.address,
                                     res->where));
      continue;
    }
    for (const auto& a : c.attrs) {
      const auto g = grade_attribute(c.type, a);
      // check_s3_rules reports each rule's status and RTC with the rule's own evidence.
      if (g.check == "s3.rule_enabled" || g.check == "s3.rtc") continue;
      out.add(res->workload,
              finding(g.check, g.grade, false,
                      fmt::format("{}{}: {} is {}, configured {}", c.address, id, a.path, short_json(a.before),
                                  short_json(a.after)),
                      fmt::format("refresh ({} read in {}): {} = {}", c.type, region, a.path, short_json(a.before)),
                      c.address, res->where));
    }
  }
}

}  // namespace dr::readiness_detail
