#include <gtest/gtest.h>

#include "resources/common.h"
#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kZone = "Z0123456789ABCDEFGHIJ";
const std::string kHc = "abcdef11-2222-3333-4444-555555555555";
const std::string kNs = "https://route53.amazonaws.com/doc/2013-04-01/";
const std::string kRrset = "route53:/2013-04-01/hostedzone/" + kZone + "/rrset";
const std::string kPrimary = "route53.failover_record.api-primary";
const std::string kSecondary = "route53.failover_record.api-secondary";

json primary() {
  return {{"zone_id", kZone},
          {"name", "api.shop.example."},
          {"type", "CNAME"},
          {"set_identifier", "api-primary"},
          {"failover", "PRIMARY"},
          {"ttl", 60},
          {"records", {"primary-alb.us-east-1.elb.amazonaws.com"}},
          {"health_check_id", kHc}};
}
json secondary() {
  return {{"zone_id", kZone},
          {"name", "api.shop.example."},
          {"type", "CNAME"},
          {"set_identifier", "api-secondary"},
          {"failover", "SECONDARY"},
          {"ttl", 60},
          {"records", {"dr-alb.us-west-2.elb.amazonaws.com"}}};
}
json alias_primary() {
  return {{"zone_id", "/hostedzone/" + kZone},
          {"name", "WWW.shop.example"},
          {"type", "A"},
          {"set_identifier", "www-primary"},
          {"failover", "PRIMARY"},
          {"alias", {{"dns_name", "dualstack.primary-alb-123.us-east-1.elb.amazonaws.com"},
                     {"zone_id", "Z35SXDOTRQ7X7K"},
                     {"evaluate_target_health", true}}}};
}
Target target(const std::string& address, json attrs) { return test::target(address, "us-east-1", std::move(attrs)); }
const ResourceType& type() { return route53_failover_record_type(); }

TEST(Route53FailoverRecord, ReadOfOnePairStartsAtItsNameAndFollowsTheIdentifier) {
  Harness h;
  h.reply(200, "route53/list_resource_record_sets_page1.xml");
  h.reply(200, "route53/list_resource_record_sets_page2.xml");  // truncated, but past the name
  const Target targets[] = {target(kPrimary, primary()), target(kSecondary, secondary())};
  const auto out = type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{"GET " + kRrset + "?name=api.shop.example.",
                              "GET " + kRrset + "?name=api.shop.example.&type=CNAME&identifier=api-secondary"}));
  ASSERT_EQ(out.at(kPrimary).status, ReadStatus::found);
  EXPECT_EQ(out.at(kPrimary).live.attrs, primary());
  EXPECT_EQ(out.at(kPrimary).live.id, kZone + "/api.shop.example./CNAME/api-primary");
  ASSERT_EQ(out.at(kSecondary).status, ReadStatus::found);
  EXPECT_EQ(out.at(kSecondary).live.attrs, secondary());
}

TEST(Route53FailoverRecord, ReadOfSeveralNamesListsTheZoneOnceAndReportsTheDesiredSpelling) {
  Harness h;
  h.reply(200, "route53/list_resource_record_sets.xml");
  json upper = primary();
  upper["name"] = "Api.Shop.Example";  // same name, other spelling
  upper["records"] = {"PRIMARY-ALB.us-east-1.elb.amazonaws.com."};
  json missing = secondary();
  missing["name"] = "shop.example.";  // the apex has no failover records
  const Target targets[] = {target(kPrimary, upper), target("route53.failover_record.www", alias_primary()),
                            target("route53.failover_record.gone", missing)};
  const auto out = type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{"GET " + kRrset}));
  EXPECT_EQ(out.at(kPrimary).live.attrs, upper);
  EXPECT_EQ(out.at("route53.failover_record.gone").status, ReadStatus::absent);
  const auto& www = out.at("route53.failover_record.www");
  ASSERT_EQ(www.status, ReadStatus::found);
  EXPECT_EQ(www.live.attrs, alias_primary());  // no ttl or records for an alias
  EXPECT_EQ(www.live.id, kZone + "/www.shop.example./A/www-primary");
}

TEST(Route53FailoverRecord, ReadReportsLiveDifferencesInRoute53Spelling) {
  Harness h;
  h.reply(200, "route53/list_resource_record_sets.xml");
  json want = secondary();
  want["ttl"] = 300;
  want["records"] = {"other-alb.us-west-2.elb.amazonaws.com"};
  want["name"] = "api.shop.example.";
  json weighted = secondary();  // same name/type/identifier would be needed: a weighted record is no match
  weighted["name"] = "www.shop.example.";
  weighted["type"] = "A";
  weighted["set_identifier"] = "www-weighted";
  const Target targets[] = {target(kSecondary, want), target("route53.failover_record.w", weighted)};
  const auto out = type().read(h.ctx, "us-east-1", targets);
  const auto& a = out.at(kSecondary).live.attrs;
  EXPECT_EQ(a["ttl"], 60);
  EXPECT_EQ(a["records"], json({"dr-alb.us-west-2.elb.amazonaws.com"}));
  EXPECT_FALSE(a.contains("health_check_id"));
  // Found, but without failover: the plan sees failover differ (replace), never a silent match.
  const auto& w = out.at("route53.failover_record.w");
  ASSERT_EQ(w.status, ReadStatus::found);
  EXPECT_FALSE(w.live.attrs.contains("failover"));
}

