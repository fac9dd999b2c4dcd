#include "dr/assess.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "dr/test_stack.h"

namespace dr {
namespace {

using testing_util::dump;
using testing_util::load;
using testing_util::source_paths;

struct Assessed {
  testing_util::LoadedStack stack;
  Assessment a;
  const WorkloadAssessment& w(const std::string& name) const {
    for (const auto& x : a.workloads)
      if (x.name == name) return x;
    throw std::runtime_error("no workload " + name);
  }
};

Assessed run(const std::string& yaml) {
  Assessed r{load(yaml), {}};
  model::Diagnostics diags;
  const TimingModel timings = load_timings(source_paths(), r.stack.topology, diags);
  EXPECT_TRUE(diags.empty()) << dump(diags);
  r.a = assess(r.stack.topology, r.stack.graph, timings);
  return r;
}

constexpr model::Seconds min(long m) { return model::Seconds{m * 60}; }

TEST(Assess, S3WithRtcIsBoundedAt15Minutes) {
  const auto r = run(R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: backup-restore
objectives: { rto: 24h, rpo: 30m }
workloads:
  assets: { kind: s3, source: shop-assets, rtc: true }
  logs: { kind: s3, source: shop-logs }
)");
  const auto& assets = r.w("assets");
  EXPECT_EQ(assets.rpo.achievable.bound, Bound::bounded);
  EXPECT_EQ(assets.rpo.achievable.value, min(15));
  EXPECT_EQ(assets.rpo.verdict, Verdict::meets);
  EXPECT_NE(assets.rpo.achievable.reasoning.at(0).find("S3 RTC: 15m bound"), std::string::npos);

  // Without RTC: replicated, but no bound to show the objective is met: a warning, not an error.
  const auto& logs = r.w("logs");
  EXPECT_EQ(logs.rpo.achievable.bound, Bound::best_effort);
  EXPECT_EQ(logs.rpo.verdict, Verdict::unverifiable);
  ASSERT_EQ(r.a.diagnostics.size(), 1u) << dump(r.a.diagnostics);
  EXPECT_EQ(r.a.diagnostics[0].severity, model::Severity::warning);
  EXPECT_EQ(r.a.diagnostics[0].field, "objectives.rpo");
  EXPECT_TRUE(r.a.meets_all());
}

TEST(Assess, RdsReplicaUnderPilotLight) {
  const auto r = run(R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: pilot-light
objectives: { rto: 4h, rpo: 15m }
workloads:
  db: { kind: rds, source: shop-db, replica: { class: db.t3.medium } }
)");
  const auto& db = r.w("db");
  EXPECT_EQ(db.rpo.achievable.value, min(1));
  EXPECT_EQ(db.rpo.verdict, Verdict::meets);
  // No health check: default detection 5m, then promotion 10m.
  ASSERT_EQ(db.rto.achievable.steps.size(), 2u);
  EXPECT_EQ(db.rto.achievable.steps[0].timing, "detection_without_health_check");
  EXPECT_EQ(db.rto.achievable.steps[1].timing, "rds_replica_promotion");
  EXPECT_EQ(db.rto.achievable.value, min(15));
  EXPECT_TRUE(r.a.diagnostics.empty()) << dump(r.a.diagnostics);
}

TEST(Assess, HourlyBackupsCannotMeetFiveMinutesAtTheObjectiveLine) {
  const std::string yaml = R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: backup-restore
objectives: { rto: 24h, rpo: 5m }
workloads:
  db: { kind: rds, source: shop-db, replica: { class: db.t3.medium } }
backups:
  schedule: cron(0 * ? * * *)
  retention: 35d
  select: { tags: { dr: protected } }
)";
  const auto r = run(yaml);
  const auto& db = r.w("db");
  EXPECT_EQ(db.rpo.achievable.value, min(90));
  EXPECT_EQ(db.rpo.verdict, Verdict::misses);
  bool explained = false;
  for (const auto& line : db.rpo.achievable.reasoning)
    explained |= line == "backups every 1h (cron(0 * ? * * *)) + copy to DR 30m = 1h30m";
  EXPECT_TRUE(explained);
  // RTO: detection 5m + restore 1h.
  EXPECT_EQ(db.rto.achievable.value, min(65));
  EXPECT_EQ(db.rto.verdict, Verdict::meets);

