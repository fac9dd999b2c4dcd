// Schedule expressions as AWS Backup and EventBridge write them:
//   cron(Minutes Hours Day-of-month Month Day-of-week Year)   (UTC, 6 fields)
//   rate(N minute|minutes|hour|hours|day|days)
// Cron fields accept *, lists (a,b), ranges (a-b), steps (*/n, a/n, a-b/n), month names
// (JAN-DEC) and day names (SUN-SAT; 1 = Sunday). Day-of-month also accepts L (last day),
// LW (last weekday) and nW (weekday nearest to day n); day-of-week accepts nL (last such day
// of the month) and n#k (k-th such day). Exactly one of day-of-month and day-of-week must be
// `?`. L, W and # forms stand alone in their field. Pure functions; thread-safe.
#pragma once

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/duration.h"
#include "model/result.h"

namespace config {

struct CronSpec {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<13> months;        // 1..12
  std::vector<bool> years;       // index 0 = kMinYear
  // Day of month (ignored when dom_any_via_question): either a set of days or one special.
  bool dom_question = false;
  std::bitset<32> dom;           // 1..31
  bool dom_last = false;         // L
  bool dom_last_weekday = false; // LW
  int dom_nearest_weekday = 0;   // nW, 0 = unused
  // Day of week: 1 = Sunday .. 7 = Saturday.
  bool dow_question = false;
  std::bitset<8> dow;
  int dow_last = 0;              // nL, 0 = unused
  int dow_nth_day = 0, dow_nth = 0;  // n#k
};

struct Schedule {
  enum class Kind { cron, rate };
  Kind kind = Kind::cron;
  std::string text;            // as written
  CronSpec cron;               // when kind == cron
  model::Seconds every{0};     // when kind == rate
};

inline constexpr int kMinYear = 1970;
inline constexpr int kMaxYear = 2199;

// Parses a schedule expression; the error is a plain-English reason ("day-of-month and
// day-of-week: exactly one must be '?'").
model::Result<Schedule, std::string> parse_schedule(std::string_view text);

// The longest gap between two consecutive runs (hourly cron -> 1h, daily -> 24h), computed
// over every run from 1970 to 2199; nullopt when the schedule runs fewer than twice.
std::optional<model::Seconds> interval_of(const Schedule& schedule);
std::optional<model::Seconds> interval_of(std::string_view schedule);  // nullopt if invalid
// The shortest gap between two consecutive runs (AWS Backup refuses less than 1h).
std::optional<model::Seconds> shortest_interval_of(const Schedule& schedule);

}  // namespace config
