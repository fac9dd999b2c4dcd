// backup.vault: a Backup vault with its tags and optional Vault Lock. Data-bearing: its
// recovery points are the backups themselves.
//
// Read lists vaults once (ListBackupVaults, paginated: its members carry Locked,
// MinRetentionDays, MaxRetentionDays and LockDate, so the lock costs no extra call) and, if a
// wanted vault exists, reads the tags of the region's vaults in one tag index (GetResources
// "backup:backup-vault", see tag_index.h) instead of a ListTags per vault; a vault the index
// does not list has no tags. Create passes a CreatorRequestId derived from the
// address; a vault that already exists (an interrupted earlier run) is adopted and its tags
// and lock converged.
//
// `lock` {min_retention_days?, max_retention_days?, changeable_for_days?} is in place:
// PutBackupVaultLockConfiguration. A desired `lock: {}` means "no lock":
// DeleteBackupVaultLockConfiguration, which AWS refuses once the lock date has passed
// (compliance mode is immutable); that error is returned as is. ChangeableForDays cannot be
// read back: a live lock with a LockDate reports the desired value (the lock date itself is
// the computed `lock_date`).
#include <optional>
#include <set>
#include <utility>

#include "resources/backup_common.h"
#include "resources/common.h"
#include "resources/tag_index.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;

struct VaultInfo {
  std::string arn;
  std::string encryption_key_arn;
  json member;  // the ListBackupVaults / DescribeBackupVault reply, for the lock fields
};

bool is_locked(const json& v) {
  return (v.contains("Locked") && v["Locked"].is_boolean() && v["Locked"].get<bool>()) ||
         (v.contains("MinRetentionDays") && v["MinRetentionDays"].is_number()) ||
         (v.contains("MaxRetentionDays") && v["MaxRetentionDays"].is_number());
}

// The live `lock` in the desired shape: nullopt when the vault is unlocked and the target
// does not manage a lock (so stacks without locks see no new key), {} when unlocked and it does.
std::optional<json> read_lock(const json& v, const json& desired) {
  const json want = desired.contains("lock") && desired["lock"].is_object() ? desired["lock"] : json();
  if (!is_locked(v)) return want.is_null() ? std::nullopt : std::optional<json>(json::object());
  json lock = json::object();
  if (v.contains("MinRetentionDays") && v["MinRetentionDays"].is_number())
    lock["min_retention_days"] = v["MinRetentionDays"].get<long long>();
  if (v.contains("MaxRetentionDays") && v["MaxRetentionDays"].is_number())
    lock["max_retention_days"] = v["MaxRetentionDays"].get<long long>();
  // Only the lock date is readable; it exists exactly when ChangeableForDays was given.
  if (v.contains("LockDate") && !v["LockDate"].is_null() && want.is_object() &&
      want.contains("changeable_for_days"))
    lock["changeable_for_days"] = want["changeable_for_days"];
  return lock;
}

aws::Result<model::Unit> sync_lock(aws::Client& c, const Target& want, const std::string& name,
                                   const json& have_lock) {
  if (!want.attrs.contains("lock") || !want.attrs["lock"].is_object()) return model::ok();
  const json& lock = want.attrs["lock"];
  const json have = have_lock.is_object() ? have_lock : json::object();
  if (lock == have) return model::ok();
  const std::string path = "/backup-vaults/" + name + "/vault-lock";
  if (lock.empty()) {
    auto r = backup::call(c, want.region, backup::request("DeleteBackupVaultLockConfiguration", "DELETE", path));
    if (!r) return model::err(r.error());
    return model::ok();
  }
  json body = json::object();
  for (const auto& [key, field] : {std::pair{"min_retention_days", "MinRetentionDays"},
                                   std::pair{"max_retention_days", "MaxRetentionDays"},
                                   std::pair{"changeable_for_days", "ChangeableForDays"}})
    if (lock.contains(key) && !lock[key].is_null()) body[field] = lock[key];
  auto r = backup::call(c, want.region, backup::request("PutBackupVaultLockConfiguration", "PUT", path, body));
  if (!r) return model::err(r.error());
  return model::ok();
}

aws::Result<Live> converge(aws::Client& c, const Target& want, const std::string& name,
                           const std::string& arn, const TagMap& have_tags, const json& have_lock) {
  if (want.attrs.contains("tags"))
    if (auto r = backup::sync_tags(c, want.region, arn, tag_map(want.attrs["tags"]), have_tags); !r)
      return model::err(r.error());
  if (auto r = sync_lock(c, want, name, have_lock); !r) return model::err(r.error());
  Live live{name, want.attrs};
  live.attrs["name"] = name;
  live.attrs["arn"] = arn;
  return live;
}

