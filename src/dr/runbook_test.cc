// The failover runbook built from a warm-standby stack: which steps, in what order, with what
// values, what the plan must say, and the critical path.
#include "dr/runbook.h"

#include <gtest/gtest.h>

#include "dr/test_stack.h"

namespace dr {
namespace {

using testing_util::dump;
using testing_util::load;
using testing_util::source_paths;

const char* kStack = R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: warm-standby
objectives: { rto: 30m, rpo: 5m }
notify: { topic: dr-events, emails: [oncall@example.com] }
workloads:
  orders: { kind: rds, source: orders-primary, replica: { class: db.r6g.large } }
  web: { kind: asg, group: web, standby: { min: 1, desired: 1 }, failover: { desired: 6, max: 8 } }
  api: { kind: ecs, cluster: shop, service: api, standby: 1, failover: 3 }
  dns: { kind: dns-failover, zone: Z123, record: api.shop.example, ttl: 30,
         primary: { target: primary.example.net }, secondary: { target: dr.example.net },
         health: { path: /health, port: 443, interval: 30s, threshold: 3 } }
)";

struct Built {
  testing_util::LoadedStack stack;
  Runbook rb;
  const model::Resource& at(const std::string& a) const {
    const auto* r = rb.graph.find(a);
    if (!r) throw std::runtime_error("no step " + a);
    return *r;
  }
};

Built build(const std::string& to = "us-west-2") {
  Built b{load(kStack), {}};
  model::Diagnostics diags;
  const auto timings = load_timings(source_paths(), b.stack.topology, diags);
  EXPECT_TRUE(diags.empty()) << dump(diags);
  b.rb = failover_runbook(b.stack.topology, b.stack.graph, to, FailoverMode::planned, timings);
  return b;
}

TEST(Runbook, PromotesScalesThenSwitchesDnsThenNotifies) {
  const auto b = build();
  std::vector<std::string> addresses;
  for (const auto& r : b.rb.graph.resources) addresses.push_back(r.address.str());
  EXPECT_EQ(addresses, (std::vector<std::string>{"op.asg_scale.web", "op.dns_switch.dns", "op.ecs_scale.api",
                                                 "op.rds_promote.orders", "op.sns_notify.failover"}));
  EXPECT_TRUE(b.at("op.rds_promote.orders").depends_on.empty());  // promotion and scale-out in parallel
  EXPECT_TRUE(b.at("op.asg_scale.web").depends_on.empty());
  EXPECT_EQ(b.at("op.dns_switch.dns").depends_on,
            (std::vector<std::string>{"op.asg_scale.web", "op.ecs_scale.api", "op.rds_promote.orders"}));
  EXPECT_EQ(b.at("op.sns_notify.failover").depends_on, std::vector<std::string>{"op.dns_switch.dns"});
  for (const auto& r : b.rb.graph.resources) EXPECT_EQ(r.region, r.address.type == "op.dns_switch" ? "us-east-1" : "us-west-2");
}

TEST(Runbook, StepsCarryTheFailoverValues) {
  const auto b = build();
  EXPECT_EQ(b.at("op.asg_scale.web").attrs,
            (nlohmann::json{{"group", "web"}, {"min", 6}, {"desired", 6}, {"max", 8}}));
  EXPECT_EQ(b.at("op.ecs_scale.api").attrs["desired_count"], 3);
  const auto& dns = b.at("op.dns_switch.dns").attrs;
  EXPECT_EQ(dns["failover"], "PRIMARY");  // one side of the pair only
  EXPECT_EQ(dns["records"], nlohmann::json::array({"dr.example.net"}));
  EXPECT_FALSE(dns.contains("health_check_id"));
  EXPECT_EQ(dns["set_identifier"], "drctl-shop-dns-primary");
  EXPECT_EQ(b.at("op.rds_promote.orders").attrs["identifier"], "drctl-shop-orders");
}

TEST(Runbook, SaysSoWhenItPromotesTheLastReplica) {
  const auto b = build();
  ASSERT_EQ(b.rb.diagnostics.size(), 1u) << dump(b.rb.diagnostics);
  EXPECT_EQ(b.rb.diagnostics[0].severity, model::Severity::warning);
  EXPECT_EQ(b.rb.diagnostics[0].summary, "promotes the last replica of orders-primary");
  EXPECT_TRUE(b.at("op.rds_promote.orders").attrs["last_replica"].get<bool>());
}

TEST(Runbook, RefusesAnyRegionButTheDrRegion) {
  const auto b = build("eu-west-1");
  EXPECT_TRUE(b.rb.graph.resources.empty());
  ASSERT_TRUE(model::has_errors(b.rb.diagnostics));
}

TEST(Runbook, CriticalPathIsTheSlowestChainToTheLastStep) {
  const auto b = build();
  const auto p = critical_path(b.rb.graph, b.rb.step_duration);
  // promotion (10m default) > asg scale-out (5m) > ecs (3m); then DNS 60 s + 30 s TTL; notify 5 s.
  EXPECT_EQ(p.steps, (std::vector<std::string>{"op.rds_promote.orders", "op.dns_switch.dns", "op.sns_notify.failover"}));
  EXPECT_EQ(p.total, model::Seconds{600 + 90 + 5});
}

const char* kAuroraStack = R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: warm-standby
objectives: { rto: 30m, rpo: 5m }
workloads:
  catalog: { kind: aurora, cluster: "arn:aws:rds:us-east-1:111122223333:cluster:catalog-primary",
             secondary: { instance_class: db.r6g.large } }
  ledger: { kind: aurora, cluster: ledger-primary, secondary: { instance_class: db.r6g.large } }
  dns: { kind: dns-failover, zone: Z123, record: api.shop.example, ttl: 30,
         primary: { target: primary.example.net }, secondary: { target: dr.example.net },
         health: { path: /health, port: 443, interval: 30s, threshold: 3 } }
)";

