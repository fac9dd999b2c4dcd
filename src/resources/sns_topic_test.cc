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
const std::string kArn = "arn:aws:sns:us-west-2:111122223333:drctl-shop-prod-notify";
const std::string kSqsSub = kArn + ":5b0e1f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

json email() { return {{"protocol", "email"}, {"endpoint", "oncall@example.com"}}; }
json sqs() { return {{"protocol", "sqs"}, {"endpoint", "arn:aws:sqs:us-west-2:111122223333:dr-events"}}; }
json tags() { return {{"drctl:stack", "shop-prod"}, {"drctl:address", "sns.topic.notify"}}; }
json desired(json subs = json::array({email(), sqs()})) {
  return {{"name", "drctl-shop-prod-notify"}, {"subscriptions", subs}, {"tags", tags()}};
}
Target want(json attrs = desired()) { return test::target("sns.topic.notify", kRegion, std::move(attrs)); }
const ResourceType& type() { return sns_topic_type(); }

const std::string kListSubscriptions = "POST sns:ListSubscriptions";
const std::string kNoSubscriptions =
    R"(<ListSubscriptionsResponse><ListSubscriptionsResult><Subscriptions/></ListSubscriptionsResult></ListSubscriptionsResponse>)";

TEST(SnsTopic, ReadMatchesByNameAndReportsPendingSubscriptionsInDesiredOrder) {
  Harness h;
  h.reply(200, "sns/list_topics.xml");
  h.reply(200, "sns/list_all_subscriptions.xml");  // also one of billing-alerts, not ours
  h.reply(200, "tagging/get_resources_sns.json");
  const Target targets[] = {want(), test::target("sns.topic.other", kRegion, {{"name", "drctl-shop-prod-other"}})};
  auto out = type().read(h.ctx, kRegion, targets);
  EXPECT_EQ(h.calls(), (Calls{"POST sns:ListTopics", kListSubscriptions, test::kGetResources}));
  EXPECT_TRUE(h.form(1, "TopicArn").empty());  // the region's subscriptions, not one topic's
  EXPECT_EQ(h.json_body(2), (json{{"ResourceTypeFilters", {"sns"}}, {"ResourcesPerPage", 100}}));
  EXPECT_EQ(out.at("sns.topic.other").status, ReadStatus::absent);
  const auto& o = out.at("sns.topic.notify");
  ASSERT_EQ(o.status, ReadStatus::found);
  EXPECT_EQ(o.live.id, kArn);
  json expected = desired();
  expected["arn"] = kArn;
  EXPECT_EQ(o.live.attrs, expected);  // the email one is PendingConfirmation, still present
}

TEST(SnsTopic, ReadMatchesByTheArnStateKnowsAndFollowsEveryToken) {
  Harness h;
  h.reply(200, R"(<ListTopicsResponse><ListTopicsResult><Topics/><NextToken>page-2</NextToken></ListTopicsResult></ListTopicsResponse>)");
  h.reply(200, "sns/list_topics.xml");
  h.reply(200, R"(<ListSubscriptionsResponse><ListSubscriptionsResult><Subscriptions/><NextToken>subs-2</NextToken></ListSubscriptionsResult></ListSubscriptionsResponse>)");
  h.reply(200, "sns/list_all_subscriptions.xml");
  h.reply(200, test::get_resources_reply({}, {}, "tags-2"));
  h.reply(200, "tagging/get_resources_sns.json");
  const Target targets[] = {test::target("sns.topic.notify", kRegion, desired(), kArn)};
  auto out = type().read(h.ctx, kRegion, targets);
  EXPECT_EQ(h.form(1, "NextToken"), "page-2");
  EXPECT_EQ(h.form(3, "NextToken"), "subs-2");
  EXPECT_EQ(h.json_body(5)["PaginationToken"], "tags-2");
  ASSERT_EQ(out.at("sns.topic.notify").status, ReadStatus::found);
  EXPECT_EQ(out.at("sns.topic.notify").live.attrs["tags"], tags());
  EXPECT_EQ(out.at("sns.topic.notify").live.attrs["subscriptions"], json::array({email(), sqs()}));
}