class BackupVault final : public ResourceType {
 public:
  std::string_view name() const override { return "backup.vault"; }
  const Schema& schema() const override {
    static const Schema s{{{"name", AttrKind::replace},
                           {"encryption_key_arn", AttrKind::replace},
                           {"arn", AttrKind::computed},
                           {"lock_date", AttrKind::computed}},
                          true};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    std::set<std::string> wanted;
    for (const auto& t : targets) wanted.insert(id_or_attr(t, "name"));
    std::map<std::string, VaultInfo> existing;
    auto listed = backup::paginate(ctx.aws, region, backup::request("ListBackupVaults", "GET", "/backup-vaults/"),
                                   [&](const json& page) {
                                     if (page.contains("BackupVaultList") && page["BackupVaultList"].is_array())
                                       for (const auto& v : page["BackupVaultList"])
                                         if (auto n = get_string(v, "BackupVaultName", ""); wanted.count(n))
                                           existing[n] = {get_string(v, "BackupVaultArn", ""),
                                                          get_string(v, "EncryptionKeyArn", ""), v};
                                     return existing.size() < wanted.size();  // stop once all are seen
                                   });
    if (!listed) {
      for (const auto& t : targets) out[t.address] = failed(listed.error());
      return out;
    }

    aws::Result<TagIndex> tags = TagIndex{};
    if (!existing.empty()) tags = tag_index(ctx.aws, region, {"backup:backup-vault"});
    for (const auto& t : targets) {
      const auto name = id_or_attr(t, "name");
      auto it = existing.find(name);
      if (it == existing.end()) {
        out[t.address] = absent();
        continue;
      }
      if (!tags) {  // never "no tags"
        out[t.address] = failed(tags.error());
        continue;
      }
      Live live{name, {{"name", name}, {"arn", it->second.arn}, {"tags", tag_json(tags_in(*tags, it->second.arn))}}};
      if (!it->second.encryption_key_arn.empty()) live.attrs["encryption_key_arn"] = it->second.encryption_key_arn;
      if (auto lock = read_lock(it->second.member, t.attrs)) live.attrs["lock"] = *lock;
      if (const auto& m = it->second.member; m.contains("LockDate") && !m["LockDate"].is_null())
        live.attrs["lock_date"] = m["LockDate"];
      out[t.address] = found(std::move(live));
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto name = str_attr(want.attrs, "name");
    json body = {{"CreatorRequestId", creator_request_id(ctx.stack, want.address)},
                 {"BackupVaultTags", tag_json(tag_map(want.attrs.value("tags", json::object())))}};
    if (auto k = str_attr(want.attrs, "encryption_key_arn"); !k.empty()) body["EncryptionKeyArn"] = k;
    auto res = backup::call(ctx.aws, want.region,
                            backup::request("CreateBackupVault", "PUT", "/backup-vaults/" + name, body));
    if (res) return converge(ctx.aws, want, name, get_string(*res, "BackupVaultArn", ""),
                             tag_map(body["BackupVaultTags"]), json::object());
    if (!has_code(res.error(), {"AlreadyExistsException"})) return model::err(res.error());
    // Left by an interrupted run: adopt it.
    auto desc = backup::call(ctx.aws, want.region,
                             backup::request("DescribeBackupVault", "GET", "/backup-vaults/" + name));
    if (!desc) return model::err(desc.error());
    const auto arn = get_string(*desc, "BackupVaultArn", "");
    auto tags = backup::list_tags(ctx.aws, want.region, arn);
    if (!tags) return model::err(tags.error());
    return converge(ctx.aws, want, name, arn, *tags, read_lock(*desc, want.attrs).value_or(json::object()));
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    const auto name = have.id.empty() ? str_attr(want.attrs, "name") : have.id;
    return converge(ctx.aws, want, name, str_attr(have.attrs, "arn"),
                    tag_map(have.attrs.value("tags", json::object())), have.attrs.value("lock", json::object()));
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    // A vault holding recovery points answers InvalidRequestException: returned as is.
    const auto name = id_or_attr(have, "name");
    auto res = backup::call(ctx.aws, have.region,
                            backup::request("DeleteBackupVault", "DELETE", "/backup-vaults/" + name));
    if (!res && !has_code(res.error(), {"ResourceNotFoundException"})) return model::err(res.error());
    return model::ok();
  }
};

}  // namespace

const ResourceType& backup_vault_type() {
  static const BackupVault t;
  return t;
}

}  // namespace resources