TEST(Route53FailoverRecord, ReadGroupsByZoneAndTellsAbsentFromFailed) {
  Harness h;
  h.reply(404, "route53/no_such_hosted_zone.xml", {{"Content-Type", "text/xml"}});
  h.reply(500, "route53/internal_error.xml", {{"Content-Type", "text/xml"}});
  json zone_a = primary();
  zone_a["zone_id"] = "ZAAAA";
  json zone_b = secondary();
  zone_b["zone_id"] = "ZBBBB";
  const Target targets[] = {target(kPrimary, zone_a), target(kSecondary, zone_b)};
  const auto out = type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{"GET route53:/2013-04-01/hostedzone/ZAAAA/rrset?name=api.shop.example.",
                              "GET route53:/2013-04-01/hostedzone/ZBBBB/rrset?name=api.shop.example."}));
  EXPECT_EQ(out.at(kPrimary).status, ReadStatus::absent);
  const auto& b = out.at(kSecondary);
  EXPECT_EQ(b.status, ReadStatus::failed);
  EXPECT_EQ(b.error->code, "InternalFailure");
}

TEST(Route53FailoverRecord, AnUnresolvedZoneReadsAbsentWithoutACall) {
  Harness h;
  json a = primary();
  a["zone_id"] = "@{route53.zone.shop#id}";
  const Target targets[] = {target(kPrimary, a)};
  EXPECT_EQ(type().read(h.ctx, "us-east-1", targets).at(kPrimary).status, ReadStatus::absent);
  EXPECT_TRUE(h.calls().empty());
}

TEST(Route53FailoverRecord, CreateUpsertsWithFailoverSetIdentifierAndHealthCheck) {
  Harness h;
  h.reply(200, "route53/get_hosted_zone.xml");
  h.reply(200, "route53/change_resource_record_sets.xml");
  auto live = type().create(h.ctx, target(kPrimary, primary()));
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"GET route53:/2013-04-01/hostedzone/" + kZone, "POST " + kRrset + "/"}));
  EXPECT_EQ(h.body(1),
            "<ChangeResourceRecordSetsRequest xmlns=\"" + kNs + "\"><ChangeBatch>"
            "<Comment>drctl: route53.failover_record.api-primary</Comment><Changes><Change><Action>UPSERT</Action>"
            "<ResourceRecordSet><Name>api.shop.example.</Name><Type>CNAME</Type><SetIdentifier>api-primary</SetIdentifier>"
            "<Failover>PRIMARY</Failover><TTL>60</TTL><ResourceRecords><ResourceRecord>"
            "<Value>primary-alb.us-east-1.elb.amazonaws.com</Value></ResourceRecord></ResourceRecords>"
            "<HealthCheckId>" + kHc + "</HealthCheckId></ResourceRecordSet></Change></Changes></ChangeBatch>"
            "</ChangeResourceRecordSetsRequest>");
  EXPECT_EQ(fakes::signing_region(h.request(1)), "us-east-1");
  EXPECT_EQ(live->id, kZone + "/api.shop.example./CNAME/api-primary");
  EXPECT_EQ(live->attrs, primary());
}

TEST(Route53FailoverRecord, TheZoneApexIsAskedOncePerRun) {
  Harness h;
  h.reply(200, "route53/get_hosted_zone.xml");
  h.reply(200, "route53/change_resource_record_sets.xml");
  h.reply(200, "route53/change_resource_record_sets.xml");
  ASSERT_TRUE(type().create(h.ctx, target(kPrimary, primary())).ok());
  ASSERT_TRUE(type().create(h.ctx, target(kSecondary, secondary())).ok());
  EXPECT_EQ(h.calls(), (Calls{"GET route53:/2013-04-01/hostedzone/" + kZone, "POST " + kRrset + "/",
                              "POST " + kRrset + "/"}));
}

TEST(Route53FailoverRecord, AliasUpsertSendsTheAliasTargetAndNoTtl) {
  Harness h;
  h.reply(200, "route53/change_resource_record_sets.xml");
  ASSERT_TRUE(type().update(h.ctx, target("route53.failover_record.www", alias_primary()), Live{}).ok());
  EXPECT_EQ(h.calls(), (Calls{"POST " + kRrset + "/"}));  // not a CNAME: no apex check
  EXPECT_NE(h.body(0).find("<Action>UPSERT</Action><ResourceRecordSet><Name>WWW.shop.example.</Name><Type>A</Type>"
                           "<SetIdentifier>www-primary</SetIdentifier><Failover>PRIMARY</Failover><AliasTarget>"
                           "<HostedZoneId>Z35SXDOTRQ7X7K</HostedZoneId>"
                           "<DNSName>dualstack.primary-alb-123.us-east-1.elb.amazonaws.com</DNSName>"
                           "<EvaluateTargetHealth>true</EvaluateTargetHealth></AliasTarget></ResourceRecordSet>"),
            std::string::npos)
      << h.body(0);
}

