// The attributes each kind produces (tests/data/config/all_kinds under warm-standby), written
// out in full against the shapes of src/resources/README.md.
#include <gtest/gtest.h>

#include "config/config.h"
#include "config/test_util.h"

namespace config {
namespace {

using namespace testing_util;
using nlohmann::json;

json tags(const std::string& address) { return {{"drctl:stack", "shop"}, {"drctl:address", address}}; }

class WarmStandbyKinds : public ::testing::Test {
 protected:
  void SetUp() override {
    auto topo = load_stack(data("all_kinds"), source_paths(), diags_);
    ASSERT_TRUE(topo) << dump(diags_);
    topo->strategy = "warm-standby";
    topo->document["strategy"] = "warm-standby";
    graph_ = expand(*topo, source_paths(), diags_);
    ASSERT_TRUE(graph_) << dump(diags_);
    ASSERT_TRUE(diags_.empty()) << dump(diags_);
  }
  const model::Resource& get(const std::string& address) {
    const auto* r = graph_->find(address);
    EXPECT_NE(r, nullptr) << address;
    static const model::Resource kNone;
    return r ? *r : kNone;
  }
  model::Diagnostics diags_;
  std::optional<model::Graph> graph_;
};

TEST_F(WarmStandbyKinds, RdsReplica) {
  const auto& r = get("rds.replica.orders");
  EXPECT_EQ(r.region, "us-west-2");
  EXPECT_EQ(r.attrs, (json{{"identifier", "drctl-shop-orders"}, {"source", "shop-orders"}, {"source_region", "us-east-1"},
                           {"instance_class", "db.r6g.large"}, {"multi_az", true}, {"backup_retention_days", 14},
                           {"deletion_protection", true}, {"tags", tags("rds.replica.orders")}}))
      << r.attrs.dump(2);
  const auto& lag = get("cloudwatch.alarm.orders-replica-lag");
  EXPECT_EQ(lag.region, "us-west-2");
  const json want = json::parse(R"J({
    "name": "drctl-shop-orders-replica-lag",
    "description": "drctl: replica drctl-shop-orders lags behind shop-orders by more than the RPO (60 s)",
    "namespace": "AWS/RDS", "metric": "ReplicaLag", "dimensions": {"DBInstanceIdentifier": "drctl-shop-orders"},
    "statistic": "Maximum", "period": 60, "evaluation_periods": 3, "threshold": 60,
    "comparison": "GreaterThanThreshold", "treat_missing_data": "breaching",
    "alarm_actions": ["@{sns.topic.notify#arn}"], "ok_actions": ["@{sns.topic.notify#arn}"],
    "tags": {"drctl:stack": "shop", "drctl:address": "cloudwatch.alarm.orders-replica-lag"}})J");
  EXPECT_EQ(lag.attrs, want) << lag.attrs.dump(2);
  EXPECT_EQ(lag.depends_on, std::vector<std::string>{"sns.topic.notify"});
}

TEST_F(WarmStandbyKinds, AuroraGlobalClusterHonoursProtectFalse) {
  const auto& r = get("rds.global_cluster.ledger");
  EXPECT_EQ(r.region, "us-east-1");
  EXPECT_EQ(r.attrs, (json{{"global_cluster_id", "drctl-shop-ledger"},
                           {"source_cluster", "arn:aws:rds:us-east-1:123456789012:cluster:ledger"},
                           {"secondary_region", "us-west-2"}, {"secondary_cluster_id", "drctl-shop-ledger-dr"},
                           {"secondary_instance_class", "db.r6g.large"}, {"deletion_protection", false},
                           {"tags", tags("rds.global_cluster.ledger")}}))
      << r.attrs.dump(2);
  const auto& lag = get("cloudwatch.alarm.ledger-replica-lag");
  EXPECT_EQ(lag.attrs["metric"], "AuroraGlobalDBReplicationLag");
  EXPECT_EQ(lag.attrs["threshold"], 300000);  // the stack's 5m RPO, in milliseconds
  EXPECT_EQ(lag.attrs["dimensions"], (json{{"DBClusterIdentifier", "drctl-shop-ledger-dr"}}));
}

TEST_F(WarmStandbyKinds, DynamoDbReplicaAndItsLatencyAlarmInThePrimaryRegion) {
  const auto& r = get("dynamodb.replica.carts");
  EXPECT_EQ(r.region, "us-east-1");
  EXPECT_EQ(r.attrs, (json{{"table", "shop-carts"}, {"replica_region", "us-west-2"}, {"pitr", true}}));
  const auto& a = get("cloudwatch.alarm.carts-replication-latency");
  EXPECT_EQ(a.region, "us-east-1");
  EXPECT_EQ(a.attrs["dimensions"], (json{{"TableName", "shop-carts"}, {"ReceivingRegion", "us-west-2"}}));
  EXPECT_EQ(a.attrs["threshold"], 300000);
  EXPECT_EQ(a.attrs["alarm_actions"], json({"@{sns.topic.notify-primary#arn}"}));
}

TEST_F(WarmStandbyKinds, EfsReplication) {
  const auto& r = get("efs.replication.uploads");
  EXPECT_EQ(r.region, "us-east-1");
  EXPECT_EQ(r.attrs, (json{{"file_system_id", "fs-0123456789abcdef0"}, {"destination_region", "us-west-2"}}));
}

TEST_F(WarmStandbyKinds, EbsAndEc2BecomeBackupSelections) {
  const auto& v = get("backup.selection.volumes");
  EXPECT_EQ(v.region, "us-east-1");
  EXPECT_EQ(v.attrs, (json{{"plan_id", "@{backup.plan.main#id}"}, {"name", "drctl-shop-volumes"},
                           {"iam_role_arn", "@{iam.role.backup#arn}"}, {"tags", {{"dr", "volumes"}}},
                           {"resources", json::array()}}));
  const auto& h = get("backup.selection.hosts");
  EXPECT_EQ(h.attrs["tags"], json::object());
  EXPECT_EQ(h.attrs["resources"], json({"arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"}));
  // The backup role reaches EC2 because the stack has ebs/ec2 workloads.
  bool ec2 = false;
  for (const auto& s : get("iam.role.backup").attrs["policies"]["drctl-backup"]["Statement"])
    ec2 = ec2 || s.value("Sid", "") == "Ec2Snapshots";
  EXPECT_TRUE(ec2);
}

TEST_F(WarmStandbyKinds, ComputeAtStandbyCapacity) {
  const auto& asg = get("autoscaling.capacity.web");
  EXPECT_EQ(asg.region, "us-west-2");
  json t = tags("autoscaling.capacity.web");
  t["drctl:failover-desired"] = "6";
  t["drctl:failover-min"] = "6";
  t["drctl:failover-max"] = "10";
  EXPECT_EQ(asg.attrs, (json{{"group", "shop-web"}, {"min", 1}, {"desired", 2}, {"max", 10}, {"tags", t}}));
  const auto& ecs = get("ecs.capacity.api");
  json et = tags("ecs.capacity.api");
  et["drctl:failover-count"] = "3";
  EXPECT_EQ(ecs.attrs, (json{{"cluster", "shop"}, {"service", "api"}, {"desired_count", 1}, {"tags", et}}));
}

TEST_F(WarmStandbyKinds, DnsFailoverPairWithAHealthCheckOnThePrimary) {
  const auto& hc = get("route53.health_check.dns-primary");
  EXPECT_EQ(hc.region, "us-east-1");
  json t = tags("route53.health_check.dns-primary");
  t["Name"] = "drctl-shop-dns-primary";
  // caller_reference: "drctl-" + 32 hex of sha256("shop/route53.health_check.dns-primary").
  EXPECT_EQ(hc.attrs, (json{{"caller_reference", "drctl-785586450d3472ed26af6c89071a7e6a"}, {"type", "HTTPS"},
                            {"fqdn", "primary-alb.us-east-1.elb.amazonaws.com"}, {"port", 443}, {"path", "/health"},
                            {"request_interval", 30}, {"failure_threshold", 3}, {"tags", t}}))
      << hc.attrs.dump(2);
  const auto& p = get("route53.failover_record.dns-primary");
  EXPECT_EQ(p.attrs, (json{{"zone_id", "Z0123456789ABCDEFGHIJ"}, {"name", "api.shop.example."}, {"type", "CNAME"},
                           {"set_identifier", "drctl-shop-dns-primary"}, {"failover", "PRIMARY"}, {"ttl", 60},
                           {"records", {"primary-alb.us-east-1.elb.amazonaws.com"}},
                           {"health_check_id", "@{route53.health_check.dns-primary#id}"}}))
      << p.attrs.dump(2);
  const auto& s = get("route53.failover_record.dns-secondary");
  EXPECT_EQ(s.attrs, (json{{"zone_id", "Z0123456789ABCDEFGHIJ"}, {"name", "api.shop.example."}, {"type", "CNAME"},
                           {"set_identifier", "drctl-shop-dns-secondary"}, {"failover", "SECONDARY"},
                           {"alias", {{"dns_name", "dr-alb.us-west-2.elb.amazonaws.com"}, {"zone_id", "Z1H1FL5HABSF5"},
                                      {"evaluate_target_health", true}}}}))
      << s.attrs.dump(2);
  const auto& a = get("cloudwatch.alarm.dns-primary-health");
  EXPECT_EQ(a.region, "us-east-1");  // Route 53 metrics exist only there
  EXPECT_EQ(a.attrs["dimensions"], (json{{"HealthCheckId", "@{route53.health_check.dns-primary#id}"}}));
  EXPECT_EQ(a.attrs["alarm_actions"], json({"@{sns.topic.notify-primary#arn}"}));  // us-east-1 is the primary
}

TEST_F(WarmStandbyKinds, TopicsInTheDrAndPrimaryRegionsWithEmailSubscriptions) {
  const json subs = json::parse(R"([{"protocol": "email", "endpoint": "oncall@example.com"},
                                     {"protocol": "email", "endpoint": "dba@example.com"}])");
  const auto& dr = get("sns.topic.notify");
  EXPECT_EQ(dr.region, "us-west-2");
  EXPECT_EQ(dr.attrs, (json{{"name", "dr-events"}, {"subscriptions", subs}, {"tags", tags("sns.topic.notify")}}));
  const auto& primary = get("sns.topic.notify-primary");
  EXPECT_EQ(primary.region, "us-east-1");
  EXPECT_EQ(primary.attrs["subscriptions"], subs);
  EXPECT_EQ(graph_->find("sns.topic.notify-global"), nullptr);
  const auto& jobs = get("cloudwatch.alarm.backup-jobs-failed");
  EXPECT_EQ(jobs.attrs["dimensions"], (json{{"BackupVaultName", "drctl-shop-primary"}}));
  EXPECT_EQ(jobs.attrs["metric"], "NumberOfBackupJobsFailed");
  ASSERT_TRUE(jobs.where);
  EXPECT_EQ(jobs.where->line, 38);  // backups:
}

