// The failback runbooks built from a warm-standby stack: which steps each phase has, their
// order, the deterministic retired names, the health check put back, and manual-step warnings.
#include "dr/failback.h"

#include <gtest/gtest.h>

#include "dr/test_stack.h"

namespace dr {
namespace {

using testing_util::dump;
using testing_util::load;
using testing_util::source_paths;
using Strings = std::vector<std::string>;

const char* kStack = R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: warm-standby
objectives: { rto: 1h, rpo: 30m }
notify: { topic: dr-events, emails: [oncall@example.com] }
workloads:
  orders: { kind: rds, source: orders-primary, replica: { class: db.r6g.large } }
  assets: { kind: s3, source: shop-assets, rtc: true }
  web: { kind: asg, group: web, standby: { min: 1, desired: 1 }, failover: { desired: 6, max: 8 } }
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
  Strings addresses() const {
    Strings out;
    for (const auto& r : rb.graph.resources) out.push_back(r.address.str());
    return out;
  }
};

Built build(FailbackPhase phase, const FailbackInputs& in = {"202405011230", {}}) {
  Built b{load(kStack), {}};
  model::Diagnostics diags;
  const auto timings = load_timings(source_paths(), b.stack.topology, diags);
  EXPECT_TRUE(diags.empty()) << dump(diags);
  b.rb = failback_runbook(b.stack.topology, b.stack.graph, phase, timings, in);
  return b;
}

TEST(Failback, ProtectRetiresTheOldPrimaryThenReplicatesTheDrWriterBack) {
  const auto b = build(FailbackPhase::protect);
  EXPECT_EQ(b.addresses(), (Strings{"op.rds_retire.orders-old-primary", "op.rds_reverse_replica.orders"}));
  const auto& retire = b.at("op.rds_retire.orders-old-primary");
  EXPECT_EQ(retire.region, "us-east-1");
  EXPECT_EQ(retire.attrs["identifier"], "orders-primary");
  EXPECT_EQ(retire.attrs["retired_identifier"], "orders-primary-pre-failback-202405011230");
  EXPECT_EQ(retire.attrs["successor_source"], "drctl-shop-orders");
  EXPECT_EQ(retire.attrs["successor_source_region"], "us-west-2");
  const auto& reverse = b.at("op.rds_reverse_replica.orders");
  EXPECT_EQ(reverse.region, "us-east-1");
  EXPECT_EQ(reverse.attrs["identifier"], "orders-primary");
  EXPECT_EQ(reverse.attrs["source"], "drctl-shop-orders");
  EXPECT_EQ(reverse.attrs["source_region"], "us-west-2");
  EXPECT_EQ(reverse.attrs["like"], "orders-primary-pre-failback-202405011230");
  EXPECT_EQ(reverse.depends_on, Strings{"op.rds_retire.orders-old-primary"});
  // Critical path: rename (rds_rename), then a full copy of the database (rds_replica_creation).
  const auto path = critical_path(b.rb.graph, b.rb.step_duration);
  EXPECT_EQ(path.steps, (Strings{"op.rds_retire.orders-old-primary", "op.rds_reverse_replica.orders"}));
  EXPECT_EQ(path.total, model::Seconds{300 + 3600});
}

TEST(Failback, ProtectSaysTheOldPrimaryIsKeptAndNamesManualSteps) {
  const auto b = build(FailbackPhase::protect);
  const auto text = dump(b.rb.diagnostics);
  EXPECT_NE(text.find("keeps the old primary orders-primary as orders-primary-pre-failback-202405011230"), std::string::npos)
      << text;
  EXPECT_NE(text.find("s3.replication.assets is not part of this failback runbook"), std::string::npos) << text;
  for (const auto& d : b.rb.diagnostics) EXPECT_EQ(d.severity, model::Severity::warning) << d.summary;
}

TEST(Failback, SwitchPromotesThenDnsThenRetiresTheDrWriterThenNotifies) {
  const auto b = build(FailbackPhase::switch_back, {"202405011230", {{"route53.health_check.dns-primary", "hc-1"}}});
  EXPECT_EQ(b.addresses(), (Strings{"op.dns_switch.dns-failback", "op.rds_promote.orders-failback",
                                    "op.rds_retire.orders-dr-writer", "op.sns_notify.failback"}));
  const auto& promote = b.at("op.rds_promote.orders-failback");
  EXPECT_EQ(promote.region, "us-east-1");
  EXPECT_EQ(promote.attrs["identifier"], "orders-primary");
  EXPECT_TRUE(promote.depends_on.empty());
  const auto& dns = b.at("op.dns_switch.dns-failback");
  EXPECT_EQ(dns.attrs["records"], nlohmann::json::array({"primary.example.net"}));
  EXPECT_EQ(dns.attrs["failover"], "PRIMARY");
  EXPECT_EQ(dns.attrs["health_check_id"], "hc-1");  // resolved from state
  EXPECT_EQ(dns.depends_on, Strings{"op.rds_promote.orders-failback"});
  const auto& retire = b.at("op.rds_retire.orders-dr-writer");
  EXPECT_EQ(retire.region, "us-west-2");
  EXPECT_EQ(retire.attrs["identifier"], "drctl-shop-orders");
  EXPECT_EQ(retire.attrs["retired_identifier"], "drctl-shop-orders-pre-failback-202405011230");
  EXPECT_EQ(retire.attrs["successor_source"], "orders-primary");
  EXPECT_EQ(retire.depends_on, (Strings{"op.rds_promote.orders-failback", "op.dns_switch.dns-failback"}));
  EXPECT_EQ(b.at("op.sns_notify.failback").depends_on,
            (Strings{"op.rds_promote.orders-failback", "op.dns_switch.dns-failback", "op.rds_retire.orders-dr-writer"}));
  for (const auto& d : b.rb.diagnostics) EXPECT_EQ(d.summary.find("health check"), std::string::npos) << d.summary;
}

TEST(Failback, SwitchWithoutAKnownHealthCheckGoesBackWithoutItAndSaysSo) {
  const auto b = build(FailbackPhase::switch_back);
  EXPECT_FALSE(b.at("op.dns_switch.dns-failback").attrs.contains("health_check_id"));
  EXPECT_NE(dump(b.rb.diagnostics).find("goes back without its health check"), std::string::npos);
}

TEST(Failback, RetiredNamesFitRdsRules) {
  EXPECT_EQ(retired_identifier("orders", "202405011230"), "orders-pre-failback-202405011230");
  EXPECT_EQ(retired_identifier("orders", ""), "orders-pre-failback");
  const std::string long_id(60, 'a');
  const auto name = retired_identifier(long_id, "202405011230");
  EXPECT_EQ(name.size(), 63u);
  EXPECT_TRUE(name.ends_with("-pre-failback-202405011230"));
  // A cut that would end on a hyphen leaves no doubled hyphen.
  const auto cut = retired_identifier(std::string(36, 'a') + "-b", "202405011230");
  EXPECT_EQ(cut.find("--"), std::string::npos) << cut;
}

TEST(Failback, InputsTakeTheFirstFailoverRunSinceTheLastApply) {
  std::vector<state::RunRecord> runs;  // newest first, as Store::runs returns them
  runs.push_back({7, "failback-protect", "2024-05-03T09:00:00Z"});
  runs.push_back({6, "failover", "2024-05-02T10:05:00Z"});  // the resumed failover
  runs.push_back({5, "failover", "2024-05-02T10:00:59Z"});  // this cycle's failover
  runs.push_back({4, "apply", "2024-05-01T08:00:00Z"});
  runs.push_back({3, "failover", "2024-04-01T08:00:00Z"});  // an earlier cycle
  std::vector<state::ResourceRecord> records(1);
  records[0].address = "route53.health_check.dns-primary";
  records[0].cloud_id = "hc-1";
  const auto in = failback_inputs(runs, records);
  EXPECT_EQ(in.failover_stamp, "202405021000");
  EXPECT_EQ(in.cloud_ids.at("route53.health_check.dns-primary"), "hc-1");
  EXPECT_EQ(failback_inputs({}, {}).failover_stamp, "");
}

}  // namespace
}  // namespace dr
