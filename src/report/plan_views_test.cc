// Pull-request views: plan Markdown, topology graph (dot/mermaid) and SARIF.
//
// Golden tests render the example stacks offline: each plan is plan::diff() of the expanded
// graph with nothing observed and nothing in state (every resource "create"), with fixed
// timestamps. The goldens live in tests/golden/{plan,graph,sarif}/. To regenerate them after
// an intended change, run the test binary with UPDATE_GOLDEN=1 in the environment:
//   UPDATE_GOLDEN=1 build/src/report/drctl_report_plan_views_test
// and review the diff.
//
// SARIF output is validated against the SARIF 2.1.0 JSON schema in
// tests/data/sarif-schema-2.1.0.json (revision 2.1.0-rtm.5, as shipped in the npm package
// @microsoft/jest-sarif; the OASIS final text could not be obtained as a file).
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include <gtest/gtest.h>

#include "config/config.h"
#include "config/document.h"
#include "config/schema_validator.h"
#include "dr/objectives.h"
#include "plan/diff.h"
#include "plan/plan_json.h"
#include "report/assess_view.h"
#include "report/graph_view.h"
#include "report/plan_markdown.h"
#include "report/sarif.h"
#include "report/text.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kSource = DRCTL_SOURCE_DIR;

std::string read_file(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Compares with the golden file, or rewrites it under UPDATE_GOLDEN=1.
void expect_golden(const std::string& actual, const std::string& relative) {
  const fs::path path = kSource / "tests" / "golden" / relative;
  if (const char* u = std::getenv("UPDATE_GOLDEN"); u && *u == '1') {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::trunc) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << path << " is missing: run with UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, read_file(path)) << "differs from " << path << " (UPDATE_GOLDEN=1 rewrites it)";
}

struct Loaded {
  model::Topology topology;
  model::Graph graph;
  dr::ObjectiveReport objectives;
};

// Stacks are loaded by paths relative to the source tree, so positions and SARIF URIs in the
// goldens read "examples/<name>/stack.dr.yaml" wherever the tree is checked out.
class PlanViews : public ::testing::Test {
 protected:
  void SetUp() override { fs::current_path(kSource); }

  static Loaded load(const std::string& dir) {
    model::Diagnostics diags;
    const auto paths = config::default_paths();
    auto topology = config::load_stack(dir, paths, diags);
    EXPECT_TRUE(topology) << dir;
    auto graph = config::expand(*topology, paths, diags);
    EXPECT_TRUE(graph) << dir;
    EXPECT_FALSE(model::has_errors(diags)) << dir;
    auto objectives = dr::check_objectives(*topology, *graph, paths);
    return {std::move(*topology), std::move(*graph), std::move(objectives)};
  }

  static plan::Plan create_everything(const Loaded& l) {
    plan::DiffInput in;
    in.desired = &l.graph;
    plan::Plan p = plan::diff(in);
    p.stack = l.topology.stack;
    p.created_at = "2024-01-01T00:00:00Z";
    p.config_dir = "";
    p.config_hash = "";
    return p;
  }

  static std::string markdown(const Loaded& l, const plan::Plan& p, std::optional<json> before = std::nullopt,
                              size_t max_chars = report::kGithubCommentLimit) {
    const auto graph = report::graph_view(l.graph, l.topology.primary_region, l.topology.dr_region);
    report::PlanMarkdownInput in;
    in.plan = &p;
    in.after = &l.objectives.assessment;
    in.objective_checks = l.objectives.diagnostics;
    in.before_at = before ? "2024-01-01T00:00:00Z" : "";
    in.before = std::move(before);
    in.graph = &graph;
    in.max_chars = max_chars;
    return report::plan_markdown(in);
  }

  // SARIF of a stack folder's config + objective findings, as `drctl validate --format sarif`.
  static json sarif_of(const std::string& dir) {
    model::Diagnostics diags;
    const auto paths = config::default_paths();
    report::SarifInput in;
    in.tool_version = "0.0.0-test";
    in.base_dir = kSource.string();
    in.fallback_file = dir + "/stack.dr.yaml";
    auto topology = config::load_stack(dir, paths, diags);
    std::optional<model::Graph> graph;
    if (topology) graph = config::expand(*topology, paths, diags);
    for (const auto& d : diags) in.findings.push_back({"config", d});
    if (topology && graph && !model::has_errors(diags))
      for (const auto& d : dr::check_objectives(*topology, *graph, paths).diagnostics)
        in.findings.push_back({"objectives", d});
    return report::sarif_log(in);
  }

  static void expect_valid_sarif(const json& log) {
    model::Diagnostics diags;
    auto validator = config::SchemaValidator::load((kSource / "tests/data/sarif-schema-2.1.0.json").string(), diags);
    ASSERT_TRUE(validator) << (diags.empty() ? "" : diags.front().summary + ": " + diags.front().detail);
    config::Document doc;
    doc.value = log;
    model::Diagnostics problems;
    validator->validate(doc, problems);
    for (const auto& d : problems) ADD_FAILURE() << d.field << ": " << d.summary;
  }
};

const char* kExamples[] = {"quickstart", "webapp-pilot-light", "ecommerce-warm-standby", "securecart-active-active"};

TEST_F(PlanViews, MarkdownOfEveryExampleMatchesItsGolden) {
  for (const std::string name : kExamples) {
    SCOPED_TRACE(name);
    const auto l = load("examples/" + name);
    const auto p = create_everything(l);
    const std::string md = markdown(l, p);
    EXPECT_LE(md.size(), report::kGithubCommentLimit);
    expect_golden(md, "plan/" + name + ".md");
    expect_golden(plan::to_json(p).dump(2) + "\n", "plan/" + name + ".json");
  }
}

TEST_F(PlanViews, MarkdownSummaryLineCountsEveryAction) {
  const auto l = load("examples/quickstart");
  auto p = create_everything(l);
  ASSERT_GE(p.changes.size(), 4u);
  p.changes[0].action = plan::Action::update;
  p.changes[1].action = plan::Action::destroy;
  p.changes[1].data_bearing = true;
  p.changes[2].action = plan::Action::import_;
  p.changes[3].action = plan::Action::noop;
  const auto s = p.summary();
  const std::string md = markdown(l, p);
  EXPECT_NE(md.find(fmt::format("**Plan:** {} to add, 1 to change, 0 to replace, 1 to destroy, 1 to import (1 unchanged).",
                                s.create)),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("> [!CAUTION]\n> `" + p.changes[1].address + "` holds data"), std::string::npos) << md;
  EXPECT_NE(md.find("first apply"), std::string::npos);
}

TEST_F(PlanViews, MarkdownShowsRpoAndRtoBeforeAndAfter) {
  const auto l = load("examples/quickstart");
  const auto p = create_everything(l);
  json before = report::assess_json(l.objectives.assessment);
  before["strategy"] = "pilot-light";
  before["workloads"][0]["rpo"]["achievable"] = "2h";
  before["workloads"].push_back({{"name", "gone"}, {"strategy", "pilot-light"}, {"rpo", {{"achievable", "1m"}}},
                                 {"rto", {{"achievable", "1h"}}}});
  const std::string md = markdown(l, p, before);
  const std::string first = l.objectives.assessment.workloads[0].name;
  const std::string now = dr::bound_text(l.objectives.assessment.workloads[0].rpo.achievable);
  EXPECT_NE(md.find("2h → **" + now + "**"), std::string::npos) << md;
  EXPECT_NE(md.find("(unchanged)"), std::string::npos) << md;  // the RTO did not move
  EXPECT_NE(md.find("**Strategy change:** pilot-light → **backup-restore**"), std::string::npos) << md;
  EXPECT_NE(md.find("| `gone` | pilot-light | - | 1m → removed"), std::string::npos) << md;
  EXPECT_EQ(md.find("first apply"), std::string::npos);
}

TEST_F(PlanViews, MarkdownShrinksStepByStepToFitAndSaysSo) {
  const auto l = load("examples/ecommerce-warm-standby");
  const auto p = create_everything(l);
  const std::string full = markdown(l, p);
  ASSERT_NE(full.find("<details>"), std::string::npos);
  EXPECT_EQ(full.find("Shortened to fit"), std::string::npos);

  const std::string no_details = markdown(l, p, std::nullopt, full.size() - 1);
  EXPECT_LE(no_details.size(), full.size() - 1);
  EXPECT_EQ(no_details.find("<details>"), std::string::npos);
  EXPECT_NE(no_details.find("per-resource details left out."), std::string::npos) << no_details;
  EXPECT_NE(no_details.find("### Changes by workload\n"), std::string::npos);

  const std::string summary = markdown(l, p, std::nullopt, no_details.size() - 100);
  EXPECT_LE(summary.size(), no_details.size() - 100);
  EXPECT_NE(summary.find("### Changes by workload (summary)"), std::string::npos) << summary;
  EXPECT_NE(summary.find("workload tables summarised"), std::string::npos);
  EXPECT_NE(summary.find("```mermaid"), std::string::npos);

  const std::string tiny = markdown(l, p, std::nullopt, 2000);
  EXPECT_LE(tiny.size(), 2000u);
  EXPECT_NE(tiny.find("**Plan:**"), std::string::npos) << tiny;
}

// A failover state machine's change carries its runbook diff (plan/runbook_diff.h); both
// views print those lines, so reviewers read steps, not ASL.
TEST_F(PlanViews, TextAndMarkdownShowTheRunbookStepsOfAStateMachineChange) {
  const auto l = load("examples/quickstart");
  auto p = create_everything(l);
  plan::Change c;
  c.address = "stepfunctions.state_machine.failover";
  c.type = "stepfunctions.state_machine";
  c.region = "us-west-2";
  c.action = plan::Action::update;
  c.reason = "differs: definition.States.Stage 1.Branches[1]";
  c.attrs.push_back({"definition.States.Stage 1.Branches[1]", json::object(), json::object(), false, false});
  c.runbook = {"+ step op.rds_promote.billing (stage 1: rds promoteReadReplica, rds describeDBInstances)",
               "~ step op.ecs_scale.api: DesiredCount 3 -> 5"};
  p.changes.push_back(c);

  const std::string text = report::plan_text(p, report::Style{});
  EXPECT_NE(text.find("      runbook:\n"
                      "        + step op.rds_promote.billing (stage 1: rds promoteReadReplica, rds describeDBInstances)\n"
                      "        ~ step op.ecs_scale.api: DesiredCount 3 -> 5\n"),
            std::string::npos)
      << text;

  const std::string md = markdown(l, p);
  EXPECT_NE(md.find("**Runbook changed by `stepfunctions.state_machine.failover`** (update):\n\n````diff\n"
                    "+ step op.rds_promote.billing (stage 1: rds promoteReadReplica, rds describeDBInstances)\n"
                    "~ step op.ecs_scale.api: DesiredCount 3 -> 5\n````"),
            std::string::npos)
      << md;
  // The steps stay when the per-resource details are dropped to fit; they go with the tables.
  const std::string no_details = markdown(l, p, std::nullopt, md.size() - 1);
  ASSERT_NE(no_details.find("per-resource details left out."), std::string::npos) << no_details;
  EXPECT_NE(no_details.find("~ step op.ecs_scale.api: DesiredCount 3 -> 5"), std::string::npos);

  // Other changes have no runbook section.
  p.changes.back().runbook.clear();
  EXPECT_EQ(report::plan_text(p, report::Style{}).find("runbook:"), std::string::npos);
  EXPECT_EQ(markdown(l, p).find("**Runbook"), std::string::npos);
}

TEST(PlanMarkdown, BlockedPlanListsTheFailingChecksAtTheirLines) {
  model::Diagnostic d;
  d.summary = "unknown key 'rtcc'";
  d.field = "workloads.assets.rtcc";
  d.where = model::SourceRange{"stacks/shop/stack.dr.yaml", 11, 5};
  const std::string md = report::plan_blocked_markdown("shop", {d});
  EXPECT_EQ(md,
            "<!-- drctl-plan stack=shop -->\n## drctl plan: `shop`\n\n"
            "**No plan:** the configuration fails its checks; fix them and push again.\n\n"
            "#### Checks: 1 failing, 0 warnings\n\n"
            "- ❌ `stacks/shop/stack.dr.yaml:11` `workloads.assets.rtcc`: unknown key 'rtcc'\n\n");
}

TEST_F(PlanViews, GraphOfAnExampleMatchesItsGoldens) {
  const auto l = load("examples/ecommerce-warm-standby");
  const auto view = report::graph_view(l.graph, l.topology.primary_region, l.topology.dr_region);
  expect_golden(report::graph_dot(view), "graph/ecommerce-warm-standby.dot");
  expect_golden(report::graph_mermaid(view), "graph/ecommerce-warm-standby.mmd");
  expect_golden(report::graph_mermaid(report::workload_summary(view)), "graph/ecommerce-warm-standby.summary.mmd");
}

TEST_F(PlanViews, GraphHasReplicationAndDnsFailoverEdgesGroupedByRegion) {
  const auto l = load("examples/ecommerce-warm-standby");
  const auto view = report::graph_view(l.graph, l.topology.primary_region, l.topology.dr_region);
  int replication = 0, dns = 0;
  for (const auto& e : view.edges) {
    replication += e.kind == report::EdgeKind::replication;
    dns += e.kind == report::EdgeKind::dns_failover;
  }
  EXPECT_GT(replication, 0);
  EXPECT_GT(dns, 0);
  // Every resource of the graph is a node, and groups come primary, dr, global, others.
  size_t managed = 0;
  int last_order = 0;
  for (const auto& n : view.nodes) {
    managed += n.managed;
    EXPECT_GE(n.group_order, last_order) << n.id;
    last_order = n.group_order;
  }
  EXPECT_EQ(managed, l.graph.resources.size());
  EXPECT_EQ(view.nodes.front().group, "primary " + l.topology.primary_region);
}

TEST_F(PlanViews, GraphIdsAreEscapedForEachLanguage) {
  model::Graph g;
  model::Resource r;
  r.address = {"s3.bucket", "we\"ird\\name end"};
  r.region = "us-west-2";
  r.attrs = json::object();
  g.resources.push_back(r);
  const auto view = report::graph_view(g, "us-east-1", "us-west-2");
  const std::string dot = report::graph_dot(view);
  EXPECT_NE(dot.find("\"s3.bucket.we\\\"ird\\\\name end\" [label="), std::string::npos) << dot;
  const std::string mermaid = report::graph_mermaid(view);
  EXPECT_NE(mermaid.find("n_s3_bucket_we_ird_name_end[\"s3.bucket.we#quot;ird\\name end\"]"), std::string::npos)
      << mermaid;
}

TEST_F(PlanViews, SarifOfTheExamplesIsValidAndEmpty) {
  for (const std::string name : kExamples) {
    SCOPED_TRACE(name);
    const json log = sarif_of("examples/" + name);
    expect_valid_sarif(log);
    EXPECT_EQ(log["runs"][0]["tool"]["driver"]["name"], "drctl");
    expect_golden(log.dump(2) + "\n", "sarif/" + name + ".sarif.json");
  }
}

TEST_F(PlanViews, SarifPointsAtTheLineOfASchemaError) {
  const json log = sarif_of("tests/golden/sarif/schema-error");
  expect_valid_sarif(log);
  expect_golden(log.dump(2) + "\n", "sarif/schema-error.sarif.json");
  const auto& results = log["runs"][0]["results"];
  ASSERT_GE(results.size(), 2u) << log.dump(2);
  std::set<int> lines;
  for (const auto& r : results) {
    EXPECT_EQ(r["level"], "error");
    const auto& loc = r["locations"][0]["physicalLocation"];
    EXPECT_EQ(loc["artifactLocation"]["uri"], "tests/golden/sarif/schema-error/stack.dr.yaml");
    lines.insert(loc["region"]["startLine"].get<int>());
    EXPECT_EQ(r["ruleId"].get<std::string>().rfind("config/workloads.*.", 0), 0u) << r.dump();
  }
  EXPECT_TRUE(lines.count(11)) << log.dump(2);  // rtcc
  EXPECT_TRUE(lines.count(12)) << log.dump(2);  // source: 42
}

TEST_F(PlanViews, SarifCarriesAnObjectiveMissAtItsLine) {
  const json log = sarif_of("tests/golden/sarif/objective-miss");
  expect_valid_sarif(log);
  expect_golden(log.dump(2) + "\n", "sarif/objective-miss.sarif.json");
  const auto& results = log["runs"][0]["results"];
  ASSERT_EQ(results.size(), 1u) << log.dump(2);
  EXPECT_EQ(results[0]["ruleId"], "objectives/objectives.rpo");
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 7);
  EXPECT_EQ(log["runs"][0]["tool"]["driver"]["rules"][0]["id"], "objectives/objectives.rpo");
}

