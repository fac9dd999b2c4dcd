// Temporary credentials from STS, as CI systems hand them out: AssumeRoleWithWebIdentity (an
// OIDC token in a file, the GitHub Actions / GitLab / EKS way) and AssumeRole (a profile with
// role_arn, signed with its source credentials). Both are cached in memory and refreshed
// before they expire. Every provider here is thread-safe.
//
// STS calls go through an aws::Client built from the caller's ClientConfig (transport,
// AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_STS overrides, retries) to the regional endpoint
// https://sts.<region>.amazonaws.com. AssumeRoleWithWebIdentity is sent unsigned (AWS
// authorises it by the token); AssumeRole is signed with the source provider's credentials.
//
// Secrets: the web identity token, secret keys and session tokens never appear in an error
// message; STS error text is scrubbed of the token in case a server echoes it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <pugixml.hpp>

#include "aws/client.h"
#include "aws/credentials.h"

namespace aws {

using WallClock = std::function<std::chrono::system_clock::time_point()>;

// Credentials usable until expires_at.
struct ExpiringCredentials {
  Credentials credentials;
  std::chrono::system_clock::time_point expires_at;
};

// Caches what fetch() returns; fetches again once less than kRefreshMargin is left. One thread
// fetches while the others wait for its result, so N workers cause one STS call, not N. If a
// refresh fails while the cached credentials still have kMinRemaining left, those are returned
// (a brief STS outage must not fail a long apply); otherwise the refresh error is.
class RefreshingCredentialsProvider : public CredentialsProvider {
 public:
  static constexpr std::chrono::minutes kRefreshMargin{5};
  static constexpr std::chrono::minutes kMinRemaining{1};

  explicit RefreshingCredentialsProvider(WallClock clock) : clock_(std::move(clock)) {}
  model::Result<Credentials, AwsError> get() final;

 protected:
  virtual model::Result<ExpiringCredentials, AwsError> fetch() = 0;

 private:
  WallClock clock_;
  std::mutex mu_;
  std::optional<ExpiringCredentials> cached_;
};

// What an STS provider needs to reach STS. client.credentials is ignored (set per provider).
struct StsContext {
  ClientConfig client;
  WallClock clock = [] { return std::chrono::system_clock::now(); };
  // client.default_region, else us-east-1 (regional endpoint, never the legacy global one).
  std::string region() const;
};

struct WebIdentitySettings {
  std::string role_arn;
  std::string token_file;    // read on every fetch: CI and EKS rotate the token in place
  std::string session_name;  // empty: "drctl-<unix seconds>"
  // Where the settings came from, for messages: "AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE"
  // or "profile 'ci' (role_arn + web_identity_token_file)".
  std::string origin;
  std::string token_file_setting = "AWS_WEB_IDENTITY_TOKEN_FILE";  // the name users set
};

// AssumeRoleWithWebIdentity. Fails with InvalidCredentials (retry never) when the token file
// is missing or empty, and with STS's own code (InvalidIdentityToken, ExpiredTokenException,
// AccessDenied, IDPRejectedClaim, ...) plus what to fix when STS refuses.
class WebIdentityCredentialsProvider : public RefreshingCredentialsProvider {
 public:
  WebIdentityCredentialsProvider(WebIdentitySettings settings, const StsContext& sts);

 protected:
  model::Result<ExpiringCredentials, AwsError> fetch() override;

 private:
  WebIdentitySettings settings_;
  std::string region_;
  std::unique_ptr<Client> client_;
};

struct AssumeRoleSettings {
  std::string role_arn;
  std::string session_name;  // empty: "drctl-<unix seconds>"
  std::string external_id;   // empty: not sent
  int duration_seconds = 0;  // 0: not sent (STS default, 1 h)
  std::string origin;        // "profile 'deploy'"
  std::string source;        // "source_profile 'base'", "credential_source Environment"
};

// AssumeRole signed with `source`'s credentials (which may themselves be temporary).
class AssumeRoleCredentialsProvider : public RefreshingCredentialsProvider {
 public:
  AssumeRoleCredentialsProvider(AssumeRoleSettings settings, std::shared_ptr<CredentialsProvider> source,
                                const StsContext& sts);

 protected:
  model::Result<ExpiringCredentials, AwsError> fetch() override;

 private:
  AssumeRoleSettings settings_;
  std::shared_ptr<CredentialsProvider> source_;
  std::string region_;
  std::unique_ptr<Client> client_;
};

// <Credentials> of an AssumeRole(WithWebIdentity)Response: MalformedResponse when a member is
// missing or Expiration is not an ISO 8601 UTC time.
model::Result<ExpiringCredentials, AwsError> parse_sts_credentials(const pugi::xml_document& doc,
                                                                  const std::string& action);

// "2026-11-22T08:31:43Z", with optional fractional seconds; nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_iso8601_utc(const std::string& text);

// A provider whose get() always fails with `error`: how a misconfiguration found while building
// the chain surfaces, only when credentials are needed (static keys earlier in the chain win).
std::shared_ptr<CredentialsProvider> failing_credentials_provider(AwsError error);

// AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE (+ AWS_ROLE_SESSION_NAME), read now. NoCredentials
// when neither is set; InvalidCredentials naming the missing one when only one is.
std::shared_ptr<CredentialsProvider> web_identity_from_environment(const StsContext& sts);

// The full chain, in the AWS CLI's order: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the active
// profile's role (role_profiles.h), web identity from the environment, then the shared-file
// keys of the active profile. One difference: when AWS_PROFILE (or AWS_DEFAULT_PROFILE) names a
// profile with role_arn, that role comes before the environment keys (drctl has no --profile
// flag; AWS_PROFILE is the explicit choice, and credential_source = Environment needs the
// environment keys as the role's source, not as the answer). No SSO, credential_process,
// container or instance metadata providers.
std::shared_ptr<CredentialsProvider> default_credentials_chain(const StsContext& sts);

}  // namespace aws