TEST(Route53FailoverRecord, ACnameAtTheZoneApexIsRefusedWithAClearError) {
  Harness h;
  h.reply(200, "route53/get_hosted_zone.xml");
  json apex = primary();
  apex["name"] = "Shop.Example";
  auto r = type().create(h.ctx, target(kPrimary, apex));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InvalidDesired");
  EXPECT_NE(r.error().message.find("zone apex shop.example."), std::string::npos) << r.error().message;
  EXPECT_EQ(h.calls(), (Calls{"GET route53:/2013-04-01/hostedzone/" + kZone}));  // no change sent
}

TEST(Route53FailoverRecord, InvalidDesiredValuesAreRefusedBeforeAnyCall) {
  Harness h;
  json both = primary();
  both["alias"] = alias_primary()["alias"];
  json two_cnames = primary();
  two_cnames["records"] = {"a.example.com", "b.example.com"};
  json weighted = primary();
  weighted["failover"] = "WEIGHTED";
  json txt = primary();
  txt["type"] = "TXT";
  json unresolved = primary();
  unresolved["health_check_id"] = "@{route53.health_check.api#id}";
  for (const json& a : {both, two_cnames, weighted, txt, unresolved}) {
    auto r = type().create(h.ctx, target(kPrimary, a));
    ASSERT_FALSE(r.ok()) << a.dump();
    EXPECT_EQ(r.error().code, "InvalidDesired");
  }
  EXPECT_TRUE(h.calls().empty());
}

TEST(Route53FailoverRecord, DestroyDeletesWithTheExactLiveValues) {
  Harness h;
  h.reply(200, "route53/list_resource_record_sets_page1.xml");
  h.reply(200, "route53/list_resource_record_sets_page2.xml");
  h.reply(200, "route53/change_resource_record_sets.xml");
  json stale = secondary();  // what the plan saw; the live record says otherwise
  stale["ttl"] = 300;
  stale["name"] = "API.shop.example";
  ASSERT_TRUE(type().destroy(h.ctx, target(kSecondary, stale)).ok());
  EXPECT_EQ(h.calls(), (Calls{"GET " + kRrset + "?name=api.shop.example.",
                              "GET " + kRrset + "?name=api.shop.example.&type=CNAME&identifier=api-secondary",
                              "POST " + kRrset + "/"}));
  EXPECT_EQ(h.body(2),
            "<ChangeResourceRecordSetsRequest xmlns=\"" + kNs + "\"><ChangeBatch>"
            "<Comment>drctl: destroy route53.failover_record.api-secondary</Comment><Changes><Change>"
            "<Action>DELETE</Action><ResourceRecordSet><Name>api.shop.example.</Name><Type>CNAME</Type>"
            "<SetIdentifier>api-secondary</SetIdentifier><Failover>SECONDARY</Failover><TTL>60</TTL>"
            "<ResourceRecords><ResourceRecord><Value>dr-alb.us-west-2.elb.amazonaws.com</Value></ResourceRecord>"
            "</ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>");
}

TEST(Route53FailoverRecord, DestroyOfAMissingRecordOrZoneIsDone) {
  Harness h;
  h.reply(200, "route53/list_resource_record_sets_page2.xml");  // starts past the name: none
  ASSERT_TRUE(type().destroy(h.ctx, target(kPrimary, primary())).ok());
  EXPECT_EQ(h.calls().size(), 1u);

  Harness zone;
  zone.reply(404, "route53/no_such_hosted_zone.xml", {{"Content-Type", "text/xml"}});
  EXPECT_TRUE(type().destroy(zone.ctx, target(kPrimary, primary())).ok());

  Harness broken;  // a failed read is not "already gone"
  broken.reply(500, "route53/internal_error.xml", {{"Content-Type", "text/xml"}});
  EXPECT_FALSE(type().destroy(broken.ctx, target(kPrimary, primary())).ok());
}

TEST(Route53FailoverRecord, SchemaMakesTheRecordIdentityReplace) {
  const auto& s = type().schema();
  for (const char* k : {"zone_id", "name", "type", "set_identifier", "failover"})
    EXPECT_EQ(s.kind_of(k), AttrKind::replace) << k;
  for (const char* k : {"ttl", "records", "alias", "health_check_id"}) EXPECT_EQ(s.kind_of(k), AttrKind::in_place) << k;
  EXPECT_FALSE(s.data_bearing);
}

}  // namespace
}  // namespace resources
