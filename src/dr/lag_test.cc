// Replication lag evidence: which metric is read where, the newest datapoint in seconds, the
// effective RPO, the evidence round trip, and the staleness re-check of a saved failover plan.
#include "dr/lag.h"

#include <gtest/gtest.h>

#include "aws/credentials.h"
#include "dr/test_stack.h"
#include "fakes/fake_transport.h"

namespace dr {
namespace {

using testing_util::load;
using Seconds = model::Seconds;

const char* kStack = R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: warm-standby
objectives: { rto: 30m, rpo: 5m }
workloads:
  orders: { kind: rds, source: orders-primary, replica: { class: db.r6g.large } }
  catalog: { kind: aurora, cluster: catalog-primary, secondary: { instance_class: db.r6g.large },
             objectives: { rpo: 1m } }
  sessions: { kind: dynamodb, table: sessions }
)";

struct Fixture {
  std::shared_ptr<fakes::FakeTransport> fake = std::make_shared<fakes::FakeTransport>();
  aws::Client client{config()};
  testing_util::LoadedStack stack = load(kStack);

  aws::ClientConfig config() {
    aws::ClientConfig c;
    c.transport = fake;
    c.credentials = std::make_shared<aws::StaticCredentialsProvider>(aws::Credentials{"AKIDEXAMPLE", "secret", ""});
    c.endpoint_url = "http://127.0.0.1:4566";
    c.default_region = "us-east-1";
    c.max_attempts = 1;
    return c;
  }
  // Answers GetMetricStatistics per metric name with the given datapoints (timestamp, Maximum).
  void answer(std::map<std::string, std::vector<std::pair<std::string, double>>> by_metric) {
    fake->set_handler([by_metric](const aws::HttpRequest& r) -> fakes::SendResult {
      const auto it = by_metric.find(fakes::form_value(r, "MetricName"));
      std::string points;
      if (it != by_metric.end())
        for (const auto& [at, v] : it->second)
          points += "<member><Timestamp>" + at + "</Timestamp><Maximum>" + std::to_string(v) +
                    "</Maximum><Unit>Seconds</Unit></member>";
      return aws::HttpResponse{200, {}, "<GetMetricStatisticsResponse><GetMetricStatisticsResult><Label>x</Label>"
                                        "<Datapoints>" + points + "</Datapoints></GetMetricStatisticsResult>"
                                        "</GetMetricStatisticsResponse>"};
    });
  }
  const aws::HttpRequest* request_for(const std::string& metric) const {
    static aws::HttpRequest found;
    for (const auto& r : fake->requests())
      if (fakes::form_value(r, "MetricName") == metric) return &(found = r);
    return nullptr;
  }
};

const LagReading& by_address(const std::vector<LagReading>& rs, const std::string& a) {
  for (const auto& r : rs)
    if (r.address == a) return r;
  throw std::runtime_error("no reading for " + a);
}

TEST(Lag, ReadsEachReplicationMetricInItsRegionAsTheNewestMaximumInSeconds) {
  Fixture f;
  f.answer({{"ReplicaLag", {{"2030-01-01T00:03:00Z", 12.0}, {"2030-01-01T00:05:00Z", 7.0}, {"2030-01-01T00:04:00Z", 40.0}}},
            {"AuroraGlobalDBReplicationLag", {{"2030-01-01T00:05:00Z", 1500.0}}}});
  const auto rs = read_replication_lag(f.client, f.stack.topology, f.stack.graph, true);
  ASSERT_EQ(rs.size(), 3u);

  const auto& orders = by_address(rs, "rds.replica.orders");
  EXPECT_EQ(orders.workload, "orders");
  EXPECT_EQ(orders.lag, Seconds{7});  // the newest datapoint, not the largest
  EXPECT_EQ(orders.rpo, Seconds{300});  // the stack's RPO
  EXPECT_EQ(orders.region, "us-west-2");
  EXPECT_EQ(orders.metric, "AWS/RDS ReplicaLag DBInstanceIdentifier=drctl-shop-orders");

  const auto& catalog = by_address(rs, "rds.global_cluster.catalog");
  EXPECT_EQ(catalog.lag, Seconds{2});  // 1500 ms, rounded up
  EXPECT_EQ(catalog.rpo, Seconds{60});  // the workload's own RPO wins
  EXPECT_EQ(catalog.region, "us-west-2");

  const auto& sessions = by_address(rs, "dynamodb.replica.sessions");
  EXPECT_FALSE(sessions.lag);
  EXPECT_EQ(sessions.note, "no datapoints in the last 15 minutes");
  EXPECT_EQ(sessions.region, "us-east-1");  // published in the table's region

  const auto* req = f.request_for("ReplicaLag");
  ASSERT_TRUE(req);
  EXPECT_EQ(fakes::signing_service(*req), "monitoring");
  EXPECT_EQ(fakes::signing_region(*req), "us-west-2");
  EXPECT_EQ(fakes::form_value(*req, "Action"), "GetMetricStatistics");
  EXPECT_EQ(fakes::form_value(*req, "Namespace"), "AWS/RDS");
  EXPECT_EQ(fakes::form_value(*req, "Dimensions.member.1.Name"), "DBInstanceIdentifier");
  EXPECT_EQ(fakes::form_value(*req, "Dimensions.member.1.Value"), "drctl-shop-orders");
  EXPECT_EQ(fakes::form_value(*req, "Statistics.member.1"), "Maximum");
  EXPECT_EQ(fakes::form_value(*req, "Period"), "60");
  EXPECT_FALSE(fakes::form_value(*req, "StartTime").empty());
  EXPECT_FALSE(fakes::form_value(*req, "EndTime").empty());
  const auto* aurora = f.request_for("AuroraGlobalDBReplicationLag");
  ASSERT_TRUE(aurora);
  EXPECT_EQ(fakes::form_value(*aurora, "Dimensions.member.1.Value"), "drctl-shop-catalog-dr");
}

TEST(Lag, WithoutThePrimaryRegionItsMetricsAreSkippedAndFailuresAreUnknownNotErrors) {
  Fixture f;
  f.fake->set_handler([](const aws::HttpRequest&) -> fakes::SendResult {
    return aws::HttpResponse{403, {}, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                                      "<Message>no cloudwatch:GetMetricStatistics</Message></Error></ErrorResponse>"};
  });
  const auto rs = read_replication_lag(f.client, f.stack.topology, f.stack.graph, false);
  for (const auto& r : f.fake->requests()) EXPECT_EQ(fakes::signing_region(r), "us-west-2");
  const auto& sessions = by_address(rs, "dynamodb.replica.sessions");
  EXPECT_FALSE(sessions.lag);
  EXPECT_NE(sessions.note.find("primary region skipped"), std::string::npos);
  const auto& orders = by_address(rs, "rds.replica.orders");
  EXPECT_FALSE(orders.lag);
  EXPECT_NE(orders.note.find("AccessDenied"), std::string::npos);
  EXPECT_FALSE(orders.exceeds());
}

TEST(Lag, ANegativeReplicaLagMeansReplicationIsNotActive) {
  Fixture f;
  f.answer({{"ReplicaLag", {{"2030-01-01T00:05:00Z", -1.0}}}});
  const auto rs = read_replication_lag(f.client, f.stack.topology, f.stack.graph, true);
  const auto& orders = by_address(rs, "rds.replica.orders");
  EXPECT_FALSE(orders.lag);
  EXPECT_NE(orders.note.find("not active"), std::string::npos);
}

TEST(Lag, EvidenceRoundTrips) {
  std::vector<LagReading> rs{{"orders", "rds.replica.orders", "AWS/RDS ReplicaLag", "us-west-2", Seconds{10}, Seconds{300}, ""},
                             {"sessions", "dynamodb.replica.sessions", "AWS/DynamoDB ReplicationLatency", "us-east-1",
                              std::nullopt, std::nullopt, "primary region skipped"}};
  const auto j = lag_evidence_json(rs);
  EXPECT_EQ(j["replication_lag"][0]["lag_seconds"], 10);
  EXPECT_TRUE(j["replication_lag"][1]["lag_seconds"].is_null());
  const auto back = lag_from_evidence(j);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].lag, Seconds{10});
  EXPECT_EQ(back[0].rpo, Seconds{300});
  EXPECT_EQ(back[1].note, "primary region skipped");
  EXPECT_FALSE(back[1].lag);
  EXPECT_TRUE(lag_from_evidence(nlohmann::json::object()).empty());
}

