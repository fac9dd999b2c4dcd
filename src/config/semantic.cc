#include "config/semantic.h"

#include <map>
#include <regex>

#include "config/aws_names.h"
#include "config/schedule.h"
#include "model/duration.h"

namespace config {

namespace {

using nlohmann::json;
using model::Seconds;

constexpr long long kDay = 86400;

class Checker {
 public:
  Checker(const Document& doc, const std::set<std::string>& failed, model::Diagnostics& diags)
      : doc_(doc), failed_(failed), diags_(diags) {}

  // The string at `pointer`, unless absent, not a string, or already reported by the schema.
  std::optional<std::string> str(const std::string& pointer) const {
    if (failed_.count(pointer)) return std::nullopt;
    const json* v = get(pointer);
    if (!v || !v->is_string()) return std::nullopt;
    return v->get<std::string>();
  }

  const json* get(const std::string& pointer) const {
    try {
      const json::json_pointer p(pointer);
      if (!doc_.value.contains(p)) return nullptr;
      return &doc_.value.at(p);
    } catch (const json::exception&) {
      return nullptr;
    }
  }

  void error(const std::string& pointer, std::string summary, std::string detail = "",
             model::Severity sev = model::Severity::error) {
    auto d = error_at(doc_, pointer, std::move(summary), true);
    d.detail = std::move(detail);
    d.severity = sev;
    diags_.push_back(std::move(d));
  }

  // A positive duration at `pointer`, or nullopt (absent, or reported here).
  std::optional<Seconds> duration(const std::string& pointer) {
    const auto s = str(pointer);
    if (!s) return std::nullopt;
    const auto d = model::parse_duration(*s);
    if (!d) {
      error(pointer, "invalid duration '" + *s + "'", "expected a duration such as 90s, 15m, 1h30m, 35d or 2w");
      return std::nullopt;
    }
    if (d->count() <= 0) {
      error(pointer, "duration must be positive, got '" + *s + "'");
      return std::nullopt;
    }
    return d;
  }

  std::optional<Seconds> whole_days(const std::string& pointer) {
    auto d = duration(pointer);
    if (d && d->count() % kDay != 0) {
      error(pointer, "'" + *str(pointer) + "' is not a whole number of days",
            "AWS Backup lifecycles count in days; write e.g. " + model::format_duration(Seconds((d->count() / kDay + 1) * kDay)));
      return std::nullopt;
    }
    return d;
  }

  void objectives(const std::string& pointer) {
    duration(pointer + "/rto");
    duration(pointer + "/rpo");
  }

  void regions() {
    const auto primary = str("/regions/primary"), dr = str("/regions/dr");
    bool ok = true;
    for (const auto& [p, r] : {std::pair{"/regions/primary", primary}, std::pair{"/regions/dr", dr}}) {
      if (r && !is_known_region(*r)) {
        error(p, "unknown AWS region '" + *r + "'", "expected a region name such as us-east-1 or eu-west-2");
        ok = false;
      }
    }
    if (!ok || !primary || !dr) return;
    if (*primary == *dr)
      error("/regions/dr", "the DR region must differ from the primary region ('" + *dr + "')");
    else if (partition_of(*primary) != partition_of(*dr))
      error("/regions/dr", "'" + *dr + "' is in partition " + partition_of(*dr) + " but '" + *primary +
                               "' is in " + partition_of(*primary),
            "replication and backup copies cannot cross AWS partitions");
  }

  void bucket(const std::string& pointer, const std::string& name, const std::string& why = "") {
    if (auto problem = bucket_name_problem(name))
      error(pointer, "invalid bucket name '" + name + "': " + *problem + why);
  }

  void workloads() {
    const json* w = get("/workloads");
    if (!w || !w->is_object() || failed_.count("/workloads")) return;
    static const std::regex name_re("[a-z][a-z0-9-]{0,39}");
    std::map<std::string, std::string> replicas;  // replica bucket -> workload pointer
    const auto dr = str("/regions/dr");
    for (const auto& [name, spec] : w->items()) {
      const std::string p = pointer_append("/workloads", name);
      if (!std::regex_match(name, name_re)) {
        auto d = error_at(doc_, p, "invalid workload name '" + name + "'");
        d.detail = "use up to 40 lowercase letters, digits and hyphens, starting with a letter";
        diags_.push_back(std::move(d));
      }
      if (!spec.is_object()) continue;
      objectives(p + "/objectives");
      if (str(p + "/kind") != std::optional<std::string>("s3")) continue;  // a non-string kind is a schema error
      const auto source = str(p + "/source");
      if (source) bucket(p + "/source", *source);
      std::optional<std::string> replica = str(p + "/replica_bucket");
      std::string replica_at = p + "/replica_bucket";
      if (!replica && !spec.contains("replica_bucket") && source && !bucket_name_problem(*source)) {
        replica = *source + "-dr";
        replica_at = p + "/source";
        bucket(replica_at, *replica, " (the default replica_bucket, <source>-dr; set replica_bucket)");
      } else if (replica) {
        bucket(replica_at, *replica);
      }
      if (replica && source && *replica == *source)
        error(replica_at, "replica_bucket must differ from source ('" + *source + "')");
      if (replica) {
        if (auto [it, fresh] = replicas.emplace(*replica, p); !fresh)
          error(replica_at, "replica bucket '" + *replica + "' is also used by workload '" +
                                it->second.substr(std::string("/workloads/").size()) + "'");
      }
      if (const auto key = str(p + "/kms_key"); key && dr) {
        // arn:aws:kms:<region>:<account>:key/<id>
        const auto first = key->find(':', 4), second = key->find(':', first + 1), third = key->find(':', second + 1);
        if (third != std::string::npos) {
          const std::string region = key->substr(second + 1, third - second - 1);
          if (region != *dr)
            error(p + "/kms_key", "kms_key is in " + region + " but the DR bucket is in " + *dr,
                  "the DR bucket's key must live in the DR region");
        }
      }
    }
  }

