#include "model/duration.h"

#include <gtest/gtest.h>

namespace model {
namespace {

TEST(Duration, ParsesEveryUnitAndCombinations) {
  EXPECT_EQ(parse_duration("90s"), Seconds(90));
  EXPECT_EQ(parse_duration("15m"), Seconds(900));
  EXPECT_EQ(parse_duration("1h"), Seconds(3600));
  EXPECT_EQ(parse_duration("35d"), Seconds(35 * 86400));
  EXPECT_EQ(parse_duration("2w"), Seconds(14 * 86400));
  EXPECT_EQ(parse_duration("1h30m"), Seconds(5400));
}

TEST(Duration, RejectsMalformedText) {
  for (const char* bad : {"", "15", "m", "15x", "1.5h", "-5m", " 5m", "5m ", "99999999999d", "h1"})
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
}

TEST(Duration, FormatsTheShortestExactSpelling) {
  EXPECT_EQ(format_duration(Seconds(5400)), "1h30m");
  EXPECT_EQ(format_duration(Seconds(35 * 86400)), "35d");
  EXPECT_EQ(format_duration(Seconds(0)), "0s");
  EXPECT_EQ(format_duration(Seconds(61)), "1m1s");
}

}  // namespace
}  // namespace model