plan::Plan failover_plan(long long orders_lag_then, const std::string& mode = "planned") {
  plan::Plan p;
  p.kind = "failover";
  p.evidence = lag_evidence_json({{"orders", "rds.replica.orders", "AWS/RDS ReplicaLag", "us-west-2",
                                   Seconds{orders_lag_then}, Seconds{300}, ""}});
  p.evidence["mode"] = mode;
  return p;
}

TEST(Lag, RecheckRefusesWhenLagNowExceedsTheRpoUnlessDataLossIsAccepted) {
  Fixture f;
  f.answer({{"ReplicaLag", {{"2030-01-01T00:05:00Z", 900.0}}}});
  const auto refused = recheck_lag(f.client, f.stack.topology, f.stack.graph, failover_plan(10), false);
  ASSERT_TRUE(model::has_errors(refused));
  const auto& d = refused.at(0);
  EXPECT_EQ(d.address, "rds.replica.orders");
  EXPECT_NE(d.summary.find("15m"), std::string::npos) << d.summary;  // the lag now
  EXPECT_NE(d.summary.find("RPO of 5m"), std::string::npos) << d.summary;
  EXPECT_NE(d.detail.find("it was 10s when the plan was made"), std::string::npos) << d.detail;
  EXPECT_EQ(d.field, "objectives.rpo");
  ASSERT_TRUE(d.where);
  EXPECT_EQ(d.where->line, 5);  // objectives: { rto: 30m, rpo: 5m }

  const auto accepted = recheck_lag(f.client, f.stack.topology, f.stack.graph, failover_plan(10), true);
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted[0].severity, model::Severity::warning);
  EXPECT_NE(accepted[0].summary.find("--accept-data-loss"), std::string::npos);
}

