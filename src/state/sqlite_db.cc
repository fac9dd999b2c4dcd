#include "state/sqlite_db.h"

#include <sqlite3.h>

namespace state {

namespace {
std::string describe(std::string_view context, const char* msg, const std::string& path) {
  std::string s(context);
  s += ": ";
  s += msg ? msg : "unknown SQLite error";
  s += " (state file " + path + ")";
  return s;
}
}  // namespace

// ---- Db ----

Result<std::unique_ptr<Db>> Db::open(const std::string& path) {
  sqlite3* h = nullptr;
  // READWRITE without CREATE: the file was created by the caller with mode 0600, and a
  // vanished file must be an error rather than a fresh empty state.
  int rc = sqlite3_open_v2(path.c_str(), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    StateError e{describe("opening the state database", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc),
                          path)};
    sqlite3_close(h);
    return model::err(std::move(e));
  }
  sqlite3_extended_result_codes(h, 1);
  return std::unique_ptr<Db>(new Db(h, path));
}

Db::~Db() {
  // All statements are finalised by their owners before the Db goes away; close_v2 copes
  // with any that are not.
  sqlite3_close_v2(h_);
}

StateError Db::error(std::string_view context) const {
  return StateError{describe(context, sqlite3_errmsg(h_), path_)};
}

StateError Db::error_rc(std::string_view context, int rc) const {
  // The connection's message may belong to an earlier call; for bind errors use the code.
  return StateError{describe(context, sqlite3_errstr(rc), path_)};
}

long long Db::changes() const { return sqlite3_changes64(h_); }

Result<model::Unit> Db::exec(const std::string& sql, std::string_view context) {
  char* msg = nullptr;
  int rc = sqlite3_exec(h_, sql.c_str(), nullptr, nullptr, &msg);
  if (rc != SQLITE_OK) {
    StateError e{describe(context, msg ? msg : sqlite3_errstr(rc), path_)};
    sqlite3_free(msg);
    return model::err(std::move(e));
  }
  return model::ok();
}

Result<Stmt> Db::prepare(std::string_view sql, std::string_view context) {
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(h_, sql.data(), static_cast<int>(sql.size()), &st, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(st);
    return model::err(error(context));
  }
  return Stmt(*this, st, std::string(context));
}

// ---- Stmt ----

Stmt::Stmt(Db& db, sqlite3_stmt* st, std::string context)
    : db_(&db), st_(st), context_(std::move(context)) {}

Stmt::Stmt(Stmt&& o) noexcept
    : db_(o.db_), st_(o.st_), context_(std::move(o.context_)), next_param_(o.next_param_),
      bind_rc_(o.bind_rc_) {
  o.st_ = nullptr;
}

Stmt::~Stmt() { sqlite3_finalize(st_); }

Stmt& Stmt::bind(std::string_view text) {
  // SQLITE_TRANSIENT: the view may point into a temporary; SQLite copies it.
  int rc = sqlite3_bind_text64(st_, next_param_++, text.data(), text.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Stmt& Stmt::bind(long long v) {
  int rc = sqlite3_bind_int64(st_, next_param_++, v);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Result<bool> Stmt::step() {
  if (bind_rc_ != SQLITE_OK) return model::err(db_->error_rc(context_ + " (binding)", bind_rc_));
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return model::err(db_->error(context_));
}

Result<model::Unit> Stmt::run() {
  for (;;) {
    auto r = step();
    if (!r) return model::err(r.error());
    if (!*r) return model::ok();
  }
}

std::string Stmt::text(int col) const {
  const unsigned char* p = sqlite3_column_text(st_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(st_, col)));
}

long long Stmt::int64(int col) const { return sqlite3_column_int64(st_, col); }

bool Stmt::is_null(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }

// ---- Tx ----

Result<Tx> Tx::begin(Db& db, std::string_view context) {
  std::string ctx(context);
  auto r = db.exec("BEGIN IMMEDIATE", ctx + " (starting transaction)");
  if (!r) return model::err(r.error());
  return Tx(db, std::move(ctx));
}

Tx::~Tx() {
  if (db_) {
    // Best effort: if COMMIT already failed SQLite may have rolled back by itself, and a
    // failing ROLLBACK leaves nothing more to undo.
    (void)db_->exec("ROLLBACK", context_ + " (rolling back)");
  }
}

Result<model::Unit> Tx::commit() {
  auto r = db_->exec("COMMIT", context_ + " (committing)");
  if (!r) return r;  // destructor rolls back
  db_ = nullptr;
  return model::ok();
}

}  // namespace state
