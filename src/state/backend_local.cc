// The local backend: the SQLite file is its own working copy; the lock is the store's lock
// row. Used by `drctl state migrate` to move state between a file and S3.
#include <sys/stat.h>

#include <filesystem>

#include "state/backend.h"
#include "state/lock_info.h"

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
  BackendResult<std::string> push(const WorkingCopy& base, const std::string& path) override {
    if (path == path_) return std::string();
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
    return std::string();
  }

  BackendResult<std::optional<LockHeld>> try_lock(const LockInfo& me) override {
    auto s = store();
    if (!s.ok()) return model::err(s.error());
    auto r = (*s)->try_lock(me);
    if (!r.ok()) return model::err(failed(r.error().message));
    return r.value();
  }
  BackendResult<model::Unit> unlock(const std::string& lock_id) override {
    auto s = store();
    if (!s.ok()) return model::err(s.error());
    auto r = (*s)->unlock(lock_id);
    if (!r.ok()) return model::err(BackendError{BackendError::Kind::conflict, r.error().message});
    return model::ok();
  }
  BackendResult<std::optional<LockInfo>> lock_info() override {
    auto s = store();
    if (!s.ok()) return model::err(s.error());
    auto r = (*s)->lock_info();
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
  BackendResult<Store*> store() {
    if (!store_) {
      auto s = open_sqlite(path_, migrations_dir_);
      if (!s.ok()) return model::err(failed(s.error().message));
      store_ = std::move(s.value());
    }
    return store_.get();
  }
  std::string path_, migrations_dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace

std::unique_ptr<Backend> make_local_backend(const std::string& path, const std::string& migrations_dir) {
  return std::make_unique<LocalBackend>(path, migrations_dir);
}

}  // namespace state
