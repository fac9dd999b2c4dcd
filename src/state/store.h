// StateStore: what drctl remembers about a stack between runs. One SQLite file per stack
// (mode 0600, WAL), schema from numbered migrations in the top-level state/ folder.
//
// Thread safety: one Store per process; methods are serialised internally, so apply/ workers
// may record journal rows and resources concurrently.
// Failure: every method returns a Result; a failed write leaves the file as it was (each
// write is one transaction).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/result.h"

namespace state {

struct StateError {
  std::string message;
};
template <typename T>
using Result = model::Result<T, StateError>;

struct Meta {
  std::string lineage;  // random id fixed when the state is created
  long long serial = 0;  // +1 on every committed change to resources
  int format_version = 0;
};

struct ResourceRecord {
  std::string address;
  std::string type;
  std::string region;
  std::string cloud_id;
  nlohmann::json desired;       // attributes as last planned (references resolved)
  nlohmann::json last_applied;  // attributes apply last wrote
  nlohmann::json live;          // attributes as last read
  std::string read_at;          // ISO-8601 UTC
  std::string workload;
  std::string depends_on_json = "[]";  // for ordering deletes of orphans
};

struct LockInfo {
  std::string id;         // random, printed, needed for force-unlock
  std::string holder;     // user@host
  std::string host;
  long long pid = 0;
  std::string operation;  // "apply", "plan -refresh"
  std::string since;      // ISO-8601 UTC
};

// Lock refusal: the current holder, so the error can name it.
struct LockHeld {
  LockInfo holder;
};

enum class JournalPhase { intent, done, failed };
struct JournalEntry {
  long long run_id = 0;
  long long seq = 0;
  std::string address;
  std::string action;  // create | update | replace | delete | read ...
  JournalPhase phase = JournalPhase::intent;
  std::string request_id;
  std::string detail;
  std::string at;
};

struct RunRecord {
  long long id = 0;
  std::string kind;     // apply | plan | drift | failover ...
  std::string started_at;
  std::string finished_at;
  std::string outcome;  // running | succeeded | failed
  std::string plan_hash;
  nlohmann::json detail = nlohmann::json::object();
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Result<Meta> meta() = 0;

  // Locking. try_lock fails at once with the holder when another writer has it.
  virtual Result<std::optional<LockHeld>> try_lock(const LockInfo& me) = 0;  // nullopt = acquired
  virtual Result<model::Unit> unlock(const std::string& lock_id) = 0;
  virtual Result<std::optional<LockInfo>> lock_info() = 0;

  // Resources. put/remove bump the serial.
  virtual Result<std::vector<ResourceRecord>> resources() = 0;
  virtual Result<std::optional<ResourceRecord>> resource(const std::string& address) = 0;
  virtual Result<model::Unit> put_resource(const ResourceRecord& r) = 0;
  virtual Result<model::Unit> remove_resource(const std::string& address) = 0;
  // Records a refresh (live + read_at) without bumping the serial.
  virtual Result<model::Unit> record_live(const std::string& address,
                                          const nlohmann::json& live,
                                          const std::string& cloud_id) = 0;

  // Runs and journal.
  virtual Result<long long> begin_run(const std::string& kind, const std::string& plan_hash) = 0;
  virtual Result<model::Unit> finish_run(long long run_id, const std::string& outcome,
                                         const nlohmann::json& detail) = 0;
  virtual Result<std::vector<RunRecord>> runs(int limit) = 0;
  virtual Result<long long> journal_intent(long long run_id, const std::string& address,
                                           const std::string& action,
                                           const std::string& detail) = 0;  // returns seq
  virtual Result<model::Unit> journal_outcome(long long run_id, long long seq,
                                              JournalPhase phase, const std::string& request_id,
                                              const std::string& detail) = 0;
  // Intents of any run that never got an outcome (a killed apply), oldest first.
  virtual Result<std::vector<JournalEntry>> unsettled() = 0;
  // Marks an unsettled intent settled after live state was read.
  virtual Result<model::Unit> settle(long long run_id, long long seq,
                                     const std::string& detail) = 0;
  virtual Result<std::vector<JournalEntry>> journal(long long run_id) = 0;
};

// Lock details for this process: random hex id, holder "user@host", host, pid, the given
// operation ("apply", "plan -refresh") and since = now. Defined in lock_info.cc.
LockInfo new_lock_info(const std::string& operation);
// Current UTC time, ISO-8601 to the second: "2024-05-01T12:00:00Z". The format of every
// timestamp the store writes.
std::string now_iso8601();

// Opens (creating with 0600 and migrating as needed) the SQLite state at `path`.
// `migrations_dir` holds NNNN_name.sql files applied in order inside transactions.
Result<std::unique_ptr<Store>> open_sqlite(const std::string& path,
                                           const std::string& migrations_dir);

}  // namespace state
