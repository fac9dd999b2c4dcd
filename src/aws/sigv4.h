// SigV4 request signing as pure functions with staged outputs (canonical request, string to
// sign, signature, Authorization header), so each stage is checked against the published
// vectors (tests/data/sigv4, tests/data/sigv4-botocore). No I/O, no clock: the caller passes
// the time. Thread-safe.
//
// The caller passes the headers it will send. The signer adds X-Amz-Date and, when the
// credentials carry a session token, X-Amz-Security-Token; it never adds
// X-Amz-Content-SHA256 (the client does, so that it is always sent and signed). Headers that
// proxies or curl may change are never signed: user-agent, expect, connection,
// transfer-encoding, x-amzn-trace-id (plus the other hop-by-hop headers botocore skips).
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "aws/credentials.h"

namespace aws::sigv4 {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";
  // The path exactly as it goes on the wire (already percent-encoded by the client).
  std::string path = "/";
  // Decoded query parameters; the signer encodes and sorts them. Repeats allowed.
  Pairs query;
  Pairs headers;              // as sent, any case, repeats allowed; must include Host
  std::string payload_hash;   // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
  // Path handling. Normal AWS services: remove dot segments and empty segments, then
  // URI-encode the (already encoded) path once more. S3: use the wire path verbatim.
  bool normalize_path = true;
  bool encode_path = true;
};

struct Scope {
  std::string region;
  std::string service;  // signing name
  std::chrono::system_clock::time_point time;
};

struct Signed {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;            // lower-case hex
  std::string signed_headers;       // "host;x-amz-date"
  std::string authorization;        // the Authorization header value
  Pairs added_headers;              // X-Amz-Date, X-Amz-Security-Token?, Authorization
};

// Path handling for S3 (no normalisation, no second encoding).
inline void use_s3_paths(Request& r) {
  r.normalize_path = false;
  r.encode_path = false;
}

std::string amz_date(std::chrono::system_clock::time_point t);  // "20150830T123600Z"

std::string canonical_uri(const Request& r);
std::string canonical_query(const Pairs& query);
// Lower-cased, trimmed, whitespace-collapsed, repeats joined by ','; sorted by name.
// Returns the canonical header block (each "name:value\n") and fills signed_headers.
std::string canonical_headers(const Pairs& headers, std::string* signed_headers);
bool is_unsigned_header(const std::string& lower_name);

std::string canonical_request(const Request& r, std::string* signed_headers = nullptr);
std::string string_to_sign(const std::string& canonical_request, const Scope& scope);
std::string signature(const std::string& string_to_sign, const std::string& secret_access_key,
                      const Scope& scope);

// All stages at once. The returned added_headers are to be appended to r.headers when sending.
Signed sign(const Request& r, const Credentials& creds, const Scope& scope);

}  // namespace aws::sigv4
