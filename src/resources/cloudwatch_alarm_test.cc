#include <gtest/gtest.h>

#include "resources/tag_index_test_support.h"
#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kRegion = "us-west-2";
const std::string kName = "drctl-shop-prod-orders-lag";
const std::string kArn = "arn:aws:cloudwatch:us-west-2:111122223333:alarm:drctl-shop-prod-orders-lag";
const std::string kTopic = "arn:aws:sns:us-west-2:111122223333:drctl-shop-prod-notify";
const std::string kPager = "arn:aws:sns:us-west-2:111122223333:pager";

json desired() {
  return {{"name", kName},
          {"description", "Replica lag of orders above the RPO"},
          {"namespace", "AWS/RDS"},
          {"metric", "ReplicaLag"},
          {"dimensions", {{"DBInstanceIdentifier", "orders-dr"}}},
          {"statistic", "Maximum"},
          {"period", 60},
          {"evaluation_periods", 5},
          {"threshold", 300},
          {"comparison", "GreaterThanThreshold"},
          {"treat_missing_data", "breaching"},
          {"alarm_actions", {kTopic, kPager}},  // AWS answers them in another order
          {"ok_actions", {kTopic}},
          {"tags", {{"drctl:stack", "shop-prod"}}}};
}
Target want(json attrs = desired()) { return test::target("cloudwatch.alarm.orders-lag", kRegion, std::move(attrs)); }
const ResourceType& type() { return cloudwatch_alarm_type(); }

TEST(CloudwatchAlarm, ReadMapsAlarmsAndNormalisesNumbersAndOrder) {
  Harness h;
  h.reply(200, "cloudwatch/describe_alarms.xml");
  h.reply(200, "tagging/get_resources_alarms.json");  // backup-failed has no tags: not listed
  const Target targets[] = {want(),
                            test::target("cloudwatch.alarm.backup", kRegion, {{"name", "drctl-shop-prod-backup-failed"}}),
                            test::target("cloudwatch.alarm.gone", kRegion, {{"name", "drctl-shop-prod-gone"}})};
  auto out = type().read(h.ctx, kRegion, targets);
  EXPECT_EQ(h.calls(), (Calls{"POST monitoring:DescribeAlarms", test::kGetResources}));
  EXPECT_EQ(h.json_body(1), (json{{"ResourceTypeFilters", {"cloudwatch:alarm"}}, {"ResourcesPerPage", 100}}));
  EXPECT_EQ(h.form(0, "AlarmNames.member.1"), "drctl-shop-prod-backup-failed");
  EXPECT_EQ(h.form(0, "AlarmNames.member.2"), "drctl-shop-prod-gone");
  EXPECT_EQ(h.form(0, "AlarmNames.member.3"), kName);
  EXPECT_EQ(h.form(0, "MaxRecords"), "100");
  EXPECT_EQ(h.form(0, "Version"), "2010-08-01");
  EXPECT_EQ(fakes::signing_service(h.request(0)), "monitoring");

  const auto& o = out.at("cloudwatch.alarm.orders-lag");
  ASSERT_EQ(o.status, ReadStatus::found);
  json expected = desired();
  expected["arn"] = kArn;
  expected["state"] = "INSUFFICIENT_DATA";
  EXPECT_EQ(o.live.attrs, expected);
  EXPECT_EQ(o.live.attrs["threshold"].dump(), "300");  // not 300.0

  const auto& b = out.at("cloudwatch.alarm.backup");
  ASSERT_EQ(b.status, ReadStatus::found);
  EXPECT_EQ(b.live.attrs["statistic"], "p99");
  EXPECT_EQ(b.live.attrs["threshold"], 0.5);
  EXPECT_EQ(b.live.attrs["description"], "");
  EXPECT_EQ(b.live.attrs["treat_missing_data"], "missing");
  EXPECT_EQ(b.live.attrs["dimensions"], json::object());
  EXPECT_EQ(b.live.attrs["alarm_actions"], json::array());
  EXPECT_EQ(b.live.attrs["tags"], json::object());  // untagged: found, with no tags
  EXPECT_EQ(out.at("cloudwatch.alarm.gone").status, ReadStatus::absent);
}

TEST(CloudwatchAlarm, OneDescribeAlarmsPerHundredAlarmsNotPerAlarm) {
  Harness h;
  h.fake->set_handler([](const aws::HttpRequest&) {
    return fakes::SendResult(aws::HttpResponse{
        200, {}, R"(<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms/></DescribeAlarmsResult></DescribeAlarmsResponse>)"});
  });
  for (int n : {3, 30, 100, 101}) {
    std::vector<Target> targets;
    for (int i = 0; i < n; ++i)
      targets.push_back(test::target("cloudwatch.alarm.a" + std::to_string(i), kRegion, {{"name", "a" + std::to_string(i)}}));
    const size_t before = h.calls().size();
    auto out = type().read(h.ctx, kRegion, targets);
    EXPECT_EQ(h.calls().size() - before, n <= 100 ? 1u : 2u) << n << " alarms";
    EXPECT_EQ(out.size(), static_cast<size_t>(n));
  }
}