// Issue 6: 150 topics in a region cost 2 ListTopics, 2 ListSubscriptions and 2 GetResources
// pages, not a ListSubscriptionsByTopic and a ListTagsForResource per topic (302 calls).
TEST(SnsTopic, ReadOf150TopicsIsPagedNotPerTopic) {
  auto arn = [](int i) { return "arn:aws:sns:us-west-2:111122223333:drctl-shop-prod-t" + std::to_string(i); };
  Harness h;
  h.fake->set_handler([&](const aws::HttpRequest& r) {
    const bool first = fakes::form_value(r, "NextToken").empty() && test::pagination_token(r).empty();
    const int from = first ? 0 : 100, to = first ? 100 : 150;
    std::string body;
    if (test::is_get_resources(r)) {
      std::vector<std::string> arns;
      for (int i = from; i < to; ++i) arns.push_back(arn(i));
      body = test::get_resources_reply(arns, {{"drctl:stack", "shop-prod"}}, first ? "tags-2" : "");
    } else {
      const auto action = fakes::form_value(r, "Action");
      const bool subs = action == "ListSubscriptions";
      body = "<" + action + "Response><" + action + "Result><" + (subs ? "Subscriptions>" : "Topics>");
      for (int i = from; i < to; ++i)
        body += subs ? "<member><TopicArn>" + arn(i) + "</TopicArn><Protocol>email</Protocol><SubscriptionArn>" +
                           arn(i) + ":s</SubscriptionArn><Endpoint>t" + std::to_string(i) + "@example.com</Endpoint></member>"
                     : "<member><TopicArn>" + arn(i) + "</TopicArn></member>";
      body += std::string("</") + (subs ? "Subscriptions>" : "Topics>") + (first ? "<NextToken>next</NextToken>" : "") +
              "</" + action + "Result></" + action + "Response>";
    }
    return fakes::SendResult(aws::HttpResponse{200, {}, body});
  });
  std::vector<Target> targets;
  for (int i = 0; i < 150; ++i)
    targets.push_back(test::target("sns.topic.t" + std::to_string(i), kRegion, {{"name", "drctl-shop-prod-t" + std::to_string(i)}}));
  auto out = type().read(h.ctx, kRegion, targets);
  EXPECT_EQ(h.calls(), (Calls{"POST sns:ListTopics", "POST sns:ListTopics", kListSubscriptions, kListSubscriptions,
                              test::kGetResources, test::kGetResources}));
  ASSERT_EQ(out.size(), 150u);
  for (int i : {0, 99, 100, 149}) {
    const auto& o = out.at("sns.topic.t" + std::to_string(i));
    ASSERT_EQ(o.status, ReadStatus::found) << i;
    EXPECT_EQ(o.live.attrs["tags"], (json{{"drctl:stack", "shop-prod"}})) << i;
    EXPECT_EQ(o.live.attrs["subscriptions"],
              json::array({{{"protocol", "email"}, {"endpoint", "t" + std::to_string(i) + "@example.com"}}})) << i;
  }
}

TEST(SnsTopic, AFailedListIsFailedForEveryTopic) {
  Harness h;
  h.reply(403, "sns/access_denied.xml");
  const Target targets[] = {want(), test::target("sns.topic.other", kRegion, {{"name", "drctl-shop-prod-other"}})};
  auto out = type().read(h.ctx, kRegion, targets);
  EXPECT_EQ(h.calls(), (Calls{"POST sns:ListTopics"}));
  EXPECT_EQ(out.at("sns.topic.notify").status, ReadStatus::failed);
  EXPECT_EQ(out.at("sns.topic.notify").error->code, "AuthorizationError");
  EXPECT_EQ(out.at("sns.topic.other").status, ReadStatus::failed);
}

