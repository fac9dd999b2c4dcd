// drctl_resources_live_check: a manual end-to-end check of every resource type against a real
// endpoint (moto with tests/moto/drctl_moto.py, or an AWS sandbox account). Not run by ctest.
//
//   python3 tests/moto/drctl_moto.py -H 127.0.0.1 -p $PORT &
//   export AWS_ENDPOINT_URL=http://127.0.0.1:$PORT AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x
//   build/src/resources/drctl_resources_live_check      # DRCTL_LIVE_KEEP=1: skip the destroys
//
// For each type: create, read back equal to desired, update, read back, destroy, read absent.
// Independent verification (boto3 / aws CLI) is left to tests/integration.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "aws/client.h"
#include "resources/resource_type.h"

namespace {

using nlohmann::json;
using resources::ReadStatus;
using resources::Target;

int failures = 0;

void check(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++failures;
}

// The plan layer's rule: only the desired object's top-level keys are compared.
bool matches(const json& desired, const json& live, std::string& why) {
  for (auto it = desired.begin(); it != desired.end(); ++it)
    if (!live.contains(it.key()) || live[it.key()] != it.value()) {
      why = it.key() + ": want " + it.value().dump() + " have " + (live.contains(it.key()) ? live[it.key()].dump() : "-");
      return false;
    }
  return true;
}

resources::ReadOutcome read(resources::Context& ctx, const Target& t) {
  const auto* type = resources::find_type(t.address.substr(0, t.address.find('.', t.address.find('.') + 1)));
  const Target ts[] = {t};
  return type->read(ctx, t.region, ts).at(t.address);
}

// create -> read equal -> update -> read equal -> returns the live object
std::optional<resources::Live> cycle(resources::Context& ctx, Target t, const json& changed) {
  const std::string type_name = t.address.substr(0, t.address.find('.', t.address.find('.') + 1));
  const auto* type = resources::find_type(type_name);
  auto before = read(ctx, t);
  check(before.status == ReadStatus::absent, t.address + " absent before create");
  auto created = type->create(ctx, t);
  if (!created) {
    check(false, t.address + " create: " + created.error().describe());
    return std::nullopt;
  }
  check(true, t.address + " create -> id " + created->id);
  t.id = created->id;
  auto r = read(ctx, t);
  std::string why;
  bool same = r.status == ReadStatus::found && matches(t.attrs, r.live.attrs, why);
  check(same, t.address + " read back equal " + why + (r.error ? r.error->describe() : ""));
  auto again = type->create(ctx, t);  // idempotent create (a retried create after a crash)
  check(again.ok() && again->id == created->id,
        t.address + " second create converges" + (again.ok() ? " -> " + again->id : ": " + again.error().describe()));
  if (!changed.is_null() && same) {
    Target u = t;
    u.attrs = changed;
    auto updated = type->update(ctx, u, r.live);
    check(updated.ok(), t.address + " update" + (updated.ok() ? "" : ": " + updated.error().describe()));
    auto r2 = read(ctx, u);
    why.clear();
    same = r2.status == ReadStatus::found && matches(u.attrs, r2.live.attrs, why);
    check(same, t.address + " read back updated " + why + (r2.error ? r2.error->describe() : ""));
    r = r2;
  }
  return r.live;
}

void destroy(resources::Context& ctx, const Target& t) {
  const std::string type_name = t.address.substr(0, t.address.find('.', t.address.find('.') + 1));
  auto d = resources::find_type(type_name)->destroy(ctx, t);
  check(d.ok(), t.address + " destroy" + (d.ok() ? "" : ": " + d.error().describe()));
  auto r = read(ctx, t);
  check(r.status == ReadStatus::absent, t.address + " absent after destroy" + (r.error ? r.error->describe() : ""));
}

json tags(const std::string& address) { return {{"drctl:stack", "live"}, {"drctl:address", address}}; }

}  // namespace

