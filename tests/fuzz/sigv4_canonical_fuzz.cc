// libFuzzer target: SigV4 canonicalisation and signing of a fuzzed request.
// Input: a raw HTTP/1.1 request as in tests/data/sigv4/v4/*/request.txt ("METHOD TARGET
// HTTP/1.1", "Name:value" lines, a continuation line starts with whitespace, blank line,
// body); a first line starting with '!' turns on S3 path handling. Header lines whose name is
// not an HTTP token are dropped (no client can send them).
// Invariants checked: signing is deterministic; the header order does not change the
// canonical request; SignedHeaders are lower-case, sorted and unique; the signature is 64
// lower-case hex digits.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "aws/encoding.h"
#include "aws/sigv4.h"

namespace {

std::string_view next_line(std::string_view& rest) {
  size_t nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

aws::sigv4::Pairs parse_query(std::string_view q) {
  aws::sigv4::Pairs out;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view item = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    size_t eq = item.find('=');
    out.emplace_back(aws::uri_decode(item.substr(0, eq)),
                     eq == std::string_view::npos ? "" : aws::uri_decode(item.substr(eq + 1)));
  }
  return out;
}

// HTTP field names are tokens (RFC 9110 5.1): no ';', ':', spaces or controls. Other names
// cannot be sent, and ';' would make SignedHeaders ambiguous, so such lines are skipped.
bool is_token(std::string_view name) {
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           kExtra.find(c) != std::string_view::npos;
  });
}

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  aws::sigv4::Request req;
  std::string_view first = next_line(rest);
  if (!first.empty() && first.front() == '!') {
    aws::sigv4::use_s3_paths(req);
    first.remove_prefix(1);
  }
  size_t sp1 = first.find(' ');
  req.method = std::string(first.substr(0, sp1));
  std::string_view target = sp1 == std::string_view::npos ? "/" : first.substr(sp1 + 1);
  if (size_t sp2 = target.rfind(" HTTP/"); sp2 != std::string_view::npos) target = target.substr(0, sp2);
  size_t qm = target.find('?');
  req.path = std::string(target.substr(0, qm));
  if (qm != std::string_view::npos) req.query = parse_query(target.substr(qm + 1));
  req.headers.clear();
  while (!rest.empty()) {
    std::string_view line = next_line(rest);
    if (line.empty()) break;
    if ((line.front() == ' ' || line.front() == '\t') && !req.headers.empty()) {
      req.headers.back().second += "\n" + std::string(line);
      continue;
    }
    size_t colon = line.find(':');
    if (!is_token(line.substr(0, colon))) continue;
    req.headers.emplace_back(std::string(line.substr(0, colon)),
                             colon == std::string_view::npos ? "" : std::string(line.substr(colon + 1)));
  }
  req.payload_hash = aws::sha256_hex(rest);

  const aws::Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                               req.headers.size() % 2 ? "session-token" : ""};
  const aws::sigv4::Scope scope{"us-east-1", "service",
                                std::chrono::system_clock::time_point(std::chrono::seconds(1440938160))};
  aws::sigv4::Signed a = aws::sigv4::sign(req, creds, scope);
  aws::sigv4::Signed b = aws::sigv4::sign(req, creds, scope);
  check(a.canonical_request == b.canonical_request && a.signature == b.signature);
  check(a.signature.size() == 64 &&
        std::all_of(a.signature.begin(), a.signature.end(),
                    [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }));

  // Headers with distinct names may come in any order; repeats keep their relative order.
  aws::sigv4::Request reversed = req;
  std::stable_sort(reversed.headers.begin(), reversed.headers.end(), [](const auto& x, const auto& y) {
    return aws::to_lower(aws::trim(x.first)) > aws::to_lower(aws::trim(y.first));
  });
  check(aws::sigv4::canonical_request(reversed) == aws::sigv4::canonical_request(req));

  std::string names = a.signed_headers, prev;
  bool first_name = true;
  while (true) {
    size_t semi = names.find(';');
    std::string name = names.substr(0, semi);
    check(name == aws::to_lower(name));
    check(first_name || prev < name);
    prev = name;
    first_name = false;
    if (semi == std::string::npos) break;
    names = names.substr(semi + 1);
  }
  return 0;
}
