#include "cli/lock_guard.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

#include "cli/common.h"

namespace cli {
namespace {

// A holder on this host whose process no longer exists left the lock behind (killed).
bool holder_is_gone(const state::LockInfo& h) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || h.host != host || h.pid <= 0) return false;
  return ::kill(static_cast<pid_t>(h.pid), 0) != 0 && errno == ESRCH;
}

}  // namespace

StateLock::StateLock(state::Store& store, const std::string& operation)
    : store_(store), me_(state::new_lock_info(operation)) {
  auto held = store_.try_lock(me_);
  if (!held.ok()) {
    fail("cannot lock the state: " + held.error().message);
    return;
  }
  if (held.value()) {
    const auto& h = held.value()->holder;
    if (holder_is_gone(h)) {
      fail(fmt::format("the state is locked by {} (pid {} on {}) running '{}' since {}, but that "
                       "process is gone: the lock is stale; lock id {}",
                       h.holder, h.pid, h.host, h.operation, h.since, h.id),
           fmt::format("check that no drctl runs on this stack, then clear it with: drctl force-unlock {}", h.id));
    } else {
      fail(fmt::format("the state is locked by {} (pid {} on {}) running '{}' since {}; lock id {}",
                       h.holder, h.pid, h.host, h.operation, h.since, h.id),
           "wait for that run to finish: only one writer at a time");
    }
    return;
  }
  acquired_ = true;
}

StateLock::~StateLock() {
  if (acquired_) (void)store_.unlock(me_.id);
}

}  // namespace cli
