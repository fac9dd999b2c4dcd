// The few S3 and DynamoDB calls the S3 state backend makes, as small functions over
// aws::Client (shared by the object code in backend_s3.cc and the locks in
// backend_s3_lock.cc). Internal to drctl_state_backend.
#pragma once

#include <optional>
#include <string>

#include "aws/client.h"
#include "state/backend.h"

namespace state::s3calls {

struct Object {
  std::string body, etag, version_id;
};

// GetObject; nullopt when there is no such key (or its newest version is a delete marker).
aws::Result<std::optional<Object>> get(aws::Client& c, const BackendConfig& b, const std::string& key,
                                       const std::string& version_id = "");

struct PutCondition {
  std::string if_match;       // ETag the current object must have
  bool if_none_match = false; // the key must not exist yet
};
// PutObject with SSE-KMS when configured; returns the new object's etag and version id.
aws::Result<Object> put(aws::Client& c, const BackendConfig& b, const std::string& key, const std::string& body,
                        const PutCondition& when);
// DeleteObject of one exact version (permanent: no delete marker left behind).
aws::Result<model::Unit> remove_version(aws::Client& c, const BackendConfig& b, const std::string& key,
                                        const std::string& version_id);

// A conditional write that lost: 412 PreconditionFailed, 409 ConditionalRequestConflict, or
// 404 for If-Match on an object deleted meanwhile.
bool lost_condition(const aws::AwsError& e);

BackendError failed(const aws::AwsError& e);

}  // namespace state::s3calls
