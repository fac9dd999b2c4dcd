// check_workload_kinds (semantic.h): per-kind rules the JSON Schema cannot express.
#include <arpa/inet.h>

#include "config/aws_names.h"
#include "config/semantic.h"
#include "model/duration.h"

namespace config {

namespace {

using nlohmann::json;

// The region field of an ARN (arn:partition:service:region:account:...), or "".
std::string arn_region(const std::string& arn) {
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    pos = arn.find(':', pos);
    if (pos == std::string::npos) return "";
    ++pos;
  }
  const size_t end = arn.find(':', pos);
  return end == std::string::npos ? "" : arn.substr(pos, end - pos);
}

int ip_version(const std::string& s) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return 4;
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return 6;
  return 0;
}

class KindChecker {
 public:
  KindChecker(const Document& doc, const std::set<std::string>& failed, model::Diagnostics& diags)
      : doc_(doc), failed_(failed), diags_(diags) {
    primary_ = text("/regions/primary");
    dr_ = text("/regions/dr");
  }

  void run() {
    const json* w = get("/workloads");
    if (!w || !w->is_object() || failed_.count("/workloads")) return;
    for (const auto& [name, spec] : w->items()) {
      if (!spec.is_object() || !spec.contains("kind") || !spec["kind"].is_string()) continue;
      const std::string p = pointer_append("/workloads", name);
      const std::string kind = spec["kind"].get<std::string>();
      if (kind == "rds") rds(p);
      else if (kind == "aurora") arn_in(p + "/cluster", primary_, "the primary cluster", "primary");
      else if (kind == "dynamodb" || kind == "efs") kms_in_dr(p + "/kms_key");
      else if (kind == "ebs" || kind == "ec2") backed_up(p, kind);
      else if (kind == "asg") asg(p);
      else if (kind == "ecs") ecs(p);
      else if (kind == "dns-failover") dns(p);
    }
  }

 private:
  const json* get(const std::string& pointer) const {
    if (failed_.count(pointer)) return nullptr;
    try {
      const json::json_pointer jp(pointer);
      return doc_.value.contains(jp) ? &doc_.value.at(jp) : nullptr;
    } catch (const json::exception&) {
      return nullptr;
    }
  }
  std::string text(const std::string& pointer) const {
    const json* v = get(pointer);
    return v && v->is_string() ? v->get<std::string>() : "";
  }
  std::optional<long long> integer(const std::string& pointer) const {
    const json* v = get(pointer);
    if (!v || !v->is_number_integer()) return std::nullopt;
    return v->get<long long>();
  }

  void error(const std::string& pointer, std::string summary, std::string detail = "",
             model::Severity severity = model::Severity::error) {
    auto d = error_at(doc_, pointer, std::move(summary), true);
    d.detail = std::move(detail);
    d.severity = severity;
    diags_.push_back(std::move(d));
  }

  // An ARN at `pointer` must be in `region` (a plain identifier is not checked).
  void arn_in(const std::string& pointer, const std::string& region, const std::string& what,
              const std::string& role) {
    const std::string arn = text(pointer);
    if (arn.rfind("arn:", 0) != 0 || region.empty()) return;
    const std::string r = arn_region(arn);
    if (r != region) error(pointer, what + " is in " + r + ", not in the " + role + " region " + region);
  }

  void kms_in_dr(const std::string& pointer) {
    const std::string arn = text(pointer);
    if (arn.empty() || dr_.empty()) return;
    const std::string r = arn_region(arn);
    if (r != dr_)
      error(pointer, "kms_key is in " + r + " but the DR copy is in " + dr_,
            "a KMS key is regional: use a key in the DR region");
  }

  void rds(const std::string& p) {
    arn_in(p + "/source", primary_, "the source instance", "primary");
    kms_in_dr(p + "/replica/kms_key");
    const std::string retention = text(p + "/replica/backup_retention");
    if (retention.empty()) return;
    const auto d = model::parse_duration(retention);
    if (!d) return;  // the schema reported it
    if (d->count() % 86400 != 0 || d->count() < 86400 || d->count() > 35 * 86400)
      error(p + "/replica/backup_retention", "backup_retention must be whole days from 1d to 35d, got '" + retention + "'",
            "RDS keeps automated backups for 1 to 35 days");
  }

  void backed_up(const std::string& p, const std::string& kind) {
    const json* tags = get(p + "/tags");
    const json* arns = get(p + "/arns");
    const bool any = (tags && tags->is_object() && !tags->empty()) || (arns && arns->is_array() && !arns->empty());
    if (!any)
      error(p, "name the " + std::string(kind == "ebs" ? "volumes" : "instances") + " to protect with tags or arns",
            "an " + kind + " workload becomes an AWS Backup selection; an empty one protects nothing");
    if (arns && arns->is_array())
      for (size_t i = 0; i < arns->size(); ++i)
        arn_in(pointer_append(p + "/arns", i), primary_, "the resource", "primary");
  }

