// sha256 as lowercase hex, for the configuration hash (stale-plan checks) and the modules'
// sha256() template function (deterministic idempotency tokens).
#pragma once

#include <string>

namespace config {

std::string sha256_hex(const std::string& data);

}  // namespace config