Built build_aurora(FailoverMode mode) {
  Built b{load(kAuroraStack), {}};
  model::Diagnostics diags;
  const auto timings = load_timings(source_paths(), b.stack.topology, diags);
  EXPECT_TRUE(diags.empty()) << dump(diags);
  b.rb = failover_runbook(b.stack.topology, b.stack.graph, "us-west-2", mode, timings);
  return b;
}

TEST(Runbook, PlannedAuroraFailoverIsASwitchoverInTheDrRegionBeforeDns) {
  const auto b = build_aurora(FailoverMode::planned);
  const auto& catalog = b.at("op.aurora_failover.catalog");
  EXPECT_EQ(catalog.region, "us-west-2");
  EXPECT_EQ(catalog.attrs["mode"], "switchover");
  EXPECT_EQ(catalog.attrs["global_cluster_id"], "drctl-shop-catalog");
  EXPECT_EQ(catalog.attrs["target_cluster_id"], "drctl-shop-catalog-dr");
  // The account comes from the source cluster's ARN: no call needed to build the target's.
  EXPECT_EQ(catalog.attrs["target_cluster_arn"], "arn:aws:rds:us-west-2:111122223333:cluster:drctl-shop-catalog-dr");
  EXPECT_FALSE(b.at("op.aurora_failover.ledger").attrs.contains("target_cluster_arn"));
  EXPECT_EQ(b.at("op.dns_switch.dns").depends_on,
            (std::vector<std::string>{"op.aurora_failover.catalog", "op.aurora_failover.ledger"}));
  EXPECT_EQ(b.rb.step_timing.at("op.aurora_failover.catalog"), "aurora_global_switchover");
  // No "do by hand" warning any more, and a switchover loses nothing.
  EXPECT_TRUE(b.rb.diagnostics.empty()) << dump(b.rb.diagnostics);
}

TEST(Runbook, UnplannedAuroraFailoverAllowsDataLossAndThePlanSaysSo) {
  const auto b = build_aurora(FailoverMode::unplanned);
  EXPECT_EQ(b.at("op.aurora_failover.catalog").attrs["mode"], "failover");
  EXPECT_EQ(b.rb.step_timing.at("op.aurora_failover.catalog"), "aurora_global_failover");
  EXPECT_EQ(b.rb.step_duration.at("op.aurora_failover.catalog"), model::Seconds{120});
  ASSERT_EQ(b.rb.diagnostics.size(), 2u) << dump(b.rb.diagnostics);
  for (const auto& d : b.rb.diagnostics) {
    EXPECT_EQ(d.severity, model::Severity::warning);
    EXPECT_NE(d.summary.find("allows data loss"), std::string::npos) << d.summary;
    EXPECT_NE(d.detail.find("AllowDataLoss"), std::string::npos);
  }
}

TEST(Runbook, AHeadlessAuroraSecondaryNeedsAnInstanceAndTheEstimateCountsIt) {
  const auto b = Built{load(R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: pilot-light
objectives: { rto: 4h, rpo: 15m }
workloads:
  catalog: { kind: aurora, cluster: catalog-primary }
)"), {}};
  model::Diagnostics diags;
  const auto timings = load_timings(source_paths(), b.stack.topology, diags);
  const auto rb = failover_runbook(b.stack.topology, b.stack.graph, "us-west-2", FailoverMode::planned, timings);
  ASSERT_TRUE(rb.graph.find("op.aurora_failover.catalog")) << dump(rb.diagnostics);
  EXPECT_EQ(rb.step_duration.at("op.aurora_failover.catalog"),
            timings.get("aurora_global_switchover").value + timings.get("aurora_add_instance").value);
  ASSERT_EQ(rb.diagnostics.size(), 1u) << dump(rb.diagnostics);
  EXPECT_EQ(rb.diagnostics[0].summary, "the DR cluster drctl-shop-catalog-dr has no instance");
}

TEST(Runbook, CriticalPathOfIndependentStepsIsTheLongestOne) {
  model::Graph g;
  for (const char* a : {"op.x.a", "op.x.b"}) g.resources.push_back({*model::Address::parse(a), "r", {}, {}, "", {}});
  const auto p = critical_path(g, {{"op.x.a", model::Seconds{5}}, {"op.x.b", model::Seconds{7}}});
  EXPECT_EQ(p.total, model::Seconds{7});
  EXPECT_EQ(p.steps, std::vector<std::string>{"op.x.b"});
}

}  // namespace
}  // namespace dr
