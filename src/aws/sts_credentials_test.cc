// STS credentials: the AssumeRoleWithWebIdentity and AssumeRole requests as sent, the reply
// parsed, caching and refresh with an injected clock, threads, and the error messages.
#include "aws/sts_credentials.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "aws/credentials_test_util.h"
#include "fakes/fake_transport.h"

namespace {

using creds_test::kT0;
using creds_test::sts_error;
using creds_test::sts_reply;
using std::chrono::minutes;
using std::chrono::seconds;

const char* kRole = "arn:aws:iam::123456789012:role/ci";
const char* kToken = "eyJhbGciOiJSUzI1NiJ9.secret-oidc-token.sig";

class Sts : public ::testing::Test {
 protected:
  void SetUp() override { env_.clear_aws(); }

  // endpoint "" = the real regional endpoint; region "" = none configured.
  aws::StsContext sts(std::string region = "us-west-2", std::string endpoint = "") {
    aws::StsContext c;
    c.client.transport = transport_;
    c.client.default_region = std::move(region);
    c.client.endpoint_url = std::move(endpoint);
    c.client.backoff_base = std::chrono::milliseconds(0);
    c.clock = clock_.fn();
    return c;
  }
  aws::WebIdentitySettings web(std::string token_file) {
    aws::WebIdentitySettings w;
    w.role_arn = kRole;
    w.token_file = std::move(token_file);
    w.session_name = "gha-run-42";
    w.origin = "AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE";
    return w;
  }
  void push_web_reply(const std::string& key, const std::string& expiration) {
    transport_->push(200, sts_reply("AssumeRoleWithWebIdentity", key, key + "-secret", key + "-session", expiration));
  }

  creds_test::ScopedEnv env_;
  creds_test::TempDir dir_;
  creds_test::ManualClock clock_{kT0};
  std::shared_ptr<fakes::FakeTransport> transport_ = std::make_shared<fakes::FakeTransport>();
};

TEST_F(Sts, WebIdentityRequestIsUnsignedToTheRegionalEndpoint) {
  aws::WebIdentityCredentialsProvider p(web(dir_.write("token", std::string(kToken) + "\n")), sts());
  push_web_reply("ASIAWEB", "2026-01-01T01:00:00Z");
  auto c = p.get();
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c->access_key_id, "ASIAWEB");
  EXPECT_EQ(c->secret_access_key, "ASIAWEB-secret");
  EXPECT_EQ(c->session_token, "ASIAWEB-session");