TEST(CloudwatchAlarm, ReadFollowsNextTokenAndAFailureIsFailed) {
  Harness h;
  h.reply(200, R"(<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms/><NextToken>t2</NextToken></DescribeAlarmsResult></DescribeAlarmsResponse>)");
  h.reply(200, "cloudwatch/describe_alarms.xml");
  h.reply(200, "tagging/get_resources_alarms.json");
  const Target targets[] = {want()};
  EXPECT_EQ(type().read(h.ctx, kRegion, targets).at("cloudwatch.alarm.orders-lag").status, ReadStatus::found);
  EXPECT_EQ(h.form(1, "NextToken"), "t2");
  EXPECT_EQ(h.form(1, "AlarmNames.member.1"), kName);

  Harness down;
  down.reply(500, "<html><head><title>500 Internal Server Error</title></head></html>");
  EXPECT_EQ(type().read(down.ctx, kRegion, targets).at("cloudwatch.alarm.orders-lag").status, ReadStatus::failed);
}

// Issue 6: 150 alarms in a region cost 2 DescribeAlarms (100 names each) and 2 GetResources
// pages, not 150 ListTagsForResource.
TEST(CloudwatchAlarm, ReadOf150AlarmsTagsThemWithTwoGetResourcesPages) {
  auto name = [](int i) { return "a" + std::to_string(i); };
  auto arn = [&](int i) { return "arn:aws:cloudwatch:us-west-2:111122223333:alarm:" + name(i); };
  Harness h;
  h.fake->set_handler([&](const aws::HttpRequest& r) {
    std::string body;
    if (test::is_get_resources(r)) {
      const bool first = test::pagination_token(r).empty();
      std::vector<std::string> arns;
      for (int i = first ? 0 : 100; i < (first ? 100 : 150); ++i) arns.push_back(arn(i));
      body = test::get_resources_reply(arns, {{"drctl:stack", "shop-prod"}}, first ? "next" : "");
    } else {  // DescribeAlarms: every alarm named in the request exists
      body = "<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms>";
      for (int m = 1; !fakes::form_value(r, "AlarmNames.member." + std::to_string(m)).empty(); ++m) {
        const auto n = fakes::form_value(r, "AlarmNames.member." + std::to_string(m));
        body += "<member><AlarmName>" + n + "</AlarmName><AlarmArn>arn:aws:cloudwatch:us-west-2:111122223333:alarm:" + n +
                "</AlarmArn></member>";
      }
      body += "</MetricAlarms></DescribeAlarmsResult></DescribeAlarmsResponse>";
    }
    return fakes::SendResult(aws::HttpResponse{200, {}, body});
  });
  std::vector<Target> targets;
  for (int i = 0; i < 150; ++i) targets.push_back(test::target("cloudwatch.alarm." + name(i), kRegion, {{"name", name(i)}}));
  auto out = type().read(h.ctx, kRegion, targets);
  EXPECT_EQ(h.calls(), (Calls{"POST monitoring:DescribeAlarms", "POST monitoring:DescribeAlarms", test::kGetResources,
                              test::kGetResources}));
  ASSERT_EQ(out.size(), 150u);
  for (int i = 0; i < 150; ++i) {
    const auto& o = out.at("cloudwatch.alarm." + name(i));
    ASSERT_EQ(o.status, ReadStatus::found) << i;
    EXPECT_EQ(o.live.attrs["tags"], (json{{"drctl:stack", "shop-prod"}})) << i;
  }
}

// A failed tag read fails the alarms that exist (never "no tags", which would plan tagging);
// alarms that do not exist stay absent, and with none found no tag read is made.
TEST(CloudwatchAlarm, AFailedTagReadIsAFailedRead) {
  Harness h;
  h.reply(200, "cloudwatch/describe_alarms.xml");
  h.reply(400, "tagging/access_denied.json");
  const Target targets[] = {want(), test::target("cloudwatch.alarm.gone", kRegion, {{"name", "drctl-shop-prod-gone"}})};
  auto out = type().read(h.ctx, kRegion, targets);
  EXPECT_EQ(h.calls(), (Calls{"POST monitoring:DescribeAlarms", test::kGetResources}));
  ASSERT_EQ(out.at("cloudwatch.alarm.orders-lag").status, ReadStatus::failed);
  EXPECT_EQ(out.at("cloudwatch.alarm.orders-lag").error->code, "AccessDeniedException");
  EXPECT_EQ(out.at("cloudwatch.alarm.gone").status, ReadStatus::absent);

  Harness none;
  none.reply(200, R"(<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms/></DescribeAlarmsResult></DescribeAlarmsResponse>)");
  EXPECT_EQ(type().read(none.ctx, kRegion, targets).at("cloudwatch.alarm.orders-lag").status, ReadStatus::absent);
  EXPECT_EQ(none.calls(), (Calls{"POST monitoring:DescribeAlarms"}));
}