int main() {
  aws::Client client(aws::Client::from_environment());
  resources::Context ctx{client, "live"};
  const std::string primary = "us-east-1", dr = "us-west-2";

  // s3.bucket (DR side) and a plain source bucket
  json dst = {{"bucket", "drctl-live-assets-dr"}, {"versioning", "Enabled"},
              {"encryption", {{"algorithm", "AES256"}}}, {"tags", tags("s3.bucket.assets-dr")}};
  json dst2 = dst;
  dst2["tags"]["team"] = "shop";
  dst2["encryption"] = {{"algorithm", "aws:kms"}, {"kms_key_id", "arn:aws:kms:us-west-2:123456789012:key/abc"}};
  Target bucket{"s3.bucket.assets-dr", dr, dst, ""};
  auto bucket_live = cycle(ctx, bucket, dst2);
  Target source{"s3.bucket.source", primary, {{"bucket", "drctl-live-source"}, {"tags", tags("s3.bucket.source")}}, ""};
  cycle(ctx, source, nullptr);

  // iam.role
  json trust = json::parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]})");
  json pol = json::parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ReplicateObject","s3:GetObjectVersionForReplication"],"Resource":"*"}]})");
  json role = {{"name", "drctl-live-replication"}, {"description", "replication"}, {"assume_role_policy", trust},
               {"policies", {{"replicate", pol}, {"extra", pol}}}, {"tags", tags("iam.role.replication")}};
  json role2 = role;
  role2["description"] = "replication v2";
  role2["policies"].erase("extra");
  role2["policies"]["replicate"]["Statement"][0]["Resource"] = "arn:aws:s3:::drctl-live-source/*";
  role2["tags"].erase("drctl:address");
  Target role_t{"iam.role.replication", primary, role, ""};
  auto role_live = cycle(ctx, role_t, role2);
  const std::string role_arn = role_live ? role_live->attrs.value("arn", "") : "";

  // s3.replication
  json rule = {{"id", "to-dr"}, {"priority", 1}, {"status", "Enabled"}, {"prefix", ""},
               {"destination_bucket", "arn:aws:s3:::drctl-live-assets-dr"}, {"storage_class", "STANDARD_IA"},
               {"rtc", true}, {"delete_markers", true}};
  json repl = {{"bucket", "drctl-live-source"}, {"role", role_arn}, {"source_versioning", "Enabled"},
               {"rules", json::array({rule})}};
  json repl2 = repl;
  repl2["rules"][0]["rtc"] = false;
  repl2["rules"][0]["prefix"] = "data/";
  repl2["rules"][0].erase("storage_class");
  Target repl_t{"s3.replication.assets", primary, repl, ""};
  cycle(ctx, repl_t, repl2);

  // backup.vault (both regions)
  json vault = {{"name", "drctl-live-primary"}, {"tags", tags("backup.vault.primary")}};
  json vault2 = vault;
  vault2["tags"]["team"] = "shop";
  vault2["tags"].erase("drctl:address");
  Target vault_t{"backup.vault.primary", primary, vault, ""};
  cycle(ctx, vault_t, vault2);
  Target dr_vault_t{"backup.vault.dr", dr, {{"name", "drctl-live-dr"}, {"tags", tags("backup.vault.dr")}}, ""};
  auto dr_vault = cycle(ctx, dr_vault_t, nullptr);
  const std::string dr_vault_arn = dr_vault ? dr_vault->attrs.value("arn", "") : "";

  // backup.plan
  json plan_rule = {{"name", "hourly"}, {"target_vault", "drctl-live-primary"}, {"schedule", "cron(0 * ? * * *)"},
                    {"start_window_minutes", 60}, {"completion_window_minutes", 180},
                    {"lifecycle", {{"cold_after_days", 7}, {"delete_after_days", 100}}},
                    {"copy_to", json::array({{{"vault_arn", dr_vault_arn}, {"lifecycle", {{"delete_after_days", 35}}}}})}};
  json plan = {{"name", "drctl-live-hourly"}, {"rules", json::array({plan_rule})}, {"tags", tags("backup.plan.hourly")}};
  json plan2 = plan;
  plan2["rules"][0]["schedule"] = "cron(30 * ? * * *)";
  plan2["rules"][0]["lifecycle"].erase("cold_after_days");
  plan2["rules"][0]["lifecycle"]["delete_after_days"] = 35;
  plan2["rules"].push_back({{"name", "daily"}, {"target_vault", "drctl-live-primary"}, {"schedule", "cron(0 5 * * ? *)"},
                            {"lifecycle", {{"delete_after_days", 7}}}, {"copy_to", json::array()}});
  plan2["tags"]["team"] = "shop";
  Target plan_t{"backup.plan.hourly", primary, plan, ""};
  auto plan_live = cycle(ctx, plan_t, plan2);
  const std::string plan_id = plan_live ? plan_live->id : "";
  if (plan_live) {
    check(plan_live->attrs.value("version_id", "") != "", "backup.plan version_id is set");
    Target by_name = plan_t;  // a lost id is found again by name
    by_name.attrs = plan2;
    auto r = read(ctx, by_name);
    check(r.status == ReadStatus::found && r.live.id == plan_id, "backup.plan found by name without id");
  }

  // backup.selection
  json sel = {{"plan_id", plan_id}, {"name", "drctl-live-protected"}, {"iam_role_arn", role_arn},
              {"tags", {{"dr", "protected"}}}, {"resources", json::array({"arn:aws:dynamodb:us-east-1:123456789012:table/catalog"})}};
  Target sel_t{"backup.selection.protected", primary, sel, ""};
  auto sel_live = cycle(ctx, sel_t, nullptr);
  Target unresolved = sel_t;
  unresolved.attrs["plan_id"] = "@{backup.plan.hourly#id}";
  check(read(ctx, unresolved).status == ReadStatus::absent, "backup.selection with unresolved plan is absent");

  // Destroy in dependency order (DRCTL_LIVE_KEEP=1 leaves everything for an outside look).
  if (std::getenv("DRCTL_LIVE_KEEP")) {
    std::printf("%d failure(s); kept\n", failures);
    return failures == 0 ? 0 : 1;
  }
  if (sel_live) destroy(ctx, Target{sel_t.address, primary, sel, sel_live->id});
  if (plan_live) destroy(ctx, Target{plan_t.address, primary, plan2, plan_id});
  destroy(ctx, Target{vault_t.address, primary, vault2, "drctl-live-primary"});
  destroy(ctx, Target{dr_vault_t.address, dr, dr_vault_t.attrs, "drctl-live-dr"});
  destroy(ctx, Target{repl_t.address, primary, repl2, "drctl-live-source"});
  destroy(ctx, Target{role_t.address, primary, role2, "drctl-live-replication"});
  destroy(ctx, Target{bucket.address, dr, dst2, "drctl-live-assets-dr"});
  destroy(ctx, Target{source.address, primary, source.attrs, "drctl-live-source"});

  std::printf("%d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}
