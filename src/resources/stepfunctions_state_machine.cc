// stepfunctions.state_machine: a STANDARD state machine (the automatic failover runbook,
// dr/automation.h), deployed in the DR region so it runs while the primary region is down.
//
// Attributes: `name` (replace), `definition` (the ASL as a JSON object: compared by meaning, so
// AWS re-serialising the text is no change), `role_arn`, `tags` {..}; computed `arn`.
// Id: the state machine ARN.
// Read: one ListStateMachines walk per region (nextToken pages; stops when every wanted name is
// seen), then DescribeStateMachine and ListTagsForResource per machine found
// (StateMachineDoesNotExist → absent). A definition AWS returns that is not JSON is reported as
// its text, so it differs from any desired object and the plan updates it (a hand edit shows).
// Create: CreateStateMachine (StateMachineAlreadyExists → adopt by name and converge). Update:
// UpdateStateMachine (definition, roleArn) only when one differs; tags by TagResource /
// UntagResource. Destroy: DeleteStateMachine (absent = done).
#include <set>

#include "resources/common.h"
#include "resources/json_tagging.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;

aws::Result<json> call(aws::Client& c, const std::string& region, const std::string& op, const json& body) {
  return c.json(aws::services::states, region, op, body);
}

const JsonTagging kTagging{&aws::services::states, "resourceArn", "tags", "key", "value", "tagKeys"};

// name -> ARN of every machine of the region whose name is wanted.
aws::Result<std::map<std::string, std::string>> list_arns(aws::Client& c, const std::string& region,
                                                          const std::set<std::string>& wanted) {
  std::map<std::string, std::string> out;
  std::string token;
  for (int page = 0; page < 1000; ++page) {
    json body = {{"maxResults", 1000}};
    if (!token.empty()) body["nextToken"] = token;
    auto r = call(c, region, "ListStateMachines", body);
    if (!r) return model::err(r.error());
    for (const auto& m : r->value("stateMachines", json::array()))
      if (wanted.count(get_string(m, "name", ""))) out[get_string(m, "name", "")] = get_string(m, "stateMachineArn", "");
    token = get_string(*r, "nextToken", "");
    if (token.empty() || out.size() == wanted.size()) break;
  }
  return out;
}

// Describe + tags of one machine; nullopt when it does not exist.
aws::Result<std::optional<Live>> describe(aws::Client& c, const std::string& region, const std::string& arn) {
  auto d = call(c, region, "DescribeStateMachine", {{"stateMachineArn", arn}});
  if (!d) {
    if (has_code(d.error(), {"StateMachineDoesNotExist", "ResourceNotFound"})) return std::optional<Live>{};
    return model::err(d.error());
  }
  auto tags = list_tags(c, kTagging, region, arn);
  if (!tags) return model::err(tags.error());
  const auto text = get_string(*d, "definition", "");
  json definition = json::parse(text, nullptr, false);
  if (definition.is_discarded()) definition = text;
  return std::optional<Live>{Live{arn,
                                  {{"name", get_string(*d, "name", "")},
                                   {"arn", arn},
                                   {"definition", definition},
                                   {"role_arn", get_string(*d, "roleArn", "")},
                                   {"tags", tag_json(*tags)}}}};
}

class StateMachine final : public ResourceType {
 public:
  std::string_view name() const override { return "stepfunctions.state_machine"; }
  const Schema& schema() const override {
    static const Schema s{{{"name", AttrKind::replace}, {"arn", AttrKind::computed}}, false};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    std::set<std::string> names;
    for (const auto& t : targets) names.insert(str_attr(t.attrs, "name"));
    auto arns = list_arns(ctx.aws, region, names);
    for (const auto& t : targets) {
      if (!arns) {
        out[t.address] = failed(arns.error());
        continue;
      }
      auto it = arns->find(str_attr(t.attrs, "name"));
      const std::string arn = it != arns->end() ? it->second : t.id;
      if (arn.empty()) {
        out[t.address] = absent();
        continue;
      }
      auto d = describe(ctx.aws, region, arn);
      out[t.address] = !d ? failed(d.error()) : *d ? found(std::move(**d)) : absent();
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto name = str_attr(want.attrs, "name");
    auto r = call(ctx.aws, want.region, "CreateStateMachine",
                  {{"name", name},
                   {"definition", json_text(want.attrs.value("definition", json::object()))},
                   {"roleArn", str_attr(want.attrs, "role_arn")},
                   {"type", "STANDARD"},
                   {"tags", wire_tags(kTagging, tag_map(want.attrs.value("tags", json::object())))}});
    std::string arn;
    if (r) {
      arn = get_string(*r, "stateMachineArn", "");
    } else if (has_code(r.error(), {"StateMachineAlreadyExists"})) {
      auto arns = list_arns(ctx.aws, want.region, {name});
      if (!arns) return model::err(arns.error());
      if (!arns->count(name)) return model::err(r.error());
      arn = arns->at(name);
    } else {
      return model::err(r.error());
    }
    auto have = describe(ctx.aws, want.region, arn);
    if (!have) return model::err(have.error());
    if (!*have) return model::err(local_error("MalformedResponse", "state machine " + arn + " vanished after create", "states"));
    return update(ctx, want, **have);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    const auto arn = have.id.empty() ? str_attr(have.attrs, "arn") : have.id;
    const auto& w = want.attrs;
    if (w.value("definition", json()) != have.attrs.value("definition", json()) ||
        str_attr(w, "role_arn") != str_attr(have.attrs, "role_arn")) {
      auto r = call(ctx.aws, want.region, "UpdateStateMachine",
                    {{"stateMachineArn", arn},
                     {"definition", json_text(w.value("definition", json::object()))},
                     {"roleArn", str_attr(w, "role_arn")}});
      if (!r) return model::err(r.error());
    }
    if (w.contains("tags"))
      if (auto r = sync_tags(ctx.aws, kTagging, want.region, arn, tag_map(w["tags"]),
                             tag_map(have.attrs.value("tags", json::object())));
          !r)
        return model::err(r.error());
    auto now = describe(ctx.aws, want.region, arn);
    if (!now) return model::err(now.error());
    if (!*now) return model::err(local_error("MalformedResponse", "state machine " + arn + " vanished during update", "states"));
    return **now;
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    std::string arn = have.id;
    if (arn.empty()) {
      const auto name = str_attr(have.attrs, "name");
      auto arns = list_arns(ctx.aws, have.region, {name});
      if (!arns) return model::err(arns.error());
      if (!arns->count(name)) return model::ok();
      arn = arns->at(name);
    }
    auto r = call(ctx.aws, have.region, "DeleteStateMachine", {{"stateMachineArn", arn}});
    if (!r && !has_code(r.error(), {"StateMachineDoesNotExist", "ResourceNotFound"})) return model::err(r.error());
    return model::ok();
  }
};

}  // namespace

const ResourceType& stepfunctions_state_machine_type() {
  static const StateMachine t;
  return t;
}

}  // namespace resources
