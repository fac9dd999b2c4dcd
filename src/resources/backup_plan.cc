// backup.plan: a Backup plan (rules: schedule, windows, lifecycle, cross-region copies) and
// its tags. The cloud id is the plan id AWS assigns.
//
// Read: a target with an id is read with GetBackupPlan; targets without one are found with a
// single ListBackupPlans (paginated) by name, preferring the plan carrying our
// CreatorRequestId. A deleted plan (DeletionDate set) counts as absent. Tags come from one tag
// index for the region (GetResources "backup:backup-plan", see tag_index.h), read only if a
// plan exists, instead of a ListTags per plan; a plan the index does not list has no tags.
// GetBackupPlan stays one call per plan: no listing carries the rules.
// Destroy deletes only the plan. AWS refuses to delete a plan that still has selections; apply
// orders destroys by dependency, so drctl's own selections (which reference the plan id) are
// gone first, and a selection drctl does not manage makes the delete fail visibly rather than
// being removed behind the user's back.
#include "resources/backup_common.h"
#include "resources/backup_plan_map.h"
#include "resources/common.h"
#include "resources/tag_index.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;

struct PlanRef {
  std::string id, arn, version_id;
};

// GetBackupPlan as the README shape, without tags; nullopt when absent or deleted.
aws::Result<std::optional<Live>> get_plan(aws::Client& c, const std::string& region,
                                          const std::string& id, const json* desired) {
  auto res = backup::call(c, region, backup::request("GetBackupPlan", "GET", "/backup/plans/" + id + "/"));
  if (!res) {
    if (has_code(res.error(), {"ResourceNotFoundException"})) return std::optional<Live>();
    return model::err(res.error());
  }
  if (res->contains("DeletionDate") && !(*res)["DeletionDate"].is_null()) return std::optional<Live>();
  const auto arn = get_string(*res, "BackupPlanArn", "");
  json attrs = backup::plan_attrs(res->value("BackupPlan", json::object()), desired);
  attrs["id"] = get_string(*res, "BackupPlanId", id);
  attrs["arn"] = arn;
  attrs["version_id"] = get_string(*res, "VersionId", "");
  return std::optional<Live>(Live{attrs["id"].get<std::string>(), attrs});
}

// One plan with its own ListTags: the create path, which has a single plan to adopt.
aws::Result<std::optional<Live>> read_plan(aws::Client& c, const std::string& region,
                                           const std::string& id, const json* desired) {
  auto plan = get_plan(c, region, id, desired);
  if (!plan || !*plan) return plan;
  auto tags = backup::list_tags(c, region, str_attr((*plan)->attrs, "arn"));
  if (!tags) return model::err(tags.error());
  (*plan)->attrs["tags"] = tag_json(*tags);
  return plan;
}

// Every live (not deleted) plan, grouped by name (ListBackupPlans, paginated).
aws::Result<std::map<std::string, std::vector<json>>> list_plans(aws::Client& c, const std::string& region) {
  std::map<std::string, std::vector<json>> by_name;
  auto st = backup::paginate(c, region, backup::request("ListBackupPlans", "GET", "/backup/plans/"),
                             [&](const json& page) {
                               if (page.contains("BackupPlansList") && page["BackupPlansList"].is_array())
                                 for (const auto& p : page["BackupPlansList"])
                                   if (!p.contains("DeletionDate") || p["DeletionDate"].is_null())
                                     by_name[get_string(p, "BackupPlanName", "")].push_back(p);
                               return true;
                             });
  if (!st) return model::err(st.error());
  return by_name;
}

// Among plans sharing a name, the one created with our CreatorRequestId wins.
std::string pick(const std::vector<json>& plans, const std::string& creator_id) {
  for (const auto& p : plans)
    if (get_string(p, "CreatorRequestId", "") == creator_id) return get_string(p, "BackupPlanId", "");
  return plans.empty() ? "" : get_string(plans.front(), "BackupPlanId", "");
}

