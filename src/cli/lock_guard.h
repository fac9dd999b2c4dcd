// StateLock: holds the state's writer lock for a command's lifetime; prints who holds it
// when it cannot be taken.
#pragma once

#include <string>

#include "state/store.h"

namespace cli {

class StateLock {
 public:
  StateLock(state::Store& store, const std::string& operation);
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;
  bool acquired() const { return acquired_; }

 private:
  state::Store& store_;
  state::LockInfo me_;
  bool acquired_ = false;
};

}  // namespace cli