  // min <= desired <= max within one capacity block.
  void ordered(const std::string& p) {
    const auto min = integer(p + "/min"), desired = integer(p + "/desired"), max = integer(p + "/max");
    if (min && desired && *min > *desired) error(p + "/min", "min (" + std::to_string(*min) + ") must not exceed desired (" + std::to_string(*desired) + ")");
    if (max && desired && *desired > *max) error(p + "/max", "max (" + std::to_string(*max) + ") must be at least desired (" + std::to_string(*desired) + ")");
    if (min && max && !desired && *min > *max) error(p + "/max", "max must be at least min");
  }

  void asg(const std::string& p) {
    ordered(p + "/standby");
    ordered(p + "/failover");
    const auto standby = integer(p + "/standby/desired"), failover = integer(p + "/failover/desired");
    if (standby && failover && *failover < *standby)
      error(p + "/failover/desired", "failover capacity (" + std::to_string(*failover) +
                                         ") must be at least the standby capacity (" + std::to_string(*standby) + ")");
    if (failover && *failover == 0) error(p + "/failover/desired", "failover capacity must be at least 1");
    // The standby maximum defaults to the failover maximum (or desired): it must hold standby.
    const auto standby_max = integer(p + "/standby/max");
    const auto failover_max = integer(p + "/failover/max");
    const auto fmax = failover_max ? failover_max : failover;
    if (!standby_max && fmax && standby && *standby > *fmax)
      error(p + "/standby", "set standby.max: the default (the failover maximum, " + std::to_string(*fmax) +
                                ") is below the standby capacity");
  }

  void ecs(const std::string& p) {
    const auto standby = integer(p + "/standby"), failover = integer(p + "/failover");
    if (failover && *failover == 0) error(p + "/failover", "failover count must be at least 1");
    else if (standby && failover && *failover < *standby)
      error(p + "/failover", "failover count (" + std::to_string(*failover) + ") must be at least the standby count (" +
                                 std::to_string(*standby) + ")");
  }

  void endpoint(const std::string& p, const std::string& type) {
    const json* e = get(p);
    if (!e || !e->is_object()) return;
    const bool target = e->contains("target"), alias = e->contains("alias");
    if (target == alias) {
      error(p, std::string(target ? "set either target or alias, not both" : "set target (a host name or IP) or alias"));
      return;
    }
    if (!target || type.empty()) return;
    const std::string t = text(p + "/target");
    const int v = ip_version(t);
    if (type == "CNAME" && v) error(p + "/target", "a CNAME record needs a host name, not the address '" + t + "'");
    if (type == "A" && v != 4) error(p + "/target", "an A record needs an IPv4 address, got '" + t + "'", "use type: CNAME for a host name");
    if (type == "AAAA" && v != 6) error(p + "/target", "an AAAA record needs an IPv6 address, got '" + t + "'");
  }

  void dns(const std::string& p) {
    // The record type as the module defaults it: A for an alias, else by the primary target.
    std::string type = text(p + "/type");
    if (type.empty() && !failed_.count(p + "/type")) {
      const json* primary = get(p + "/primary");
      const int v = ip_version(text(p + "/primary/target"));
      type = primary && primary->is_object() && primary->contains("alias") ? "A" : v == 6 ? "AAAA" : v == 4 ? "A" : "CNAME";
    }
    endpoint(p + "/primary", type);
    endpoint(p + "/secondary", type);
    const json* primary = get(p + "/primary");
    const json* secondary = get(p + "/secondary");
    const bool both_alias = primary && secondary && primary->contains("alias") && secondary->contains("alias");
    if (both_alias && get(p + "/ttl")) error(p + "/ttl", "alias records have no TTL: remove ttl");
    if (primary && secondary && primary->is_object() && *primary == *secondary)
      error(p + "/secondary", "the secondary endpoint is the same as the primary: failover would change nothing");
    if (const auto ttl = integer(p + "/ttl"); ttl && *ttl > 300)
      error(p + "/ttl", "a TTL of " + std::to_string(*ttl) + "s keeps clients on the failed endpoint that long after failover",
            "DR records usually use 60s or less; the TTL adds to the recovery time", model::Severity::warning);
    const std::string interval = text(p + "/health/interval");
    if (!interval.empty()) {
      const auto d = model::parse_duration(interval);
      if (d && d->count() != 10 && d->count() != 30)
        error(p + "/health/interval", "Route 53 checks every 10s or 30s, got '" + interval + "'");
    }
    const std::string htype = text(p + "/health/type").empty() ? "HTTPS" : text(p + "/health/type");
    if (htype == "TCP" && !get(p + "/health/port")) error(p + "/health", "a TCP health check needs a port");
    if (htype == "TCP" && get(p + "/health/path")) error(p + "/health/path", "a TCP health check has no path");
  }

  const Document& doc_;
  const std::set<std::string>& failed_;
  model::Diagnostics& diags_;
  std::string primary_, dr_;
};

}  // namespace

void check_workload_kinds(const Document& doc, const std::set<std::string>& failed, model::Diagnostics& diags) {
  if (!doc.value.is_object()) return;
  KindChecker(doc, failed, diags).run();
}

}  // namespace config
