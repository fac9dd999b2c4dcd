// backup.vault: a Backup vault with its tags. Data-bearing: its recovery points are the
// backups themselves.
//
// Read lists vaults once (ListBackupVaults, paginated) and reads tags only for the wanted
// vaults found. Create passes a CreatorRequestId derived from the address; a vault that
// already exists (an interrupted earlier run) is adopted and its tags converged.
#include <set>

#include "resources/backup_common.h"
#include "resources/common.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;

struct VaultInfo {
  std::string arn;
  std::string encryption_key_arn;
};

aws::Result<Live> converge(aws::Client& c, const Target& want, const std::string& name,
                           const std::string& arn, const TagMap& have_tags) {
  if (want.attrs.contains("tags"))
    if (auto r = backup::sync_tags(c, want.region, arn, tag_map(want.attrs["tags"]), have_tags); !r)
      return model::err(r.error());
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
                           {"arn", AttrKind::computed}},
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
                                                          get_string(v, "EncryptionKeyArn", "")};
                                     return existing.size() < wanted.size();  // stop once all are seen
                                   });
    if (!listed) {
      for (const auto& t : targets) out[t.address] = failed(listed.error());
      return out;
    }

    for (const auto& t : targets) {
      const auto name = id_or_attr(t, "name");
      auto it = existing.find(name);
      if (it == existing.end()) {
        out[t.address] = absent();
        continue;
      }
      auto tags = backup::list_tags(ctx.aws, region, it->second.arn);
      if (!tags) {
        out[t.address] = failed(tags.error());
        continue;
      }
      Live live{name, {{"name", name}, {"arn", it->second.arn}, {"tags", tag_json(*tags)}}};
      if (!it->second.encryption_key_arn.empty()) live.attrs["encryption_key_arn"] = it->second.encryption_key_arn;
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
                             tag_map(body["BackupVaultTags"]));
    if (!has_code(res.error(), {"AlreadyExistsException"})) return model::err(res.error());
    // Left by an interrupted run: adopt it.
    auto desc = backup::call(ctx.aws, want.region,
                             backup::request("DescribeBackupVault", "GET", "/backup-vaults/" + name));
    if (!desc) return model::err(desc.error());
    const auto arn = get_string(*desc, "BackupVaultArn", "");
    auto tags = backup::list_tags(ctx.aws, want.region, arn);
    if (!tags) return model::err(tags.error());
    return converge(ctx.aws, want, name, arn, *tags);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    const auto name = have.id.empty() ? str_attr(want.attrs, "name") : have.id;
    return converge(ctx.aws, want, name, str_attr(have.attrs, "arn"),
                    tag_map(have.attrs.value("tags", json::object())));
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
