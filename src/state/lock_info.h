// Helpers around the state store that other layers need: who is running (for the lock row)
// and the timestamp format used in every state column.
// Thread-safe; no failure cases (fields that cannot be learned are filled with "unknown").
#pragma once

#include <string>

#include "state/store.h"

namespace state {

// Current UTC time as ISO-8601 with seconds: "2024-05-01T12:00:00Z".
std::string now_iso8601();

// `bytes` random bytes as lowercase hex (std::random_device, i.e. the kernel's generator).
std::string random_hex(int bytes);

// A random uuid-v4-shaped id: "3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b".
std::string new_lineage();

// Lock details for this process: random id (32 hex chars), holder "user@host", host,
// pid, the given operation ("apply", "plan -refresh") and since = now.
LockInfo new_lock_info(const std::string& operation);

}  // namespace state