TEST(CloudwatchAlarm, CreatePutsTheWholeAlarmWithTagsThenReadsTheArn) {
  Harness h;
  h.reply(200, "cloudwatch/ok.xml");
  h.reply(200, "cloudwatch/describe_alarms.xml");
  auto live = type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST monitoring:PutMetricAlarm", "POST monitoring:DescribeAlarms"}));
  const std::map<std::string, std::string> form = {
      {"AlarmName", kName}, {"AlarmDescription", "Replica lag of orders above the RPO"},
      {"Namespace", "AWS/RDS"}, {"MetricName", "ReplicaLag"}, {"Statistic", "Maximum"},
      {"Dimensions.member.1.Name", "DBInstanceIdentifier"}, {"Dimensions.member.1.Value", "orders-dr"},
      {"Period", "60"}, {"EvaluationPeriods", "5"}, {"Threshold", "300"},
      {"ComparisonOperator", "GreaterThanThreshold"}, {"TreatMissingData", "breaching"},
      {"AlarmActions.member.1", kTopic}, {"AlarmActions.member.2", kPager}, {"OKActions.member.1", kTopic},
      {"Tags.member.1.Key", "drctl:stack"}, {"Tags.member.1.Value", "shop-prod"}};
  for (const auto& [k, v] : form) EXPECT_EQ(h.form(0, k), v) << k;
  EXPECT_TRUE(h.form(0, "ExtendedStatistic").empty());
  EXPECT_EQ(h.form(1, "AlarmNames.member.1"), kName);
  EXPECT_EQ(live->id, kName);
  EXPECT_EQ(live->attrs["arn"], kArn);
  EXPECT_EQ(live->attrs["state"], "INSUFFICIENT_DATA");
}

TEST(CloudwatchAlarm, PercentileStatisticsAreExtendedAndFractionsStay) {
  Harness h;
  h.reply(200, "cloudwatch/ok.xml");
  h.reply(200, "cloudwatch/describe_alarms.xml");
  json attrs = desired();
  attrs["statistic"] = "p99";
  attrs["threshold"] = 0.5;
  attrs["period"] = 60.0;
  ASSERT_TRUE(type().create(h.ctx, want(attrs)).ok());
  EXPECT_EQ(h.form(0, "ExtendedStatistic"), "p99");
  EXPECT_TRUE(h.form(0, "Statistic").empty());
  EXPECT_EQ(h.form(0, "Threshold"), "0.5");
  EXPECT_EQ(h.form(0, "Period"), "60");
}

TEST(CloudwatchAlarm, UpdatePutsOnlyWhenTheDefinitionDiffersAndSyncsTags) {
  json have = desired();
  have["arn"] = kArn;
  have["state"] = "OK";
  have["threshold"] = 300.0;  // the same number

  Harness same;
  ASSERT_TRUE(type().update(same.ctx, want(), Live{kName, have}).ok());
  EXPECT_TRUE(same.calls().empty());

  Harness h;
  h.reply(200, "cloudwatch/ok.xml");
  h.reply(200, "cloudwatch/ok.xml");
  json attrs = desired();
  attrs["threshold"] = 600;
  attrs["tags"]["drctl:address"] = "cloudwatch.alarm.orders-lag";
  auto live = type().update(h.ctx, want(attrs), Live{kName, have});
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST monitoring:PutMetricAlarm", "POST monitoring:TagResource"}));
  EXPECT_EQ(h.form(0, "Threshold"), "600");
  EXPECT_TRUE(h.form(0, "Tags.member.1.Key").empty());  // AWS ignores Tags on an existing alarm
  EXPECT_EQ(h.form(1, "ResourceARN"), kArn);
  EXPECT_EQ(h.form(1, "Tags.member.1.Key"), "drctl:address");
  EXPECT_EQ(live->attrs["state"], "OK");
}

TEST(CloudwatchAlarm, DestroyDeletesAndNotFoundIsDone) {
  Harness h;
  h.reply(200, "cloudwatch/ok.xml");
  ASSERT_TRUE(type().destroy(h.ctx, test::target("cloudwatch.alarm.orders-lag", kRegion, desired(), kName)).ok());
  EXPECT_EQ(h.calls(), (Calls{"POST monitoring:DeleteAlarms"}));
  EXPECT_EQ(h.form(0, "AlarmNames.member.1"), kName);

  Harness gone;
  gone.reply(404, "cloudwatch/resource_not_found.xml");
  EXPECT_TRUE(type().destroy(gone.ctx, want()).ok());
}

}  // namespace
}  // namespace resources
