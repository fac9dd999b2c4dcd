// StateSession: the state a command works on, wherever it lives (state/backend.h). Local
// state (the default, or --state PATH) is opened in place and locked with StateLock, exactly
// as before. Remote state (--backend s3://..., DRCTL_BACKEND, or the stack's backend: block)
// is checked (bucket versioning; the DR warning), locked (when the command writes), downloaded
// to a private temporary working copy, and opened there; close() uploads it when it changed,
// conditionally on the ETag downloaded, then releases the lock.
//
// Which backend: --backend, else DRCTL_BACKEND, else --state (a local file), else the stack's
// backend: block, else DIR/.drctl/state.db.
//
// A long run that writes state in stages (a drill: failover, failback, reset) calls checkpoint()
// after each: the working copy is uploaded then too, the lock kept, so a run that dies mid-way
// leaves remote state that knows what was done up to its last checkpoint (a local store has
// every write on disk already).
//
// A refused upload (someone else changed the state meanwhile) keeps this run's working copy
// on disk, prints where, and makes the command fail: when the session is closed by its
// destructor, by ending the process with exit code 1, since the command's own result would
// otherwise claim success for state that was never stored.
// Test hooks: DRCTL_TEST_KILL_AT=after-upload[:N] (apply/crash_point.h: killed after the N-th
// upload, checkpoints included, before the lock is released); DRCTL_TEST_HOLD_BEFORE_UPLOAD=PATH
// creates PATH.waiting and waits (60 s at most) for PATH to exist before the final upload.
// One thread; prints its failures to stderr (as cli::fail does).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "aws/client.h"
#include "cli/lock_guard.h"
#include "model/topology.h"
#include "state/backend.h"
#include "state/store.h"

namespace cli {

struct StateSessionRequest {
  std::string dir;           // stack folder
  std::string state_flag;    // --state PATH ("" = not given)
  std::string backend_flag;  // --backend URL ("" = not given)
  const model::Topology* topology = nullptr;  // backend: block, regions for the DR check
  std::string operation;     // "apply", "plan" ... for the lock
  bool needs_lock = false;
  std::chrono::milliseconds lock_wait{0};
};

class StateSession {
 public:
  ~StateSession();
  StateSession(const StateSession&) = delete;
  StateSession& operator=(const StateSession&) = delete;

  state::Store& store() { return *store_; }
  std::string describe() const { return where_; }
  bool remote() const { return backend_ != nullptr; }
  // Whether there was state before this session opened it (false: opening made an empty one).
  bool existed() const { return existed_; }
  // Uploads (when the working copy changed and this session holds the lock) and unlocks.
  // false (printed) when the upload was refused or failed. Idempotent.
  bool close();
  // Remote, locked sessions: uploads the working copy now if it changed since the last upload,
  // keeping the lock and the store open (call it between writes, not inside a transaction).
  // true when there was nothing to do (local state, a read-only session); false (printed) when
  // the upload was refused or failed: the caller should stop writing.
  bool checkpoint();
  // Remote, locked sessions only: writes version `version_id` back as the newest version, on
  // the condition that the state is still what this session downloaded; close() then uploads
  // nothing. Returns the new version id.
  state::BackendResult<std::string> restore_version(const std::string& version_id);
  state::Backend* backend() { return backend_.get(); }

 private:
  friend std::unique_ptr<StateSession> open_state_session_at(const state::BackendConfig&,
                                                             const StateSessionRequest&);
  StateSession() = default;
  std::string where_;
  std::unique_ptr<aws::Client> client_;
  std::unique_ptr<state::Backend> backend_;  // null for local state
  std::unique_ptr<state::Store> store_;
  std::unique_ptr<StateLock> local_lock_;
  state::WorkingCopy base_;
  std::string scratch_dir_;
  std::string lock_id_;  // remote lock held ("" = none)
  bool closed_ = false;
  bool restored_ = false;
  bool existed_ = true;
};

// nullptr when the state cannot be opened or locked (the reason is printed).
std::unique_ptr<StateSession> open_state_session(const StateSessionRequest& request);
// The same, at a backend already resolved (resolve_backend); request.state_flag and
// request.backend_flag are not looked at.
std::unique_ptr<StateSession> open_state_session_at(const state::BackendConfig& where,
                                                    const StateSessionRequest& request);

// Which backend a command uses (see above); nullopt after printing why the setting is wrong.
std::optional<state::BackendConfig> resolve_backend(const std::string& dir, const std::string& state_flag,
                                                    const std::string& backend_flag,
                                                    const model::Topology* topology);

// For commands that only read state: a Store over a session without lock or upload, so a
// command's `auto store = open_state(...)` line becomes `auto store = open_state_readonly(...)`.
// Whatever such a command writes to the Store stays in its throw-away working copy when the
// state is remote (locally it is the file itself, as before).
std::unique_ptr<state::Store> open_state_readonly(const std::string& dir, const std::string& state_flag,
                                                  const model::Topology& topology, const std::string& operation,
                                                  const std::string& backend_flag = "");

// For commands that use state only when there is some and never create it (assess, readiness,
// report): a read-only Store as above; a null Store when there is no state yet (no local file,
// no S3 object); nullopt after printing why the state cannot be read.
std::optional<std::unique_ptr<state::Store>> open_existing_state_readonly(const std::string& dir,
                                                                          const std::string& state_flag,
                                                                          const std::string& backend_flag,
                                                                          const model::Topology& topology,
                                                                          const std::string& operation);

}  // namespace cli
