#include "cli/lock_guard.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include <fmt/format.h>

#include "cli/common.h"
#include "model/duration.h"

namespace cli {
namespace {

// A holder on this host whose process no longer exists left the lock behind (killed).
bool holder_is_gone(const state::LockInfo& h) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || h.host != host || h.pid <= 0) return false;
  return ::kill(static_cast<pid_t>(h.pid), 0) != 0 && errno == ESRCH;
}

}  // namespace

StateLock::StateLock(state::Store& store, const std::string& operation, std::chrono::milliseconds wait)
    : store_(store), me_(state::new_lock_info(operation)) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  bool announced = false;
  for (;;) {
    auto held = store_.try_lock(me_);
    if (!held.ok()) {
      fail("cannot lock the state: " + held.error().message);
      return;
    }
    if (!held.value()) break;
    const auto& h = held.value()->holder;
    if (holder_is_gone(h)) {
      fail(fmt::format("the state is locked by {} (pid {} on {}) running '{}' since {}, but that "
                       "process is gone: the lock is stale; lock id {}",
                       h.holder, h.pid, h.host, h.operation, h.since, h.id),
           fmt::format("check that no drctl runs on this stack, then clear it with: drctl force-unlock {}", h.id));
      return;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      fail(fmt::format("the state is locked by {} (pid {} on {}) running '{}' since {}; lock id {}{}",
                       h.holder, h.pid, h.host, h.operation, h.since, h.id,
                       wait.count() > 0 ? fmt::format(" (waited {}s)", wait.count() / 1000) : ""),
           wait.count() > 0 ? "that run is still going: wait longer (--lock-timeout) or try again later"
                            : "wait for that run to finish (or pass --lock-timeout 5m to wait): only one writer at a time");
      return;
    }
    if (!announced) {
      fmt::print(stderr, "waiting for the state lock held by {} running '{}' since {}...\n", h.holder, h.operation,
                 h.since);
      announced = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{250});
  }
  acquired_ = true;
}

StateLock::~StateLock() {
  if (acquired_) (void)store_.unlock(me_.id);
}

std::optional<std::chrono::milliseconds> parse_lock_timeout(const std::string& text) {
  if (text.empty() || text == "0") return std::chrono::milliseconds{0};
  auto d = model::parse_duration(text);
  if (!d) {
    fail("--lock-timeout: '" + text + "' is not a duration", "write it like 30s, 5m or 1h");
    return std::nullopt;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
}

}  // namespace cli
