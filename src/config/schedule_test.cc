#include "config/schedule.h"

#include <gtest/gtest.h>

namespace config {
namespace {

using model::Seconds;
constexpr long kHour = 3600, kDay = 86400;

TEST(Schedule, AcceptsAwsCronForms) {
  for (const char* good : {"cron(0 * ? * * *)", "cron(0 12 * * ? *)", "cron(15 10 ? * 6L 2030-2040)",
                           "cron(0/15 * * * ? *)", "cron(0 8 1W * ? *)", "cron(0 0 L * ? *)",
                           "cron(0 0 LW * ? *)", "cron(0 9 ? JAN-MAR,NOV MON-FRI *)", "cron(0 3 ? * 2#1 *)",
                           "cron(5,35 14 * * ? *)", "cron(0 18 ? * mon-fri *)", "cron(0 0 1-15/7 * ? *)"})
    EXPECT_TRUE(parse_schedule(good).ok()) << good << ": " << parse_schedule(good).error();
}

TEST(Schedule, RejectsBadCronWithAReason) {
  const std::pair<const char*, const char*> bad[] = {
      {"cron(0 * * * *)", "cron needs 6 fields (minutes hours day-of-month month day-of-week year), got 5"},
      {"cron(0 * * * * *)", "day-of-month and day-of-week: exactly one must be '?'"},
      {"cron(0 * ? * ? *)", "day-of-month and day-of-week: exactly one must be '?'"},
      {"cron(60 * ? * * *)", "minutes: '60' is outside 0-59"},
      {"cron(0 24 ? * * *)", "hours: '24' is outside 0-23"},
      {"cron(0 0 32 * ? *)", "day-of-month: '32' is outside 1-31"},
      {"cron(0 0 ? FOO * *)", "month: invalid value 'FOO'"},
      {"cron(0 0 ? * 8 *)", "day-of-week: '8' is outside 1-7"},
      {"cron(0 0 ? * 2#6 *)", "day-of-week: invalid '#' form '2#6' (want e.g. 2#1, the first Monday)"},
      {"cron(*/0 * ? * * *)", "minutes: invalid step in '*/0'"},
      {"cron(0 5-2 ? * * *)", "hours: range '5-2' runs backwards"},
      {"cron(0 0 ? * * 1969)", "year: '1969' is outside 1970-2199"},
      {"cron(0 0 ? * * *", "expected cron(...) or rate(...)"},
      {"at(2024-01-01T00:00:00)", "unknown schedule kind 'at' (expected cron or rate)"},
  };
  for (const auto& [text, why] : bad) {
    auto s = parse_schedule(text);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.error(), why) << text;
  }
}

TEST(Schedule, ParsesRates) {
  EXPECT_EQ(interval_of("rate(1 hour)"), Seconds(kHour));
  EXPECT_EQ(interval_of("rate(5 minutes)"), Seconds(300));
  EXPECT_EQ(interval_of("rate(2 days)"), Seconds(2 * kDay));
  EXPECT_EQ(parse_schedule("rate(1 hours)").error(), "rate of 1 takes a singular unit (e.g. 'rate(1 hour)')");
  EXPECT_EQ(parse_schedule("rate(2 hour)").error(), "rate above 1 takes a plural unit (e.g. 'rate(2 hours)')");
  EXPECT_EQ(parse_schedule("rate(0 hours)").error(), "rate value must be positive");
  EXPECT_FALSE(parse_schedule("rate(1 week)").ok());
}

TEST(Schedule, IntervalIsTheLongestGapBetweenRuns) {
  EXPECT_EQ(interval_of("cron(0 * ? * * *)"), Seconds(kHour));        // hourly
  EXPECT_EQ(interval_of("cron(0 5 * * ? *)"), Seconds(kDay));         // daily
  EXPECT_EQ(interval_of("cron(0 0,6 * * ? *)"), Seconds(18 * kHour)); // 00:00 and 06:00
  EXPECT_EQ(interval_of("cron(0/15 * * * ? *)"), Seconds(900));
  EXPECT_EQ(interval_of("cron(0 5 ? * MON-FRI *)"), Seconds(3 * kDay)); // Friday -> Monday
  EXPECT_EQ(interval_of("cron(0 3 ? * SUN *)"), Seconds(7 * kDay));
  EXPECT_EQ(interval_of("cron(0 0 1 * ? *)"), Seconds(31 * kDay));    // monthly: longest month
  // 29 February runs in leap years only; 2100 is not one, so 2096 -> 2104 is 8 years.
  EXPECT_EQ(interval_of("cron(0 0 29 2 ? *)"), Seconds((8 * 365 + 1) * kDay));
  EXPECT_FALSE(interval_of("cron(0 0 30 2 ? *)").has_value());        // never runs
  EXPECT_FALSE(interval_of("cron(0 0 1 1 ? 2030)").has_value());      // runs once
  EXPECT_FALSE(interval_of("not a schedule").has_value());
}

TEST(Schedule, SpecialDayFormsPickTheRightDays) {
  // Last Friday of each month: gaps of 4 or 5 weeks.
  EXPECT_EQ(interval_of("cron(0 0 ? * 6L *)"), Seconds(35 * kDay));
  // First Monday: also 4 or 5 weeks apart.
  EXPECT_EQ(interval_of("cron(0 0 ? * 2#1 *)"), Seconds(35 * kDay));
  // Last day of the month: 31 days at most (e.g. 30 Apr -> 31 May).
  EXPECT_EQ(interval_of("cron(0 0 L * ? *)"), Seconds(31 * kDay));
  auto s = parse_schedule("cron(0 * ? * * *)");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(shortest_interval_of(*s), Seconds(kHour));
  auto q = parse_schedule("cron(0/15 * * * ? *)");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(shortest_interval_of(*q), Seconds(900));
}

}  // namespace
}  // namespace config
