// Backend: where a stack's SQLite state file lives between runs. The SQLite store (store.h)
// stays the working copy; a backend only moves that file and guards it:
//
//   pull   -> a local file to open with open_sqlite (downloaded for S3; the file itself locally)
//   lock   -> one writer at a time (S3: a "<key>.lock" object written with If-None-Match: *,
//             as Terraform's use_lockfile does; or a DynamoDB item written with a condition)
//   push   -> upload with If-Match on the ETag seen at pull (If-None-Match: * when there was
//             no object), so a concurrent or out-of-band overwrite is refused, never lost
//   unlock -> delete the lock only when it is ours (lock ids compared, then the exact lock
//             object version deleted)
//
// Bucket versioning is required (check()), so every push is a version: versions() lists them
// and restore() writes an old one back as a new version, under the same If-Match rule.
//
// The S3 backend lives in its own library (drctl_state_backend, linking drctl_state and
// drctl_aws) so the SQLite store itself does not depend on the AWS client.
// Thread safety: one Backend per command, used from one thread. Failures are BackendErrors;
// nothing here prints.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/result.h"
#include "state/store.h"

namespace aws {
class Client;
}

namespace state {

enum class LockMethod { s3_object, dynamodb };

struct BackendConfig {
  enum class Kind { local, s3 };
  Kind kind = Kind::local;
  std::string local_path;  // Kind::local
  std::string bucket, key, region, kms_key_id;  // Kind::s3
  LockMethod lock = LockMethod::s3_object;
  std::string lock_table;  // LockMethod::dynamodb
  std::string describe() const;  // "s3://bucket/key" or the local path
};

struct BackendError {
  enum class Kind {
    failed,       // the call failed (network, permissions, ...)
    conflict,     // the state object changed since it was read: refused
    unsupported,  // this backend cannot do that (history of a local file)
    invalid,      // the backend's configuration is wrong (versioning off, bad URL)
  };
  Kind kind = Kind::failed;
  std::string message;
};
template <typename T>
using BackendResult = model::Result<T, BackendError>;

// "s3://bucket/path/state.db?region=eu-west-1&kms_key_id=...&lock=dynamodb&lock_table=T"
// (region required) or "local" / "local:PATH". `local_default` fills a bare "local".
BackendResult<BackendConfig> parse_backend_url(const std::string& url, const std::string& local_default);
// The stack's `backend:` block ({s3: {bucket, key, region, kms_key_id?, lock?, lock_table?}}).
BackendResult<BackendConfig> parse_backend_block(const nlohmann::json& block);

// What pull() made available, and what it saw, so push() can refuse a concurrent change.
struct WorkingCopy {
  std::string path;        // the SQLite file to open
  bool existed = false;    // false: no state yet (push creates it)
  std::string etag;        // of the object pulled ("" locally)
  std::string version_id;  // of the object pulled
  std::string sha256;      // of the bytes pulled: unchanged bytes need no upload
};

struct StateVersion {
  std::string version_id;
  std::string last_modified;  // ISO-8601 as S3 gives it
  long long size = 0;
  bool is_latest = false;
};

// The DR-relevant facts check() learns; the caller words the warnings.
struct BackendCheck {
  std::vector<std::string> warnings;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string describe() const = 0;
  virtual bool remote() const = 0;

  // Refuses a bucket without versioning (Kind::invalid). Warns when the state would be
  // unreachable in a failover: the bucket is in the stack's primary region and has no
  // replication configured.
  virtual BackendResult<BackendCheck> check(const std::string& primary_region, const std::string& dr_region) = 0;

  // Makes the state available as a local SQLite file; `scratch_path` is where a remote
  // object is downloaded to (mode 0600). A missing object is not an error (existed = false).
  virtual BackendResult<WorkingCopy> pull(const std::string& scratch_path) = 0;
  // Stores the file at `path` as the new state, refusing with Kind::conflict when the stored
  // state is no longer the one `base` pulled. Returns what is stored now (its etag and version
  // id; "" locally): the base of the next push by the same writer.
  virtual BackendResult<WorkingCopy> push(const WorkingCopy& base, const std::string& path) = 0;

  // nullopt = acquired. A refusal names the holder.
  virtual BackendResult<std::optional<LockHeld>> try_lock(const LockInfo& me) = 0;
  // Releases the lock only when its id is `lock_id` (Kind::conflict otherwise, naming it).
  virtual BackendResult<model::Unit> unlock(const std::string& lock_id) = 0;
  virtual BackendResult<std::optional<LockInfo>> lock_info() = 0;

  // Versions of the state object, newest first.
  virtual BackendResult<std::vector<StateVersion>> versions() = 0;
  // Writes version `version_id` back as the newest version, if the state is still `base`.
  virtual BackendResult<std::string> restore(const std::string& version_id, const WorkingCopy& base) = 0;
};

// Local: the SQLite file at `path`; locks through the store's own lock row.
std::unique_ptr<Backend> make_local_backend(const std::string& path, const std::string& migrations_dir);
// S3 (Kind::s3): calls go through `client` (which must outlive the backend).
std::unique_ptr<Backend> make_s3_backend(aws::Client& client, const BackendConfig& config);

// Lock info as stored in the lock object / item, and back (nullopt when not lock JSON).
nlohmann::json lock_to_json(const LockInfo& info);
std::optional<LockInfo> lock_from_json(const std::string& text);

// sha256 of a file's bytes, lowercase hex ("" when unreadable).
std::string file_sha256(const std::string& path);

// Folds the write-ahead log of the SQLite state file at `path` into the file itself while
// other connections to it stay open (idle: no transaction in progress), so that the file's
// bytes alone are the whole committed state and can be uploaded mid-run.
BackendResult<model::Unit> fold_wal(const std::string& path);

}  // namespace state
