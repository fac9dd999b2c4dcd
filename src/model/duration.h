// Durations as users write them in stacks: "90s", "15m", "1h", "35d", "1h30m".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace model {

using Seconds = std::chrono::seconds;

// Parses a sequence of <integer><unit> with units s, m, h, d, w; nullopt on anything else
// (empty, zero-less garbage, unknown unit, overflow).
std::optional<Seconds> parse_duration(std::string_view text);

// The shortest exact spelling: 5400s -> "1h30m", 3024000s -> "35d".
std::string format_duration(Seconds d);

}  // namespace model