  ASSERT_EQ(transport_->request_count(), 1u);
  const aws::HttpRequest r = transport_->requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://sts.us-west-2.amazonaws.com/");
  EXPECT_EQ(fakes::header(r, "Authorization"), "");
  EXPECT_EQ(fakes::header(r, "X-Amz-Security-Token"), "");
  EXPECT_EQ(fakes::form_value(r, "Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(fakes::form_value(r, "Version"), "2011-06-15");
  EXPECT_EQ(fakes::form_value(r, "RoleArn"), kRole);
  EXPECT_EQ(fakes::form_value(r, "RoleSessionName"), "gha-run-42");
  EXPECT_EQ(fakes::form_value(r, "WebIdentityToken"), kToken);  // trailing newline trimmed
}

TEST_F(Sts, StsEndpointOverrideAndDefaultRegionAndSessionName) {
  auto ctx = sts("");
  ctx.client.service_endpoints["STS"] = "http://127.0.0.1:4566";
  auto w = web(dir_.write("token", kToken));
  w.session_name.clear();
  aws::WebIdentityCredentialsProvider p(w, ctx);
  push_web_reply("ASIAWEB", "2026-01-01T01:00:00Z");
  ASSERT_TRUE(p.get().ok());
  const aws::HttpRequest r = transport_->requests()[0];
  EXPECT_EQ(r.url, "http://127.0.0.1:4566/");
  EXPECT_EQ(fakes::form_value(r, "RoleSessionName"), "drctl-1767225600");

  // No region configured: the us-east-1 regional endpoint, never the legacy global one.
  aws::WebIdentityCredentialsProvider q(w, sts(""));
  push_web_reply("ASIAWEB2", "2026-01-01T01:00:00Z");
  ASSERT_TRUE(q.get().ok());
  EXPECT_EQ(transport_->requests()[1].url, "https://sts.us-east-1.amazonaws.com/");
}

TEST_F(Sts, AssumeRoleIsSignedWithTheSourceCredentials) {
  auto source = std::make_shared<aws::StaticCredentialsProvider>(
      aws::Credentials{"AKIDSOURCE", "source-secret", "source-session"});
  aws::AssumeRoleSettings s;
  s.role_arn = kRole;
  s.session_name = "deploy";
  s.external_id = "ext-123";
  s.duration_seconds = 1800;
  s.origin = "profile 'deploy'";
  s.source = "source_profile 'base'";
  aws::AssumeRoleCredentialsProvider p(s, source, sts("eu-west-1"));
  transport_->push(200, sts_reply("AssumeRole", "ASIAROLE", "role-secret", "role-session", "2026-01-01T00:30:00.123Z"));
  auto c = p.get();
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c->access_key_id, "ASIAROLE");
  EXPECT_EQ(c->session_token, "role-session");

  const aws::HttpRequest r = transport_->requests()[0];
  EXPECT_EQ(r.url, "https://sts.eu-west-1.amazonaws.com/");
  const std::string auth = fakes::header(r, "Authorization");
  EXPECT_NE(auth.find("Credential=AKIDSOURCE/"), std::string::npos) << auth;
  EXPECT_EQ(fakes::signing_service(r), "sts");
  EXPECT_EQ(fakes::signing_region(r), "eu-west-1");
  EXPECT_EQ(fakes::header(r, "X-Amz-Security-Token"), "source-session");
  EXPECT_EQ(fakes::form_value(r, "Action"), "AssumeRole");
  EXPECT_EQ(fakes::form_value(r, "RoleArn"), kRole);
  EXPECT_EQ(fakes::form_value(r, "RoleSessionName"), "deploy");
  EXPECT_EQ(fakes::form_value(r, "ExternalId"), "ext-123");
  EXPECT_EQ(fakes::form_value(r, "DurationSeconds"), "1800");
}

TEST_F(Sts, ClientSignsWithTheTemporaryCredentialsAndSessionToken) {
  aws::ClientConfig cfg = sts().client;
  cfg.credentials = std::make_shared<aws::WebIdentityCredentialsProvider>(web(dir_.write("token", kToken)), sts());
  aws::Client client(cfg);
  push_web_reply("ASIAWEB", "2026-01-01T01:00:00Z");
  transport_->push(200, "<ListTopicsResponse><ListTopicsResult><Topics/></ListTopicsResult></ListTopicsResponse>");
  ASSERT_TRUE(client.query(aws::services::sns, "us-west-2", "ListTopics", {}).ok());
  const auto calls = transport_->calls();
  EXPECT_EQ(calls, (std::vector<std::string>{"POST :AssumeRoleWithWebIdentity", "POST sns:ListTopics"}));
  const aws::HttpRequest r = transport_->requests()[1];
  EXPECT_NE(fakes::header(r, "Authorization").find("Credential=ASIAWEB/"), std::string::npos);
  EXPECT_EQ(fakes::header(r, "X-Amz-Security-Token"), "ASIAWEB-session");
}

TEST_F(Sts, CachedUntilFiveMinutesBeforeExpiryThenRefreshed) {
  aws::WebIdentityCredentialsProvider p(web(dir_.write("token", kToken)), sts());
  push_web_reply("ASIAONE", "2026-01-01T01:00:00Z");
  ASSERT_EQ(p.get()->access_key_id, "ASIAONE");
  clock_.advance(minutes(54));  // 6 minutes left: still cached
  ASSERT_EQ(p.get()->access_key_id, "ASIAONE");
  EXPECT_EQ(transport_->request_count(), 1u);

  clock_.advance(minutes(2));  // 4 minutes left: refreshed, and the token file read again
  dir_.write("token", "rotated-token-value");
  push_web_reply("ASIATWO", "2026-01-01T02:00:00Z");
  ASSERT_EQ(p.get()->access_key_id, "ASIATWO");
  ASSERT_EQ(transport_->request_count(), 2u);
  EXPECT_EQ(fakes::form_value(transport_->requests()[1], "WebIdentityToken"), "rotated-token-value");
}

TEST_F(Sts, FailedRefreshKeepsStillValidCredentialsButNotExpiredOnes) {
  aws::WebIdentityCredentialsProvider p(web(dir_.write("token", kToken)), sts());
  push_web_reply("ASIAONE", "2026-01-01T01:00:00Z");
  ASSERT_TRUE(p.get().ok());
  clock_.advance(minutes(57));  // 3 minutes left: refresh fails, cached ones still usable
  transport_->push(403, sts_error("AccessDenied", "no"));
  auto kept = p.get();
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->access_key_id, "ASIAONE");

