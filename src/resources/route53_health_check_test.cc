#include <gtest/gtest.h>

#include "resources/common.h"
#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kAddress = "route53.health_check.api";
const std::string kRef = "drctl-4a4f3c1d2b0e9f8a7c6b5d4e3f2a1b0c";
const std::string kId = "abcdef11-2222-3333-4444-555555555555";
const std::string kNs = "https://route53.amazonaws.com/doc/2013-04-01/";
const std::string kList = "GET route53:/2013-04-01/healthcheck";
const std::string kListTags = "POST route53:/2013-04-01/tags/healthcheck";
const std::string kChangeTags = "POST route53:/2013-04-01/tags/healthcheck/" + kId;

json desired() {
  return {{"caller_reference", kRef},
          {"type", "HTTPS"},
          {"fqdn", "primary-alb.us-east-1.elb.amazonaws.com"},
          {"port", 443},
          {"path", "/health"},
          {"request_interval", 30},
          {"failure_threshold", 3},
          {"tags", {{"drctl:stack", "shop-prod"}, {"drctl:address", kAddress}}}};
}
Target want(json attrs = desired(), std::string id = "") {
  return test::target(kAddress, "us-east-1", std::move(attrs), std::move(id));
}
const ResourceType& type() { return route53_health_check_type(); }
void xml_error(Harness& h, int status, const std::string& file) {
  h.reply(status, "route53/" + file, {{"Content-Type", "text/xml"}});
}

TEST(Route53HealthCheck, CreateLooksForTheCallerReferenceThenSendsTheModelXml) {
  Harness h;
  h.reply(200, "route53/list_health_checks_empty.xml");
  h.reply(201, "route53/create_health_check.xml", {{"Location", "https://route53.amazonaws.com/2013-04-01/healthcheck/" + kId}});
  h.reply(200, "route53/change_tags_for_resource.xml");
  auto live = type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{kList, "POST route53:/2013-04-01/healthcheck", kChangeTags}));
  EXPECT_EQ(h.body(1),
            "<CreateHealthCheckRequest xmlns=\"" + kNs + "\"><CallerReference>" + kRef +
                "</CallerReference><HealthCheckConfig><Port>443</Port><Type>HTTPS</Type>"
                "<ResourcePath>/health</ResourcePath>"
                "<FullyQualifiedDomainName>primary-alb.us-east-1.elb.amazonaws.com</FullyQualifiedDomainName>"
                "<RequestInterval>30</RequestInterval><FailureThreshold>3</FailureThreshold>"
                "</HealthCheckConfig></CreateHealthCheckRequest>");
  EXPECT_EQ(fakes::header(h.request(1), "Content-Type"), "application/xml");
  EXPECT_EQ(h.body(2), "<ChangeTagsForResourceRequest xmlns=\"" + kNs + "\"><AddTags>"
                       "<Tag><Key>drctl:address</Key><Value>route53.health_check.api</Value></Tag>"
                       "<Tag><Key>drctl:stack</Key><Value>shop-prod</Value></Tag>"
                       "</AddTags></ChangeTagsForResourceRequest>");
  EXPECT_EQ(fakes::signing_service(h.request(1)), "route53");
  EXPECT_EQ(fakes::signing_region(h.request(1)), "us-east-1");
  json expected = desired();
  expected["id"] = kId;
  expected["version"] = 1;
  EXPECT_EQ(live->id, kId);
  EXPECT_EQ(live->attrs, expected);
}

TEST(Route53HealthCheck, CreateWithoutCallerReferenceDerivesItFromTheAddress) {
  Harness h;
  h.reply(200, "route53/list_health_checks_empty.xml");
  h.reply(201, "route53/create_health_check.xml");
  json attrs = desired();
  attrs.erase("caller_reference");
  attrs.erase("tags");
  ASSERT_TRUE(type().create(h.ctx, want(attrs)).ok());
  EXPECT_NE(h.body(1).find("<CallerReference>" + creator_request_id("shop-prod", kAddress) + "</CallerReference>"),
            std::string::npos);
  EXPECT_EQ(h.calls().size(), 2u);  // no tags desired: no tag call
}

