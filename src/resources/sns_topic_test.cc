#include <gtest/gtest.h>

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

TEST(SnsTopic, ReadMatchesByNameAndReportsPendingSubscriptionsInDesiredOrder) {
  Harness h;
  h.reply(200, "sns/list_topics.xml");
  h.reply(200, "sns/list_subscriptions.xml");
  h.reply(200, "sns/list_tags.xml");
  const Target targets[] = {want(), test::target("sns.topic.other", kRegion, {{"name", "drctl-shop-prod-other"}})};
  auto out = type().read(h.ctx, kRegion, targets);
  EXPECT_EQ(h.calls(), (Calls{"POST sns:ListTopics", "POST sns:ListSubscriptionsByTopic", "POST sns:ListTagsForResource"}));
  EXPECT_EQ(h.form(1, "TopicArn"), kArn);
  EXPECT_EQ(h.form(2, "ResourceArn"), kArn);
  EXPECT_EQ(out.at("sns.topic.other").status, ReadStatus::absent);
  const auto& o = out.at("sns.topic.notify");
  ASSERT_EQ(o.status, ReadStatus::found);
  EXPECT_EQ(o.live.id, kArn);
  json expected = desired();
  expected["arn"] = kArn;
  EXPECT_EQ(o.live.attrs, expected);  // the email one is PendingConfirmation, still present
}

TEST(SnsTopic, ReadMatchesByTheArnStateKnowsAndFollowsNextToken) {
  Harness h;
  h.reply(200, R"(<ListTopicsResponse><ListTopicsResult><Topics/><NextToken>page-2</NextToken></ListTopicsResult></ListTopicsResponse>)");
  h.reply(200, "sns/list_topics.xml");
  h.reply(200, "sns/list_subscriptions.xml");
  h.reply(200, "sns/list_tags.xml");
  const Target targets[] = {test::target("sns.topic.notify", kRegion, desired(), kArn)};
  auto out = type().read(h.ctx, kRegion, targets);
  EXPECT_EQ(h.form(1, "NextToken"), "page-2");
  EXPECT_EQ(out.at("sns.topic.notify").status, ReadStatus::found);
}

TEST(SnsTopic, AFailedListIsFailedAndATopicGoneMeanwhileIsAbsent) {
  Harness h;
  h.reply(403, "sns/access_denied.xml");
  const Target targets[] = {want()};
  const auto o = type().read(h.ctx, kRegion, targets).at("sns.topic.notify");
  EXPECT_EQ(o.status, ReadStatus::failed);
  EXPECT_EQ(o.error->code, "AuthorizationError");

  Harness gone;
  gone.reply(200, "sns/list_topics.xml");
  gone.reply(404, R"(<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error></ErrorResponse>)");
  EXPECT_EQ(type().read(gone.ctx, kRegion, targets).at("sns.topic.notify").status, ReadStatus::absent);
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
