// Helpers around the state store that other layers need: who is running (for the lock row)
// and the timestamp format used in every state column.
// Thread-safe; no failure cases (fields that cannot be learned are filled with "unknown").
#pragma once

#include <string>

#include "state/store.h"

namespace state {

// now_iso8601() and new_lock_info() are declared in store.h (other layers use them).

// `bytes` random bytes as lowercase hex (std::random_device, i.e. the kernel's generator).
std::string random_hex(int bytes);

// A random uuid-v4-shaped id: "3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b".
std::string new_lineage();

}  // namespace state
