// Readiness: how differing attributes are graded, and the RDS pair probe over canned AWS
// replies (which calls it makes, in which region, and what a mismatch or a failed read gives).
#include "dr/readiness.h"

#include <gtest/gtest.h>

#include "aws/credentials.h"
#include "dr/readiness_internal.h"
#include "dr/test_stack.h"
#include "fakes/fake_transport.h"

namespace dr {
namespace {

using readiness_detail::grade_attribute;

plan::AttrChange change(std::string path, nlohmann::json before, nlohmann::json after) {
  plan::AttrChange c;
  c.path = std::move(path);
  c.before = std::move(before);
  c.after = std::move(after);
  return c;
}

TEST(ReadinessGrade, GradesByWhatTheDifferenceDoesToRecovery) {
  EXPECT_EQ(grade_attribute("s3.replication", change("rules[0].status", "Disabled", "Enabled")).grade, Grade::critical);
  EXPECT_EQ(grade_attribute("s3.replication", change("rules[0].rtc", false, true)).check, "s3.rtc");
  EXPECT_EQ(grade_attribute("s3.replication", change("rules[0].rtc", false, true)).grade, Grade::critical);
  EXPECT_EQ(grade_attribute("s3.bucket", change("tags.team", "a", "b")).grade, Grade::info);
  EXPECT_EQ(grade_attribute("autoscaling.capacity", change("max", 2, 4)).grade, Grade::warning);
  // Retention: live keeps recovery points for less time than configured -> critical.
  const auto cut = grade_attribute("backup.plan", change("rules[0].lifecycle.delete_after_days", 7, 35));
  EXPECT_EQ(cut.check, "backup.retention");
  EXPECT_EQ(cut.grade, Grade::critical);
  EXPECT_EQ(grade_attribute("backup.plan", change("rules[0].lifecycle.delete_after_days", 90, 35)).grade, Grade::warning);
  EXPECT_EQ(grade_attribute("rds.replica", change("source", "other", "orders-primary")).grade, Grade::critical);
  EXPECT_EQ(grade_attribute("route53.failover_record", change("records", nlohmann::json::array({"x"}),
                                                              nlohmann::json::array({"y"}))).grade,
            Grade::critical);
}

const char* kStack = R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: pilot-light
objectives: { rto: 1h, rpo: 15m }
workloads:
  orders: { kind: rds, source: orders-primary, replica: { class: db.r6g.large } }
)";

std::string instance_xml(const std::string& id, const std::string& version, const std::string& source) {
  return "<DescribeDBInstancesResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><DescribeDBInstancesResult>"
         "<DBInstances><DBInstance><DBInstanceIdentifier>" + id + "</DBInstanceIdentifier>"
         "<DBInstanceStatus>available</DBInstanceStatus><Engine>postgres</Engine><EngineVersion>" + version +
         "</EngineVersion><DBInstanceClass>db.r6g.large</DBInstanceClass><StorageEncrypted>false</StorageEncrypted>" +
         (source.empty() ? "" : "<ReadReplicaSourceDBInstanceIdentifier>" + source + "</ReadReplicaSourceDBInstanceIdentifier>") +
         "<DBParameterGroups><DBParameterGroup><DBParameterGroupName>default.postgres16</DBParameterGroupName>"
         "</DBParameterGroup></DBParameterGroups></DBInstance></DBInstances></DescribeDBInstancesResult>"
         "</DescribeDBInstancesResponse>";
}

struct Fixture {
  std::shared_ptr<fakes::FakeTransport> fake = std::make_shared<fakes::FakeTransport>();
  std::unique_ptr<aws::Client> client;
  testing_util::LoadedStack stack = testing_util::load(kStack);
  std::map<std::string, plan::Observed> observed;
  TimingModel timings;

