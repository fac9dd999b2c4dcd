// SqliteStore: the Store of store.h on one SQLite connection. Built by open_sqlite (which
// creates the file, sets the pragmas and migrates); not constructed directly elsewhere.
//
// Thread safety: every method takes mu_, so apply/ workers may share one instance.
// Across processes, SQLite's file locks serialise writers: each write is one
// BEGIN IMMEDIATE transaction, so try_lock's "insert only if absent" is atomic.
//
// Behaviour the contract leaves open, decided here:
// - try_lock with the id of the current holder still reports LockHeld (locks are not
//   re-entrant). unlock(id) is also what `drctl force-unlock ID` calls: it needs the exact
//   id and fails, naming the holder, on a wrong id or when nothing is locked.
// - remove_resource of an absent address succeeds without bumping the serial (a re-run of
//   an interrupted apply may remove twice); record_live of an absent address fails.
//   record_live keeps the stored cloud_id when given an empty one.
// - The journal is append-only: journal(run) lists intents and outcomes (oldest first, by
//   seq). An intent gets at most one outcome; settle() writes an outcome with phase
//   "settled" in the file, reported as JournalPhase::done with an empty request id.
// - runs(limit) with limit <= 0 returns every run.
#pragma once

#include <memory>
#include <mutex>

#include "state/sqlite_db.h"
#include "state/store.h"

namespace state {

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  Result<Meta> meta() override;

  Result<std::optional<LockHeld>> try_lock(const LockInfo& me) override;
  Result<model::Unit> unlock(const std::string& lock_id) override;
  Result<std::optional<LockInfo>> lock_info() override;

  Result<std::vector<ResourceRecord>> resources() override;
  Result<std::optional<ResourceRecord>> resource(const std::string& address) override;
  Result<model::Unit> put_resource(const ResourceRecord& r) override;
  Result<model::Unit> remove_resource(const std::string& address) override;
  Result<model::Unit> record_live(const std::string& address, const nlohmann::json& live,
                                  const std::string& cloud_id) override;

  Result<long long> begin_run(const std::string& kind, const std::string& plan_hash) override;
  Result<model::Unit> finish_run(long long run_id, const std::string& outcome,
                                 const nlohmann::json& detail) override;
  Result<std::vector<RunRecord>> runs(int limit) override;
  Result<long long> journal_intent(long long run_id, const std::string& address,
                                   const std::string& action, const std::string& detail) override;
  Result<model::Unit> journal_outcome(long long run_id, long long seq, JournalPhase phase,
                                      const std::string& request_id,
                                      const std::string& detail) override;
  Result<std::vector<JournalEntry>> unsettled() override;
  Result<model::Unit> settle(long long run_id, long long seq, const std::string& detail) override;
  Result<std::vector<JournalEntry>> journal(long long run_id) override;

 private:
  Result<std::optional<LockInfo>> read_lock();  // callers hold mu_
  Result<model::Unit> bump_serial();
  Result<model::Unit> add_outcome(long long run_id, long long seq, const char* phase,
                                  const std::string& request_id, const std::string& detail);

  std::mutex mu_;
  std::unique_ptr<Db> db_;
};

}  // namespace state