  clock_.advance(minutes(2) + seconds(30));  // 30 s left: too close, the error is returned
  transport_->push(403, sts_error("AccessDenied", "no"));
  auto failed = p.get();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "AccessDenied");
}

TEST_F(Sts, ConcurrentCallersShareOneStsCall) {
  aws::WebIdentityCredentialsProvider p(web(dir_.write("token", kToken)), sts());
  transport_->set_handler([](const aws::HttpRequest&) -> fakes::SendResult {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the others pile up
    return aws::HttpResponse{200, {}, sts_reply("AssumeRoleWithWebIdentity", "ASIAT", "s", "t", "2026-01-01T01:00:00Z")};
  });
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      if (auto c = p.get(); c.ok() && c->access_key_id == "ASIAT") ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(transport_->request_count(), 1u);
}

TEST_F(Sts, MissingOrEmptyTokenFileNamesTheVariableAndSendsNothing) {
  aws::WebIdentityCredentialsProvider missing(web(dir_.path("absent")), sts());
  auto r = missing.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InvalidCredentials");
  EXPECT_NE(r.error().message.find("AWS_WEB_IDENTITY_TOKEN_FILE (" + dir_.path("absent") + ")"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("No such file"), std::string::npos);

  aws::WebIdentityCredentialsProvider empty(web(dir_.write("empty", "\n")), sts());
  auto e = empty.get();
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("is empty"), std::string::npos);
  EXPECT_EQ(transport_->request_count(), 0u);
}

TEST_F(Sts, StsRefusalsExplainWhatToFixWithoutTheToken) {
  struct Case {
    int status;
    const char* code;
    const char* fix;
  };
  for (const Case& c : {Case{400, "InvalidIdentityToken", "OIDC identity provider"},
                        Case{400, "ExpiredTokenException", "write a fresh token"},
                        Case{403, "AccessDenied", "trust policy of arn:aws:iam::123456789012:role/ci"}}) {
    aws::WebIdentityCredentialsProvider p(web(dir_.write("token", kToken)), sts());
    // A server echoing the token back must not put it in our message.
    transport_->push(c.status, sts_error(c.code, std::string("rejected token ") + kToken));
    auto r = p.get();
    ASSERT_FALSE(r.ok()) << c.code;
    EXPECT_EQ(r.error().code, c.code);
    EXPECT_EQ(r.error().retry, aws::Retry::never);
    const std::string text = r.error().describe();
    EXPECT_NE(text.find(c.fix), std::string::npos) << text;
    EXPECT_NE(text.find("AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE"), std::string::npos) << text;
    EXPECT_EQ(text.find(kToken), std::string::npos) << text;
    EXPECT_EQ(text.find("secret-oidc-token"), std::string::npos) << text;
  }
}

TEST_F(Sts, IdpCommunicationErrorIsRetried) {
  aws::WebIdentityCredentialsProvider p(web(dir_.write("token", kToken)), sts());
  transport_->push(400, sts_error("IDPCommunicationError", "idp timeout"));
  push_web_reply("ASIAWEB", "2026-01-01T01:00:00Z");
  ASSERT_TRUE(p.get().ok());
  EXPECT_EQ(transport_->request_count(), 2u);

  aws::WebIdentityCredentialsProvider q(web(dir_.path("token")), sts());
  for (int i = 0; i < 3; ++i) transport_->push(400, sts_error("IDPCommunicationError", "idp timeout"));
  auto r = q.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "IDPCommunicationError");
  EXPECT_EQ(transport_->request_count(), 5u);  // max_attempts (3), then the error
}

