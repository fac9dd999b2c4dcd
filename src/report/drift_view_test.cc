#include "report/drift_view.h"

#include <gtest/gtest.h>

namespace report {
namespace {

using nlohmann::json;

plan::DriftReport sample() {
  plan::DriftReport r;
  r.stack = "shop";
  r.checked = 11;
  plan::DriftEntry tag{"s3.bucket.assets", "s3.bucket", "us-west-2", "assets"};
  tag.attrs = {{"tags.team", "a", "b"}};
  plan::DriftEntry rule{"s3.replication.assets", "s3.replication", "us-east-1", "assets"};
  rule.attrs = {{"rules[0].status", "Enabled", "Disabled"}};
  plan::DriftEntry role{"iam.role.backup", "iam.role", "us-east-1", ""};
  role.kind = plan::DriftEntry::Kind::deleted;
  role.detail = "deleted outside drctl";
  r.entries = {tag, rule, role};
  r.not_applied = {"sns.topic.alerts"};
  return r;
}

TEST(DriftView, JsonRanksWorstFirstAndCarriesImpacts) {
  auto j = drift_json(make_drift_view(sample(), "us-east-1", "us-west-2"));
  ASSERT_EQ(j["entries"].size(), 3u);
  EXPECT_EQ(j["entries"][0]["impact"]["grade"], "critical");
  EXPECT_EQ(j["entries"][2]["address"], "s3.bucket.assets");
  EXPECT_EQ(j["entries"][2]["impact"]["grade"], "info");
  EXPECT_EQ(j["entries"][2]["attributes"][0]["impact"]["grade"], "info");
  EXPECT_EQ(j["impact_counts"], (json{{"critical", 2}, {"warning", 0}, {"info", 1}}));
  EXPECT_EQ(j["drifted"], true);
  EXPECT_EQ(j["checked"], 11);
  EXPECT_EQ(j["dr_region"], "us-west-2");
}

TEST(DriftView, MarkdownHasATableRowPerEntryWorstFirstAndAttributeRows) {
  auto md = drift_markdown(make_drift_view(sample(), "us-east-1", "us-west-2"));
  const auto critical_row = md.find("`s3.replication.assets` (changed)");
  const auto info_row = md.find("`s3.bucket.assets` (changed)");
  ASSERT_NE(critical_row, std::string::npos) << md;
  ASSERT_NE(info_row, std::string::npos) << md;
  EXPECT_LT(critical_row, info_row);
  EXPECT_NE(md.find("| `rules[0].status` | `\"Enabled\"` | `\"Disabled\"` | critical: replication rule disabled"),
            std::string::npos) << md;
  EXPECT_NE(md.find("2 critical, 0 warning, 1 info"), std::string::npos) << md;
}

TEST(DriftView, MarkdownCellsCannotBreakTheTable) {
  auto r = sample();
  r.entries[1].attrs[0].actual = "a|b<img>";
  r.entries[1].workload = "w|x\ny";
  auto md = drift_markdown(make_drift_view(r, "us-east-1", "us-west-2"));
  EXPECT_NE(md.find("`\"a\\|b&lt;img&gt;\"`"), std::string::npos) << md;
  EXPECT_NE(md.find("| w\\|x y |"), std::string::npos) << md;
  EXPECT_EQ(md.find("<img>"), std::string::npos);
}

TEST(DriftView, HtmlEscapesEveryValueAndLoadsNothing) {
  auto r = sample();
  r.stack = "shop<script>alert(1)</script>";
  r.entries[1].attrs[0].actual = "\"><img src=x onerror=alert(1)>";
  r.entries[1].workload = "w'&\"";
  auto html = drift_html(make_drift_view(r, "us-east-1", "us-west-2"));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x"), std::string::npos);
  EXPECT_NE(html.find("shop&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("w&#39;&amp;&quot;"), std::string::npos);
}

TEST(DriftView, HtmlTopologyDrawsEachDriftedResourceInItsRegionBox) {
  auto html = drift_html(make_drift_view(sample(), "us-east-1", "us-west-2"));
  for (const char* external : {"<script", "<link", "src=", "href=", "url(", "@import"})
    EXPECT_EQ(html.find(external), std::string::npos) << external;  // self-contained
  const auto svg = html.substr(html.find("<svg"), html.find("</svg>") - html.find("<svg"));
  EXPECT_NE(svg.find("primary: us-east-1"), std::string::npos);
  EXPECT_NE(svg.find("DR: us-west-2"), std::string::npos);
  EXPECT_NE(svg.find("global (IAM, Route 53)"), std::string::npos);  // the role is global
  EXPECT_NE(svg.find("critical s3.replication.assets"), std::string::npos) << svg;
  EXPECT_NE(svg.find("info s3.bucket.assets"), std::string::npos) << svg;
  EXPECT_NE(svg.find("#c62828"), std::string::npos);
  EXPECT_LT(html.find("<span class=\"badge critical\">critical</span></td><td><code>iam.role.backup"),
            html.find("<span class=\"badge info\">info</span></td><td><code>s3.bucket.assets"));
}

TEST(DriftView, CleanReportSaysSoWithoutBadges) {
  plan::DriftReport r;
  r.stack = "shop";
  r.checked = 4;
  auto view = make_drift_view(r, "us-east-1", "us-west-2");
  auto html = drift_html(view);
  EXPECT_NE(html.find("No drift: 4 resources match"), std::string::npos);
  EXPECT_EQ(html.find("#c62828\"/>"), std::string::npos);  // no critical rectangle drawn
  EXPECT_EQ(html.find("class=\"badge"), std::string::npos);
  EXPECT_NE(drift_markdown(view).find("No drift"), std::string::npos);
  EXPECT_EQ(drift_json(view)["entries"].size(), 0u);
}

TEST(DriftView, SidesFollowTheTopologyRegions) {
  DriftView v;
  v.primary_region = "eu-central-1";
  v.dr_region = "eu-west-1";
  EXPECT_EQ(drift_side({"a", "rds.replica", "eu-west-1", ""}, v), "dr");
  EXPECT_EQ(drift_side({"a", "s3.replication", "eu-central-1", ""}, v), "primary");
  EXPECT_EQ(drift_side({"a", "route53.health_check", "us-east-1", ""}, v), "global");
  EXPECT_EQ(drift_side({"a", "backup.vault", "us-west-2", ""}, v), "global");  // a third region
}

}  // namespace
}  // namespace report
