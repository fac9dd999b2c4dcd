// StateLock: holds the state's writer lock for a command's lifetime; prints who holds it
// when it cannot be taken. With a wait (--lock-timeout), a lock held by a live process is
// polled for until it is released or the wait runs out; a stale lock (its holder process is
// gone on this host) is reported at once, since waiting cannot clear it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "state/store.h"

namespace cli {

class StateLock {
 public:
  StateLock(state::Store& store, const std::string& operation,
            std::chrono::milliseconds wait = std::chrono::milliseconds{0});
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;
  bool acquired() const { return acquired_; }

 private:
  state::Store& store_;
  state::LockInfo me_;
  bool acquired_ = false;
};

// Parses a --lock-timeout value ("0", "30s", "5m"); prints the error and returns nullopt when
// it is not a duration.
std::optional<std::chrono::milliseconds> parse_lock_timeout(const std::string& text);

}  // namespace cli
