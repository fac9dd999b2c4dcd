// AwsError: one failed AWS call, parsed from whichever wire protocol answered, and whether
// a retry may help. A transport failure (refused, reset, timeout) is an AwsError too, with
// http_status 0 and code "TransportError" / "Timeout".
#pragma once

#include <string>

namespace aws {

enum class Retry { never, yes, throttled };

struct AwsError {
  std::string code;        // "NoSuchBucket", "ThrottlingException", "TransportError"
  std::string message;
  std::string request_id;
  int http_status = 0;
  Retry retry = Retry::never;
  std::string service;     // "s3"
  std::string operation;   // "GetBucketReplication"
  std::string region;

  // "s3 GetBucketReplication in us-east-1: NoSuchBucket: The specified bucket does not exist (HTTP 404, request id ...)"
  std::string describe() const;
};

}  // namespace aws
