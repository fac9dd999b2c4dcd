// RemoteLock: the writer lock of remote state. Two kinds, chosen by BackendConfig::lock:
//  - s3_object: "<key>.lock" written with If-None-Match: * (atomic create-if-absent), holding
//    the LockInfo JSON; released by deleting exactly the version we wrote, after checking
//    its id.
//  - dynamodb: an item {LockID: "<bucket>/<key>", Info: <LockInfo JSON>} written with
//    attribute_not_exists(LockID); released with a condition on Info, for buckets where
//    conditional writes are not available.
// Internal to drctl_state_backend. One thread.
#pragma once

#include <memory>
#include <optional>

#include "state/backend.h"

namespace state {

class RemoteLock {
 public:
  virtual ~RemoteLock() = default;
  virtual BackendResult<std::optional<LockHeld>> try_lock(const LockInfo& me) = 0;
  virtual BackendResult<model::Unit> unlock(const std::string& lock_id) = 0;
  virtual BackendResult<std::optional<LockInfo>> info() = 0;
};

std::unique_ptr<RemoteLock> make_remote_lock(aws::Client& client, const BackendConfig& config);

}  // namespace state
