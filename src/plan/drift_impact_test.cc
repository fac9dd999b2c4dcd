#include "plan/drift_impact.h"

#include <gtest/gtest.h>

namespace plan {
namespace {

using nlohmann::json;

DriftEntry changed(const std::string& type, const std::string& workload, std::vector<DriftAttr> attrs) {
  DriftEntry e{type + ".x", type, "us-east-1", workload};
  e.kind = DriftEntry::Kind::changed;
  e.attrs = std::move(attrs);
  return e;
}

DriftEntry deleted(const std::string& type, const std::string& workload) {
  DriftEntry e{type + ".x", type, "us-west-2", workload};
  e.kind = DriftEntry::Kind::deleted;
  return e;
}

bool mentions(const DriftImpact& i, const std::string& text) { return i.effect.find(text) != std::string::npos; }

TEST(DriftImpact, DisabledReplicationRuleIsCriticalUnboundedRpoForItsWorkload) {
  auto i = classify_drift(changed("s3.replication", "assets", {{"rules[0].status", "Enabled", "Disabled"}}));
  EXPECT_EQ(i.grade, DriftGrade::critical);
  EXPECT_TRUE(mentions(i, "RPO unbounded")) << i.effect;
  EXPECT_TRUE(mentions(i, "workload 'assets'")) << i.effect;
}

TEST(DriftImpact, SuspendedVersioningOnEitherSideIsCritical) {
  EXPECT_EQ(classify_drift(changed("s3.bucket", "assets", {{"versioning", "Enabled", "Suspended"}})).grade,
            DriftGrade::critical);
  EXPECT_EQ(classify_drift(changed("s3.replication", "assets", {{"source_versioning", "Enabled", "Suspended"}})).grade,
            DriftGrade::critical);
}

TEST(DriftImpact, MissingReplicaMakesFailoverImpossible) {
  auto i = classify_drift(deleted("rds.replica", "orders"));
  EXPECT_EQ(i.grade, DriftGrade::critical);
  EXPECT_TRUE(mentions(i, "failover impossible")) << i.effect;
  EXPECT_EQ(classify_drift(deleted("dynamodb.replica", "catalog")).grade, DriftGrade::critical);
  EXPECT_EQ(classify_drift(deleted("route53.failover_record", "dns")).grade, DriftGrade::critical);
}

TEST(DriftImpact, LoweredStandbyCapacityLengthensRtoRaisedIsCostOnly) {
  auto lower = classify_drift(changed("autoscaling.capacity", "web", {{"desired", 2, 0}}));
  EXPECT_EQ(lower.grade, DriftGrade::warning);
  EXPECT_TRUE(mentions(lower, "RTO longer")) << lower.effect;
  auto higher = classify_drift(changed("ecs.capacity", "api", {{"desired_count", 1, 3}}));
  EXPECT_EQ(higher.grade, DriftGrade::info);
  EXPECT_TRUE(mentions(higher, "cost only")) << higher.effect;
}

TEST(DriftImpact, TagsAreCosmeticExceptRecordedFailoverCapacity) {
  EXPECT_EQ(classify_drift(changed("s3.bucket", "assets", {{"tags.team", "a", "b"}})).grade, DriftGrade::info);
  EXPECT_EQ(classify_drift(changed("autoscaling.capacity", "web", {{"tags.drctl:failover-desired", "6", "2"}})).grade,
            DriftGrade::warning);
}

TEST(DriftImpact, RtcOffIsAWarningOnIsInfo) {
  EXPECT_EQ(classify_drift(changed("s3.replication", "a", {{"rules[0].rtc", true, false}})).grade, DriftGrade::warning);
  EXPECT_EQ(classify_drift(changed("s3.replication", "a", {{"rules[0].rtc", false, true}})).grade, DriftGrade::info);
}

TEST(DriftImpact, BackupCopyToDrRemovedIsCriticalScheduleIsWarning) {
  EXPECT_EQ(classify_drift(changed("backup.plan", "", {{"rules[0].copy_to", json::array({1}), json::array()}})).grade,
            DriftGrade::critical);
  auto s = classify_drift(changed("backup.plan", "", {{"rules[0].schedule", "cron(0 * ? * * *)", "cron(0 0 ? * * *)"}}));
  EXPECT_EQ(s.grade, DriftGrade::warning);
  EXPECT_TRUE(mentions(s, "for the stack")) << s.effect;
}

TEST(DriftImpact, DnsTtlAndDetection) {
  EXPECT_EQ(classify_drift(changed("route53.failover_record", "dns", {{"ttl", 60, 3600}})).grade, DriftGrade::warning);
  EXPECT_EQ(classify_drift(changed("route53.failover_record", "dns", {{"ttl", 60, 30}})).grade, DriftGrade::info);
  EXPECT_EQ(classify_drift(changed("route53.health_check", "dns", {{"fqdn", "a", "b"}})).grade, DriftGrade::critical);
}

TEST(DriftImpact, UnknownTypeOrUnreadableIsAWarningNotSilence) {
  EXPECT_EQ(classify_drift(changed("new.kind", "w", {{"knob", 1, 2}})).grade, DriftGrade::warning);
  DriftEntry u{"iam.role.r", "iam.role", "us-east-1", ""};
  u.kind = DriftEntry::Kind::unreadable;
  EXPECT_EQ(classify_drift(u).grade, DriftGrade::warning);
}

TEST(DriftImpact, EntryTakesItsWorstAttribute) {
  auto i = classify_drift(changed("s3.replication", "assets",
                                  {{"tags.team", "a", "b"}, {"rules[0].status", "Enabled", "Disabled"}}));
  EXPECT_EQ(i.grade, DriftGrade::critical);
}

TEST(DriftImpact, RankPutsCriticalFirstAndKeepsAddressOrderWithinAGrade) {
  DriftReport r;
  r.entries.push_back(changed("autoscaling.capacity", "web", {{"tags.team", "a", "b"}}));  // info
  r.entries.push_back(changed("sns.topic", "", {{"subscriptions", json::array({1}), json::array()}}));  // warning
  r.entries.push_back(deleted("rds.replica", "orders"));  // critical
  r.entries.push_back(deleted("s3.bucket", "assets"));    // critical
  auto ranked = rank_drift(r);
  ASSERT_EQ(ranked.size(), 4u);
  EXPECT_EQ(ranked[0].entry.type, "rds.replica");
  EXPECT_EQ(ranked[1].entry.type, "s3.bucket");
  EXPECT_EQ(ranked[2].impact.grade, DriftGrade::warning);
  EXPECT_EQ(ranked[3].impact.grade, DriftGrade::info);
  EXPECT_EQ(ranked[2].attr_impacts.size(), 1u);
  EXPECT_STREQ(drift_grade_name(ranked[0].impact.grade), "critical");
}

}  // namespace
}  // namespace plan
