#include "dr/timing_model.h"

#include <unistd.h>

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
strategy: pilot-light
objectives: { rto: 4h, rpo: 15m }
workloads:
  db: { kind: rds, source: shop-db, replica: { class: db.t3.medium } }
timings:
  rds_replica_promotion: 6m
  backup_copy: 1h
)";

TEST(Timings, DefaultsCarryTheirSources) {
  const auto s = load(kStack);
  model::Topology bare = s.topology;
  bare.document.erase("timings");
  model::Diagnostics diags;
  const TimingModel m = load_timings(source_paths(), bare, diags);
  EXPECT_TRUE(diags.empty()) << dump(diags);
  for (const auto& name : required_timings()) {
    const Timing t = m.get(name);
    EXPECT_GT(t.value.count(), 0) << name;
    EXPECT_NE(t.source.find("https://docs.aws.amazon.com/"), std::string::npos) << name << ": " << t.source;
    ASSERT_TRUE(t.where) << name;
    EXPECT_NE(t.where->file.find("timings.yaml"), std::string::npos);
  }
  EXPECT_EQ(m.get("s3_rtc").value, model::Seconds{15 * 60});
  EXPECT_EQ(m.get("rds_replica_promotion").value, model::Seconds{10 * 60});
  EXPECT_FALSE(m.get("rds_replica_promotion").overridden);
}

TEST(Timings, StackOverridesWinWithTheirPositions) {
  const auto s = load(kStack);
  model::Diagnostics diags;
  const TimingModel m = load_timings(source_paths(), s.topology, diags);
  EXPECT_TRUE(diags.empty()) << dump(diags);
  const Timing promote = m.get("rds_replica_promotion");
  EXPECT_EQ(promote.value, model::Seconds{6 * 60});
  EXPECT_TRUE(promote.overridden);
  EXPECT_EQ(promote.source, "stack override (default 10m)");
  ASSERT_TRUE(promote.where);
  EXPECT_EQ(promote.where->file, s.file);
  EXPECT_EQ(promote.where->line, 9);
  EXPECT_EQ(promote.where->column, 3);
  EXPECT_EQ(m.get("backup_copy").value, model::Seconds{3600});
  EXPECT_EQ(m.get("backup_copy").where->line, 10);
  EXPECT_EQ(m.get("dns_ttl").value, model::Seconds{60});  // untouched default
}

TEST(Timings, UnknownOverrideIsAnErrorAtItsLine) {
  std::string yaml = kStack;
  yaml += "  rds_promote: 5m\n";
  const auto s = load(yaml);
  model::Diagnostics diags;
  load_timings(source_paths(), s.topology, diags);
  ASSERT_EQ(diags.size(), 1u) << dump(diags);
  EXPECT_EQ(diags[0].field, "timings.rds_promote");
  ASSERT_TRUE(diags[0].where);
  EXPECT_EQ(diags[0].where->line, 11);
  EXPECT_NE(diags[0].detail.find("rds_replica_promotion"), std::string::npos);
}

TEST(Timings, MissingAndMalformedDefaultsAreReported) {
  model::Topology t;
  model::Diagnostics diags;
  const TimingModel m = load_timings_text(
      "version: 1\ntimings:\n  s3_rtc: { default: 15m, source: doc }\n  dns_ttl: { default: soon, source: doc }\n",
      "timings.yaml", t, diags);
  EXPECT_EQ(m.get("s3_rtc").value, model::Seconds{900});
  bool bad_ttl = false, missing_promotion = false;
  for (const auto& d : diags) {
    if (d.field == "timings.dns_ttl.default" && d.where && d.where->line == 4) bad_ttl = true;
    if (d.field == "timings.rds_replica_promotion") missing_promotion = true;
  }
  EXPECT_TRUE(bad_ttl) << dump(diags);
  EXPECT_TRUE(missing_promotion) << dump(diags);
  EXPECT_EQ(m.get("rds_replica_promotion").source, "missing from timings.yaml");
}

}  // namespace
}  // namespace dr
