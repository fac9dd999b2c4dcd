// libFuzzer target: model::parse_duration on arbitrary text.
// Invariant checked: whatever parses formats back to a spelling that parses to the same value
// (format_duration's contract: the shortest exact spelling).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "model/duration.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto d = model::parse_duration(text);
  if (!d) return 0;
  if (d->count() < 0) std::abort();  // overflow must be refused, never wrap negative
  auto again = model::parse_duration(model::format_duration(*d));
  if (!again || *again != *d) std::abort();
  return 0;
}
