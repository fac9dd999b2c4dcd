// tag_index: one GetResources pass per region gives the tags of every resource of the types,
// untagged resources read as {}, and errors are returned, never an empty index.
#include "resources/tag_index.h"

#include <gtest/gtest.h>

#include "resources/tag_index_test_support.h"
#include "resources/test_support.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kRegion = "us-west-2";
const std::string kVault = "arn:aws:backup:us-west-2:111122223333:backup-vault:drctl-shop-prod-dr";

TEST(TagIndex, OneFilteredPagedPassGivesTheTagsOfEveryListedResource) {
  Harness h;
  h.reply(200, test::get_resources_reply({kVault}, {{"drctl:stack", "shop-prod"}}, "page-2"));
  h.reply(200, R"({"ResourceTagMappingList": [{"ResourceARN": "arn:aws:backup:us-west-2:111122223333:backup-plan:p1",
                   "Tags": []}]})");  // moto ends with no token at all; AWS with ""
  auto index = tag_index(h.client, kRegion, {"backup:backup-vault", "backup:backup-plan"});
  ASSERT_TRUE(index.ok()) << index.error().describe();
  EXPECT_EQ(h.calls(), (Calls{test::kGetResources, test::kGetResources}));
  EXPECT_EQ(fakes::signing_service(h.request(0)), "tagging");
  EXPECT_EQ(h.json_body(0), (json{{"ResourceTypeFilters", {"backup:backup-vault", "backup:backup-plan"}},
                                  {"ResourcesPerPage", 100}}));
  EXPECT_EQ(h.json_body(1)["PaginationToken"], "page-2");
  EXPECT_EQ(h.json_body(1)["ResourceTypeFilters"], h.json_body(0)["ResourceTypeFilters"]);
  EXPECT_EQ(tags_in(*index, kVault), (TagMap{{"drctl:stack", "shop-prod"}}));
  // Once tagged, now untagged: listed with "Tags": []; never tagged: not listed. Both are {}.
  EXPECT_EQ(index->count("arn:aws:backup:us-west-2:111122223333:backup-plan:p1"), 1u);
  EXPECT_EQ(tags_in(*index, "arn:aws:backup:us-west-2:111122223333:backup-plan:p1"), TagMap{});
  EXPECT_EQ(tags_in(*index, "arn:aws:backup:us-west-2:111122223333:backup-vault:never-tagged"), TagMap{});
}

TEST(TagIndex, AnErrorOnAnyPageIsReturnedNotAnEmptyIndex) {
  Harness h;
  h.reply(400, "tagging/access_denied.json");
  auto denied = tag_index(h.client, kRegion, {"sns"});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "AccessDeniedException");

  Harness later;
  later.reply(200, test::get_resources_reply({kVault}, {{"a", "1"}}, "page-2"));
  later.reply(400, R"({"__type": "PaginationTokenExpiredException", "Message": "expired"})");
  auto expired = tag_index(later.client, kRegion, {"backup:backup-vault"});
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, "PaginationTokenExpiredException");
}

}  // namespace
}  // namespace resources
