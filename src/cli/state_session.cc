#include "cli/state_session.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "apply/crash_point.h"
#include "cli/common.h"
#include "config/config.h"

namespace cli {
namespace {

namespace fs = std::filesystem;

// A holder on this host whose process no longer exists left the lock behind (killed).
bool holder_is_gone(const state::LockInfo& h) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || h.host != host || h.pid <= 0) return false;
  return ::kill(static_cast<pid_t>(h.pid), 0) != 0 && errno == ESRCH;
}

// The remote lock, with the same waiting and stale-lock rules as StateLock (lock_guard.h).
bool lock_remote(state::Backend& b, const state::LockInfo& me, std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  bool announced = false;
  for (;;) {
    auto held = b.try_lock(me);
    if (!held.ok()) return fail("cannot lock the state " + b.describe() + ": " + held.error().message), false;
    if (!held.value()) return true;
    const auto& h = held.value()->holder;
    if (holder_is_gone(h)) {
      fail(fmt::format("the state {} is locked by {} (pid {} on {}) running '{}' since {}, but that process is "
                       "gone: the lock is stale; lock id {}", b.describe(), h.holder, h.pid, h.host, h.operation,
                       h.since, h.id),
           fmt::format("check that no drctl runs on this stack, then clear it with: drctl force-unlock {}", h.id));
      return false;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      fail(fmt::format("the state {} is locked by {} (pid {} on {}) running '{}' since {}; lock id {}{}",
                       b.describe(), h.holder, h.pid, h.host, h.operation, h.since, h.id,
                       wait.count() > 0 ? fmt::format(" (waited {}s)", wait.count() / 1000) : ""),
           wait.count() > 0 ? "that run is still going: wait longer (--lock-timeout) or try again later"
                            : "wait for that run to finish (or pass --lock-timeout 5m to wait): only one writer at a time");
      return false;
    }
    if (!announced) {
      fmt::print(stderr, "waiting for the state lock held by {} running '{}' since {}...\n", h.holder, h.operation,
                 h.since);
      announced = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{500});
  }
}

void hold_before_upload() {
  const char* path = std::getenv("DRCTL_TEST_HOLD_BEFORE_UPLOAD");
  if (!path || !*path) return;
  { std::FILE* f = std::fopen((std::string(path) + ".waiting").c_str(), "w"); if (f) std::fclose(f); }
  for (int i = 0; i < 600 && !fs::exists(path); ++i) std::this_thread::sleep_for(std::chrono::milliseconds{100});
}

std::string make_scratch_dir() {
  std::string tmpl = (fs::temp_directory_path() / "drctl-state-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) return "";
  return tmpl;  // mkdtemp makes it 0700
}

}  // namespace

std::optional<state::BackendConfig> resolve_backend(const std::string& dir, const std::string& state_flag,
                                                    const std::string& backend_flag,
                                                    const model::Topology* topology) {
  const std::string local = state_flag.empty() ? default_state_path(dir) : state_flag;
  std::string url = backend_flag;
  std::string from = "--backend";
  if (url.empty())
    if (const char* env = std::getenv("DRCTL_BACKEND"); env && *env) url = env, from = "DRCTL_BACKEND";
  if (!url.empty()) {
    auto c = state::parse_backend_url(url, local);
    if (!c.ok()) return fail(from + ": " + c.error().message), std::nullopt;
    return c.value();
  }
  if (state_flag.empty() && topology && !topology->backend.is_null()) {
    auto c = state::parse_backend_block(topology->backend);
    if (!c.ok()) return fail("backend: " + c.error().message), std::nullopt;
    return c.value();
  }
  state::BackendConfig c;
  c.local_path = local;
  return c;
}

std::unique_ptr<StateSession> open_state_session(const StateSessionRequest& req) {
  auto where = resolve_backend(req.dir, req.state_flag, req.backend_flag, req.topology);
  if (!where) return nullptr;
  return open_state_session_at(*where, req);
}

