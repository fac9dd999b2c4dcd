// Checks read from what refresh already found (no further calls): S3 replication rules
// enabled with RTC where the workload asks for it, PRIMARY failover records carrying the
// stack's health check, and alarms notifying the stack's topic.
#include <algorithm>

#include <fmt/format.h>

#include "dr/readiness_internal.h"
#include "resources/common.h"

namespace dr::readiness_detail {

namespace {

const nlohmann::json* rule_by_id(const nlohmann::json& rules, const std::string& id) {
  if (!rules.is_array()) return nullptr;
  for (const auto& r : rules)
    if (r.is_object() && r.value("id", "") == id) return &r;
  return nullptr;
}

// Desired attributes with references resolved from what refresh observed.
nlohmann::json resolved(const Probe& p, const model::Resource& r) {
  nlohmann::json attrs = r.attrs;
  plan::resolve_from(attrs, p.observed);
  return attrs;
}

}  // namespace

void check_s3_rules(const Probe& p, Sink& out) {
  for (const auto& r : p.graph.resources) {
    if (r.address.type != "s3.replication") continue;
    const auto* live = p.live(r.address.str());
    if (!live) continue;
    const std::string a = r.address.str(), bucket = resources::str_attr(r.attrs, "bucket");
    const auto rules = r.attrs.value("rules", nlohmann::json::array());
    const auto live_rules = live->value("rules", nlohmann::json::array());
    for (const auto& want : rules) {
      if (!want.is_object()) continue;
      const std::string id = want.value("id", "");
      const auto* have = rule_by_id(live_rules, id);
      const std::string ev = fmt::format("GetBucketReplication {} {}: rule {} {}", r.region, bucket, id,
                                         have ? "status=" + have->value("status", "?") +
                                                    " rtc=" + (have->value("rtc", false) ? "on" : "off")
                                              : "not found");
      const bool enabled = have && have->value("status", "") == "Enabled";
      out.add(r.workload, finding("s3.rule_enabled", Grade::critical, enabled,
                                  fmt::format("replication rule {} of {} is {}", id, bucket,
                                              have ? have->value("status", "?") : "missing"),
                                  ev, a, r.where));
      if (want.value("rtc", false)) {
        const bool rtc = have && have->value("rtc", false);
        out.add(r.workload, finding("s3.rtc", Grade::critical, rtc,
                                    fmt::format("Replication Time Control on rule {} of {} is {}", id, bucket,
                                                rtc ? "on (15-minute bound)" : "off: no replication time bound"),
                                    ev, a, r.where));
      }
    }
  }
}

void check_dns_and_alarms(const Probe& p, Sink& out) {
  for (const auto& r : p.graph.resources) {
    const std::string a = r.address.str();
    if (r.address.type == "route53.failover_record" && resources::str_attr(r.attrs, "failover") == "PRIMARY") {
      const auto* live = p.live(a);
      if (!live) continue;
      const auto want = resolved(p, r);
      const std::string want_id = resources::str_attr(want, "health_check_id");
      const std::string have_id = resources::str_attr(*live, "health_check_id");
      if (want_id.empty() && !r.attrs.contains("health_check_id")) continue;  // the configuration checks nothing
      const bool attached = !have_id.empty() && (resources::is_unresolved(want["health_check_id"]) || have_id == want_id);
      out.add(r.workload,
              finding("dns.health_check", Grade::critical, attached,
                      attached ? fmt::format("PRIMARY record {} is health-checked by {}", resources::str_attr(r.attrs, "name"), have_id)
                               : fmt::format("PRIMARY record {} {}: Route 53 will not fail over on its own",
                                             resources::str_attr(r.attrs, "name"),
                                             have_id.empty() ? "has no health check" : "is checked by " + have_id + ", not " + want_id),
                      fmt::format("ListResourceRecordSets {}: HealthCheckId={}", resources::str_attr(r.attrs, "zone_id"),
                                  have_id.empty() ? "(none)" : have_id),
                      a, r.where));
    }
    if (r.address.type == "cloudwatch.alarm") {
      const auto* live = p.live(a);
      if (!live) continue;
      const auto want = resolved(p, r);
      const auto& have = live->value("alarm_actions", nlohmann::json::array());
      for (const auto& topic : want.value("alarm_actions", nlohmann::json::array())) {
        if (!topic.is_string() || resources::is_unresolved(topic)) continue;  // the topic is missing: check_config says so
        const bool notifies = std::find(have.begin(), have.end(), topic) != have.end();
        out.add(r.workload,
                finding("alarm.notifies", Grade::warning, notifies,
                        fmt::format("alarm {} {} {}", resources::str_attr(r.attrs, "name"),
                                    notifies ? "notifies" : "does not notify", topic.get<std::string>()),
                        fmt::format("DescribeAlarms {}: AlarmActions={}", r.region, resources::json_text(have)), a,
                        r.where));
      }
    }
  }
}

}  // namespace dr::readiness_detail
