#include "model/duration.h"

#include <cctype>
#include <limits>

namespace model {

std::optional<Seconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  long long total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    long long n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (n > std::numeric_limits<int>::max() / 10) return std::nullopt;
      n = n * 10 + (text[i] - '0');
      ++i;
    }
    if (i == text.size()) return std::nullopt;  // a number needs a unit
    long long unit = 0;
    switch (text[i]) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      case 'w': unit = 7 * 86400; break;
      default: return std::nullopt;
    }
    ++i;
    total += n * unit;
    if (total > std::numeric_limits<int>::max()) return std::nullopt;
  }
  return Seconds(total);
}

std::string format_duration(Seconds d) {
  long long s = d.count();
  if (s == 0) return "0s";
  std::string out;
  if (s < 0) { out = "-"; s = -s; }
  const struct { long long size; char unit; } units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  for (const auto& u : units) {
    if (s >= u.size) {
      out += std::to_string(s / u.size) + u.unit;
      s %= u.size;
    }
  }
  return out;
}

}  // namespace model