std::unique_ptr<StateSession> open_state_session_at(const state::BackendConfig& where,
                                                    const StateSessionRequest& req) {
  std::unique_ptr<StateSession> s(new StateSession());
  s->where_ = where.describe();
  if (where.kind == state::BackendConfig::Kind::local) {
    s->existed_ = fs::exists(where.local_path);
    s->store_ = open_state(where.local_path);
    if (!s->store_) return nullptr;
    if (req.needs_lock) {
      s->local_lock_ = std::make_unique<StateLock>(*s->store_, req.operation, req.lock_wait);
      if (!s->local_lock_->acquired()) return nullptr;
    }
    return s;
  }

  s->client_ = std::make_unique<aws::Client>(aws::Client::from_environment());
  s->backend_ = state::make_s3_backend(*s->client_, where);
  auto checked = s->backend_->check(req.topology ? req.topology->primary_region : "",
                                    req.topology ? req.topology->dr_region : "");
  if (!checked.ok()) return fail("state " + s->where_ + ": " + checked.error().message), nullptr;
  for (const auto& w : checked->warnings) fmt::print(stderr, "warning: {}\n", w);

  if (req.needs_lock) {
    const auto me = state::new_lock_info(req.operation);
    if (!lock_remote(*s->backend_, me, req.lock_wait)) return nullptr;
    s->lock_id_ = me.id;
  }
  s->scratch_dir_ = make_scratch_dir();
  if (s->scratch_dir_.empty()) return fail("cannot create a temporary folder for the state"), nullptr;
  // Pulled after locking: what we download is what no one else may change until we unlock.
  auto pulled = s->backend_->pull(s->scratch_dir_ + "/state.db");
  if (!pulled.ok()) return fail("reading state " + s->where_ + ": " + pulled.error().message), nullptr;
  s->base_ = pulled.value();
  s->existed_ = s->base_.existed;
  auto store = state::open_sqlite(s->base_.path, config::default_paths().migrations_dir);
  if (!store.ok()) return fail("cannot open state " + s->where_ + ": " + store.error().message), nullptr;
  s->store_ = std::move(store.value());
  return s;
}

bool StateSession::checkpoint() {
  if (closed_ || !backend_ || lock_id_.empty() || restored_) return true;
  if (auto folded = state::fold_wal(base_.path); !folded.ok())
    return fail(fmt::format("the state was not saved to {}: {}", where_, folded.error().message)), false;
  if (state::file_sha256(base_.path) == base_.sha256) return true;
  auto pushed = backend_->push(base_, base_.path);
  if (!pushed.ok())
    return fail(fmt::format("the state was not saved to {}: {}", where_, pushed.error().message)), false;
  base_ = pushed.value();
  apply::crash_point("after-upload");
  return true;
}

state::BackendResult<std::string> StateSession::restore_version(const std::string& version_id) {
  if (!backend_ || lock_id_.empty())
    return model::err(state::BackendError{state::BackendError::Kind::unsupported, "rollback needs remote state, locked"});
  auto r = backend_->restore(version_id, base_);
  if (r.ok()) restored_ = true;
  return r;
}

bool StateSession::close() {
  if (closed_) return true;
  closed_ = true;
  local_lock_.reset();  // unlocks through the store: before the store goes
  store_.reset();  // closing the last connection folds the WAL into the file we upload
  if (!backend_) return true;
  bool stored = true;
  if (!lock_id_.empty() && !restored_ && state::file_sha256(base_.path) != base_.sha256) {
    hold_before_upload();
    auto pushed = backend_->push(base_, base_.path);
    if (!pushed.ok()) {
      stored = false;
      fail(fmt::format("the state was not saved to {}: {}", where_, pushed.error().message),
           fmt::format("this run's state is kept at {}; compare it with the stored state (drctl state history) "
                       "before running again", base_.path));
    } else {
      base_ = pushed.value();
      apply::crash_point("after-upload");
    }
  }
  if (!lock_id_.empty()) {
    auto released = backend_->unlock(lock_id_);
    if (!released.ok())
      fail("cannot release the state lock " + lock_id_ + ": " + released.error().message,
           "clear it with: drctl force-unlock " + lock_id_);
  }
  if (stored && !scratch_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(scratch_dir_, ec);
  }
  return stored;
}