  void backups() {
    const json* b = get("/backups");
    if (!b || !b->is_object() || failed_.count("/backups")) return;
    if (const auto text = str("/backups/schedule")) {
      auto s = parse_schedule(*text);
      if (!s) {
        error("/backups/schedule", "invalid schedule '" + *text + "': " + s.error(),
              "expected cron(Minutes Hours Day-of-month Month Day-of-week Year) or rate(N unit)");
      } else if (!interval_of(*s)) {
        error("/backups/schedule", "schedule '" + *text + "' never repeats", "a backup schedule must run regularly");
      } else if (*shortest_interval_of(*s) < Seconds(3600)) {
        error("/backups/schedule", "schedule '" + *text + "' runs more often than once an hour",
              "AWS Backup plan rules run at most hourly");
      }
    }
    const auto start = duration("/backups/window/start");
    const auto complete = duration("/backups/window/complete");
    if (start && *start < Seconds(3600))
      error("/backups/window/start", "the start window must be at least 1h (AWS Backup minimum)");
    if (start && complete && *complete <= *start)
      error("/backups/window/complete", "the completion window must be longer than the start window (" +
                                            model::format_duration(*start) + ")");
    const auto retention = whole_days("/backups/retention");
    const auto cold = whole_days("/backups/cold_after");
    if (retention && cold) {
      if (*cold >= *retention)
        error("/backups/cold_after", "cold_after (" + model::format_duration(*cold) +
                                         ") must be shorter than retention (" + model::format_duration(*retention) + ")");
      else if (*retention < *cold + Seconds(90 * kDay))
        error("/backups/retention",
              "retention must be at least cold_after + 90d (" + model::format_duration(*cold + Seconds(90 * kDay)) +
                  "), got " + model::format_duration(*retention),
              "AWS Backup keeps recovery points in cold storage for at least 90 days");
    }
    if (const json* copies = get("/backups/copy_regions"); copies && copies->is_array() && !failed_.count("/backups/copy_regions")) {
      const auto primary = str("/regions/primary"), dr = str("/regions/dr");
      for (size_t i = 0; i < copies->size(); ++i) {
        const std::string p = pointer_append("/backups/copy_regions", i);
        const auto r = str(p);
        if (!r) continue;
        if (!is_known_region(*r)) error(p, "unknown AWS region '" + *r + "'");
        else if ((primary && *r == *primary) || (dr && *r == *dr))
          error(p, "'" + *r + "' is the " + std::string(primary && *r == *primary ? "primary" : "DR") +
                       " region; copy_regions names further regions", "the DR copy is copy_to_dr");
        else if (primary && partition_of(*r) != partition_of(*primary))
          error(p, "'" + *r + "' is in partition " + partition_of(*r) + ", the stack in " + partition_of(*primary),
                "backup copies cannot cross AWS partitions");
      }
    }
    // vault_lock becomes each vault's `lock` (days); AWS Backup fails every job whose
    // retention falls outside the lock's range, so say so here rather than at 5 am.
    const auto lock_min = whole_days("/backups/vault_lock/min_retention");
    const auto lock_max = whole_days("/backups/vault_lock/max_retention");
    if (const auto changeable = whole_days("/backups/vault_lock/changeable_for"); changeable && *changeable < Seconds(3 * kDay))
      error("/backups/vault_lock/changeable_for", "changeable_for must be at least 3d (AWS Backup minimum)",
            "after this grace period the lock is immutable (compliance mode); leave it out for a governance lock");
    if (lock_min && lock_max && *lock_min > *lock_max)
      error("/backups/vault_lock/max_retention", "max_retention must not be shorter than min_retention (" +
                                                     model::format_duration(*lock_min) + ")");
    else if (retention && ((lock_min && *retention < *lock_min) || (lock_max && *retention > *lock_max)))
      error("/backups/retention", "retention " + model::format_duration(*retention) + " is outside the vault lock's range",
            "AWS Backup fails backup and copy jobs whose retention is outside vault_lock min_retention..max_retention");
    if (const json* sel = get("/backups/select"); sel && sel->is_object() && !failed_.count("/backups/select")) {
      const bool any = (sel->contains("tags") && (*sel)["tags"].is_object() && !(*sel)["tags"].empty()) ||
                       (sel->contains("resources") && (*sel)["resources"].is_array() && !(*sel)["resources"].empty());
      if (!any) error("/backups/select", "name at least one tag or resource to back up",
                      "an empty selection protects nothing");
    }
  }

 private:
  const Document& doc_;
  const std::set<std::string>& failed_;
  model::Diagnostics& diags_;
};

}  // namespace

void check_stack(const Document& doc, const std::set<std::string>& failed, model::Diagnostics& diags) {
  if (!doc.value.is_object()) return;
  Checker c(doc, failed, diags);
  c.regions();
  c.objectives("/objectives");
  c.workloads();
  c.backups();
  check_workload_kinds(doc, failed, diags);
}

}  // namespace config
