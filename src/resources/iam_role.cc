// iam.role: a service role (S3 replication, AWS Backup) with its trust policy, inline policies
// and tags. IAM is global: every call goes to us-east-1 whatever region the target names.
//
// Read lists roles once (ListRoles, paginated) to learn which wanted roles exist, then reads
// each existing one in full: GetRole (tags, trust policy), ListRolePolicies, GetRolePolicy.
// Policy documents come back URL-encoded and re-serialised by IAM; they are compared by
// meaning (json_policy.h) so that IAM's spelling does not show as drift.
#include <set>

#include "aws/pagination.h"
#include "resources/common.h"
#include "resources/json_policy.h"
#include "resources/tags.h"
#include "resources/types.h"
#include "resources/xml_util.h"

namespace resources {
namespace {

using nlohmann::json;
constexpr const char* kIamRegion = "us-east-1";

aws::Result<pugi::xml_node> call(aws::Client& c, const std::string& action, const aws::Params& p,
                                 aws::XmlDoc& keep) {
  auto doc = c.query(aws::services::iam, kIamRegion, action, p);
  if (!doc) return model::err(doc.error());
  keep = *doc;
  if (!keep) return model::err(local_error("MalformedResponse", "the reply is not XML", "iam", action));
  return xml::child(keep->document_element(), action + "Result");
}

aws::Result<model::Unit> call_void(aws::Client& c, const std::string& action, const aws::Params& p) {
  auto doc = c.query(aws::services::iam, kIamRegion, action, p);
  if (!doc) return model::err(doc.error());
  return model::ok();
}

json parse_doc(const std::string& text) {
  auto doc = parse_policy_document(text);
  return doc ? *doc : json(text);  // keep what IAM said rather than invent a document
}

aws::Result<std::vector<std::string>> list_policy_names(aws::Client& c, const std::string& role) {
  std::vector<std::string> names;
  auto st = aws::paginate_query(c, aws::services::iam, kIamRegion, "ListRolePolicies", {{"RoleName", role}},
                                [&](const pugi::xml_node& res) {
                                  for (auto m : xml::children(xml::child(res, "PolicyNames"), "member"))
                                    names.push_back(m.text().as_string());
                                  return true;
                                });
  if (!st) return model::err(st.error());
  return names;
}

// The whole role as the README shape; nullopt when it does not exist.
aws::Result<std::optional<Live>> read_role(aws::Client& c, const std::string& name, const json& desired) {
  aws::XmlDoc keep;
  auto res = call(c, "GetRole", {{"RoleName", name}}, keep);
  if (!res) {
    if (has_code(res.error(), {"NoSuchEntity"})) return std::optional<Live>();
    return model::err(res.error());
  }
  auto role = xml::child(*res, "Role");
  TagMap tags;
  for (auto m : xml::children(xml::child(role, "Tags"), "member")) tags[xml::text(m, "Key")] = xml::text(m, "Value");
  const json* want_trust =
      desired.is_object() && desired.contains("assume_role_policy") ? &desired["assume_role_policy"] : nullptr;
  Live live{name,
            {{"name", name},
             {"arn", xml::text(role, "Arn")},
             {"description", xml::text(role, "Description")},
             {"assume_role_policy", report_policy(parse_doc(xml::text(role, "AssumeRolePolicyDocument")), want_trust)},
             {"tags", tag_json(tags)}}};

  auto names = list_policy_names(c, name);
  if (!names) return model::err(names.error());
  json policies = json::object();
  const json want_policies = desired.is_object() ? desired.value("policies", json::object()) : json::object();
  for (const auto& pn : *names) {
    aws::XmlDoc pkeep;
    auto pol = call(c, "GetRolePolicy", {{"RoleName", name}, {"PolicyName", pn}}, pkeep);
    if (!pol) return model::err(pol.error());
    const json* want = want_policies.is_object() && want_policies.contains(pn) ? &want_policies[pn] : nullptr;
    policies[pn] = report_policy(parse_doc(xml::text(*pol, "PolicyDocument")), want);
  }
  live.attrs["policies"] = policies;
  return std::optional<Live>(std::move(live));
}

void add_tags(aws::Params& p, const TagMap& tags) {
  int i = 1;
  for (const auto& [k, v] : tags) {
    p.push_back({"Tags.member." + std::to_string(i) + ".Key", k});
    p.push_back({"Tags.member." + std::to_string(i) + ".Value", v});
    ++i;
  }
}

aws::Result<Live> converge(aws::Client& c, const Target& want, const std::string& name, const json& have) {
  const json& w = want.attrs;
  if (w.contains("description") && w["description"] != have.value("description", json(""))) {
    if (auto r = call_void(c, "UpdateRole", {{"RoleName", name}, {"Description", str_attr(w, "description")}}); !r)
      return model::err(r.error());
  }
  if (w.contains("assume_role_policy") &&
      !(have.contains("assume_role_policy") && same_policy(w["assume_role_policy"], have["assume_role_policy"]))) {
    auto r = call_void(c, "UpdateAssumeRolePolicy", {{"RoleName", name}, {"PolicyDocument", json_text(w["assume_role_policy"])}});
    if (!r) return model::err(r.error());
  }
  if (w.contains("policies") && w["policies"].is_object()) {
    const json have_policies = have.value("policies", json::object());
    for (auto it = w["policies"].begin(); it != w["policies"].end(); ++it) {
      if (have_policies.contains(it.key()) && same_policy(it.value(), have_policies[it.key()])) continue;
      auto r = call_void(c, "PutRolePolicy",
                         {{"RoleName", name}, {"PolicyName", it.key()}, {"PolicyDocument", json_text(it.value())}});
      if (!r) return model::err(r.error());
    }
    for (auto it = have_policies.begin(); it != have_policies.end(); ++it) {
      if (w["policies"].contains(it.key())) continue;
      auto r = call_void(c, "DeleteRolePolicy", {{"RoleName", name}, {"PolicyName", it.key()}});
      if (!r && !has_code(r.error(), {"NoSuchEntity"})) return model::err(r.error());
    }
  }
  if (w.contains("tags")) {
    const auto d = diff_tags(tag_map(w["tags"]), tag_map(have.value("tags", json::object())));
    if (!d.set.empty()) {
      aws::Params p{{"RoleName", name}};
      add_tags(p, d.set);
      if (auto r = call_void(c, "TagRole", p); !r) return model::err(r.error());
    }
    if (!d.remove.empty()) {
      aws::Params p{{"RoleName", name}};
      for (size_t i = 0; i < d.remove.size(); ++i)
        p.push_back({"TagKeys.member." + std::to_string(i + 1), d.remove[i]});
      if (auto r = call_void(c, "UntagRole", p); !r) return model::err(r.error());
    }
  }
  Live live{name, w};
  live.attrs["name"] = name;
  live.attrs["arn"] = have.value("arn", json(""));
  return live;
}

class IamRole final : public ResourceType {
 public:
  std::string_view name() const override { return "iam.role"; }
  const Schema& schema() const override {
    static const Schema s{{{"name", AttrKind::replace}, {"arn", AttrKind::computed}}, false};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    std::set<std::string> wanted;
    for (const auto& t : targets) wanted.insert(id_or_attr(t, "name"));
    // One paginated listing tells which wanted roles exist at all.
    std::set<std::string> existing;
    auto listed = aws::paginate_query(ctx.aws, aws::services::iam, kIamRegion, "ListRoles", {},
                                      [&](const pugi::xml_node& res) {
                                        for (auto m : xml::children(xml::child(res, "Roles"), "member"))
                                          if (auto n = xml::text(m, "RoleName"); wanted.count(n)) existing.insert(n);
                                        return existing.size() < wanted.size();  // stop once all are seen
                                      });
    if (!listed) {
      for (const auto& t : targets) out[t.address] = failed(listed.error());
      return out;
    }

    for (const auto& t : targets) {
      const auto name = id_or_attr(t, "name");
      if (!existing.count(name)) {
        out[t.address] = absent();
        continue;
      }
      auto role = read_role(ctx.aws, name, t.attrs);
      if (!role) out[t.address] = failed(role.error());
      else out[t.address] = *role ? found(std::move(**role)) : absent();
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto name = str_attr(want.attrs, "name");
    const json& w = want.attrs;
    aws::Params p{{"Path", "/"}, {"RoleName", name},
                  {"AssumeRolePolicyDocument", json_text(w.value("assume_role_policy", json::object()))}};
    if (auto d = str_attr(w, "description"); !d.empty()) p.push_back({"Description", d});
    add_tags(p, tag_map(w.value("tags", json::object())));
    aws::XmlDoc keep;
    auto res = call(ctx.aws, "CreateRole", p, keep);
    if (!res) {
      if (!has_code(res.error(), {"EntityAlreadyExists"})) return model::err(res.error());
      // Created by an earlier, interrupted run: read it and converge.
      auto have = read_role(ctx.aws, name, w);
      if (!have) return model::err(have.error());
      if (!*have) return model::err(res.error());
      return converge(ctx.aws, want, name, (*have)->attrs);
    }
    json have = {{"name", name},
                 {"arn", xml::text(xml::child(*res, "Role"), "Arn")},
                 {"description", str_attr(w, "description")},
                 {"tags", w.value("tags", json::object())}};
    if (w.contains("assume_role_policy")) have["assume_role_policy"] = w["assume_role_policy"];
    return converge(ctx.aws, want, name, have);  // puts the inline policies
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    return converge(ctx.aws, want, have.id.empty() ? str_attr(want.attrs, "name") : have.id, have.attrs);
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    const auto name = id_or_attr(have, "name");
    auto names = list_policy_names(ctx.aws, name);
    if (!names) {
      if (has_code(names.error(), {"NoSuchEntity"})) return model::ok();
      return model::err(names.error());
    }
    for (const auto& pn : *names) {
      auto r = call_void(ctx.aws, "DeleteRolePolicy", {{"RoleName", name}, {"PolicyName", pn}});
      if (!r && !has_code(r.error(), {"NoSuchEntity"})) return model::err(r.error());
    }
    // Attached managed policies or instance profiles make this DeleteConflict: returned as
    // is, drctl does not detach what it did not attach.
    auto r = call_void(ctx.aws, "DeleteRole", {{"RoleName", name}});
    if (!r && !has_code(r.error(), {"NoSuchEntity"})) return model::err(r.error());
    return model::ok();
  }
};

}  // namespace

const ResourceType& iam_role_type() {
  static const IamRole t;
  return t;
}

}  // namespace resources