TEST(Route53HealthCheck, CreateAdoptsACheckWithTheSameCallerReference) {
  // A killed apply left the check behind; moto (and AWS, for a changed config) would make a
  // second one, so create finds it by CallerReference and converges it instead.
  Harness h;
  h.reply(200, "route53/list_health_checks.xml");
  h.reply(200, "route53/list_tags_for_resources.xml");
  h.reply(200, "route53/update_health_check.xml");
  h.reply(200, "route53/change_tags_for_resource.xml");
  json attrs = desired();
  attrs["failure_threshold"] = 5;
  auto live = type().create(h.ctx, want(attrs));
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{kList, kListTags, "POST route53:/2013-04-01/healthcheck/" + kId, kChangeTags}));
  EXPECT_EQ(h.body(1), "<ListTagsForResourcesRequest xmlns=\"" + kNs + "\"><ResourceIds><ResourceId>" + kId +
                           "</ResourceId></ResourceIds></ListTagsForResourcesRequest>");
  EXPECT_EQ(h.body(2), "<UpdateHealthCheckRequest xmlns=\"" + kNs + "\"><HealthCheckVersion>4</HealthCheckVersion>"
                       "<FailureThreshold>5</FailureThreshold></UpdateHealthCheckRequest>");
  EXPECT_EQ(h.body(3), "<ChangeTagsForResourceRequest xmlns=\"" + kNs +
                           "\"><RemoveTagKeys><Key>Name</Key></RemoveTagKeys></ChangeTagsForResourceRequest>");
  EXPECT_EQ(live->id, kId);
  EXPECT_EQ(live->attrs["version"], 5);
  EXPECT_EQ(live->attrs["failure_threshold"], 5);
}

TEST(Route53HealthCheck, CreateRaceWithHealthCheckAlreadyExistsAdopts) {
  Harness h;
  h.reply(200, "route53/list_health_checks_empty.xml");
  h.reply(409, "<ErrorResponse xmlns=\"" + kNs + "\"><Error><Type>Sender</Type><Code>HealthCheckAlreadyExists</Code>"
               "<Message>exists</Message></Error><RequestId>r</RequestId></ErrorResponse>");
  h.reply(200, "route53/list_health_checks.xml");
  h.reply(200, "route53/list_tags_for_resources.xml");
  h.reply(200, "route53/change_tags_for_resource.xml");
  auto live = type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{kList, "POST route53:/2013-04-01/healthcheck", kList, kListTags, kChangeTags}));
  EXPECT_EQ(live->id, kId);
}

TEST(Route53HealthCheck, ReadMapsTheListingAndTags) {
  Harness h;
  h.reply(200, "route53/list_health_checks.xml");
  h.reply(200, "route53/list_tags_for_resources.xml");
  json other = desired();
  other["caller_reference"] = "drctl-00000000000000000000000000000000";
  const Target targets[] = {want(), test::target("route53.health_check.web", "us-east-1", other)};
  auto out = type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{kList, kListTags}));
  EXPECT_EQ(out.at("route53.health_check.web").status, ReadStatus::absent);
  const auto& o = out.at(kAddress);
  ASSERT_EQ(o.status, ReadStatus::found);
  json expected = desired();
  expected["id"] = kId;
  expected["version"] = 4;
  expected["tags"]["Name"] = "api primary";
  EXPECT_EQ(o.live.id, kId);
  EXPECT_EQ(o.live.attrs, expected);
}

TEST(Route53HealthCheck, ReadFollowsNextMarkerAndMatchesTheStateId) {
  Harness h;
  h.reply(200, "route53/list_health_checks_page1.xml");
  h.reply(200, "route53/list_health_checks.xml");
  h.reply(200, "route53/list_tags_for_resources.xml");
  json attrs = desired();
  attrs["caller_reference"] = "changed-but-the-id-wins";
  const Target targets[] = {want(attrs, kId)};
  const auto out = type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{kList, kList + "?marker=11111111-aaaa-bbbb-cccc-000000000001", kListTags}));
  ASSERT_EQ(out.at(kAddress).status, ReadStatus::found);
  EXPECT_EQ(out.at(kAddress).live.attrs["caller_reference"], kRef);
}

