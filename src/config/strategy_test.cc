// The four built-in strategies: for every workload kind, exactly which resources each produces,
// what a strategy switch adds and removes, and the compute counts each sets.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "config/config.h"
#include "config/test_util.h"

namespace config {
namespace {

using namespace testing_util;
using nlohmann::json;
using Set = std::set<std::string>;

const char* const kStrategies[] = {"backup-restore", "pilot-light", "warm-standby", "active-active"};

Set addresses(const model::Graph& g) {
  Set out;
  for (const auto& r : g.resources) out.insert(r.address.str());
  return out;
}

Set minus(const Set& a, const Set& b) {
  Set out;
  for (const auto& x : a)
    if (!b.count(x)) out.insert(x);
  return out;
}

std::string show(const Set& s) {
  std::string out;
  for (const auto& x : s) out += x + "\n";
  return out;
}

// A stack with notify and backups (so alarms and topics can appear) and `workloads` (YAML
// lines under workloads:, indented by two), under `strategy`.
std::optional<model::Graph> expand_text(const std::string& strategy, const std::string& workloads,
                                        model::Diagnostics& diags) {
  namespace fs = std::filesystem;
  static int n = 0;
  const fs::path dir = fs::temp_directory_path() / ("drctl-strategy-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
  fs::create_directories(dir);
  std::ofstream(dir / "s.dr.yaml") << "version: 1\nstack: shop\nregions: { primary: us-east-1, dr: us-west-2 }\n"
                                   << "strategy: " << strategy << "\nobjectives: { rto: 15m, rpo: 5m }\n"
                                   << "notify: { topic: dr-events, emails: [oncall@example.com] }\n"
                                   << "backups:\n  schedule: cron(0 * ? * * *)\n  retention: 35d\n"
                                   << "  select: { tags: { dr: protected } }\n"
                                   << (workloads.empty() ? "" : "workloads:\n" + workloads);
  auto topo = load_stack(dir.string(), source_paths(), diags);
  std::optional<model::Graph> g;
  if (topo) g = expand(*topo, source_paths(), diags);
  fs::remove_all(dir);
  return g;
}

struct KindCase {
  const char* kind;
  const char* yaml;            // the workload "w", under workloads:
  Set per_strategy[4];         // addresses it adds, in kStrategies order
};

// What each kind adds to the stack-level resources, per strategy.
const KindCase kKindCases[] = {
    {"s3", "  w: { kind: s3, source: shop-assets }\n",
     {{"s3.bucket.w", "iam.role.w-replication", "s3.replication.w"},
      {"s3.bucket.w", "iam.role.w-replication", "s3.replication.w"},
      {"s3.bucket.w", "iam.role.w-replication", "s3.replication.w"},
      {"s3.bucket.w", "iam.role.w-replication", "s3.replication.w"}}},
    {"rds", "  w: { kind: rds, source: shop-orders, replica: { class: db.r6g.large } }\n",
     {{},
      {"rds.replica.w"},
      {"rds.replica.w", "cloudwatch.alarm.w-replica-lag"},
      {"rds.replica.w", "cloudwatch.alarm.w-replica-lag"}}},
    {"aurora", "  w: { kind: aurora, cluster: ledger, secondary: { instance_class: db.r6g.large } }\n",
     {{},
      {"rds.global_cluster.w"},
      {"rds.global_cluster.w", "cloudwatch.alarm.w-replica-lag"},
      {"rds.global_cluster.w", "cloudwatch.alarm.w-replica-lag"}}},
    {"dynamodb", "  w: { kind: dynamodb, table: carts }\n",
     {{},
      {"dynamodb.replica.w"},
      {"dynamodb.replica.w", "cloudwatch.alarm.w-replication-latency"},
      {"dynamodb.replica.w", "cloudwatch.alarm.w-replication-latency"}}},
    {"efs", "  w: { kind: efs, file_system: fs-0123456789abcdef0 }\n",
     {{}, {"efs.replication.w"}, {"efs.replication.w"}, {"efs.replication.w"}}},
    {"ebs", "  w: { kind: ebs, tags: { dr: volumes } }\n",
     {{"backup.selection.w"}, {"backup.selection.w"}, {"backup.selection.w"}, {"backup.selection.w"}}},
    {"ec2", "  w: { kind: ec2, tags: { dr: hosts } }\n",
     {{"backup.selection.w"}, {"backup.selection.w"}, {"backup.selection.w"}, {"backup.selection.w"}}},
    {"asg", "  w: { kind: asg, group: web, standby: { min: 1, desired: 2 }, failover: { desired: 6 } }\n",
     {{}, {"autoscaling.capacity.w"}, {"autoscaling.capacity.w"}, {"autoscaling.capacity.w"}}},
    {"ecs", "  w: { kind: ecs, cluster: shop, service: api, standby: 1, failover: 3 }\n",
     {{}, {"ecs.capacity.w"}, {"ecs.capacity.w"}, {"ecs.capacity.w"}}},
    {"dns-failover",
     "  w:\n    kind: dns-failover\n    zone: Z0123456789ABCDEFGHIJ\n    record: api.shop.example\n"
     "    primary: { target: a.example.net }\n    secondary: { target: b.example.net }\n"
     "    health: { path: /health }\n",
     {{"route53.health_check.w-primary", "route53.failover_record.w-primary", "route53.failover_record.w-secondary"},
      {"route53.health_check.w-primary", "route53.failover_record.w-primary", "route53.failover_record.w-secondary"},
      {"route53.health_check.w-primary", "route53.failover_record.w-primary", "route53.failover_record.w-secondary",
       "cloudwatch.alarm.w-primary-health"},
      {"route53.health_check.w-primary", "route53.failover_record.w-primary", "route53.failover_record.w-secondary",
       "cloudwatch.alarm.w-primary-health", "route53.health_check.w-secondary", "cloudwatch.alarm.w-secondary-health"}}},
};

TEST(Strategies, StackLevelResourcesPerStrategy) {
  const Set base = {"backup.vault.primary", "backup.vault.dr", "iam.role.backup", "backup.plan.main",
                    "backup.selection.main", "sns.topic.notify"};
  const Set alarms = {"cloudwatch.alarm.backup-jobs-failed", "cloudwatch.alarm.backup-copy-jobs-failed",
                      "sns.topic.notify-primary"};
  for (int i = 0; i < 4; ++i) {
    model::Diagnostics diags;
    auto g = expand_text(kStrategies[i], "", diags);
    ASSERT_TRUE(g) << kStrategies[i] << "\n" << dump(diags);
    Set want = base;
    if (i >= 2) want.insert(alarms.begin(), alarms.end());  // warm-standby, active-active
    EXPECT_EQ(addresses(*g), want) << kStrategies[i] << ":\n" << show(addresses(*g));
  }
}

TEST(Strategies, EveryKindUnderEveryStrategyProducesExactlyThese) {
  for (const auto& c : kKindCases) {
    for (int i = 0; i < 4; ++i) {
      model::Diagnostics diags;
      auto base = expand_text(kStrategies[i], "", diags);
      auto g = expand_text(kStrategies[i], c.yaml, diags);
      ASSERT_TRUE(base && g) << c.kind << " under " << kStrategies[i] << "\n" << dump(diags);
      EXPECT_TRUE(diags.empty()) << c.kind << " under " << kStrategies[i] << "\n" << dump(diags);
      EXPECT_EQ(minus(addresses(*g), addresses(*base)), c.per_strategy[i])
          << c.kind << " under " << kStrategies[i] << " produced:\n" << show(minus(addresses(*g), addresses(*base)));
      EXPECT_TRUE(minus(addresses(*base), addresses(*g)).empty()) << c.kind << " under " << kStrategies[i];
    }
  }
}

TEST(Strategies, BackupRestoreNeedsBackupsForDataKinds) {
  model::Diagnostics diags;
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("drctl-strategy-nobackups-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "s.dr.yaml") << "version: 1\nstack: shop\nregions: { primary: us-east-1, dr: us-west-2 }\n"
                                      "strategy: backup-restore\nworkloads:\n"
                                      "  orders: { kind: rds, source: shop-orders, replica: { class: db.r6g.large } }\n"
                                      "  vols: { kind: ebs, tags: { a: b } }\n";
  auto topo = load_stack(dir.string(), source_paths(), diags);
  ASSERT_TRUE(topo) << dump(diags);
  EXPECT_FALSE(expand(*topo, source_paths(), diags));
  fs::remove_all(dir);
  auto rds = only_error(diags, "workloads.orders");
  EXPECT_AT(rds, "s.dr.yaml", 6, 3);
  EXPECT_EQ(rds->summary, "this strategy protects 'rds' workloads with AWS Backup only: add a backups: block whose select picks them");
  EXPECT_NE(rds->detail.find("backup-restore"), std::string::npos) << rds->detail;
  EXPECT_NE(rds->detail.find("databases.yaml:"), std::string::npos) << rds->detail;
  auto ebs = only_error(diags, "workloads.vols");
  EXPECT_AT(ebs, "s.dr.yaml", 7, 3);
  EXPECT_EQ(ebs->summary, "'ebs' workloads are protected by AWS Backup: add a backups: block to the stack");
}

class AllKinds : public ::testing::Test {
 protected:
  void SetUp() override {
    topo_ = load_stack(data("all_kinds"), source_paths(), diags_);
    ASSERT_TRUE(topo_) << dump(diags_);
  }
  model::Graph under(const std::string& strategy) {
    model::Topology t = *topo_;
    t.strategy = strategy;
    t.document["strategy"] = strategy;
    auto g = expand(t, source_paths(), diags_);
    EXPECT_TRUE(g) << strategy << "\n" << dump(diags_);
    return g ? *g : model::Graph{};
  }
  static json attrs(const model::Graph& g, const std::string& address) {
    const auto* r = g.find(address);
    EXPECT_NE(r, nullptr) << address;
    return r ? r->attrs : json();
  }
  model::Diagnostics diags_;
  std::optional<model::Topology> topo_;
};

TEST_F(AllKinds, SwitchingPilotLightToWarmStandbyAddsAlarmsAndScalesCompute) {
  const auto pilot = under("pilot-light");
  const auto warm = under("warm-standby");
  EXPECT_EQ(minus(addresses(warm), addresses(pilot)),
            (Set{"cloudwatch.alarm.backup-copy-jobs-failed", "cloudwatch.alarm.backup-jobs-failed",
                 "cloudwatch.alarm.carts-replication-latency", "cloudwatch.alarm.dns-primary-health",
                 "cloudwatch.alarm.ledger-replica-lag", "cloudwatch.alarm.orders-replica-lag",
                 "sns.topic.notify-primary"}));
  EXPECT_EQ(minus(addresses(pilot), addresses(warm)), Set{});
  // Changed in place: compute counts, and the Aurora DR cluster gets its instances.
  Set changed;
  for (const auto& r : pilot.resources)
    if (const auto* w = warm.find(r.address.str()); w && w->attrs != r.attrs) changed.insert(r.address.str());
  EXPECT_EQ(changed, (Set{"autoscaling.capacity.web", "ecs.capacity.api", "rds.global_cluster.ledger"}));
  const json web_pilot = attrs(pilot, "autoscaling.capacity.web"), web_warm = attrs(warm, "autoscaling.capacity.web");
  EXPECT_EQ(web_pilot["min"], 0);
  EXPECT_EQ(web_pilot["desired"], 0);
  EXPECT_EQ(web_pilot["max"], 10);
  EXPECT_EQ(web_warm["min"], 1);
  EXPECT_EQ(web_warm["desired"], 2);
  EXPECT_EQ(web_warm["max"], 10);
  EXPECT_EQ(attrs(pilot, "ecs.capacity.api")["desired_count"], 0);
  EXPECT_EQ(attrs(warm, "ecs.capacity.api")["desired_count"], 1);
  EXPECT_FALSE(attrs(pilot, "rds.global_cluster.ledger").contains("secondary_instance_class"));
  EXPECT_EQ(attrs(warm, "rds.global_cluster.ledger")["secondary_instance_class"], "db.r6g.large");
}

TEST_F(AllKinds, ActiveActiveRunsFailoverCapacityAndChecksBothEndpoints) {
  const auto warm = under("warm-standby");
  const auto active = under("active-active");
  EXPECT_EQ(minus(addresses(active), addresses(warm)),
            (Set{"cloudwatch.alarm.dns-secondary-health", "route53.health_check.dns-secondary"}));
  EXPECT_EQ(minus(addresses(warm), addresses(active)), Set{});
  const json web = attrs(active, "autoscaling.capacity.web");
  EXPECT_EQ(web["min"], 6);
  EXPECT_EQ(web["desired"], 6);
  EXPECT_EQ(web["max"], 10);
  EXPECT_EQ(attrs(active, "ecs.capacity.api")["desired_count"], 3);
  EXPECT_EQ(attrs(active, "route53.failover_record.dns-secondary")["health_check_id"],
            "@{route53.health_check.dns-secondary#id}");
  EXPECT_FALSE(attrs(warm, "route53.failover_record.dns-secondary").contains("health_check_id"));
}

TEST_F(AllKinds, BackupRestoreDropsReplicationAndComputeButKeepsDnsAndBackups) {
  const auto backup = under("backup-restore");
  const auto pilot = under("pilot-light");
  EXPECT_EQ(minus(addresses(pilot), addresses(backup)),
            (Set{"autoscaling.capacity.web", "dynamodb.replica.carts", "ecs.capacity.api",
                 "efs.replication.uploads", "rds.global_cluster.ledger", "rds.replica.orders"}));
  EXPECT_EQ(minus(addresses(backup), addresses(pilot)), Set{});
  EXPECT_TRUE(backup.find("route53.failover_record.dns-primary"));
  EXPECT_TRUE(backup.find("backup.selection.volumes"));
}

TEST_F(AllKinds, FailoverCapacityIsRecordedInTagsUnderEveryStrategy) {
  for (const char* s : {"pilot-light", "warm-standby", "active-active"}) {
    const auto g = under(s);
    const json web = attrs(g, "autoscaling.capacity.web")["tags"];
    EXPECT_EQ(web, (json{{"drctl:stack", "shop"}, {"drctl:address", "autoscaling.capacity.web"},
                         {"drctl:failover-desired", "6"}, {"drctl:failover-min", "6"}, {"drctl:failover-max", "10"}}))
        << s;
    EXPECT_EQ(attrs(g, "ecs.capacity.api")["tags"]["drctl:failover-count"], "3") << s;
  }
}

}  // namespace
}  // namespace config
