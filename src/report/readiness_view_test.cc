// Readiness views: the JSON validates against schemas/readiness.schema.json (valijson, through
// config::SchemaValidator), and text/Markdown show the verdict, failed findings with evidence
// grouped by grade, and the observed RPO table.
#include "report/readiness_view.h"

#include <gtest/gtest.h>

#include "config/document.h"
#include "config/schema_validator.h"

namespace report {
namespace {

dr::Readiness sample() {
  dr::Readiness r;
  r.stack = "shop";
  r.checked_at = "2024-05-01T12:00:00Z";
  dr::WorkloadReadiness orders;
  orders.name = "orders";
  orders.kind = "rds";
  dr::Finding missing;
  missing.check = "exists";
  missing.grade = dr::Grade::critical;
  missing.summary = "rds.replica.orders does not exist in us-west-2";
  missing.evidence = "refresh (rds.replica read in us-west-2): not found";
  missing.address = "rds.replica.orders";
  missing.where = model::SourceRange{"stack.dr.yaml", 7, 3};
  orders.findings.push_back(missing);
  dr::Finding tags;
  tags.check = "config.tags";
  tags.grade = dr::Grade::info;
  tags.summary = "tags.team differs";
  tags.evidence = "refresh";
  orders.findings.push_back(tags);
  dr::Finding ok;
  ok.check = "pair.engine";
  ok.passed = true;
  ok.summary = "engine: primary postgres / replica postgres";
  orders.findings.push_back(ok);
  orders.observed_rpo.push_back({"newest recovery point (primary vault)", model::Seconds(600), model::Seconds(3600),
                                 "ListRecoveryPointsByBackupVault us-east-1 vault drctl-shop-primary"});
  orders.observed_rpo.push_back({"replica lag", std::nullopt, model::Seconds(300), "AWS/RDS ReplicaLag"});
  r.workloads.push_back(orders);
  dr::WorkloadReadiness web;
  web.name = "web";
  web.kind = "asg";
  r.workloads.push_back(web);
  return r;
}

void expect_valid(const nlohmann::json& j) {
  model::Diagnostics diags;
  auto v = config::SchemaValidator::load(std::string(DRCTL_SOURCE_DIR) + "/schemas/readiness.schema.json", diags);
  ASSERT_TRUE(v) << (diags.empty() ? "" : diags[0].summary);
  config::Document doc;
  doc.value = j;
  v->validate(doc, diags);
  std::string problems;
  for (const auto& d : diags) problems += d.summary + "; ";
  EXPECT_TRUE(diags.empty()) << problems;
}

TEST(ReadinessView, JsonValidatesAgainstTheSchema) {
  const auto j = readiness_json(sample());
  expect_valid(j);
  EXPECT_FALSE(j["ready"]);
  EXPECT_EQ(j["summary"]["critical_failed"], 1);
  EXPECT_EQ(j["workloads"][0]["findings"][0]["where"], "stack.dr.yaml:7:3");
  EXPECT_EQ(j["workloads"][0]["observed_rpo"][0]["age_seconds"], 600);
  EXPECT_TRUE(j["workloads"][0]["observed_rpo"][0]["within"]);
  EXPECT_TRUE(j["workloads"][0]["observed_rpo"][1]["age"].is_null());
  EXPECT_TRUE(j["workloads"][1]["ready"]);
}

TEST(ReadinessView, TheSchemaRejectsAnUnknownGrade) {
  auto j = readiness_json(sample());
  j["workloads"][0]["findings"][0]["grade"] = "fatal";
  model::Diagnostics diags;
  auto v = config::SchemaValidator::load(std::string(DRCTL_SOURCE_DIR) + "/schemas/readiness.schema.json", diags);
  ASSERT_TRUE(v);
  config::Document doc;
  doc.value = j;
  v->validate(doc, diags);
  EXPECT_FALSE(diags.empty());
}

TEST(ReadinessView, TextShowsVerdictEvidenceAndTheRpoTable) {
  const auto text = readiness_text(sample(), Style{});
  EXPECT_NE(text.find("orders (rds): NOT READY"), std::string::npos) << text;
  EXPECT_NE(text.find("web (asg): READY"), std::string::npos) << text;
  EXPECT_NE(text.find("  critical\n    ✗ rds.replica.orders does not exist in us-west-2"), std::string::npos) << text;
  EXPECT_NE(text.find("evidence: refresh (rds.replica read in us-west-2): not found"), std::string::npos) << text;
  EXPECT_NE(text.find("config:   stack.dr.yaml:7:3"), std::string::npos) << text;
  EXPECT_LT(text.find("  critical"), text.find("  info"));
  EXPECT_NE(text.find("newest recovery point (primary vault)"), std::string::npos);
  EXPECT_NE(text.find("unknown"), std::string::npos);  // the lag nobody reported
  EXPECT_NE(text.find("Stack NOT READY: 1 critical, 0 warning, 1 info finding(s) failed; 1 passed"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("\x1b["), std::string::npos);  // no colour without a terminal
  EXPECT_NE(readiness_text(sample(), Style{true}).find("\x1b[31m"), std::string::npos);
}

TEST(ReadinessView, MarkdownHasGradeSectionsAndTheRpoTable) {
  const auto md = readiness_markdown(sample());
  EXPECT_NE(md.find("## orders (rds): NOT READY"), std::string::npos) << md;
  EXPECT_NE(md.find("### critical"), std::string::npos);
  EXPECT_NE(md.find("| **FAIL** | `exists` | rds.replica.orders does not exist in us-west-2 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| what | age | objective | within | source |"), std::string::npos);
  EXPECT_NE(md.find("| newest recovery point (primary vault) | 10m | 1h | yes |"), std::string::npos) << md;
}

}  // namespace
}  // namespace report