TEST(Route53HealthCheck, ReadStopsListingOnceEveryTargetIsFound) {
  Harness h;
  h.reply(200, "route53/list_health_checks_page1.xml");  // truncated, but holds the only target
  h.reply(200, "<ListTagsForResourcesResponse xmlns=\"" + kNs + "\"><ResourceTagSets><ResourceTagSet>"
               "<ResourceType>healthcheck</ResourceType><ResourceId>11111111-aaaa-bbbb-cccc-000000000001</ResourceId>"
               "<Tags/></ResourceTagSet></ResourceTagSets></ListTagsForResourcesResponse>");
  const Target targets[] = {want(desired(), "11111111-aaaa-bbbb-cccc-000000000001")};
  const auto out = type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{kList, kListTags}));
  ASSERT_EQ(out.at(kAddress).status, ReadStatus::found);
  EXPECT_EQ(out.at(kAddress).live.attrs["type"], "HTTP");
  EXPECT_EQ(out.at(kAddress).live.attrs["tags"], json::object());
}

TEST(Route53HealthCheck, ReadAsksTagsForTenIdsPerCall) {
  Harness h;
  std::string listing = "<ListHealthChecksResponse xmlns=\"" + kNs + "\"><HealthChecks>";
  std::vector<Target> targets;
  for (int i = 0; i < 12; ++i) {
    const std::string id = "hc-" + std::to_string(i), ref = "ref-" + std::to_string(i);
    listing += "<HealthCheck><Id>" + id + "</Id><CallerReference>" + ref +
               "</CallerReference><HealthCheckConfig><Type>TCP</Type><IPAddress>192.0.2.1</IPAddress>"
               "<Port>80</Port></HealthCheckConfig><HealthCheckVersion>1</HealthCheckVersion></HealthCheck>";
    targets.push_back(test::target("route53.health_check.c" + std::to_string(i), "us-east-1",
                                   {{"caller_reference", ref}, {"type", "TCP"}}));
  }
  h.reply(200, listing + "</HealthChecks><IsTruncated>false</IsTruncated></ListHealthChecksResponse>");
  h.reply(200, "<ListTagsForResourcesResponse/>");
  h.reply(200, "<ListTagsForResourcesResponse/>");
  const auto out = type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{kList, kListTags, kListTags}));
  EXPECT_NE(h.body(1).find("<ResourceId>hc-9</ResourceId></ResourceIds>"), std::string::npos);
  EXPECT_EQ(h.body(2), "<ListTagsForResourcesRequest xmlns=\"" + kNs + "\"><ResourceIds><ResourceId>hc-10</ResourceId>"
                       "<ResourceId>hc-11</ResourceId></ResourceIds></ListTagsForResourcesRequest>");
  // No tag set in the reply: the check has no tags.
  ASSERT_EQ(out.at("route53.health_check.c11").status, ReadStatus::found);
  EXPECT_EQ(out.at("route53.health_check.c11").live.attrs["tags"], json::object());
  EXPECT_EQ(out.at("route53.health_check.c11").live.attrs["ip"], "192.0.2.1");
}