  ASSERT_EQ(r.a.diagnostics.size(), 1u) << dump(r.a.diagnostics);
  const auto& d = r.a.diagnostics[0];
  EXPECT_EQ(d.severity, model::Severity::error);
  EXPECT_EQ(d.field, "objectives.rpo");
  ASSERT_TRUE(d.where);
  EXPECT_EQ(d.where->file, r.stack.file);
  EXPECT_EQ(d.where->line, 5);
  EXPECT_EQ(d.where->column, static_cast<int>(std::string("objectives: { rto: 24h, ").size()) + 1);
  EXPECT_NE(d.summary.find("achievable 1h30m"), std::string::npos) << d.summary;
  EXPECT_NE(d.detail.find(":9:3: backups.schedule"), std::string::npos) << d.detail;
  EXPECT_FALSE(r.a.meets_all());
}

TEST(Assess, WorkloadObjectiveIsReportedAtItsOwnLine) {
  const auto r = run(R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: backup-restore
objectives: { rto: 24h, rpo: 24h }
workloads:
  db:
    kind: rds
    source: shop-db
    replica: { class: db.t3.medium }
    objectives: { rpo: 5m }
backups:
  schedule: cron(0 5 ? * * *)
  retention: 35d
  select: { tags: { dr: protected } }
)");
  ASSERT_EQ(r.a.diagnostics.size(), 1u) << dump(r.a.diagnostics);
  EXPECT_EQ(r.a.diagnostics[0].field, "workloads.db.objectives.rpo");
  EXPECT_EQ(r.a.diagnostics[0].where->line, 11);
  EXPECT_EQ(r.w("db").rpo.achievable.value, min(24 * 60 + 30));
}

TEST(Assess, NoCopyToDrIsUnbounded) {
  const auto r = run(R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: backup-restore
objectives: { rto: 24h, rpo: 24h }
workloads:
  db: { kind: rds, source: shop-db, replica: { class: db.t3.medium } }
backups:
  schedule: cron(0 * ? * * *)
  retention: 35d
  copy_to_dr: false
  select: { tags: { dr: protected } }
)");
  const auto& db = r.w("db");
  EXPECT_EQ(db.rpo.achievable.bound, Bound::unbounded);
  EXPECT_EQ(db.rto.achievable.bound, Bound::unbounded);
  ASSERT_EQ(r.a.diagnostics.size(), 2u) << dump(r.a.diagnostics);
  EXPECT_NE(r.a.diagnostics[0].detail.find("backups.copy_to_dr"), std::string::npos);
}

TEST(Assess, RtoCriticalPathsSumDetectionAndSteps) {
  const auto r = run(R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: warm-standby
objectives: { rto: 5m, rpo: 5m }
workloads:
  api: { kind: ecs, cluster: shop, service: api, standby: 1, failover: 3 }
  web: { kind: asg, group: web, standby: { min: 0, desired: 0 }, failover: { desired: 4 } }
  dns:
    kind: dns-failover
    zone: ZABC
    record: api.shop.example
    ttl: 30
    primary: { target: a.shop.example.net }
    secondary: { target: b.shop.example.net }
    health: { interval: 10s, threshold: 2 }
)");
  // Detection 10s x 2 = 20s on every path.
  const auto& api = r.w("api");
  ASSERT_EQ(api.rto.achievable.steps.size(), 2u);
  EXPECT_EQ(api.rto.achievable.steps[0].duration, model::Seconds{20});
  EXPECT_EQ(api.rto.achievable.steps[1].timing, "ecs_scale_out");
  EXPECT_EQ(api.rto.achievable.value, model::Seconds{20 + 180});
  EXPECT_EQ(api.rpo.verdict, Verdict::not_applicable);
  // Warm standby at 0: scales from zero (10m), which misses 5m.
  const auto& web = r.w("web");
  EXPECT_EQ(web.rto.achievable.steps.at(1).timing, "asg_scale_from_zero");
  EXPECT_EQ(web.rto.achievable.value, model::Seconds{20 + 600});
  EXPECT_EQ(web.rto.verdict, Verdict::misses);
  // DNS: detection + the record's own TTL.
  const auto& dns = r.w("dns");
  EXPECT_EQ(dns.rto.achievable.value, model::Seconds{50});
  EXPECT_EQ(dns.rto.achievable.steps.at(1).source, "workloads.dns.ttl");
  ASSERT_EQ(r.a.diagnostics.size(), 1u) << dump(r.a.diagnostics);
  EXPECT_EQ(r.a.diagnostics[0].field, "objectives.rto");
  EXPECT_NE(r.a.diagnostics[0].summary.find("'web'"), std::string::npos);
}

TEST(Assess, OverriddenTimingChangesTheVerdict) {
  const auto r = run(R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: backup-restore
objectives: { rto: 24h, rpo: 2h }
workloads:
  db: { kind: rds, source: shop-db, replica: { class: db.t3.medium } }
backups:
  schedule: rate(1 hour)
  retention: 35d
  select: { tags: { dr: protected } }
timings: { backup_copy: 1h30m }
)");
  // 1h + 30m by default would meet 2h; the stack's measured copy time does not.
  EXPECT_EQ(r.w("db").rpo.achievable.value, min(150));
  EXPECT_EQ(r.w("db").rpo.verdict, Verdict::misses);
}

}  // namespace
}  // namespace dr