StateSession::~StateSession() {
  if (!close()) {
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(kError);
  }
}

namespace {

// A Store that owns the read-only session it delegates to (open_state_readonly).
class SessionStore : public state::Store {
 public:
  explicit SessionStore(std::unique_ptr<StateSession> s) : s_(std::move(s)), st_(s_->store()) {}
  state::Result<state::Meta> meta() override { return st_.meta(); }
  state::Result<std::optional<state::LockHeld>> try_lock(const state::LockInfo& me) override { return st_.try_lock(me); }
  state::Result<model::Unit> unlock(const std::string& id) override { return st_.unlock(id); }
  state::Result<std::optional<state::LockInfo>> lock_info() override { return st_.lock_info(); }
  state::Result<std::vector<state::ResourceRecord>> resources() override { return st_.resources(); }
  state::Result<std::optional<state::ResourceRecord>> resource(const std::string& a) override { return st_.resource(a); }
  state::Result<model::Unit> put_resource(const state::ResourceRecord& r) override { return st_.put_resource(r); }
  state::Result<model::Unit> remove_resource(const std::string& a) override { return st_.remove_resource(a); }
  state::Result<model::Unit> record_live(const std::string& a, const nlohmann::json& live,
                                         const std::string& id) override { return st_.record_live(a, live, id); }
  state::Result<long long> begin_run(const std::string& k, const std::string& h) override { return st_.begin_run(k, h); }
  state::Result<model::Unit> finish_run(long long id, const std::string& o, const nlohmann::json& d) override {
    return st_.finish_run(id, o, d);
  }
  state::Result<std::vector<state::RunRecord>> runs(int limit) override { return st_.runs(limit); }
  state::Result<long long> journal_intent(long long run, const std::string& a, const std::string& act,
                                          const std::string& d) override { return st_.journal_intent(run, a, act, d); }
  state::Result<model::Unit> journal_outcome(long long run, long long seq, state::JournalPhase p,
                                             const std::string& rid, const std::string& d) override {
    return st_.journal_outcome(run, seq, p, rid, d);
  }
  state::Result<std::vector<state::JournalEntry>> unsettled() override { return st_.unsettled(); }
  state::Result<model::Unit> settle(long long run, long long seq, const std::string& d) override {
    return st_.settle(run, seq, d);
  }
  state::Result<std::vector<state::JournalEntry>> journal(long long run) override { return st_.journal(run); }

 private:
  std::unique_ptr<StateSession> s_;
  state::Store& st_;
};

}  // namespace

std::unique_ptr<state::Store> open_state_readonly(const std::string& dir, const std::string& state_flag,
                                                  const model::Topology& topology, const std::string& operation,
                                                  const std::string& backend_flag) {
  StateSessionRequest req;
  req.dir = dir;
  req.state_flag = state_flag;
  req.backend_flag = backend_flag;
  req.topology = &topology;
  req.operation = operation;
  auto s = open_state_session(req);
  if (!s) return nullptr;
  return std::make_unique<SessionStore>(std::move(s));
}

std::optional<std::unique_ptr<state::Store>> open_existing_state_readonly(const std::string& dir,
                                                                          const std::string& state_flag,
                                                                          const std::string& backend_flag,
                                                                          const model::Topology& topology,
                                                                          const std::string& operation) {
  auto where = resolve_backend(dir, state_flag, backend_flag, &topology);
  if (!where) return std::nullopt;
  // A local file is looked for before opening it, since opening creates it.
  if (where->kind == state::BackendConfig::Kind::local && !fs::exists(where->local_path))
    return std::unique_ptr<state::Store>{};
  StateSessionRequest req;
  req.dir = dir;
  req.topology = &topology;
  req.operation = operation;
  auto s = open_state_session_at(*where, req);
  if (!s) return std::nullopt;
  if (!s->existed()) return std::unique_ptr<state::Store>{};  // its empty working copy goes with it
  return std::unique_ptr<state::Store>{std::make_unique<SessionStore>(std::move(s))};
}

}  // namespace cli
