#include "state/lock_info.h"

#include <limits.h>
#include <unistd.h>

#include <regex>

#include <gtest/gtest.h>

namespace {

const std::regex kIso(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");

TEST(LockInfo, NowIsIso8601Utc) {
  EXPECT_TRUE(std::regex_match(state::now_iso8601(), kIso)) << state::now_iso8601();
}

TEST(LockInfo, NewLockInfoDescribesThisProcess) {
  const state::LockInfo l = state::new_lock_info("apply");
  char host[HOST_NAME_MAX + 1] = {};
  ASSERT_EQ(gethostname(host, sizeof host - 1), 0);
  EXPECT_TRUE(std::regex_match(l.id, std::regex("[0-9a-f]{32}"))) << l.id;
  EXPECT_EQ(l.host, host);
  EXPECT_TRUE(std::regex_match(l.holder, std::regex(".+@" + std::string(host)))) << l.holder;
  EXPECT_EQ(l.pid, static_cast<long long>(getpid()));
  EXPECT_EQ(l.operation, "apply");
  EXPECT_TRUE(std::regex_match(l.since, kIso)) << l.since;
  EXPECT_NE(l.id, state::new_lock_info("apply").id);
}

TEST(LockInfo, LineageIsUuidShapedAndRandom) {
  const std::string a = state::new_lineage();
  EXPECT_TRUE(std::regex_match(
      a, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << a;
  EXPECT_NE(a, state::new_lineage());
}

TEST(LockInfo, RandomHexHasRequestedLength) {
  EXPECT_EQ(state::random_hex(0), "");
  EXPECT_EQ(state::random_hex(3).size(), 6u);
}

}  // namespace
