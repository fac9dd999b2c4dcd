// Runs every case of both SigV4 suites (tests/data/sigv4: aws-c-auth's v4 suite;
// tests/data/sigv4-botocore: vectors generated with botocore) through aws::sigv4, stage by
// stage: canonical request, string to sign, signature, Authorization header.
#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "aws/encoding.h"

namespace fs = std::filesystem;

namespace {

const fs::path kData = fs::path(DRCTL_SOURCE_DIR) / "tests/data";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "2015-08-30T12:36:00Z" or "20150830T123600Z"
std::chrono::system_clock::time_point parse_time(std::string s) {
  std::erase(s, '-');
  std::erase(s, ':');
  std::tm tm{};
  strptime(s.c_str(), "%Y%m%dT%H%M%SZ", &tm);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

aws::sigv4::Pairs parse_query(const std::string& q) {
  aws::sigv4::Pairs out;
  size_t start = 0;
  while (!q.empty() && start <= q.size()) {
    size_t amp = q.find('&', start);
    if (amp == std::string::npos) amp = q.size();
    std::string part = q.substr(start, amp - start);
    size_t eq = part.find('=');
    std::string k = part.substr(0, eq), v = eq == std::string::npos ? "" : part.substr(eq + 1);
    out.emplace_back(aws::uri_decode(k), aws::uri_decode(v));
    start = amp + 1;
  }
  return out;
}

std::vector<std::string> cases(const fs::path& dir, bool want_dirs) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (want_dirs ? e.is_directory() : e.path().extension() == ".json")
      out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// ---- aws-c-auth suite -------------------------------------------------------------------

struct RawRequest {
  std::string method, target, body;
  aws::sigv4::Pairs headers;
};

RawRequest parse_raw(const std::string& text) {
  RawRequest r;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  r.method = line.substr(0, line.find(' '));
  // The target may contain spaces (get-space-*): it ends at the last space.
  r.target = line.substr(r.method.size() + 1, line.rfind(' ') - r.method.size() - 1);
  while (std::getline(in, line)) {
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') {  // folded continuation of the previous value
      r.headers.back().second += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    r.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  std::stringstream rest;
  rest << in.rdbuf();
  r.body = rest.str();
  return r;
}

class AwsCAuthSuite : public ::testing::TestWithParam<std::string> {};

TEST_P(AwsCAuthSuite, HeaderSigning) {
  const fs::path dir = kData / "sigv4/v4" / GetParam();
  auto ctx = nlohmann::json::parse(read(dir / "context.json"));
  RawRequest raw = parse_raw(read(dir / "request.txt"));

  aws::sigv4::Request req;
  req.method = raw.method;
  size_t qm = raw.target.find('?');
  req.path = raw.target.substr(0, qm);
  if (qm != std::string::npos) req.query = parse_query(raw.target.substr(qm + 1));
  req.headers = raw.headers;
  // The suite gives the path unencoded and expects it encoded once in both modes;
  // "normalize": false only turns off dot-segment removal.
  req.normalize_path = ctx.value("normalize", true);
  req.encode_path = true;
  req.payload_hash = aws::sha256_hex(raw.body);
  if (ctx.value("sign_body", false)) req.headers.emplace_back("x-amz-content-sha256", req.payload_hash);

  aws::Credentials creds{ctx["credentials"]["access_key_id"], ctx["credentials"]["secret_access_key"],
                         ctx["credentials"].value("token", "")};
  if (ctx.value("omit_session_token", false)) creds.session_token.clear();
  aws::sigv4::Scope scope{ctx["region"], ctx["service"], parse_time(ctx["timestamp"])};

  aws::sigv4::Signed s = aws::sigv4::sign(req, creds, scope);
  EXPECT_EQ(s.canonical_request, read(dir / "header-canonical-request.txt"));
  EXPECT_EQ(s.string_to_sign, read(dir / "header-string-to-sign.txt"));
  EXPECT_EQ(s.signature, read(dir / "header-signature.txt"));
  std::string signed_request = read(dir / "header-signed-request.txt");
  EXPECT_NE(signed_request.find("Authorization:" + s.authorization + "\n"), std::string::npos)
      << s.authorization;
}

INSTANTIATE_TEST_SUITE_P(V4, AwsCAuthSuite, ::testing::ValuesIn(cases(kData / "sigv4/v4", true)),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(AwsCAuthSuite, HasAllCases) { EXPECT_EQ(cases(kData / "sigv4/v4", true).size(), 38u); }

// ---- botocore-generated vectors ----------------------------------------------------------

class BotocoreSuite : public ::testing::TestWithParam<std::string> {};

TEST_P(BotocoreSuite, HeaderSigning) {
  auto v = nlohmann::json::parse(read(kData / "sigv4-botocore" / GetParam()));
  const auto& rq = v["request"];
  const auto& want = v["expected"];
  std::string url = rq["url"];
  size_t scheme_end = url.find("://") + 3;
  size_t path_start = url.find('/', scheme_end);
  std::string host = url.substr(scheme_end, path_start - scheme_end);
  std::string target = url.substr(path_start);
  size_t qm = target.find('?');

  const bool s3 = v["signer"] == "S3SigV4Auth";
  aws::sigv4::Request req;
  req.method = rq["method"];
  req.path = target.substr(0, qm);
  if (qm != std::string::npos) req.query = parse_query(target.substr(qm + 1));
  if (s3) aws::sigv4::use_s3_paths(req);
  req.headers.emplace_back("Host", host);
  std::string body = rq["body"];
  req.payload_hash = v["payload_signing_enabled"] ? aws::sha256_hex(body) : "UNSIGNED-PAYLOAD";
  for (const auto& h : rq["headers"]) {
    req.headers.emplace_back(h[0], h[1]);
    if (aws::to_lower(h[0].get<std::string>()) == "x-amz-content-sha256") req.payload_hash = h[1];
  }
  // S3 always sends and signs the payload hash (the client adds it, not the signer).
  if (s3) req.headers.emplace_back("X-Amz-Content-SHA256", req.payload_hash);
  EXPECT_EQ(req.payload_hash == "UNSIGNED-PAYLOAD" ? aws::sha256_hex(body) : req.payload_hash,
            want["body_sha256"].get<std::string>());

  const auto& c = v["credentials"];
  aws::Credentials creds{c["access_key"], c["secret_key"], c["token"].is_null() ? "" : c["token"]};
  aws::sigv4::Scope scope{v["region"], v["service"], parse_time(v["datetime"])};

  aws::sigv4::Signed s = aws::sigv4::sign(req, creds, scope);
  EXPECT_EQ(s.canonical_request, want["canonical_request"].get<std::string>());
  EXPECT_EQ(s.string_to_sign, want["string_to_sign"].get<std::string>());
  EXPECT_EQ(s.signature, want["signature"].get<std::string>());
  EXPECT_EQ(s.authorization, want["authorization"].get<std::string>());
  std::string names;
  for (const auto& n : want["signed_headers"]) names += (names.empty() ? "" : ";") + n.get<std::string>();
  EXPECT_EQ(s.signed_headers, names);
  aws::sigv4::Pairs want_added;
  for (const auto& h : want["added_headers"])
    if (aws::to_lower(h[0].get<std::string>()) != "x-amz-content-sha256") want_added.emplace_back(h[0], h[1]);
  EXPECT_EQ(s.added_headers, want_added);
}

INSTANTIATE_TEST_SUITE_P(Botocore, BotocoreSuite,
                         ::testing::ValuesIn(cases(kData / "sigv4-botocore", false)),
                         [](const auto& info) {
                           std::string n = info.param.substr(0, info.param.size() - 5);
                           std::replace(n.begin(), n.end(), '-', '_');
                           return "v" + n;
                         });

TEST(BotocoreSuite, HasAllCases) { EXPECT_EQ(cases(kData / "sigv4-botocore", false).size(), 37u); }

// ---- pieces the suites don't isolate -----------------------------------------------------

TEST(SigV4, NeverSignsHopByHopOrAgentHeaders) {
  std::string names;
  aws::sigv4::canonical_headers({{"Host", "h"},
                                 {"User-Agent", "drctl"},
                                 {"Expect", "100-continue"},
                                 {"Connection", "keep-alive"},
                                 {"Transfer-Encoding", "chunked"},
                                 {"X-Amzn-Trace-Id", "Root=1"},
                                 {"X-Amz-Content-SHA256", "abc"}},
                                &names);
  EXPECT_EQ(names, "host;x-amz-content-sha256");
}

TEST(SigV4, ResigningReplacesStaleDateTokenAndAuthorization) {
  aws::sigv4::Request req;
  req.headers = {{"Host", "h"}, {"X-Amz-Date", "old"}, {"Authorization", "old"},
                 {"X-Amz-Security-Token", "old"}};
  req.payload_hash = std::string(aws::kEmptySha256);
  aws::sigv4::Scope scope{"us-east-1", "sts", parse_time("20260101T000000Z")};
  auto s = aws::sigv4::sign(req, {"AK", "SK", "TOKEN"}, scope);
  EXPECT_EQ(s.signed_headers, "host;x-amz-date;x-amz-security-token");
  EXPECT_NE(s.canonical_request.find("x-amz-date:20260101T000000Z\n"), std::string::npos);
  EXPECT_NE(s.canonical_request.find("x-amz-security-token:TOKEN\n"), std::string::npos);
  EXPECT_EQ(s.canonical_request.find("old"), std::string::npos);
}

TEST(SigV4, QueryRepeatedKeysSortByEncodedValue) {
  EXPECT_EQ(aws::sigv4::canonical_query({{"b", "2"}, {"a", "z"}, {"a", "y y"}, {"c", ""}}),
            "a=y%20y&a=z&b=2&c=");
}

}  // namespace
