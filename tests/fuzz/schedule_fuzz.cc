// libFuzzer target: config::parse_schedule (cron/rate expressions) and the interval scans.
// Invariants checked: a parsed schedule keeps its text; the shortest gap never exceeds the
// longest; a rate's interval is its period.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/schedule.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256) return 0;  // real expressions are short; the scans dominate, not the text
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = config::parse_schedule(text);
  if (!parsed) return 0;
  const config::Schedule& s = parsed.value();
  auto longest = config::interval_of(s);
  auto shortest = config::shortest_interval_of(s);
  if (longest.has_value() != shortest.has_value()) std::abort();
  if (longest && *shortest > *longest) std::abort();
  if (s.kind == config::Schedule::Kind::rate && longest && *longest != s.every) std::abort();
  return 0;
}
