#include "aws/sigv4.h"

#include <algorithm>
#include <ctime>
#include <map>

#include "aws/encoding.h"

namespace aws::sigv4 {

namespace {

// RFC 3986 5.2.4 dot-segment removal, plus collapsing empty segments ("//"), which AWS
// services other than S3 expect (botocore remove_dot_segments).
std::string remove_dot_segments(const std::string& path) {
  if (path.empty()) return "/";
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string seg = path.substr(start, slash - start);
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
    } else if (!seg.empty() && seg != ".") {
      out.push_back(std::move(seg));
    }
    start = slash + 1;
  }
  std::string result = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < out.size(); ++i) {
    if (i) result += '/';
    result += out[i];
  }
  if (path.back() == '/' && !out.empty()) result += '/';
  return result;
}

// Trimall: strip, and turn every run of whitespace (folded continuation lines included)
// into one space.
std::string trim_all(std::string_view v) {
  std::string out;
  bool pending_space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string date_of(const std::string& amz) { return amz.substr(0, 8); }

std::string credential_scope(const Scope& s) {
  return date_of(amz_date(s.time)) + "/" + s.region + "/" + s.service + "/aws4_request";
}

}  // namespace

std::string amz_date(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

bool is_unsigned_header(const std::string& n) {
  static const char* const kSkip[] = {
      "authorization", "connection", "expect", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "user-agent",
      "x-amzn-trace-id"};
  for (const char* s : kSkip)
    if (n == s) return true;
  return false;
}

std::string canonical_uri(const Request& r) {
  std::string path = r.path.empty() ? "/" : r.path;
  if (r.normalize_path) path = remove_dot_segments(path);
  if (r.encode_path) path = uri_encode(path, /*keep_slash=*/true);
  return path;
}

std::string canonical_query(const Pairs& query) {
  std::vector<std::pair<std::string, std::string>> enc;
  enc.reserve(query.size());
  for (const auto& [k, v] : query) enc.emplace_back(uri_encode(k), uri_encode(v));
  std::sort(enc.begin(), enc.end());
  std::string out;
  for (const auto& [k, v] : enc) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

std::string canonical_headers(const Pairs& headers, std::string* signed_headers) {
  std::map<std::string, std::string> merged;  // sorted by lower-cased name
  for (const auto& [name, value] : headers) {
    std::string n = to_lower(trim(name));
    if (is_unsigned_header(n)) continue;
    auto [it, fresh] = merged.try_emplace(n, trim_all(value));
    if (!fresh) it->second += "," + trim_all(value);  // repeats joined in order
  }
  std::string block, names;
  for (const auto& [n, v] : merged) {
    block += n + ":" + v + "\n";
    if (!names.empty()) names += ';';
    names += n;
  }
  if (signed_headers) *signed_headers = names;
  return block;
}

std::string canonical_request(const Request& r, std::string* signed_headers) {
  std::string names;
  std::string headers = canonical_headers(r.headers, &names);
  if (signed_headers) *signed_headers = names;
  std::string method = r.method;
  std::transform(method.begin(), method.end(), method.begin(), ::toupper);
  return method + "\n" + canonical_uri(r) + "\n" + canonical_query(r.query) + "\n" + headers +
         "\n" + names + "\n" + r.payload_hash;
}

std::string string_to_sign(const std::string& canonical_request, const Scope& scope) {
  return "AWS4-HMAC-SHA256\n" + amz_date(scope.time) + "\n" + credential_scope(scope) + "\n" +
         sha256_hex(canonical_request);
}

std::string signature(const std::string& sts, const std::string& secret, const Scope& scope) {
  std::string k = hmac_sha256("AWS4" + secret, date_of(amz_date(scope.time)));
  k = hmac_sha256(k, scope.region);
  k = hmac_sha256(k, scope.service);
  k = hmac_sha256(k, "aws4_request");
  return hex(hmac_sha256(k, sts));
}

Signed sign(const Request& in, const Credentials& creds, const Scope& scope) {
  Request r = in;
  Signed out;
  // The signer owns these headers: drop any stale copies (a retried request) first.
  auto owned = [](const std::string& name) {
    std::string n = to_lower(name);
    return n == "x-amz-date" || n == "x-amz-security-token" || n == "authorization";
  };
  std::erase_if(r.headers, [&](const auto& h) { return owned(h.first); });
  out.added_headers.emplace_back("X-Amz-Date", amz_date(scope.time));
  if (!creds.session_token.empty())
    out.added_headers.emplace_back("X-Amz-Security-Token", creds.session_token);
  r.headers.insert(r.headers.end(), out.added_headers.begin(), out.added_headers.end());

  out.canonical_request = canonical_request(r, &out.signed_headers);
  out.string_to_sign = string_to_sign(out.canonical_request, scope);
  out.signature = signature(out.string_to_sign, creds.secret_access_key, scope);
  out.authorization = "AWS4-HMAC-SHA256 Credential=" + creds.access_key_id + "/" +
                      credential_scope(scope) + ", SignedHeaders=" + out.signed_headers +
                      ", Signature=" + out.signature;
  out.added_headers.emplace_back("Authorization", out.authorization);
  return out;
}

}  // namespace aws::sigv4
