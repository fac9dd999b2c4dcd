// JSON <-> TEXT columns for the SQLite store, without letting nlohmann exceptions out.
// Internal to src/state/.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "state/store.h"

namespace state {

// nlohmann throws on invalid UTF-8 while dumping; no exception may leave the layer.
inline Result<std::string> to_text(const nlohmann::json& j, const std::string& what) {
  try {
    return j.dump();
  } catch (const std::exception& e) {
    return model::err(StateError{"cannot serialise " + what + ": " + e.what()});
  }
}

inline Result<nlohmann::json> from_text(const std::string& s, const std::string& what) {
  auto j = nlohmann::json::parse(s, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return model::err(StateError{"corrupt JSON in state: " + what});
  return j;
}

}  // namespace state
