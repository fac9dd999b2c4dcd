// The local backend: the SQLite file is its own working copy; the lock is the store's lock
// row. Used by `drctl state migrate` to move state between a file and S3.
#include <sys/stat.h>

#include <filesystem>

#include "state/backend.h"
#include "state/lock_info.h"
#include "state/sqlite_db.h"

namespace state {
namespace {

namespace fs = std::filesystem;

BackendError failed(const std::string& m) { return {BackendError::Kind::failed, m}; }

class LocalBackend : public Backend {
 public:
  LocalBackend(std::string path, std::string migrations_dir)
      : path_(std::move(path)), migrations_dir_(std::move(migrations_dir)) {}

  std::string describe() const override { return path_; }
  bool remote() const override { return false; }
  BackendResult<BackendCheck> check(const std::string&, const std::string&) override { return BackendCheck{}; }

  BackendResult<WorkingCopy> pull(const std::string&) override {
    WorkingCopy w;
    w.path = path_;
    w.existed = fs::exists(path_);
    if (w.existed) w.sha256 = file_sha256(path_);
    return w;
  }

  // Copies a file in (migrate); the working copy itself needs nothing. Written next to the
  // target and renamed, so a crash leaves either the old file or the new one.
  BackendResult<WorkingCopy> push(const WorkingCopy& base, const std::string& path) override {
    WorkingCopy stored{path_, true, "", "", ""};
    if (path == path_) return stored;
    std::error_code ec;
    if (!base.existed && fs::exists(path_))
      return model::err(BackendError{BackendError::Kind::conflict, "the state file " + path_ + " already exists"});
    if (auto parent = fs::path(path_).parent_path(); !parent.empty()) {
      fs::create_directories(parent, ec);
      ::chmod(parent.c_str(), 0700);
    }
    const std::string tmp = path_ + ".tmp-" + random_hex(4);
    fs::copy_file(path, tmp, fs::copy_options::overwrite_existing, ec);
    if (ec) return model::err(failed("cannot write " + tmp + ": " + ec.message()));
    ::chmod(tmp.c_str(), 0600);
    fs::rename(tmp, path_, ec);
    if (ec) return model::err(failed("cannot write " + path_ + ": " + ec.message()));
    stored.sha256 = file_sha256(path_);
    return stored;
  }

  // Each lock call opens the file and closes it again: a connection kept open would keep the
  // WAL from being folded into the file that migrate copies, and looking at the lock of a
  // state that does not exist must not create it.
  BackendResult<std::optional<LockHeld>> try_lock(const LockInfo& me) override {
    auto s = store();
    if (!s.ok()) return model::err(s.error());
    auto r = s.value()->try_lock(me);
    if (!r.ok()) return model::err(failed(r.error().message));
    return r.value();
  }
  BackendResult<model::Unit> unlock(const std::string& lock_id) override {
    if (!fs::exists(path_))
      return model::err(BackendError{BackendError::Kind::conflict, "the state " + path_ + " is not locked"});
    auto s = store();
    if (!s.ok()) return model::err(s.error());
    auto r = s.value()->unlock(lock_id);
    if (!r.ok()) return model::err(BackendError{BackendError::Kind::conflict, r.error().message});
    return model::ok();
  }
  BackendResult<std::optional<LockInfo>> lock_info() override {
    if (!fs::exists(path_)) return std::optional<LockInfo>{};
    auto s = store();
    if (!s.ok()) return model::err(s.error());
    auto r = s.value()->lock_info();
    if (!r.ok()) return model::err(failed(r.error().message));
    return r.value();
  }

  BackendResult<std::vector<StateVersion>> versions() override { return unsupported(); }
  BackendResult<std::string> restore(const std::string&, const WorkingCopy&) override { return unsupported(); }

 private:
  static model::Err<BackendError> unsupported() {
    return model::err(BackendError{BackendError::Kind::unsupported,
                                   "a local state file keeps no versions: move the state to an S3 backend "
                                   "(drctl state migrate --to s3://BUCKET/KEY?region=REGION) to get history"});
  }
  BackendResult<std::unique_ptr<Store>> store() {
    auto s = open_sqlite(path_, migrations_dir_);
    if (!s.ok()) return model::err(failed(s.error().message));
    return std::move(s.value());
  }
  std::string path_, migrations_dir_;
};

}  // namespace

BackendResult<model::Unit> fold_wal(const std::string& path) {
  auto db = Db::open(path);
  if (!db.ok()) return model::err(failed(db.error().message));
  // TRUNCATE: copies every committed frame into the file and empties the log. It answers one
  // row whose first column is 1 when a reader or writer kept it from finishing.
  auto st = db.value()->prepare("PRAGMA wal_checkpoint(TRUNCATE)", "folding the WAL into the state file");
  if (!st.ok()) return model::err(failed(st.error().message));
  auto row = st.value().step();
  if (!row.ok()) return model::err(failed(row.error().message));
  if (row.value() && st.value().int64(0) != 0)
    return model::err(failed("cannot fold the WAL into " + path + ": the file is in use by a transaction"));
  return model::ok();
}

std::unique_ptr<Backend> make_local_backend(const std::string& path, const std::string& migrations_dir) {
  return std::make_unique<LocalBackend>(path, migrations_dir);
}

}  // namespace state
