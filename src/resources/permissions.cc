// The per-type tables follow the calls each type's .cc makes (README.md "How each type reads
// and writes"); keep them in step when a type starts calling something new. A test in
// permissions_test.cc pins the s3/iam/backup stack, and tests/integration/test_iam_policy.py
// proves the apply policy under moto's IAM enforcement.
#include "resources/permissions.h"

#include <cctype>
#include <map>
#include <set>

namespace resources {
namespace {

using nlohmann::json;

struct Ops {
  bool read = false, write = false, destroy = false;
};

Ops ops_for(Phase p) {
  switch (p) {
    case Phase::plan:
    case Phase::drift:
    case Phase::readiness: return {true, false, false};
    case Phase::apply: return {true, true, true};
    // Runbook steps: read tells whether the effect is in place, create performs it; destroy
    // of an op only forgets.
    case Phase::failover:
    case Phase::failback: return {true, true, false};
  }
  return {};
}

std::string attr(const model::Resource& r, const char* key) {
  auto it = r.attrs.find(key);
  if (it == r.attrs.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

bool unresolved(const std::string& v) { return v.empty() || v.find("@{") != std::string::npos; }

class Builder {
 public:
  Builder(const model::Resource& r, const PolicyContext& ctx) : r_(r), ctx_(ctx) {}

  void add(std::initializer_list<const char*> actions, const std::vector<std::string>& resources) {
    for (const char* a : actions)
      for (const auto& res : resources) out_.push_back({a, res});
  }
  void add(std::initializer_list<const char*> actions, const std::string& resource) {
    add(actions, std::vector<std::string>{resource});
  }

  // "arn:<partition>:<service>:<region>:<account>:<rest>"; a name still holding a reference
  // (known only after apply) widens to "*" rather than guessing.
  std::string arn(const std::string& service, const std::string& region, const std::string& rest,
                  bool with_account = true) const {
    if (unresolved(rest)) return "*";
    return "arn:" + ctx_.partition + ":" + service + ":" + region + ":" + (with_account ? ctx_.account : "") +
           ":" + rest;
  }
  std::string s3(const std::string& bucket) const { return arn("s3", "", bucket, false); }
  std::string role(const std::string& name) const { return unresolved(name) ? "*" : arn("iam", "", "role/" + name); }
  std::string db(const std::string& region, const std::string& id) const {
    return unresolved(id) ? "*" : arn("rds", region, "db:" + id);
  }
  std::string cluster(const std::string& region, const std::string& id) const {
    return unresolved(id) ? "*" : arn("rds", region, "cluster:" + id);
  }
  std::string global_cluster(const std::string& id) const {
    return unresolved(id) ? "*" : arn("rds", "", "global-cluster:" + id);
  }

  // An attribute holding an ARN: literal, or a reference to another resource of the graph
  // (its own ARN), else "*".
  std::string arn_attr(const char* key) const { return arn_value(attr(r_, key)); }
  std::string arn_value(const std::string& v) const {
    if (v.rfind("arn:", 0) == 0 && !unresolved(v)) return v;
    auto refs = model::find_references(json(v));
    if (refs.size() == 1 && ctx_.graph)
      if (const auto* other = ctx_.graph->find(refs[0].address)) return own_arn(*other);
    return "*";
  }

  // An RDS source given as identifier or ARN, in `region`.
  std::string db_source(const char* key, const std::string& region) const {
    const std::string v = attr(r_, key);
    if (v.rfind("arn:", 0) == 0) return v;
    return db(region, v);
  }

  std::string own_arn(const model::Resource& o) const {
    const std::string& t = o.address.type;
    if (t == "iam.role") return role(attr(o, "name"));
    if (t == "s3.bucket") return s3(attr(o, "bucket"));
    if (t == "backup.vault") return arn("backup", o.region, "backup-vault:" + attr(o, "name"));
    if (t == "sns.topic") return arn("sns", o.region, attr(o, "name"));
    return "*";
  }

  const model::Resource& r() const { return r_; }
  // The region-wide tag index (tag_index.h) that reads of sns.topic, cloudwatch.alarm and the
  // backup types use: GetResources has no resource-level permissions.
  void tag_index() { add({"tag:GetResources"}, "*"); }

  std::vector<Permission> take() { return std::move(out_); }

 private:
  const model::Resource& r_;
  const PolicyContext& ctx_;
  std::vector<Permission> out_;
};

void s3_bucket(Builder& b, Ops o) {
  const auto bucket = b.s3(attr(b.r(), "bucket"));
  if (o.read)
    b.add({"s3:GetBucketLocation", "s3:GetBucketVersioning", "s3:GetEncryptionConfiguration",
           "s3:GetBucketTagging", "s3:GetBucketObjectLockConfiguration"}, bucket);
  if (o.write)  // DeleteBucketTagging is s3:PutBucketTagging in IAM
    b.add({"s3:CreateBucket", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration",
           "s3:PutBucketObjectLockConfiguration", "s3:PutBucketTagging"}, bucket);
  if (o.destroy) b.add({"s3:DeleteBucket"}, bucket);
}

void s3_replication(Builder& b, Ops o) {
  const auto bucket = b.s3(attr(b.r(), "bucket"));
  if (o.read) b.add({"s3:GetReplicationConfiguration", "s3:GetBucketVersioning"}, bucket);
  if (o.write) {
    b.add({"s3:PutBucketVersioning", "s3:PutReplicationConfiguration"}, bucket);
    b.add({"iam:PassRole"}, b.arn_attr("role"));  // S3 checks the caller may pass the role
  }
  if (o.destroy) b.add({"s3:PutReplicationConfiguration"}, bucket);  // DeleteBucketReplication
}

void iam_role(Builder& b, Ops o) {
  const auto role = b.role(attr(b.r(), "name"));
  if (o.read) {
    b.add({"iam:ListRoles"}, "*");
    b.add({"iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy"}, role);
  }
  if (o.write)
    b.add({"iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:UpdateRole",
           "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole"}, role);
  if (o.destroy) b.add({"iam:DeleteRolePolicy", "iam:DeleteRole"}, role);
}

void backup_vault(Builder& b, Ops o) {
  const auto vault = b.arn("backup", b.r().region, "backup-vault:" + attr(b.r(), "name"));
  if (o.read) {
    b.add({"backup:ListBackupVaults"}, "*");
    b.tag_index();
  }
  if (o.write) {  // ListTags: adopting a vault left by an interrupted create
    b.add({"backup:CreateBackupVault", "backup:DescribeBackupVault", "backup:ListTags", "backup:TagResource",
           "backup:UntagResource", "backup:PutBackupVaultLockConfiguration",
           "backup:DeleteBackupVaultLockConfiguration"}, vault);
    // CreateBackupVault also needs the vault's storage (AWS documents these two).
    b.add({"backup-storage:MountCapsule"}, "*");
  }
  if (o.destroy) b.add({"backup:DeleteBackupVault"}, vault);
}

// Plan ids are assigned by AWS: plan-level actions are scoped to the region's plans.
std::string backup_plans(Builder& b) { return b.arn("backup", b.r().region, "backup-plan:*"); }

void backup_plan(Builder& b, Ops o) {
  const auto plans = backup_plans(b);
  if (o.read) {
    b.add({"backup:ListBackupPlans"}, "*");
    b.add({"backup:GetBackupPlan"}, plans);
    b.tag_index();
  }
  if (o.write)  // GetBackupPlan + ListTags: adopting a plan left by an interrupted create
    b.add({"backup:CreateBackupPlan", "backup:GetBackupPlan", "backup:ListTags", "backup:UpdateBackupPlan",
           "backup:TagResource", "backup:UntagResource"},
          plans);
  if (o.destroy) b.add({"backup:DeleteBackupPlan"}, plans);
}

void backup_selection(Builder& b, Ops o) {
  const auto plans = backup_plans(b);
  if (o.read) b.add({"backup:ListBackupSelections", "backup:GetBackupSelection"}, plans);
  if (o.write) {
    b.add({"backup:CreateBackupSelection"}, plans);
    b.add({"iam:PassRole"}, b.arn_attr("iam_role_arn"));
  }
  if (o.destroy) b.add({"backup:DeleteBackupSelection"}, plans);
}

void rds_replica(Builder& b, Ops o) {
  const auto& r = b.r();
  const auto db = b.db(r.region, attr(r, "identifier"));
  if (o.read) b.add({"rds:DescribeDBInstances"}, "*");
  if (o.write) {
    // The source instance must allow being replicated from, in its own region.
    b.add({"rds:CreateDBInstanceReadReplica"}, {db, b.db_source("source", attr(r, "source_region"))});
    b.add({"rds:ModifyDBInstance", "rds:AddTagsToResource", "rds:RemoveTagsFromResource"}, db);
    b.add({"sts:GetCallerIdentity"}, "*");  // the source ARN needs the account id
  }
  if (o.destroy) {
    b.add({"rds:DeleteDBInstance"}, db);
    b.add({"rds:CreateDBSnapshot"}, {db, b.arn("rds", r.region, "snapshot:" + attr(r, "identifier") + "-final-*")});
  }
}

void rds_global_cluster(Builder& b, Ops o) {
  const auto& r = b.r();
  const auto secondary_region = attr(r, "secondary_region");
  const auto secondary_id = attr(r, "secondary_cluster_id");
  const auto global = b.global_cluster(attr(r, "global_cluster_id"));
  const auto secondary = b.cluster(secondary_region, secondary_id);
  const auto source = attr(r, "source_cluster").rfind("arn:", 0) == 0 ? attr(r, "source_cluster")
                                                                      : b.cluster(r.region, attr(r, "source_cluster"));
  const auto instance = b.db(secondary_region, unresolved(secondary_id) ? "" : secondary_id + "-1");
  if (o.read) b.add({"rds:DescribeGlobalClusters", "rds:DescribeDBClusters", "rds:DescribeDBInstances"}, "*");
  if (o.write) {
    b.add({"rds:CreateGlobalCluster"}, {global, source});
    b.add({"rds:CreateDBCluster"}, {secondary, global});
    b.add({"rds:CreateDBInstance"}, {instance, secondary});
    b.add({"rds:ModifyGlobalCluster", "rds:AddTagsToResource", "rds:RemoveTagsFromResource"}, global);
    b.add({"rds:ModifyDBCluster"}, secondary);
    b.add({"rds:ModifyDBInstance"}, instance);
  }
  if (o.destroy) {
    b.add({"rds:RemoveFromGlobalCluster"}, {global, secondary, source});
    b.add({"rds:DeleteDBInstance"}, instance);
    b.add({"rds:DeleteDBCluster"}, {secondary, b.arn("rds", secondary_region, "cluster-snapshot:" + secondary_id + "-final-*")});
    b.add({"rds:DeleteGlobalCluster"}, global);
  }
}

void dynamodb_replica(Builder& b, Ops o) {
  const auto& r = b.r();
  const auto table = attr(r, "table");
  const std::vector<std::string> tables = {b.arn("dynamodb", r.region, "table/" + table),
                                           b.arn("dynamodb", attr(r, "replica_region"), "table/" + table)};
  if (o.read) b.add({"dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups"}, tables);
  // A replica is created and removed through UpdateTable; AWS then checks the replica actions.
  if (o.write)
    b.add({"dynamodb:UpdateTable", "dynamodb:UpdateContinuousBackups", "dynamodb:CreateTableReplica"}, tables);
  if (o.destroy) b.add({"dynamodb:UpdateTable", "dynamodb:DeleteTableReplica"}, tables);
}

void efs_replication(Builder& b, Ops o) {
  const auto fs = b.arn("elasticfilesystem", b.r().region, "file-system/" + attr(b.r(), "file_system_id"));
  if (o.read) b.add({"elasticfilesystem:DescribeReplicationConfigurations", "elasticfilesystem:DescribeFileSystems"}, "*");
  if (o.write) {
    b.add({"elasticfilesystem:CreateReplicationConfiguration"}, fs);
    b.add({"elasticfilesystem:CreateFileSystem"}, "*");  // AWS creates the destination
  }
  if (o.destroy) b.add({"elasticfilesystem:DeleteReplicationConfiguration"}, fs);
}

void autoscaling(Builder& b, Ops o, bool tags) {
  const auto group = b.arn("autoscaling", b.r().region, "autoScalingGroup:*:autoScalingGroupName/" + attr(b.r(), "group"));
  if (o.read) b.add({"autoscaling:DescribeAutoScalingGroups"}, "*");
  if (o.write) b.add({"autoscaling:UpdateAutoScalingGroup"}, group);
  if (o.write && tags) b.add({"autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags"}, group);
}

void ecs(Builder& b, Ops o, bool tags) {
  const auto cluster = attr(b.r(), "cluster"), svc = attr(b.r(), "service");
  const auto service = unresolved(cluster) ? "*" : b.arn("ecs", b.r().region, "service/" + cluster + "/" + svc);
  if (o.read) b.add({"ecs:DescribeServices"}, service);
  if (o.write) b.add({"ecs:UpdateService"}, service);
  if (o.write && tags) b.add({"ecs:TagResource", "ecs:UntagResource"}, service);
}

void route53_health_check(Builder& b, Ops o) {
  const auto checks = b.arn("route53", "", "healthcheck/*", false);
  if (o.read) {
    b.add({"route53:ListHealthChecks"}, "*");
    b.add({"route53:ListTagsForResources"}, checks);
  }
  if (o.write) {
    b.add({"route53:CreateHealthCheck", "route53:ListHealthChecks"}, "*");
    b.add({"route53:ChangeTagsForResource", "route53:UpdateHealthCheck"}, checks);
  }
  if (o.destroy) b.add({"route53:DeleteHealthCheck"}, checks);
}

void route53_record(Builder& b, Ops o) {
  std::string zone = attr(b.r(), "zone_id");
  if (zone.rfind("/hostedzone/", 0) == 0) zone = zone.substr(12);
  const auto arn = unresolved(zone) ? "*" : b.arn("route53", "", "hostedzone/" + zone, false);
  if (o.read) b.add({"route53:ListResourceRecordSets"}, arn);
  if (o.write || o.destroy) b.add({"route53:ChangeResourceRecordSets", "route53:GetHostedZone"}, arn);
}

void sns_topic(Builder& b, Ops o) {
  const auto topic = b.arn("sns", b.r().region, attr(b.r(), "name"));
  if (o.read) {
    b.add({"sns:ListTopics", "sns:ListSubscriptions"}, "*");  // the region's, no resource-level scope
    b.tag_index();
  }
  if (o.write) {
    b.add({"sns:CreateTopic", "sns:TagResource", "sns:UntagResource", "sns:Subscribe", "sns:ListTagsForResource",
           "sns:ListSubscriptionsByTopic"}, topic);
    b.add({"sns:Unsubscribe"}, "*");  // scoped by subscription ARN, which AWS assigns
  }
  if (o.destroy) b.add({"sns:DeleteTopic"}, topic);
}

void cloudwatch_alarm(Builder& b, Ops o) {
  const auto alarm = b.arn("cloudwatch", b.r().region, "alarm:" + attr(b.r(), "name"));
  if (o.read) {
    b.add({"cloudwatch:DescribeAlarms"}, "*");
    b.tag_index();
  }
  if (o.write) {
    b.add({"cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"}, alarm);
    b.add({"cloudwatch:DescribeAlarms"}, "*");
  }
  if (o.destroy) b.add({"cloudwatch:DeleteAlarms"}, alarm);
}

// ---- runbook steps (op_*.cc)

void op_rds_promote(Builder& b, Ops o) {
  if (o.read) b.add({"rds:DescribeDBInstances"}, "*");
  if (o.write) b.add({"rds:PromoteReadReplica"}, b.db(b.r().region, attr(b.r(), "identifier")));
}

void op_aurora_failover(Builder& b, Ops o) {
  const auto& r = b.r();
  const auto target = attr(r, "target_cluster_arn").empty() ? b.cluster(r.region, attr(r, "target_cluster_id"))
                                                            : attr(r, "target_cluster_arn");
  if (o.read) b.add({"rds:DescribeGlobalClusters", "rds:DescribeDBClusters"}, "*");
  if (o.write)
    b.add({"rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster"},
          {b.global_cluster(attr(r, "global_cluster_id")), target});
}

void op_sns_notify(Builder& b, Ops o) {
  if (o.read || o.write) b.add({"sns:ListTopics"}, "*");
  if (o.write) b.add({"sns:Publish"}, b.arn("sns", b.r().region, attr(b.r(), "topic")));
}

void stepfunctions_state_machine(Builder& b, Ops o) {
  const auto machine = b.arn("states", b.r().region, "stateMachine:" + attr(b.r(), "name"));
  if (o.read) {
    b.add({"states:ListStateMachines"}, "*");  // no resource-level scope
    b.add({"states:DescribeStateMachine", "states:ListTagsForResource"}, machine);
  }
  if (o.write) {
    b.add({"states:CreateStateMachine", "states:UpdateStateMachine", "states:TagResource", "states:UntagResource"},
          machine);
    b.add({"iam:PassRole"}, b.arn_attr("role_arn"));  // the machine runs as its role
  }
  if (o.destroy) b.add({"states:DeleteStateMachine"}, machine);
}

void events_rule(Builder& b, Ops o) {
  const auto rule = b.arn("events", b.r().region, "rule/" + attr(b.r(), "name"));
  if (o.read) b.add({"events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource"}, rule);
  if (o.write) {
    b.add({"events:PutRule", "events:PutTargets", "events:RemoveTargets", "events:EnableRule",
           "events:DisableRule", "events:TagResource", "events:UntagResource"}, rule);
    // Targets that run as a role (start the machine, forward to another region's bus).
    std::set<std::string> roles;
    if (auto t = b.r().attrs.find("targets"); t != b.r().attrs.end() && t->is_array())
      for (const auto& target : *t)
        if (target.is_object() && target.contains("role_arn") && target["role_arn"].is_string())
          roles.insert(b.arn_value(target["role_arn"].get<std::string>()));
    if (!roles.empty()) b.add({"iam:PassRole"}, std::vector<std::string>(roles.begin(), roles.end()));
  }
  if (o.destroy) b.add({"events:RemoveTargets", "events:DeleteRule"}, rule);
}

void op_rds_retire(Builder& b, Ops o) {
  const auto& r = b.r();
  if (o.read) b.add({"rds:DescribeDBInstances"}, "*");
  if (o.write)
    b.add({"rds:ModifyDBInstance", "rds:AddTagsToResource"},
          {b.db(r.region, attr(r, "identifier")), b.db(r.region, attr(r, "retired_identifier"))});
}

void op_rds_reverse_replica(Builder& b, Ops o) {
  const auto& r = b.r();
  if (o.read) b.add({"rds:DescribeDBInstances"}, "*");
  if (o.write) {
    b.add({"rds:CreateDBInstanceReadReplica"},
          {b.db(r.region, attr(r, "identifier")), b.db_source("source", attr(r, "source_region"))});
    b.add({"rds:AddTagsToResource"}, b.db(r.region, attr(r, "identifier")));
    b.add({"sts:GetCallerIdentity"}, "*");
  }
}

// "s3:PutX" -> "S3"; "arn:aws:s3:::shop-assets" -> "ShopAssets": letters and digits only.
std::string camel(const std::string& s) {
  std::string out;
  bool up = true;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      up = false;
    } else {
      up = true;
    }
  }
  return out;
}

// The part of an ARN that names the object ("role/x" -> "x", "backup-vault:v" -> "v").
std::string arn_name(const std::string& arn) {
  if (arn == "*") return "Any";
  std::string tail = arn.substr(arn.find_last_of(":/") + 1);
  return tail == "*" || tail.empty() ? "All" : camel(tail);
}

}  // namespace

std::optional<Phase> parse_phase(const std::string& name) {
  for (Phase p : {Phase::plan, Phase::apply, Phase::drift, Phase::failover, Phase::failback, Phase::readiness})
    if (phase_name(p) == name) return p;
  return std::nullopt;
}

std::string phase_name(Phase p) {
  switch (p) {
    case Phase::plan: return "plan";
    case Phase::apply: return "apply";
    case Phase::drift: return "drift";
    case Phase::failover: return "failover";
    case Phase::failback: return "failback";
    case Phase::readiness: return "readiness";
  }
  return "";
}

std::vector<Permission> permissions_for(const model::Resource& r, Phase phase, const PolicyContext& ctx) {
  Builder b(r, ctx);
  const Ops o = ops_for(phase);
  const std::string& t = r.address.type;
  if (t == "s3.bucket") s3_bucket(b, o);
  else if (t == "s3.replication") s3_replication(b, o);
  else if (t == "iam.role") iam_role(b, o);
  else if (t == "backup.vault") backup_vault(b, o);
  else if (t == "backup.plan") backup_plan(b, o);
  else if (t == "backup.selection") backup_selection(b, o);
  else if (t == "rds.replica") rds_replica(b, o);
  else if (t == "rds.global_cluster") rds_global_cluster(b, o);
  else if (t == "dynamodb.replica") dynamodb_replica(b, o);
  else if (t == "efs.replication") efs_replication(b, o);
  else if (t == "autoscaling.capacity") autoscaling(b, o, true);
  else if (t == "ecs.capacity") ecs(b, o, true);
  else if (t == "route53.health_check") route53_health_check(b, o);
  else if (t == "route53.failover_record") route53_record(b, o);
  else if (t == "sns.topic") sns_topic(b, o);
  else if (t == "cloudwatch.alarm") cloudwatch_alarm(b, o);
  else if (t == "op.rds_promote") op_rds_promote(b, o);
  else if (t == "op.aurora_failover") op_aurora_failover(b, o);
  else if (t == "op.asg_scale") autoscaling(b, o, false);
  else if (t == "op.ecs_scale") ecs(b, o, false);
  else if (t == "op.dns_switch") route53_record(b, o);
  else if (t == "op.sns_notify") op_sns_notify(b, o);
  else if (t == "op.rds_retire") op_rds_retire(b, o);
  else if (t == "op.rds_reverse_replica") op_rds_reverse_replica(b, o);
  else if (t == "stepfunctions.state_machine") stepfunctions_state_machine(b, o);
  else if (t == "events.rule") events_rule(b, o);
  return b.take();
}

std::vector<Permission> phase_permissions(Phase phase) {
  std::vector<Permission> out = {{"sts:GetCallerIdentity", "*"}};
  if (phase == Phase::readiness || phase == Phase::failover)
    out.push_back({"cloudwatch:GetMetricStatistics", "*"});  // no resource-level permissions
  if (phase == Phase::drift) out.push_back({"tag:GetResources", "*"});
  return out;
}

json iam_policy(const std::vector<const model::Resource*>& resources, Phase phase, const PolicyContext& ctx) {
  std::set<Permission> all;
  for (const auto* r : resources)
    for (auto& p : permissions_for(*r, phase, ctx)) all.insert(std::move(p));
  for (auto& p : phase_permissions(phase)) all.insert(std::move(p));

  // action -> resources; an action allowed on "*" needs no narrower entry.
  std::map<std::string, std::set<std::string>> by_action;
  for (const auto& p : all) by_action[p.action].insert(p.resource);
  for (auto& [action, res] : by_action)
    if (res.count("*")) res = {"*"};

  // (service, resources) -> actions: one statement each.
  std::map<std::pair<std::string, std::set<std::string>>, std::set<std::string>> groups;
  for (const auto& [action, res] : by_action) groups[{action.substr(0, action.find(':')), res}].insert(action);

  json statements = json::array();
  std::set<std::string> sids;
  for (const auto& [key, actions] : groups) {
    const std::string base = camel(key.first) + arn_name(*key.second.begin()) + (key.second.size() > 1 ? "Etc" : "");
    std::string sid = base;
    for (int n = 2; sids.count(sid); ++n) sid = base + "N" + std::to_string(n);
    sids.insert(sid);
    json resources_json = key.second.size() == 1 ? json(*key.second.begin()) : json(key.second);
    statements.push_back({{"Sid", sid}, {"Effect", "Allow"}, {"Action", json(actions)}, {"Resource", resources_json}});
  }
  return {{"Version", "2012-10-17"}, {"Statement", statements}};
}

}  // namespace resources
