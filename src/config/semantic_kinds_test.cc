// Per-kind semantic checks: every problem of tests/data/config/bad_kinds at file:line:col.
#include <gtest/gtest.h>

#include "config/config.h"
#include "config/test_util.h"

namespace config {
namespace {

using namespace testing_util;

class BadKinds : public ::testing::Test {
 protected:
  void SetUp() override { EXPECT_FALSE(load_stack(data("bad_kinds"), source_paths(), diags_)); }
  void expect(const std::string& field, int line, int column, const std::string& summary) {
    auto d = only_error(diags_, field);
    EXPECT_AT(d, "bad_kinds/s.dr.yaml", line, column);
    if (d) EXPECT_EQ(d->summary, summary);
  }
  model::Diagnostics diags_;
};

TEST_F(BadKinds, CopyRegionsAreFurtherRegions) {
  expect("backups.copy_regions[0]", 9, 18, "'us-west-2' is the DR region; copy_regions names further regions");
}

TEST_F(BadKinds, ArnsAndKmsKeysMustBeInTheirRegions) {
  expect("workloads.orders.source", 13, 13, "the source instance is in eu-west-1, not in the primary region us-east-1");
  expect("workloads.orders.replica.kms_key", 16, 16, "kms_key is in us-east-1 but the DR copy is in us-west-2");
  expect("workloads.carts.kms_key", 18, 51, "kms_key is in eu-west-1 but the DR copy is in us-west-2");
}

TEST_F(BadKinds, ReplicaBackupRetentionIsOneToThirtyFiveDays) {
  expect("workloads.orders.replica.backup_retention", 17, 25, "backup_retention must be whole days from 1d to 35d, got '40d'");
}

TEST_F(BadKinds, AnEbsWorkloadMustPickSomething) {
  expect("workloads.vols", 19, 9, "name the volumes to protect with tags or arns");
}

TEST_F(BadKinds, CapacitiesMustBeOrderedAndFailoverAtLeastStandby) {
  expect("workloads.web.standby.min", 23, 21, "min (3) must not exceed desired (2)");
  expect("workloads.web.failover.desired", 24, 26, "failover capacity (1) must be at least the standby capacity (2)");
  expect("workloads.api.failover", 25, 72, "failover count (1) must be at least the standby count (2)");
}

TEST_F(BadKinds, DnsFailoverEndpointsAndHealthChecks) {
  expect("workloads.dns.secondary", 32, 16, "set either target or alias, not both");
  expect("workloads.dns.health", 33, 13, "a TCP health check needs a port");
  expect("workloads.dns.health.path", 33, 32, "a TCP health check has no path");
  expect("workloads.dns.health.interval", 33, 51, "Route 53 checks every 10s or 30s, got '20s'");
  const model::Diagnostic* ttl = nullptr;
  for (const auto& d : diags_)
    if (d.field == "workloads.dns.ttl") ttl = &d;
  ASSERT_NE(ttl, nullptr) << dump(diags_);
  EXPECT_EQ(ttl->severity, model::Severity::warning);
  EXPECT_AT(ttl, "bad_kinds/s.dr.yaml", 30, 10);
}

TEST_F(BadKinds, NothingElseIsReported) {
  EXPECT_EQ(diags_.size(), 14u) << dump(diags_);
}

}  // namespace
}  // namespace config