TEST(Sarif, RuleIdsAreStableShapesOfTheField) {
  model::Diagnostic d;
  d.field = "workloads.assets.rules[3].rtc";
  EXPECT_EQ(report::sarif_rule_id("config", d), "config/workloads.*.rules[*].rtc");
  d.field = "notify.emails.1";
  EXPECT_EQ(report::sarif_rule_id("config", d), "config/notify.emails.*");
  d.field = "";
  d.address = "s3.replication.assets";
  EXPECT_EQ(report::sarif_rule_id("plan", d), "plan/s3.replication");
  d.address = "";
  EXPECT_EQ(report::sarif_rule_id("plan", d), "plan/general");
}

TEST(Sarif, UrisAreRelativeToTheBaseAndPercentEncoded) {
  EXPECT_EQ(report::sarif_uri("/repo/stacks/my shop/stack.dr.yaml", "/repo"), "stacks/my%20shop/stack.dr.yaml");
  EXPECT_EQ(report::sarif_uri("/elsewhere/stack.dr.yaml", "/repo"), "file:///elsewhere/stack.dr.yaml");
}

TEST_F(PlanViews, SarifWithoutPositionUsesTheFallbackFileAndStaysValid) {
  report::SarifInput in;
  in.tool_version = "1.2.3";
  in.base_dir = kSource.string();
  in.fallback_file = "examples/quickstart/stack.dr.yaml";
  model::Diagnostic d;
  d.severity = model::Severity::warning;
  d.summary = "cannot read s3.bucket.assets: AccessDenied";
  d.address = "s3.bucket.assets";
  in.findings.push_back({"plan", d});
  const json log = report::sarif_log(in);
  expect_valid_sarif(log);
  const auto& r = log["runs"][0]["results"][0];
  EXPECT_EQ(r["level"], "warning");
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "examples/quickstart/stack.dr.yaml");
  EXPECT_FALSE(r["locations"][0]["physicalLocation"].contains("region"));
}

TEST_F(PlanViews, SchemaCatchesAnInvalidSarifLog) {
  // The schema check must be able to fail: a result without a message is not SARIF.
  model::Diagnostics diags;
  auto validator = config::SchemaValidator::load((kSource / "tests/data/sarif-schema-2.1.0.json").string(), diags);
  ASSERT_TRUE(validator);
  config::Document doc;
  doc.value = {{"version", "2.1.0"}, {"runs", {{{"tool", {{"driver", {{"name", "drctl"}}}}}, {"results", {{{"level", "error"}}}}}}}};
  model::Diagnostics problems;
  validator->validate(doc, problems);
  EXPECT_FALSE(problems.empty());
}

}  // namespace