TEST(Lag, RecheckPassesWithinTheRpoAndIgnoresOtherPlanKinds) {
  Fixture f;
  f.answer({{"ReplicaLag", {{"2030-01-01T00:05:00Z", 30.0}}}, {"AuroraGlobalDBReplicationLag", {{"2030-01-01T00:05:00Z", 200.0}}}});
  EXPECT_TRUE(recheck_lag(f.client, f.stack.topology, f.stack.graph, failover_plan(10), false).empty());

  Fixture g;
  g.answer({{"ReplicaLag", {{"2030-01-01T00:05:00Z", 900.0}}}});
  auto p = failover_plan(10);
  p.kind = "apply";
  EXPECT_TRUE(recheck_lag(g.client, g.stack.topology, g.stack.graph, p, false).empty());
  p.kind = "failback-switch";
  EXPECT_TRUE(recheck_lag(g.client, g.stack.topology, g.stack.graph, p, false).empty());
  EXPECT_EQ(g.fake->request_count(), 0u);  // not even read
}

TEST(Lag, RecheckOfAnUnplannedPlanNeverCallsThePrimaryRegionAndWarnsWhenALagBecameUnknown) {
  Fixture f;
  f.answer({{"AuroraGlobalDBReplicationLag", {{"2030-01-01T00:05:00Z", 200.0}}}});  // ReplicaLag: no data now
  const auto diags = recheck_lag(f.client, f.stack.topology, f.stack.graph, failover_plan(10, "unplanned"), false);
  for (const auto& r : f.fake->requests()) EXPECT_EQ(fakes::signing_region(r), "us-west-2");
  EXPECT_FALSE(model::has_errors(diags));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].address, "rds.replica.orders");
  EXPECT_NE(diags[0].summary.find("cannot re-check"), std::string::npos);
}

}  // namespace
}  // namespace dr