TEST(Kinds, AGlobalRegionApartFromPrimaryAndDrGetsItsOwnTopic) {
  model::Diagnostics diags;
  auto topo = load_stack(data("all_kinds"), source_paths(), diags);
  ASSERT_TRUE(topo) << dump(diags);
  topo->strategy = "warm-standby";
  topo->document["strategy"] = "warm-standby";
  topo->primary_region = "eu-west-1";
  topo->dr_region = "eu-central-1";
  auto g = expand(*topo, source_paths(), diags);
  ASSERT_TRUE(g) << dump(diags);
  const auto* global = g->find("sns.topic.notify-global");
  ASSERT_NE(global, nullptr);
  EXPECT_EQ(global->region, "us-east-1");
  EXPECT_EQ(g->find("cloudwatch.alarm.dns-primary-health")->attrs["alarm_actions"],
            json({"@{sns.topic.notify-global#arn}"}));
  EXPECT_EQ(g->find("cloudwatch.alarm.backup-jobs-failed")->attrs["alarm_actions"],
            json({"@{sns.topic.notify-primary#arn}"}));
  EXPECT_EQ(g->find("sns.topic.notify")->region, "eu-central-1");
}

TEST(Kinds, WithoutNotifyThereAreNoAlarmsAndAWarningSaysWhy) {
  model::Diagnostics diags;
  auto topo = load_stack(data("all_kinds"), source_paths(), diags);
  ASSERT_TRUE(topo) << dump(diags);
  topo->strategy = "warm-standby";
  topo->document["strategy"] = "warm-standby";
  topo->notify = nullptr;
  topo->document.erase("notify");
  auto g = expand(*topo, source_paths(), diags);
  ASSERT_TRUE(g) << dump(diags);
  for (const auto& r : g->resources) {
    EXPECT_NE(r.address.type, "cloudwatch.alarm") << r.address.str();
    EXPECT_NE(r.address.type, "sns.topic") << r.address.str();
  }
  ASSERT_EQ(diags.size(), 1u) << dump(diags);
  EXPECT_EQ(diags[0].severity, model::Severity::warning);
  EXPECT_EQ(diags[0].summary, "this strategy creates alarms only for a stack with a notify: block (or set strategy.inputs.alarms: false)");
}

