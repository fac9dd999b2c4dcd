#include "state/sqlite_store.h"

#include "apply/crash_point.h"  // test-only kill point before COMMIT

#include "state/json_text.h"
#include "state/lock_info.h"

namespace state {

using model::err;
using model::ok;
using model::Unit;
using Lock = std::lock_guard<std::mutex>;

namespace {

std::string describe_lock(const LockInfo& l) {
  return l.holder + " (pid " + std::to_string(l.pid) + ", operation \"" + l.operation +
         "\", since " + l.since + ", lock id " + l.id + ")";
}

constexpr const char* kResourceCols =
    "address, type, region, cloud_id, desired, last_applied, live, read_at, workload, "
    "depends_on";

Result<ResourceRecord> resource_row(const Stmt& st) {
  ResourceRecord r;
  r.address = st.text(0);
  r.type = st.text(1);
  r.region = st.text(2);
  r.cloud_id = st.text(3);
  const std::string where = "resource " + r.address;
  auto desired = from_text(st.text(4), where + " desired");
  if (!desired) return err(desired.error());
  auto applied = from_text(st.text(5), where + " last_applied");
  if (!applied) return err(applied.error());
  auto live = from_text(st.text(6), where + " live");
  if (!live) return err(live.error());
  r.desired = std::move(*desired);
  r.last_applied = std::move(*applied);
  r.live = std::move(*live);
  r.read_at = st.text(7);
  r.workload = st.text(8);
  r.depends_on_json = st.text(9);
  return r;
}

}  // namespace

// ---- meta ----

Result<Meta> SqliteStore::meta() {
  Lock g(mu_);
  auto st = db_->prepare("SELECT lineage, serial, format_version FROM meta WHERE id = 1",
                         "reading meta");
  if (!st) return err(st.error());
  auto row = st->step();
  if (!row) return err(row.error());
  if (!*row) return err(StateError{"state file " + db_->path() + " has no meta row"});
  return Meta{st->text(0), st->int64(1), static_cast<int>(st->int64(2))};
}

Result<Unit> SqliteStore::bump_serial() {
  auto st = db_->prepare("UPDATE meta SET serial = serial + 1 WHERE id = 1", "bumping serial");
  if (!st) return err(st.error());
  STATE_TRY(st->run());
  if (db_->changes() != 1)
    return err(StateError{"state file " + db_->path() + " has no meta row"});
  return ok();
}

// ---- lock ----

Result<std::optional<LockInfo>> SqliteStore::read_lock() {
  auto st = db_->prepare("SELECT id, holder, host, pid, operation, since FROM lock",
                         "reading lock");
  if (!st) return err(st.error());
  auto row = st->step();
  if (!row) return err(row.error());
  if (!*row) return std::optional<LockInfo>();
  return std::optional<LockInfo>(LockInfo{st->text(0), st->text(1), st->text(2), st->int64(3),
                                          st->text(4), st->text(5)});
}

Result<std::optional<LockHeld>> SqliteStore::try_lock(const LockInfo& me) {
  Lock g(mu_);
  if (me.id.empty()) return err(StateError{"try_lock: lock id is empty"});
  auto tx = Tx::begin(*db_, "taking the state lock");
  if (!tx) return err(tx.error());
  auto held = read_lock();
  if (!held) return err(held.error());
  if (*held) return std::optional<LockHeld>(LockHeld{**held});
  auto st = db_->prepare(
      "INSERT INTO lock (one, id, holder, host, pid, operation, since) VALUES (1, ?, ?, ?, ?, ?, ?)",
      "taking the state lock");
  if (!st) return err(st.error());
  st->bind(me.id).bind(me.holder).bind(me.host).bind(me.pid).bind(me.operation).bind(me.since);
  STATE_TRY(st->run());
  STATE_TRY(tx->commit());
  return std::optional<LockHeld>();
}

Result<Unit> SqliteStore::unlock(const std::string& lock_id) {
  Lock g(mu_);
  auto tx = Tx::begin(*db_, "releasing the state lock");
  if (!tx) return err(tx.error());
  auto held = read_lock();
  if (!held) return err(held.error());
  if (!*held) return err(StateError{"state " + db_->path() + " is not locked"});
  if ((*held)->id != lock_id)
    return err(StateError{"lock id " + lock_id + " does not match: the state is locked by " +
                          describe_lock(**held)});
  auto st = db_->prepare("DELETE FROM lock WHERE id = ?", "releasing the state lock");
  if (!st) return err(st.error());
  st->bind(lock_id);
  STATE_TRY(st->run());
  STATE_TRY(tx->commit());
  return ok();
}

Result<std::optional<LockInfo>> SqliteStore::lock_info() {
  Lock g(mu_);
  return read_lock();
}

// ---- resources ----

Result<std::vector<ResourceRecord>> SqliteStore::resources() {
  Lock g(mu_);
  auto st = db_->prepare(std::string("SELECT ") + kResourceCols +
                             " FROM resources ORDER BY address",
                         "reading resources");
  if (!st) return err(st.error());
  std::vector<ResourceRecord> out;
  for (;;) {
    auto row = st->step();
    if (!row) return err(row.error());
    if (!*row) return out;
    auto r = resource_row(*st);
    if (!r) return err(r.error());
    out.push_back(std::move(*r));
  }
}

Result<std::optional<ResourceRecord>> SqliteStore::resource(const std::string& address) {
  Lock g(mu_);
  auto st = db_->prepare(std::string("SELECT ") + kResourceCols +
                             " FROM resources WHERE address = ?",
                         "reading resource " + address);
  if (!st) return err(st.error());
  st->bind(address);
  auto row = st->step();
  if (!row) return err(row.error());
  if (!*row) return std::optional<ResourceRecord>();
  auto r = resource_row(*st);
  if (!r) return err(r.error());
  return std::optional<ResourceRecord>(std::move(*r));
}

Result<Unit> SqliteStore::put_resource(const ResourceRecord& r) {
  Lock g(mu_);
  if (r.address.empty()) return err(StateError{"put_resource: address is empty"});
  const std::string what = "resource " + r.address;
  auto desired = to_text(r.desired, what + " desired");
  if (!desired) return err(desired.error());
  auto applied = to_text(r.last_applied, what + " last_applied");
  if (!applied) return err(applied.error());
  auto live = to_text(r.live, what + " live");
  if (!live) return err(live.error());

  auto tx = Tx::begin(*db_, "writing " + what);
  if (!tx) return err(tx.error());
  auto st = db_->prepare(
      "INSERT INTO resources (address, type, region, cloud_id, desired, last_applied, live,"
      " read_at, workload, depends_on, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (address) DO UPDATE SET type = excluded.type, region = excluded.region,"
      " cloud_id = excluded.cloud_id, desired = excluded.desired,"
      " last_applied = excluded.last_applied, live = excluded.live,"
      " read_at = excluded.read_at, workload = excluded.workload,"
      " depends_on = excluded.depends_on, updated_at = excluded.updated_at",
      "writing " + what);
  if (!st) return err(st.error());
  st->bind(r.address).bind(r.type).bind(r.region).bind(r.cloud_id).bind(*desired)
      .bind(*applied).bind(*live).bind(r.read_at).bind(r.workload).bind(r.depends_on_json)
      .bind(now_iso8601());
  STATE_TRY(st->run());
  STATE_TRY(bump_serial());
  apply::crash_point("in-commit");  // DRCTL_TEST_KILL_AT=in-commit:N; inert otherwise
  STATE_TRY(tx->commit());
  return ok();
}

Result<Unit> SqliteStore::remove_resource(const std::string& address) {
  Lock g(mu_);
  auto tx = Tx::begin(*db_, "removing resource " + address);
  if (!tx) return err(tx.error());
  auto st = db_->prepare("DELETE FROM resources WHERE address = ?",
                         "removing resource " + address);
  if (!st) return err(st.error());
  st->bind(address);
  STATE_TRY(st->run());
  if (db_->changes() == 0) return ok();  // nothing changed: no serial bump (Tx rolls back)
  STATE_TRY(bump_serial());
  apply::crash_point("in-commit");
  STATE_TRY(tx->commit());
  return ok();
}

Result<Unit> SqliteStore::record_live(const std::string& address, const nlohmann::json& live,
                                      const std::string& cloud_id) {
  Lock g(mu_);
  auto text = to_text(live, "resource " + address + " live");
  if (!text) return err(text.error());
  auto tx = Tx::begin(*db_, "recording live state of " + address);
  if (!tx) return err(tx.error());
  auto st = db_->prepare(
      "UPDATE resources SET live = ?, read_at = ?,"
      " cloud_id = CASE WHEN ? = '' THEN cloud_id ELSE ? END WHERE address = ?",
      "recording live state of " + address);
  if (!st) return err(st.error());
  st->bind(*text).bind(now_iso8601()).bind(cloud_id).bind(cloud_id).bind(address);
  STATE_TRY(st->run());
  if (db_->changes() == 0)
    return err(StateError{"record_live: no resource " + address + " in state"});
  STATE_TRY(tx->commit());
  return ok();
}

}  // namespace state
