// SqliteStore: runs and the apply journal. See sqlite_store.h for the decisions.
#include "apply/crash_point.h"  // test-only kill point before COMMIT
#include "state/json_text.h"
#include "state/lock_info.h"
#include "state/sqlite_store.h"

namespace state {

using model::err;
using model::ok;
using model::Unit;
using Lock = std::lock_guard<std::mutex>;

namespace {

constexpr const char* kJournalCols = "run_id, seq, address, action, phase, request_id, detail, at";

Result<JournalEntry> journal_row(const Stmt& st) {
  JournalEntry e;
  e.run_id = st.int64(0);
  e.seq = st.int64(1);
  e.address = st.text(2);
  e.action = st.text(3);
  const std::string phase = st.text(4);
  if (phase == "intent") e.phase = JournalPhase::intent;
  else if (phase == "done" || phase == "settled") e.phase = JournalPhase::done;
  else if (phase == "failed") e.phase = JournalPhase::failed;
  else return err(StateError{"unknown journal phase \"" + phase + "\" in state"});
  e.request_id = st.text(5);
  e.detail = st.text(6);
  e.at = st.text(7);
  return e;
}

Result<std::vector<JournalEntry>> journal_rows(Stmt& st) {
  std::vector<JournalEntry> out;
  for (;;) {
    auto row = st.step();
    if (!row) return err(row.error());
    if (!*row) return out;
    auto e = journal_row(st);
    if (!e) return err(e.error());
    out.push_back(std::move(*e));
  }
}

}  // namespace

// ---- runs ----

Result<long long> SqliteStore::begin_run(const std::string& kind, const std::string& plan_hash) {
  Lock g(mu_);
  auto tx = Tx::begin(*db_, "starting a " + kind + " run");
  if (!tx) return err(tx.error());
  auto st = db_->prepare(
      "INSERT INTO runs (kind, started_at, outcome, plan_hash) VALUES (?, ?, 'running', ?)"
      " RETURNING id",
      "starting a " + kind + " run");
  if (!st) return err(st.error());
  st->bind(kind).bind(now_iso8601()).bind(plan_hash);
  auto row = st->step();
  if (!row) return err(row.error());
  if (!*row) return err(StateError{"starting a run: no id returned"});
  const long long id = st->int64(0);
  STATE_TRY(st->run());  // finish the statement before COMMIT
  STATE_TRY(tx->commit());
  return id;
}

Result<Unit> SqliteStore::finish_run(long long run_id, const std::string& outcome,
                                     const nlohmann::json& detail) {
  Lock g(mu_);
  const std::string what = "finishing run " + std::to_string(run_id);
  auto text = to_text(detail, what + " detail");
  if (!text) return err(text.error());
  auto tx = Tx::begin(*db_, what);
  if (!tx) return err(tx.error());
  auto st = db_->prepare("UPDATE runs SET finished_at = ?, outcome = ?, detail = ? WHERE id = ?",
                         what);
  if (!st) return err(st.error());
  st->bind(now_iso8601()).bind(outcome).bind(*text).bind(run_id);
  STATE_TRY(st->run());
  if (db_->changes() == 0) return err(StateError{what + ": no such run"});
  STATE_TRY(tx->commit());
  return ok();
}

Result<std::vector<RunRecord>> SqliteStore::runs(int limit) {
  Lock g(mu_);
  auto st = db_->prepare(
      "SELECT id, kind, started_at, finished_at, outcome, plan_hash, detail FROM runs"
      " ORDER BY id DESC LIMIT ?",
      "reading runs");
  if (!st) return err(st.error());
  st->bind(limit > 0 ? static_cast<long long>(limit) : -1LL);
  std::vector<RunRecord> out;
  for (;;) {
    auto row = st->step();
    if (!row) return err(row.error());
    if (!*row) return out;
    RunRecord r{st->int64(0), st->text(1), st->text(2), st->text(3), st->text(4), st->text(5)};
    auto detail = from_text(st->text(6), "run " + std::to_string(r.id) + " detail");
    if (!detail) return err(detail.error());
    r.detail = std::move(*detail);
    out.push_back(std::move(r));
  }
}

// ---- journal ----

Result<long long> SqliteStore::journal_intent(long long run_id, const std::string& address,
                                              const std::string& action,
                                              const std::string& detail) {
  Lock g(mu_);
  const std::string what = "journaling intent to " + action + " " + address;
  auto tx = Tx::begin(*db_, what);
  if (!tx) return err(tx.error());
  {
    auto exists = db_->prepare("SELECT 1 FROM runs WHERE id = ?", what);
    if (!exists) return err(exists.error());
    exists->bind(run_id);
    auto found = exists->step();
    if (!found) return err(found.error());
    if (!*found) return err(StateError{what + ": no run " + std::to_string(run_id)});
  }

  // seq is computed under the write lock, so concurrent writers get distinct numbers.
  auto st = db_->prepare(
      "INSERT INTO journal (run_id, seq, address, action, phase, detail, at)"
      " VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM journal WHERE run_id = ?1),"
      " ?2, ?3, 'intent', ?4, ?5) RETURNING seq",
      what);
  if (!st) return err(st.error());
  st->bind(run_id).bind(address).bind(action).bind(detail).bind(now_iso8601());
  auto row = st->step();
  if (!row) return err(row.error());
  if (!*row) return err(StateError{what + ": no seq returned"});
  const long long seq = st->int64(0);
  STATE_TRY(st->run());
  apply::crash_point("in-commit");  // DRCTL_TEST_KILL_AT=in-commit:N; inert otherwise
  STATE_TRY(tx->commit());
  return seq;
}

Result<Unit> SqliteStore::add_outcome(long long run_id, long long seq, const char* phase,
                                      const std::string& request_id,
                                      const std::string& detail) {
  const std::string what = std::string("recording ") + phase + " for journal run " +
                           std::to_string(run_id) + " seq " + std::to_string(seq);
  auto tx = Tx::begin(*db_, what);
  if (!tx) return err(tx.error());
  {
    auto check = db_->prepare(
        "SELECT (SELECT COUNT(*) FROM journal WHERE run_id = ?1 AND seq = ?2"
        " AND phase = 'intent'),"
        " (SELECT phase FROM journal WHERE run_id = ?1 AND seq = ?2 AND phase <> 'intent')",
        what);
    if (!check) return err(check.error());
    check->bind(run_id).bind(seq);
    auto row = check->step();
    if (!row) return err(row.error());
    if (!*row || check->int64(0) == 0) return err(StateError{what + ": no such intent"});
    if (!check->is_null(1))
      return err(StateError{what + ": it already has outcome \"" + check->text(1) + "\""});
  }

  auto st = db_->prepare(
      "INSERT INTO journal (run_id, seq, address, action, phase, request_id, detail, at)"
      " SELECT run_id, seq, address, action, ?3, ?4, ?5, ?6 FROM journal"
      " WHERE run_id = ?1 AND seq = ?2 AND phase = 'intent'",
      what);
  if (!st) return err(st.error());
  st->bind(run_id).bind(seq).bind(phase).bind(request_id).bind(detail).bind(now_iso8601());
  STATE_TRY(st->run());
  apply::crash_point("in-commit");
  STATE_TRY(tx->commit());
  return ok();
}

Result<Unit> SqliteStore::journal_outcome(long long run_id, long long seq, JournalPhase phase,
                                          const std::string& request_id,
                                          const std::string& detail) {
  Lock g(mu_);
  if (phase == JournalPhase::intent)
    return err(StateError{"journal_outcome: the outcome must be done or failed, not intent"});
  return add_outcome(run_id, seq, phase == JournalPhase::done ? "done" : "failed", request_id,
                     detail);
}

Result<Unit> SqliteStore::settle(long long run_id, long long seq, const std::string& detail) {
  Lock g(mu_);
  return add_outcome(run_id, seq, "settled", "", detail);
}

Result<std::vector<JournalEntry>> SqliteStore::unsettled() {
  Lock g(mu_);
  auto st = db_->prepare(
      std::string("SELECT ") + kJournalCols + " FROM journal AS i WHERE phase = 'intent'"
          " AND NOT EXISTS (SELECT 1 FROM journal AS o WHERE o.run_id = i.run_id"
          " AND o.seq = i.seq AND o.phase <> 'intent') ORDER BY run_id, seq",
      "reading unsettled journal intents");
  if (!st) return err(st.error());
  return journal_rows(*st);
}

Result<std::vector<JournalEntry>> SqliteStore::journal(long long run_id) {
  Lock g(mu_);
  auto st = db_->prepare(std::string("SELECT ") + kJournalCols +
                             " FROM journal WHERE run_id = ? ORDER BY seq, id",
                         "reading journal of run " + std::to_string(run_id));
  if (!st) return err(st.error());
  st->bind(run_id);
  return journal_rows(*st);
}

}  // namespace state