// A failed subscription or tag read fails the topics that exist: never "no subscriptions" or
// "no tags" (which would plan a Subscribe or an untag). Absent topics stay absent.
TEST(SnsTopic, AFailedSubscriptionOrTagReadIsAFailedRead) {
  const Target targets[] = {want(), test::target("sns.topic.other", kRegion, {{"name", "drctl-shop-prod-other"}})};
  Harness subs;
  subs.reply(200, "sns/list_topics.xml");
  subs.reply(403, "sns/access_denied.xml");
  auto out = type().read(subs.ctx, kRegion, targets);
  EXPECT_EQ(subs.calls(), (Calls{"POST sns:ListTopics", kListSubscriptions}));
  EXPECT_EQ(out.at("sns.topic.notify").status, ReadStatus::failed);
  EXPECT_EQ(out.at("sns.topic.notify").error->code, "AuthorizationError");
  EXPECT_EQ(out.at("sns.topic.other").status, ReadStatus::absent);

  Harness tags;
  tags.reply(200, "sns/list_topics.xml");
  tags.reply(200, "sns/list_all_subscriptions.xml");
  tags.reply(400, "tagging/access_denied.json");
  out = type().read(tags.ctx, kRegion, targets);
  EXPECT_EQ(tags.calls(), (Calls{"POST sns:ListTopics", kListSubscriptions, test::kGetResources}));
  EXPECT_EQ(out.at("sns.topic.notify").status, ReadStatus::failed);
  EXPECT_EQ(out.at("sns.topic.notify").error->code, "AccessDeniedException");
  EXPECT_EQ(out.at("sns.topic.other").status, ReadStatus::absent);
}

// GetResources lists only tagged resources: a topic it does not list exists with no tags.
TEST(SnsTopic, AnUntaggedTopicIsFoundWithNoTags) {
  Harness h;
  h.reply(200, "sns/list_topics.xml");
  h.reply(200, kNoSubscriptions);
  h.reply(200, test::get_resources_reply({"arn:aws:sns:us-west-2:111122223333:billing-alerts"}, {{"team", "finance"}}));
  const Target targets[] = {want()};
  const auto o = type().read(h.ctx, kRegion, targets).at("sns.topic.notify");
  ASSERT_EQ(o.status, ReadStatus::found);
  EXPECT_EQ(o.live.attrs["tags"], json::object());
  EXPECT_EQ(o.live.attrs["subscriptions"], json::array());
}

TEST(SnsTopic, NoTopicFoundMeansNoSubscriptionOrTagRead) {
  Harness h;
  h.reply(200, R"(<ListTopicsResponse><ListTopicsResult><Topics/></ListTopicsResult></ListTopicsResponse>)");
  const Target targets[] = {want()};
  EXPECT_EQ(type().read(h.ctx, kRegion, targets).at("sns.topic.notify").status, ReadStatus::absent);
  EXPECT_EQ(h.calls(), (Calls{"POST sns:ListTopics"}));
}

TEST(SnsTopic, CreateSendsTagsAndSubscribesWhatIsMissing) {
  Harness h;
  h.reply(200, "sns/create_topic.xml");
  h.reply(200, R"(<ListSubscriptionsByTopicResponse><ListSubscriptionsByTopicResult><Subscriptions/></ListSubscriptionsByTopicResult></ListSubscriptionsByTopicResponse>)");
  h.reply(200, "sns/subscribe.xml");
  h.reply(200, "sns/subscribe.xml");
  auto live = type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST sns:CreateTopic", "POST sns:ListSubscriptionsByTopic", "POST sns:Subscribe",
                              "POST sns:Subscribe"}));
  EXPECT_EQ(h.form(0, "Name"), "drctl-shop-prod-notify");
  EXPECT_EQ(h.form(0, "Tags.member.1.Key"), "drctl:address");  // sorted keys
  EXPECT_EQ(h.form(0, "Tags.member.1.Value"), "sns.topic.notify");
  EXPECT_EQ(h.form(0, "Tags.member.2.Key"), "drctl:stack");
  EXPECT_EQ(h.form(2, "TopicArn"), kArn);
  EXPECT_EQ(h.form(2, "Protocol"), "email");
  EXPECT_EQ(h.form(2, "Endpoint"), "oncall@example.com");
  EXPECT_EQ(h.form(2, "ReturnSubscriptionArn"), "true");
  EXPECT_EQ(h.form(3, "Protocol"), "sqs");
  EXPECT_EQ(live->id, kArn);
  EXPECT_EQ(live->attrs["arn"], kArn);
}

