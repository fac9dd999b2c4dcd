// Byte-level helpers shared by SigV4, the client and the credential files: RFC 3986
// percent-encoding, SHA-256 / HMAC-SHA-256 (OpenSSL) and hex. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace aws {

// Percent-encodes every byte except the RFC 3986 unreserved set (A-Z a-z 0-9 - _ . ~), with
// upper-case hex. keep_slash leaves '/' as is (paths).
std::string uri_encode(std::string_view in, bool keep_slash = false);

// Decodes %XX escapes ('+' stays '+': AWS query strings are not form-encoded). Malformed
// escapes are kept literally.
std::string uri_decode(std::string_view in);

std::string hex(std::string_view bytes);
std::string sha256(std::string_view data);       // raw 32 bytes
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes

// The SHA-256 of the empty string, the payload hash of every bodiless request.
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string to_lower(std::string_view s);
std::string_view trim(std::string_view s);

}  // namespace aws