TEST(Route53HealthCheck, ACheckDeletedBeforeItsTagsAreReadIsAbsent) {
  Harness h;
  h.reply(200, "route53/list_health_checks.xml");
  xml_error(h, 404, "no_such_health_check.xml");  // the batch
  xml_error(h, 404, "no_such_health_check.xml");  // the id alone
  const Target targets[] = {want()};
  EXPECT_EQ(type().read(h.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::absent);
  EXPECT_EQ(h.calls(), (Calls{kList, kListTags, kListTags}));
}

TEST(Route53HealthCheck, ServerErrorsAreFailedNotAbsent) {
  Harness h;
  xml_error(h, 500, "internal_error.xml");
  const Target targets[] = {want()};
  auto o = type().read(h.ctx, "us-east-1", targets).at(kAddress);
  EXPECT_EQ(o.status, ReadStatus::failed);
  EXPECT_EQ(o.error->code, "InternalFailure");

  Harness html;  // a missing route answers an HTML page
  html.reply(404, "<!doctype html><html><head><title>404 Not Found</title></head></html>", {{"Content-Type", "text/html"}});
  EXPECT_EQ(type().read(html.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::failed);

  Harness tags;
  tags.reply(200, "route53/list_health_checks.xml");
  tags.reply(500, "route53/internal_error.xml", {{"Content-Type", "text/xml"}});
  EXPECT_EQ(type().read(tags.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::failed);
}

TEST(Route53HealthCheck, UpdateSendsTheReadVersionAndChangedMembersOnly) {
  Harness h;
  h.reply(200, "route53/update_health_check.xml");
  json have = desired();
  have["id"] = kId;
  have["version"] = 4;
  json attrs = desired();
  attrs["failure_threshold"] = 5;
  attrs["path"] = "/healthz";
  auto live = type().update(h.ctx, want(attrs, kId), Live{kId, have});
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST route53:/2013-04-01/healthcheck/" + kId}));
  EXPECT_EQ(h.body(0), "<UpdateHealthCheckRequest xmlns=\"" + kNs + "\"><HealthCheckVersion>4</HealthCheckVersion>"
                       "<ResourcePath>/healthz</ResourcePath><FailureThreshold>5</FailureThreshold>"
                       "</UpdateHealthCheckRequest>");
  EXPECT_EQ(live->attrs["version"], 5);
  EXPECT_EQ(live->attrs["path"], "/healthz");

  Harness same;  // nothing differs: no call
  ASSERT_TRUE(type().update(same.ctx, want(desired(), kId), Live{kId, have}).ok());
  EXPECT_TRUE(same.calls().empty());
}

TEST(Route53HealthCheck, UpdateOfManyTagsSendsTenPerCall) {
  Harness h;
  h.reply(200);
  h.reply(200);
  json have = desired();
  have["id"] = kId;
  json attrs = desired();
  for (int i = 0; i < 11; ++i) attrs["tags"]["k" + std::to_string(i)] = "v";  // 11 new: 10 + 1
  ASSERT_TRUE(type().update(h.ctx, want(attrs, kId), Live{kId, have}).ok());
  EXPECT_EQ(h.calls(), (Calls{kChangeTags, kChangeTags}));
  EXPECT_NE(h.body(1).find("<AddTags><Tag><Key>k9</Key><Value>v</Value></Tag></AddTags>"), std::string::npos);
}

TEST(Route53HealthCheck, UpdateVersionMismatchIsReturned) {
  Harness h;
  h.reply(409, "<ErrorResponse xmlns=\"" + kNs + "\"><Error><Type>Sender</Type><Code>HealthCheckVersionMismatch</Code>"
               "<Message>version</Message></Error><RequestId>r</RequestId></ErrorResponse>");
  json have = desired();
  have["version"] = 3;
  json attrs = desired();
  attrs["port"] = 8443;
  auto r = type().update(h.ctx, want(attrs, kId), Live{kId, have});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "HealthCheckVersionMismatch");
}

TEST(Route53HealthCheck, InvalidDesiredValuesAreRefusedBeforeAnyCall) {
  Harness h;
  json tcp_path = desired();
  tcp_path["type"] = "TCP";
  json interval = desired();
  interval["request_interval"] = 15;
  json unresolved = desired();
  unresolved["fqdn"] = "@{s3.bucket.x#arn}";
  json nowhere = desired();
  nowhere.erase("fqdn");
  for (const json& a : {tcp_path, interval, unresolved, nowhere}) {
    auto r = type().create(h.ctx, want(a));
    ASSERT_FALSE(r.ok()) << a.dump();
    EXPECT_EQ(r.error().code, "InvalidDesired");
  }
  EXPECT_TRUE(h.calls().empty());
}

TEST(Route53HealthCheck, DestroyDeletesAndMissingIsDone) {
  Harness h;
  h.reply(200, "<DeleteHealthCheckResponse xmlns=\"" + kNs + "\"/>");
  ASSERT_TRUE(type().destroy(h.ctx, want(desired(), kId)).ok());
  EXPECT_EQ(h.calls(), (Calls{"DELETE route53:/2013-04-01/healthcheck/" + kId}));

  Harness gone;
  xml_error(gone, 404, "no_such_health_check.xml");
  EXPECT_TRUE(type().destroy(gone.ctx, want(desired(), kId)).ok());

  Harness in_use;  // a record still names it: returned, not swallowed
  in_use.reply(400, "<ErrorResponse xmlns=\"" + kNs + "\"><Error><Type>Sender</Type><Code>HealthCheckInUse</Code>"
                    "<Message>in use</Message></Error><RequestId>r</RequestId></ErrorResponse>");
  auto r = type().destroy(in_use.ctx, want(desired(), kId));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "HealthCheckInUse");

  Harness no_id;  // state lost the id: found by CallerReference
  no_id.reply(200, "route53/list_health_checks.xml");
  no_id.reply(200);
  ASSERT_TRUE(type().destroy(no_id.ctx, want()).ok());
  EXPECT_EQ(no_id.calls(), (Calls{kList, "DELETE route53:/2013-04-01/healthcheck/" + kId}));
}

}  // namespace
}  // namespace resources