TEST(SnsTopic, CreateOverAnExistingTopicWithOtherTagsConvergesThem) {
  Harness h;
  h.reply(400, "sns/invalid_tags.xml");
  h.reply(200, "sns/create_topic.xml");
  h.reply(200, R"(<ListTagsForResourceResponse><ListTagsForResourceResult><Tags><member><Key>old</Key><Value>1</Value></member></Tags></ListTagsForResourceResult></ListTagsForResourceResponse>)");
  h.reply(200, "sns/ok.xml");
  h.reply(200, "sns/ok.xml");
  h.reply(200, "sns/list_subscriptions.xml");
  auto live = type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST sns:CreateTopic", "POST sns:CreateTopic", "POST sns:ListTagsForResource",
                              "POST sns:TagResource", "POST sns:UntagResource", "POST sns:ListSubscriptionsByTopic"}));
  EXPECT_TRUE(h.form(1, "Tags.member.1.Key").empty());
  EXPECT_EQ(h.form(3, "Tags.member.2.Key"), "drctl:stack");
  EXPECT_EQ(h.form(4, "TagKeys.member.1"), "old");
}

TEST(SnsTopic, UpdateReconcilesTheSubscriptionSet) {
  Harness h;
  h.reply(200, "sns/list_subscriptions.xml");  // sqs (confirmed) + email (pending)
  h.reply(200, "sns/subscribe.xml");
  h.reply(200, "sns/ok.xml");
  const json pager = {{"protocol", "https"}, {"endpoint", "https://pager.example.com/hook"}};
  json have = desired();
  have["arn"] = kArn;
  // Wanted: pager only. The sqs one goes; the pending email one cannot be unsubscribed.
  auto live = type().update(h.ctx, want(desired(json::array({pager}))), Live{kArn, have});
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST sns:ListSubscriptionsByTopic", "POST sns:Subscribe", "POST sns:Unsubscribe"}));
  EXPECT_EQ(h.form(1, "Protocol"), "https");
  EXPECT_EQ(h.form(2, "SubscriptionArn"), kSqsSub);
  EXPECT_EQ(live->attrs["subscriptions"], json::array({pager}));
}

TEST(SnsTopic, UpdateWithEqualSubscriptionsOnlySyncsTags) {
  Harness h;
  h.reply(200, "sns/ok.xml");
  json have = desired();
  have["arn"] = kArn;
  have["tags"]["extra"] = "x";
  ASSERT_TRUE(type().update(h.ctx, want(), Live{kArn, have}).ok());
  EXPECT_EQ(h.calls(), (Calls{"POST sns:UntagResource"}));
  EXPECT_EQ(h.form(0, "ResourceArn"), kArn);
  EXPECT_EQ(h.form(0, "TagKeys.member.1"), "extra");
}

TEST(SnsTopic, DestroyDeletesAndNotFoundIsDone) {
  Harness h;
  h.reply(200, "sns/ok.xml");
  ASSERT_TRUE(type().destroy(h.ctx, test::target("sns.topic.notify", kRegion, desired(), kArn)).ok());
  EXPECT_EQ(h.calls(), (Calls{"POST sns:DeleteTopic"}));
  EXPECT_EQ(h.form(0, "TopicArn"), kArn);

  Harness gone;
  gone.reply(404, R"(<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error></ErrorResponse>)");
  EXPECT_TRUE(type().destroy(gone.ctx, test::target("sns.topic.notify", kRegion, desired(), kArn)).ok());
}

}  // namespace
}  // namespace resources
