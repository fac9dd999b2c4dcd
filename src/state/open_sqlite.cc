// open_sqlite: file creation with safe permissions, connection pragmas, migrations and the
// meta row. The state holds cloud ids and attributes of a whole stack, so it is 0600 like
// a credentials file; the check runs on every open because an existing file may have been
// copied or restored with a looser mode.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "state/lock_info.h"
#include "state/migrations.h"
#include "state/sqlite_store.h"

namespace state {

namespace {

constexpr mode_t kMode = 0600;
constexpr int kBusyTimeoutMs = 10000;

StateError sys_error(const std::string& what, const std::string& path) {
  return StateError{what + " " + path + ": " + std::strerror(errno)};
}

// Creates the file (0600) or checks an existing one, then closes it again *before* SQLite
// opens it: closing any descriptor of a file drops every POSIX lock this process holds on
// it, which would silently release SQLite's locks if done later.
Result<model::Unit> prepare_main_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kMode);
  if (fd < 0) return model::err(sys_error("cannot open state file", path));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    StateError e = sys_error("cannot stat state file", path);
    ::close(fd);
    return model::err(std::move(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return model::err(StateError{"state file " + path + " is not a regular file"});
  }
  if ((st.st_mode & 07777) != kMode && ::fchmod(fd, kMode) != 0) {
    StateError e = sys_error("cannot restrict the mode of state file (to 0600)", path);
    ::close(fd);
    return model::err(std::move(e));
  }
  ::close(fd);
  return model::ok();
}

// SQLite creates -wal and -shm with the database file's mode; this also repairs ones left
// with a looser mode by an older copy. Absent files are fine.
Result<model::Unit> fix_sidecar_modes(const std::string& path) {
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    const std::string p = path + suffix;
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) {
      if (errno == ENOENT) continue;
      return model::err(sys_error("cannot stat", p));
    }
    if (!S_ISREG(st.st_mode))
      return model::err(StateError{"state sidecar " + p + " is not a regular file"});
    if ((st.st_mode & 07777) != kMode && ::chmod(p.c_str(), kMode) != 0)
      return model::err(sys_error("cannot restrict the mode (to 0600) of", p));
  }
  return model::ok();
}

Result<model::Unit> configure(Db& db) {
  // busy_timeout first: switching to WAL may itself wait for another process.
  STATE_TRY(db.exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs),
                    "setting busy_timeout"));
  {
    auto st = db.prepare("PRAGMA journal_mode = WAL", "setting journal_mode=WAL");
    if (!st) return model::err(st.error());
    auto row = st->step();
    if (!row) return model::err(row.error());
    const std::string mode = *row ? st->text(0) : "";
    if (mode != "wal")
      return model::err(StateError{"state file " + db.path() +
                                   ": cannot use WAL journal mode (got \"" + mode + "\")"});
  }
  // FULL: in WAL mode NORMAL may lose the last commits on power loss; the journal of
  // mutating AWS calls must not.
  STATE_TRY(db.exec("PRAGMA synchronous = FULL", "setting synchronous=FULL"));
  STATE_TRY(db.exec("PRAGMA foreign_keys = ON", "enabling foreign keys"));
  return model::ok();
}

// Creates the meta row (random lineage) on a new state and records the schema version.
// Read first so that opening an up-to-date state takes no write lock.
Result<model::Unit> ensure_meta(Db& db, int format_version) {
  {
    auto st = db.prepare("SELECT format_version FROM meta WHERE id = 1", "reading meta");
    if (!st) return model::err(st.error());
    auto row = st->step();
    if (!row) return model::err(row.error());
    if (*row && st->int64(0) == format_version) return model::ok();
  }
  auto tx = Tx::begin(db, "initialising meta");
  if (!tx) return model::err(tx.error());
  {
    // ON CONFLICT: another process may have created the row since the read above; its
    // lineage wins.
    auto st = db.prepare(
        "INSERT INTO meta (id, format_version, lineage, serial, created_at)"
        " VALUES (1, ?1, ?2, 0, ?3)"
        " ON CONFLICT (id) DO UPDATE SET format_version = excluded.format_version",
        "initialising meta");
    if (!st) return model::err(st.error());
    st->bind(format_version).bind(new_lineage()).bind(now_iso8601());
    STATE_TRY(st->run());
  }
  return tx->commit();
}

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite(const std::string& path,
                                           const std::string& migrations_dir) {
  STATE_TRY(prepare_main_file(path));
  STATE_TRY(fix_sidecar_modes(path));
  auto db = Db::open(path);
  if (!db) return model::err(db.error());
  STATE_TRY(configure(**db));
  auto version = migrate(**db, migrations_dir);
  if (!version) return model::err(version.error());
  STATE_TRY(ensure_meta(**db, *version));
  STATE_TRY(fix_sidecar_modes(path));
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(*db)));
}

}  // namespace state
