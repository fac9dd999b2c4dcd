#include <gtest/gtest.h>

#include "resources/capacity_common.h"

namespace resources {
namespace {

using nlohmann::json;

TEST(CapacityCommon, QueryListsAreMemberNumberedFromOne) {
  aws::Params p;
  capacity::add_member_list(p, "AlarmNames", {"a", "b"});
  capacity::add_tag_list(p, "Tags", {{"k1", "v1"}, {"k2", "v2"}});
  EXPECT_EQ(p, (aws::Params{{"AlarmNames.member.1", "a"}, {"AlarmNames.member.2", "b"},
                            {"Tags.member.1.Key", "k1"}, {"Tags.member.1.Value", "v1"},
                            {"Tags.member.2.Key", "k2"}, {"Tags.member.2.Value", "v2"}}));
}

TEST(CapacityCommon, ManagedTagsAreDrctlKeysAndDesiredKeysOnly) {
  const TagMap live{{"team", "payments"}, {"drctl:stack", "shop"}, {"owner", "bob"}, {"drctl:failover-desired", "6"}};
  const json desired = {{"tags", {{"owner", "alice"}}}};
  EXPECT_EQ(capacity::managed_tags(live, desired),
            (TagMap{{"drctl:stack", "shop"}, {"owner", "bob"}, {"drctl:failover-desired", "6"}}));
  EXPECT_EQ(capacity::managed_tags(live, json::object()),
            (TagMap{{"drctl:stack", "shop"}, {"drctl:failover-desired", "6"}}));
}

TEST(CapacityCommon, NumbersNormalise) {
  EXPECT_EQ(capacity::number_text("300.0").dump(), "300");
  EXPECT_EQ(capacity::number_text("300").dump(), "300");
  EXPECT_EQ(capacity::number_text("0.5"), json(0.5));
  EXPECT_TRUE(capacity::number_text("abc").is_null());
  EXPECT_TRUE(capacity::number_text("").is_null());
  EXPECT_EQ(capacity::number(300.0).dump(), "300");
}

TEST(CapacityCommon, OrderLikeKeepsDesiredOrderThenExtras) {
  EXPECT_EQ(capacity::order_like(json{"b", "x", "a"}, json{"a", "b"}), (json{"a", "b", "x"}));
  EXPECT_EQ(capacity::order_like(json{"b", "a"}, json{"a", "b"}), (json{"a", "b"}));
  EXPECT_EQ(capacity::order_like(json::array(), json{"a"}), json::array());
}

TEST(CapacityCommon, ChunksOfN) {
  std::vector<std::string> items(25, "x");
  auto c = capacity::chunks(items, 10);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[2].size(), 5u);
  EXPECT_TRUE(capacity::chunks({}, 10).empty());
}

}  // namespace
}  // namespace resources