aws::Result<Live> converge(aws::Client& c, const Target& want, const Live& have) {
  const json& w = want.attrs;
  const std::string id = have.id.empty() ? str_attr(have.attrs, "id") : have.id;
  if (id.empty()) return model::err(local_error("InvalidDesired", "no plan id to update", "backup", "UpdateBackupPlan"));
  std::string version_id = str_attr(have.attrs, "version_id");
  const std::string arn = str_attr(have.attrs, "arn");
  if (backup::plan_input(w) != backup::plan_input(have.attrs)) {
    auto res = backup::call(c, want.region,
                            backup::request("UpdateBackupPlan", "POST", "/backup/plans/" + id,
                                            {{"BackupPlan", backup::plan_input(w)}}));
    if (!res) return model::err(res.error());
    version_id = get_string(*res, "VersionId", version_id);
  }
  if (w.contains("tags"))
    if (auto r = backup::sync_tags(c, want.region, arn, tag_map(w["tags"]),
                                   tag_map(have.attrs.value("tags", json::object())));
        !r)
      return model::err(r.error());
  Live live{id, w};
  live.attrs["id"] = id;
  live.attrs["arn"] = arn;
  live.attrs["version_id"] = version_id;
  return live;
}

class BackupPlan final : public ResourceType {
 public:
  std::string_view name() const override { return "backup.plan"; }
  const Schema& schema() const override {
    static const Schema s{{{"id", AttrKind::computed}, {"arn", AttrKind::computed}, {"version_id", AttrKind::computed}},
                          false};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    std::optional<std::map<std::string, std::vector<json>>> by_name;  // listed only if needed
    std::map<std::string, Live> plans;  // found, by address: tagged after the loop
    for (const auto& t : targets) {
      std::string id = t.id;
      if (id.empty()) {
        if (!by_name) {
          auto listed = list_plans(ctx.aws, region);
          if (!listed) {
            out[t.address] = failed(listed.error());
            continue;
          }
          by_name = std::move(*listed);
        }
        auto it = by_name->find(str_attr(t.attrs, "name"));
        if (it != by_name->end()) id = pick(it->second, creator_request_id(ctx.stack, t.address));
        if (id.empty()) {
          out[t.address] = absent();
          continue;
        }
      }
      auto plan = get_plan(ctx.aws, region, id, &t.attrs);
      if (!plan) out[t.address] = failed(plan.error());
      else if (!*plan) out[t.address] = absent();
      else plans.emplace(t.address, std::move(**plan));
    }
    if (plans.empty()) return out;
    auto tags = tag_index(ctx.aws, region, {"backup:backup-plan"});
    for (auto& [address, live] : plans) {
      if (!tags) {  // never "no tags"
        out[address] = failed(tags.error());
        continue;
      }
      live.attrs["tags"] = tag_json(tags_in(*tags, str_attr(live.attrs, "arn")));
      out[address] = found(std::move(live));
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const json& w = want.attrs;
    const auto creator_id = creator_request_id(ctx.stack, want.address);
    json body = {{"BackupPlan", backup::plan_input(w)},
                 {"BackupPlanTags", tag_json(tag_map(w.value("tags", json::object())))},
                 {"CreatorRequestId", creator_id}};
    auto res = backup::call(ctx.aws, want.region, backup::request("CreateBackupPlan", "PUT", "/backup/plans/", body));
    if (res) {
      Live live{get_string(*res, "BackupPlanId", ""), w};
      live.attrs["id"] = live.id;
      live.attrs["arn"] = get_string(*res, "BackupPlanArn", "");
      live.attrs["version_id"] = get_string(*res, "VersionId", "");
      return live;
    }
    if (!has_code(res.error(), {"AlreadyExistsException"})) return model::err(res.error());
    // Created by an interrupted run (same CreatorRequestId): find it and converge.
    auto listed = list_plans(ctx.aws, want.region);
    if (!listed) return model::err(listed.error());
    auto it = listed->find(str_attr(w, "name"));
    const auto id = it == listed->end() ? "" : pick(it->second, creator_id);
    if (id.empty()) return model::err(res.error());
    auto have = read_plan(ctx.aws, want.region, id, &w);
    if (!have) return model::err(have.error());
    if (!*have) return model::err(res.error());
    return converge(ctx.aws, want, **have);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    return converge(ctx.aws, want, have);
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    const auto id = id_or_attr(have, "id");
    if (id.empty()) return model::ok();  // never created
    auto res = backup::call(ctx.aws, have.region, backup::request("DeleteBackupPlan", "DELETE", "/backup/plans/" + id));
    if (!res && !has_code(res.error(), {"ResourceNotFoundException"})) return model::err(res.error());
    return model::ok();
  }
};

}  // namespace

const ResourceType& backup_plan_type() {
  static const BackupPlan t;
  return t;
}

}  // namespace resources
