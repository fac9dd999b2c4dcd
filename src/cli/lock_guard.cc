#include "cli/lock_guard.h"

#include <fmt/format.h>

#include "cli/common.h"

namespace cli {

StateLock::StateLock(state::Store& store, const std::string& operation)
    : store_(store), me_(state::new_lock_info(operation)) {
  auto held = store_.try_lock(me_);
  if (!held.ok()) {
    fail("cannot lock the state: " + held.error().message);
    return;
  }
  if (held.value()) {
    const auto& h = held.value()->holder;
    fail(fmt::format("the state is locked by {} (pid {} on {}) running '{}' since {}; lock id {}",
                     h.holder, h.pid, h.host, h.operation, h.since, h.id),
         "wait for that run to finish; only one writer at a time");
    return;
  }
  acquired_ = true;
}

StateLock::~StateLock() {
  if (acquired_) (void)store_.unlock(me_.id);
}

}  // namespace cli
