#include "dr/drill.h"

#include <gtest/gtest.h>

namespace dr {
namespace {

DrillRecord sample() {
  DrillRecord r;
  r.stack = "shop";
  r.started_at = "2026-11-10T10:00:00Z";
  r.finished_at = "2026-11-10T10:20:00Z";
  r.from_region = "us-east-1";
  r.to_region = "us-west-2";
  r.detection = model::Seconds{90};
  r.detection_source = "detect the failure: dns health check 30s x 3";
  r.rto_objective = model::Seconds{900};
  r.rto_objective_of = "objectives.rto";
  r.phases = {{"failover", true, 120.4, 7, {{"op.rds_promote.orders", 100.0, "succeeded"}}, ""},
              {"failback-protect", true, 30, 8, {}, ""}};
  return r;
}

TEST(Drill, AchievedRtoIsDetectionPlusMeasuredFailover) {
  auto r = sample();
  ASSERT_TRUE(r.achieved_rto());
  EXPECT_EQ(r.achieved_rto()->count(), 90 + 121);  // a started second counts whole
  EXPECT_TRUE(r.meets_rto());
  EXPECT_TRUE(r.ok());
  r.rto_objective = model::Seconds{200};
  EXPECT_FALSE(r.meets_rto());
}

TEST(Drill, FailedFailoverHasNoAchievedRto) {
  auto r = sample();
  r.phases[0].ok = false;
  EXPECT_FALSE(r.achieved_rto());
  EXPECT_FALSE(r.meets_rto());
  EXPECT_FALSE(r.ok());
  r.phases.erase(r.phases.begin());
  EXPECT_FALSE(r.ok()) << "a drill whose failover never ran proves nothing";
}

TEST(Drill, RoundTripsThroughTheRunHistory) {
  const auto j = drill_json(sample());
  EXPECT_EQ(j["achieved_rto_seconds"], 211);
  EXPECT_EQ(j["meets_rto"], true);
  std::vector<state::RunRecord> runs = {
      {3, "apply", "", "", "succeeded", "", {}},
      {2, "drill", "2026-11-10T10:00:00Z", "2026-11-10T10:20:00Z", "succeeded", "", j},
      {1, "drill", "2026-11-01T10:00:00Z", "2026-11-01T10:20:00Z", "failed", "", {{"phases", "not a list"}}},
  };
  const auto last = last_drill(runs);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->started_at, "2026-11-10T10:00:00Z");
  EXPECT_EQ(last->phases.size(), 2u);
  EXPECT_EQ(last->phases[0].steps[0].address, "op.rds_promote.orders");
  EXPECT_EQ(last->achieved_rto()->count(), 211);
  EXPECT_EQ(last->rto_objective->count(), 900);
  runs.erase(runs.begin() + 1);
  EXPECT_FALSE(last_drill(runs)) << "an unreadable record is skipped, not shown as a drill";
}

TEST(Drill, AgeInWholeDays) {
  EXPECT_EQ(age_text("2026-11-10T10:00:00Z", "2026-11-22T09:00:00Z"), "11 days ago");
  EXPECT_EQ(age_text("2026-11-21T10:00:00Z", "2026-11-22T11:00:00Z"), "1 day ago");
  EXPECT_EQ(age_text("2026-11-22T10:00:00Z", "2026-11-22T11:00:00Z"), "today");
  EXPECT_EQ(age_text("garbage", "2026-11-22T11:00:00Z"), "garbage");
}

}  // namespace
}  // namespace dr
