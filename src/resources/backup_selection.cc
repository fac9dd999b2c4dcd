// backup.selection: what a backup plan protects, by resource ARNs and/or StringEquals tag
// conditions (ListOfTags). Selections cannot be changed in place or tagged: every attribute
// is replace, and `tags` here are the selection's conditions, not AWS tags on the selection.
//
// Read groups targets by plan: one ListBackupSelections (paginated) per plan, then
// GetBackupSelection for each wanted selection found. A plan id that is still an unresolved
// reference (the plan does not exist yet) or a plan that is gone means absent.
#include "resources/backup_common.h"
#include "resources/common.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;

std::string plan_of(const Target& t) { return str_attr(t.attrs, "plan_id"); }

std::string selections_path(const std::string& plan_id) { return "/backup/plans/" + plan_id + "/selections/"; }

json selection_attrs(const json& res, const std::string& plan_id, const std::string& id) {
  const json sel = res.value("BackupSelection", json::object());
  json tags = json::object();
  if (sel.contains("ListOfTags") && sel["ListOfTags"].is_array())
    for (const auto& c : sel["ListOfTags"])
      if (get_string(c, "ConditionType", "") == "STRINGEQUALS")
        tags[get_string(c, "ConditionKey", "")] = get_string(c, "ConditionValue", "");
  json resources = json::array();
  if (sel.contains("Resources") && sel["Resources"].is_array())
    for (const auto& r : sel["Resources"])
      if (r.is_string()) resources.push_back(r);
  return {{"id", get_string(res, "SelectionId", id)},
          {"plan_id", get_string(res, "BackupPlanId", plan_id)},
          {"name", get_string(sel, "SelectionName", "")},
          {"iam_role_arn", get_string(sel, "IamRoleArn", "")},
          {"tags", tags},
          {"resources", resources}};
}

aws::Result<std::optional<Live>> get_selection(aws::Client& c, const std::string& region,
                                               const std::string& plan_id, const std::string& id) {
  auto res = backup::call(c, region,
                          backup::request("GetBackupSelection", "GET", selections_path(plan_id) + id));
  if (!res) {
    if (has_code(res.error(), {"ResourceNotFoundException"})) return std::optional<Live>();
    return model::err(res.error());
  }
  return std::optional<Live>(Live{id, selection_attrs(*res, plan_id, id)});
}

// SelectionName -> SelectionId for every selection of the plan; nullopt when the plan is gone.
aws::Result<std::optional<std::map<std::string, std::string>>> list_selections(
    aws::Client& c, const std::string& region, const std::string& plan_id) {
  std::map<std::string, std::string> ids;
  auto st = backup::paginate(c, region, backup::request("ListBackupSelections", "GET", selections_path(plan_id)),
                             [&](const json& page) {
                               if (page.contains("BackupSelectionsList") && page["BackupSelectionsList"].is_array())
                                 for (const auto& s : page["BackupSelectionsList"])
                                   ids[get_string(s, "SelectionName", "")] = get_string(s, "SelectionId", "");
                               return true;
                             });
  if (!st) {
    if (has_code(st.error(), {"ResourceNotFoundException"})) return std::optional<std::map<std::string, std::string>>();
    return model::err(st.error());
  }
  return std::optional<std::map<std::string, std::string>>(std::move(ids));
}

json selection_input(const json& w) {
  json sel = {{"SelectionName", str_attr(w, "name")}, {"IamRoleArn", str_attr(w, "iam_role_arn")}};
  if (w.contains("resources") && w["resources"].is_array() && !w["resources"].empty())
    sel["Resources"] = w["resources"];
  if (w.contains("tags") && w["tags"].is_object() && !w["tags"].empty()) {
    json conditions = json::array();
    for (const auto& [k, v] : tag_map(w["tags"]))
      conditions.push_back({{"ConditionType", "STRINGEQUALS"}, {"ConditionKey", k}, {"ConditionValue", v}});
    sel["ListOfTags"] = conditions;
  }
  return sel;
}

class BackupSelection final : public ResourceType {
 public:
  std::string_view name() const override { return "backup.selection"; }
  const Schema& schema() const override {
    static const Schema s{{{"plan_id", AttrKind::replace},
                           {"name", AttrKind::replace},
                           {"iam_role_arn", AttrKind::replace},
                           {"tags", AttrKind::replace},
                           {"resources", AttrKind::replace},
                           {"id", AttrKind::computed}},
                          false};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    std::map<std::string, std::vector<const Target*>> by_plan;
    for (const auto& t : targets) {
      const auto plan_id = plan_of(t);
      if (plan_id.empty() || is_unresolved(t.attrs.value("plan_id", json()))) out[t.address] = absent();
      else by_plan[plan_id].push_back(&t);
    }
    for (const auto& [plan_id, group] : by_plan) {
      auto listed = list_selections(ctx.aws, region, plan_id);
      for (const Target* t : group) {
        if (!listed) {
          out[t->address] = failed(listed.error());
          continue;
        }
        if (!*listed) {
          out[t->address] = absent();
          continue;
        }
        std::string id;
        if (!t->id.empty()) {
          for (const auto& [_, sid] : **listed)
            if (sid == t->id) id = sid;
        } else if (auto it = (*listed)->find(str_attr(t->attrs, "name")); it != (*listed)->end()) {
          id = it->second;
        }
        if (id.empty()) {
          out[t->address] = absent();
          continue;
        }
        auto sel = get_selection(ctx.aws, region, plan_id, id);
        if (!sel) out[t->address] = failed(sel.error());
        else out[t->address] = *sel ? found(std::move(**sel)) : absent();
      }
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto plan_id = plan_of(want);
    if (plan_id.empty() || is_unresolved(want.attrs.value("plan_id", json())))
      return model::err(local_error("InvalidDesired", "plan_id is not known yet", "backup", "CreateBackupSelection"));
    json body = {{"BackupSelection", selection_input(want.attrs)},
                 {"CreatorRequestId", creator_request_id(ctx.stack, want.address)}};
    auto res = backup::call(ctx.aws, want.region,
                            backup::request("CreateBackupSelection", "PUT", selections_path(plan_id), body));
    std::string id;
    if (res) {
      id = get_string(*res, "SelectionId", "");
    } else {
      if (!has_code(res.error(), {"AlreadyExistsException"})) return model::err(res.error());
      // Created by an interrupted run: find it by name.
      auto listed = list_selections(ctx.aws, want.region, plan_id);
      if (!listed) return model::err(listed.error());
      if (*listed)
        if (auto it = (*listed)->find(str_attr(want.attrs, "name")); it != (*listed)->end()) id = it->second;
      if (id.empty()) return model::err(res.error());
    }
    Live live{id, want.attrs};
    live.attrs["id"] = id;
    return live;
  }

  // Every managed attribute is replace, so plan/ never asks for an in-place change of one;
  // an unknown extra attribute has nothing to update.
  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    Live live{have.id, want.attrs};
    live.attrs["id"] = have.id;
    return live;
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    const auto plan_id = plan_of(have);
    const auto id = id_or_attr(have, "id");
    if (plan_id.empty() || id.empty() || is_unresolved(json(plan_id))) return model::ok();  // never created
    auto res = backup::call(ctx.aws, have.region,
                            backup::request("DeleteBackupSelection", "DELETE", selections_path(plan_id) + id));
    if (!res && !has_code(res.error(), {"ResourceNotFoundException"})) return model::err(res.error());
    return model::ok();
  }
};

}  // namespace

const ResourceType& backup_selection_type() {
  static const BackupSelection t;
  return t;
}

}  // namespace resources
