// Thin RAII layer over the SQLite C API for the state store: a connection (Db), prepared
// statements (Stmt) and write transactions (Tx). Every SQLite failure becomes a StateError
// that names what was being done, sqlite3_errmsg and the state file.
//
// Internal to src/state/. Not thread-safe by itself: SqliteStore serialises all use of a Db
// with its mutex. Never carry an open Db across fork(): open a new one in the child.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "state/store.h"

struct sqlite3;
struct sqlite3_stmt;

// Returns the error of a failed Result from the enclosing function (which returns a
// state::Result of any value type).
#define STATE_TRY(expr)                                      \
  do {                                                       \
    auto state_try_r_ = (expr);                              \
    if (!state_try_r_) return ::model::err(state_try_r_.error()); \
  } while (0)

namespace state {

class Db;

class Stmt {
 public:
  Stmt(Db& db, sqlite3_stmt* st, std::string context);
  Stmt(Stmt&& o) noexcept;
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  ~Stmt();

  // Binds the next parameter (1, 2, ...). A bind failure is reported by step().
  Stmt& bind(std::string_view text);
  Stmt& bind(long long v);
  Stmt& bind(int v) { return bind(static_cast<long long>(v)); }

  // true = a row is available, false = done.
  Result<bool> step();
  // Steps to completion, ignoring rows.
  Result<model::Unit> run();

  std::string text(int col) const;
  long long int64(int col) const;
  bool is_null(int col) const;

 private:
  Db* db_;
  sqlite3_stmt* st_;
  std::string context_;
  int next_param_ = 1;
  int bind_rc_ = 0;  // first failing bind, SQLITE_OK when none
};

class Db {
 public:
  // Opens an existing file read-write (never creates it: the caller creates it with 0600).
  static Result<std::unique_ptr<Db>> open(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements that return no rows (pragmas, migrations, BEGIN...).
  Result<model::Unit> exec(const std::string& sql, std::string_view context);
  Result<Stmt> prepare(std::string_view sql, std::string_view context);

  // "context: sqlite message (state file path)".
  StateError error(std::string_view context) const;
  StateError error_rc(std::string_view context, int rc) const;
  long long changes() const;
  const std::string& path() const { return path_; }

 private:
  Db(sqlite3* h, std::string path) : h_(h), path_(std::move(path)) {}
  sqlite3* h_;
  std::string path_;
};

// A write transaction: BEGIN IMMEDIATE takes the write lock up front, so a concurrent
// writer waits (busy_timeout) instead of failing at commit. Rolled back unless committed.
class Tx {
 public:
  static Result<Tx> begin(Db& db, std::string_view context);
  Tx(Tx&& o) noexcept : db_(o.db_), context_(std::move(o.context_)) { o.db_ = nullptr; }
  Tx& operator=(Tx&&) = delete;
  ~Tx();
  Result<model::Unit> commit();

 private:
  Tx(Db& db, std::string context) : db_(&db), context_(std::move(context)) {}
  Db* db_;
  std::string context_;
};

}  // namespace state