TEST(Kinds, StackLevelProtectFalseTurnsDeletionProtectionOffUnlessTheReplicaSaysOtherwise) {
  model::Diagnostics diags;
  auto topo = load_stack(data("all_kinds"), source_paths(), diags);
  ASSERT_TRUE(topo) << dump(diags);
  topo->document["protect"] = false;
  auto g = expand(*topo, source_paths(), diags);
  ASSERT_TRUE(g) << dump(diags);
  EXPECT_EQ(g->find("rds.replica.orders")->attrs["deletion_protection"], false);
  topo->document["workloads"]["orders"]["replica"]["deletion_protection"] = true;
  for (auto& w : topo->workloads)
    if (w.name == "orders") w.spec["replica"]["deletion_protection"] = true;
  g = expand(*topo, source_paths(), diags);
  ASSERT_TRUE(g) << dump(diags);
  EXPECT_EQ(g->find("rds.replica.orders")->attrs["deletion_protection"], true);
}

TEST(Kinds, AHeadlessAuroraSecondaryIsAWarningOnlyWhereComputeShouldRun) {
  for (const char* s : {"pilot-light", "warm-standby"}) {
    model::Diagnostics diags;
    auto topo = load_stack(data("all_kinds"), source_paths(), diags);
    ASSERT_TRUE(topo) << dump(diags);
    topo->strategy = s;
    topo->document["strategy"] = s;
    for (auto& w : topo->workloads)
      if (w.name == "ledger") w.spec.erase("secondary");
    std::erase_if(topo->positions, [](const auto& p) { return p.first.rfind("/workloads/ledger/secondary", 0) == 0; });
    auto g = expand(*topo, source_paths(), diags);
    ASSERT_TRUE(g) << dump(diags);
    EXPECT_FALSE(g->find("rds.global_cluster.ledger")->attrs.contains("secondary_instance_class"));
    if (std::string(s) == "pilot-light") {
      EXPECT_TRUE(diags.empty()) << dump(diags);
      continue;
    }
    ASSERT_EQ(diags.size(), 1u) << dump(diags);
    EXPECT_EQ(diags[0].severity, model::Severity::warning);
    EXPECT_EQ(diags[0].field, "workloads.ledger.secondary");
    EXPECT_EQ(diags[0].where->line, 16);  // nearest written ancestor: the workload's key
  }
}

}  // namespace
}  // namespace config