TEST_F(Sts, AssumeRoleReportsASourceFailureAsTheSources) {
  aws::AssumeRoleSettings s;
  s.role_arn = kRole;
  s.origin = "profile 'deploy'";
  s.source = "credential_source Environment";
  aws::AssumeRoleCredentialsProvider p(s, std::make_shared<aws::EnvCredentialsProvider>(), sts());
  auto r = p.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "NoCredentials");
  EXPECT_NE(r.error().message.find("profile 'deploy' gets its credentials from credential_source Environment"),
            std::string::npos)
      << r.error().message;
  EXPECT_EQ(transport_->request_count(), 0u);

  env_.set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.set("AWS_SECRET_ACCESS_KEY", "env-secret-value");
  transport_->push(403, sts_error("InvalidClientTokenId", "The security token included in the request is invalid."));
  auto refused = p.get();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().operation, "AssumeRole");
  EXPECT_NE(refused.error().message.find("credential_source Environment credentials were rejected"),
            std::string::npos);
  EXPECT_EQ(refused.error().describe().find("env-secret-value"), std::string::npos);
}

TEST_F(Sts, ParsesReplyAndTimestamps) {
  EXPECT_EQ(aws::parse_iso8601_utc("2026-01-01T00:00:00Z"), kT0);
  EXPECT_EQ(aws::parse_iso8601_utc("2026-01-01T00:00:01.537809Z"), kT0 + seconds(1));
  EXPECT_EQ(aws::parse_iso8601_utc("2026-01-01T00:00:00+00:00"), kT0);
  EXPECT_FALSE(aws::parse_iso8601_utc("2026-01-01 00:00:00"));
  EXPECT_FALSE(aws::parse_iso8601_utc("2026-01-01T00:00:00+02:00"));
  EXPECT_FALSE(aws::parse_iso8601_utc(""));

  aws::WebIdentityCredentialsProvider p(web(dir_.write("token", kToken)), sts());
  transport_->push(200, sts_reply("AssumeRoleWithWebIdentity", "ASIA", "s", "", "2026-01-01T01:00:00Z"));
  auto r = p.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "MalformedResponse");  // no SessionToken: not usable
}

TEST_F(Sts, WebIdentityFromEnvironment) {
  EXPECT_EQ(aws::web_identity_from_environment(sts())->get().error().code, "NoCredentials");

  env_.set("AWS_ROLE_ARN", kRole);
  auto half = aws::web_identity_from_environment(sts())->get();
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.error().code, "InvalidCredentials");
  EXPECT_NE(half.error().message.find("AWS_WEB_IDENTITY_TOKEN_FILE is not"), std::string::npos);

  env_.set("AWS_WEB_IDENTITY_TOKEN_FILE", dir_.write("token", kToken).c_str());
  env_.set("AWS_ROLE_SESSION_NAME", "from-env");
  push_web_reply("ASIAENV", "2026-01-01T01:00:00Z");
  auto ok = aws::web_identity_from_environment(sts())->get();
  ASSERT_TRUE(ok.ok()) << ok.error().describe();
  EXPECT_EQ(ok->access_key_id, "ASIAENV");
  EXPECT_EQ(fakes::form_value(transport_->requests()[0], "RoleSessionName"), "from-env");
}

TEST_F(Sts, DefaultChainPrefersStaticEnvironmentKeysOverWebIdentity) {
  env_.set("AWS_SHARED_CREDENTIALS_FILE", dir_.path("none").c_str());
  env_.set("AWS_CONFIG_FILE", dir_.path("none2").c_str());
  env_.set("AWS_ROLE_ARN", kRole);
  env_.set("AWS_WEB_IDENTITY_TOKEN_FILE", dir_.write("token", kToken).c_str());
  env_.set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.set("AWS_SECRET_ACCESS_KEY", "env-secret");
  EXPECT_EQ(aws::default_credentials_chain(sts())->get()->access_key_id, "AKIDENV");
  EXPECT_EQ(transport_->request_count(), 0u);

  env_.set("AWS_ACCESS_KEY_ID", nullptr);
  env_.set("AWS_SECRET_ACCESS_KEY", nullptr);
  push_web_reply("ASIAWEB", "2026-01-01T01:00:00Z");
  EXPECT_EQ(aws::default_credentials_chain(sts())->get()->access_key_id, "ASIAWEB");

  // A broken web identity setup stops the chain rather than falling through to file keys.
  env_.set("AWS_WEB_IDENTITY_TOKEN_FILE", dir_.path("absent").c_str());
  auto broken = aws::default_credentials_chain(sts())->get();
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, "InvalidCredentials");
}

}  // namespace