  Fixture() {
    aws::ClientConfig c;
    c.transport = fake;
    c.credentials = std::make_shared<aws::StaticCredentialsProvider>(aws::Credentials{"AKIDEXAMPLE", "secret", ""});
    c.endpoint_url = "http://127.0.0.1:4566";
    c.default_region = "us-east-1";
    c.max_attempts = 1;
    client = std::make_unique<aws::Client>(c);
    plan::Observed o;
    o.status = plan::Observed::Status::found;
    o.id = "drctl-shop-orders";
    observed["rds.replica.orders"] = o;
  }

  readiness_detail::Sink run() {
    readiness_detail::Probe p{*client, stack.topology, stack.graph, observed, timings, std::chrono::system_clock::now()};
    readiness_detail::Sink sink;
    readiness_detail::check_rds(p, sink);
    return sink;
  }
};

const Finding* find(const std::vector<Finding>& fs, const std::string& check) {
  for (const auto& f : fs)
    if (f.check == check) return &f;
  return nullptr;
}

TEST(ReadinessRds, ComparesThePairAcrossRegions) {
  Fixture f;
  f.fake->set_handler([](const aws::HttpRequest& r) -> fakes::SendResult {
    const bool dr = fakes::signing_region(r) == "us-west-2";
    return aws::HttpResponse{200, {}, dr ? instance_xml("drctl-shop-orders", "15.4",
                                                        "arn:aws:rds:us-east-1:123456789012:db:orders-primary")
                                         : instance_xml("orders-primary", "16.3", "")};
  });
  const auto sink = f.run();
  EXPECT_TRUE(sink.diagnostics.empty());
  const auto& fs = sink.findings.at("orders");
  ASSERT_TRUE(find(fs, "replica.status"));
  EXPECT_TRUE(find(fs, "replica.status")->passed);
  EXPECT_TRUE(find(fs, "replica.source")->passed) << find(fs, "replica.source")->summary;
  const auto* version = find(fs, "pair.engine_version");
  ASSERT_TRUE(version);
  EXPECT_FALSE(version->passed);
  EXPECT_EQ(version->grade, Grade::critical);  // 16 vs 15: major versions differ
  EXPECT_NE(version->summary.find("primary 16.3 / replica 15.4"), std::string::npos) << version->summary;
  EXPECT_TRUE(find(fs, "pair.instance_class")->passed);
  EXPECT_EQ(f.fake->calls().size(), 2u);  // one DescribeDBInstances per side, default parameter groups need none
  EXPECT_EQ(fakes::signing_region(f.fake->requests()[0]), "us-west-2");
  EXPECT_EQ(fakes::form_value(f.fake->requests()[1], "DBInstanceIdentifier"), "orders-primary");
}

TEST(ReadinessRds, AReplicaOfAnotherSourceIsCriticalAndAFailedReadIsADiagnostic) {
  Fixture f;
  f.fake->push(200, instance_xml("drctl-shop-orders", "16.3", "arn:aws:rds:us-east-1:123456789012:db:billing"));
  f.fake->push(500, "<html>oops</html>");
  const auto sink = f.run();
  const auto* source = find(sink.findings.at("orders"), "replica.source");
  ASSERT_TRUE(source);
  EXPECT_FALSE(source->passed);
  EXPECT_EQ(source->grade, Grade::critical);
  // The primary could not be read: no pair verdict, a diagnostic (the command exits 1).
  EXPECT_FALSE(find(sink.findings.at("orders"), "pair.engine"));
  ASSERT_EQ(sink.diagnostics.size(), 1u);
  EXPECT_EQ(sink.diagnostics[0].address, "rds.replica.orders");
}

TEST(Readiness, AWorkloadIsReadyUnlessACriticalFindingFailed) {
  WorkloadReadiness w;
  w.findings.push_back(readiness_detail::finding("config.tags", Grade::info, false, "", ""));
  w.findings.push_back(readiness_detail::finding("capacity.failover_max", Grade::warning, false, "", ""));
  EXPECT_TRUE(w.ready());
  w.findings.push_back(readiness_detail::finding("exists", Grade::critical, false, "", ""));
  EXPECT_FALSE(w.ready());
}

}  // namespace
}  // namespace dr
