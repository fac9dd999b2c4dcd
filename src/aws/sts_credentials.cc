#include "aws/sts_credentials.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "aws/encoding.h"
#include "aws/role_profiles.h"

namespace aws {

namespace {

using std::chrono::system_clock;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

AwsError cred_error(std::string code, std::string message) {
  AwsError e;
  e.code = std::move(code);
  e.message = std::move(message);
  e.retry = Retry::never;
  return e;
}

// A provider that only fails: how a misconfiguration found while building the chain surfaces
// when credentials are first needed (and only then: static keys earlier in the chain win).
class FailingCredentialsProvider : public CredentialsProvider {
 public:
  explicit FailingCredentialsProvider(AwsError e) : error_(std::move(e)) {}
  model::Result<Credentials, AwsError> get() override { return model::err(error_); }

 private:
  AwsError error_;
};

std::string default_session_name(const WallClock& clock) {
  return "drctl-" + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                       clock().time_since_epoch()).count());
}

void scrub(std::string& text, const std::string& secret) {
  if (secret.size() < 4) return;  // nothing meaningful to hide; avoids mangling the text
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
    text.replace(at, secret.size(), "<redacted>");
}

// STS's refusal, with what to do about it. The code stays STS's own (tests and retries look
// at it); the message gains the origin of the settings and a hint.
AwsError explain_sts_error(AwsError e, const std::string& role_arn, const std::string& origin,
                           const std::string& hint_token_file, const std::string& source) {
  const bool web = !hint_token_file.empty();
  std::string hint;
  if (e.code == "InvalidIdentityToken") {
    hint = "STS does not accept the token in " + hint_token_file +
           ": the role's account needs an IAM OIDC identity provider for the token's issuer, and "
           "the file must hold the raw OIDC JWT";
  } else if (e.code == "ExpiredTokenException" || e.code == "ExpiredToken") {
    hint = web ? "the token in " + hint_token_file +
                     " has expired: have the CI job write a fresh token before running drctl"
               : "the " + source + " credentials have expired: renew them";
  } else if (e.code == "AccessDenied" || e.code == "IDPRejectedClaim") {
    hint = web ? "the trust policy of " + role_arn +
                     " must allow sts:AssumeRoleWithWebIdentity for this token's issuer, audience "
                     "(aud) and subject (sub)"
               : "the trust policy of " + role_arn + " must allow sts:AssumeRole by the " + source +
                     " identity (with this external_id, if one is set), and that identity needs "
                     "sts:AssumeRole permission";
  } else if (e.code == "InvalidClientTokenId" || e.code == "SignatureDoesNotMatch" ||
             e.code == "UnrecognizedClientException") {
    hint = "the " + source + " credentials were rejected: check them";
  } else if (e.code == "IDPCommunicationError") {
    hint = "STS could not reach the token's identity provider (after retries); retry later";
  }
  std::string message = "cannot assume role " + role_arn + " (from " + origin + ")";
  if (!e.message.empty()) message += ": " + e.message;
  if (!hint.empty()) message += ". Fix: " + hint;
  e.message = std::move(message);
  return e;
}

}  // namespace

model::Result<Credentials, AwsError> RefreshingCredentialsProvider::get() {
  std::lock_guard<std::mutex> g(mu_);
  const auto now = clock_();
  if (cached_ && now + kRefreshMargin < cached_->expires_at) return cached_->credentials;
  auto fresh = fetch();
  if (fresh.ok()) {
    cached_ = std::move(*fresh);
    return cached_->credentials;
  }
  if (cached_ && now + kMinRemaining < cached_->expires_at) return cached_->credentials;
  return model::err(fresh.error());
}

std::string StsContext::region() const {
  return client.default_region.empty() ? "us-east-1" : client.default_region;
}

std::optional<system_clock::time_point> parse_iso8601_utc(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
      consumed != 19)
    return std::nullopt;
  size_t at = 19;
  if (at < text.size() && text[at] == '.') {  // fractional seconds: dropped (expiry margin is minutes)
    ++at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
  }
  const std::string zone = text.substr(at);
  if (zone != "Z" && zone != "+00:00") return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const time_t t = timegm(&tm);
  if (t == static_cast<time_t>(-1)) return std::nullopt;
  return system_clock::from_time_t(t);
}

model::Result<ExpiringCredentials, AwsError> parse_sts_credentials(const pugi::xml_document& doc,
                                                                  const std::string& action) {
  const auto creds = doc.document_element().child((action + "Result").c_str()).child("Credentials");
  ExpiringCredentials out;
  out.credentials.access_key_id = creds.child("AccessKeyId").text().as_string();
  out.credentials.secret_access_key = creds.child("SecretAccessKey").text().as_string();
  out.credentials.session_token = creds.child("SessionToken").text().as_string();
  auto expires = parse_iso8601_utc(creds.child("Expiration").text().as_string());
  if (out.credentials.access_key_id.empty() || out.credentials.secret_access_key.empty() ||
      out.credentials.session_token.empty() || !expires) {
    AwsError e = cred_error("MalformedResponse",
                            action + " reply lacks AccessKeyId, SecretAccessKey, SessionToken or a valid "
                                     "Expiration");
    e.service = "sts";
    e.operation = action;
    return model::err(e);
  }
  out.expires_at = *expires;
  return out;
}

WebIdentityCredentialsProvider::WebIdentityCredentialsProvider(WebIdentitySettings settings,
                                                               const StsContext& sts)
    : RefreshingCredentialsProvider(sts.clock), settings_(std::move(settings)), region_(sts.region()) {
  if (settings_.session_name.empty()) settings_.session_name = default_session_name(sts.clock);
  ClientConfig cfg = sts.client;
  cfg.credentials = nullptr;
  cfg.anonymous = true;
  client_ = std::make_unique<Client>(std::move(cfg));
}

model::Result<ExpiringCredentials, AwsError> WebIdentityCredentialsProvider::fetch() {
  const std::string& path = settings_.token_file;
  const std::string where = settings_.token_file_setting + " (" + path + ")";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return model::err(cred_error(
        "InvalidCredentials",
        "cannot read the web identity token file named by " + where + ": " + std::strerror(errno) +
            ". Fix: point " + settings_.token_file_setting + " at the file where the CI job writes its OIDC token"));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string token(trim(ss.str()));
  if (token.empty()) {
    return model::err(cred_error("InvalidCredentials",
                                 "the web identity token file named by " + where +
                                     " is empty. Fix: have the CI job write its OIDC token there first"));
  }
  const Params params{{"RoleArn", settings_.role_arn},
                      {"RoleSessionName", settings_.session_name},
                      {"WebIdentityToken", token}};
  auto doc = client_->query(services::sts, region_, "AssumeRoleWithWebIdentity", params);
  // STS could not reach the identity provider: transient by nature, and not retried by the
  // client (HTTP 400). Retried here like the SDKs do, with the client's backoff.
  for (int attempt = 1; !doc.ok() && doc.error().code == "IDPCommunicationError" &&
                        attempt < client_->config().max_attempts;
       ++attempt) {
    std::this_thread::sleep_for(client_->config().backoff_base * (1 << attempt));
    doc = client_->query(services::sts, region_, "AssumeRoleWithWebIdentity", params);
  }
  if (!doc.ok()) {
    AwsError e = doc.error();
    scrub(e.message, token);
    return model::err(explain_sts_error(std::move(e), settings_.role_arn, settings_.origin, where, ""));
  }
  return parse_sts_credentials(**doc, "AssumeRoleWithWebIdentity");
}

AssumeRoleCredentialsProvider::AssumeRoleCredentialsProvider(AssumeRoleSettings settings,
                                                             std::shared_ptr<CredentialsProvider> source,
                                                             const StsContext& sts)
    : RefreshingCredentialsProvider(sts.clock),
      settings_(std::move(settings)),
      source_(std::move(source)),
      region_(sts.region()) {
  if (settings_.session_name.empty()) settings_.session_name = default_session_name(sts.clock);
  ClientConfig cfg = sts.client;
  cfg.credentials = source_;
  cfg.anonymous = false;
  client_ = std::make_unique<Client>(std::move(cfg));
}

model::Result<ExpiringCredentials, AwsError> AssumeRoleCredentialsProvider::fetch() {
  Params params{{"RoleArn", settings_.role_arn}, {"RoleSessionName", settings_.session_name}};
  if (settings_.duration_seconds > 0)
    params.emplace_back("DurationSeconds", std::to_string(settings_.duration_seconds));
  if (!settings_.external_id.empty()) params.emplace_back("ExternalId", settings_.external_id);
  // The source first, on its own: its failure (a missing key, an inner role refused) must
  // be reported as the source's, not as this role's refusal.
  if (auto src = source_->get(); !src.ok()) {
    AwsError e = src.error();
    e.message = settings_.origin + " gets its credentials from " + settings_.source + ", which failed: " +
                (e.operation.empty() ? "" : e.service + " " + e.operation + ": ") + e.code + ": " + e.message;
    e.service.clear(), e.operation.clear(), e.region.clear();
    return model::err(e);
  }
  auto doc = client_->query(services::sts, region_, "AssumeRole", params);
  if (!doc.ok()) {
    return model::err(
        explain_sts_error(doc.error(), settings_.role_arn, settings_.origin, "", settings_.source));
  }
  return parse_sts_credentials(**doc, "AssumeRole");
}

std::shared_ptr<CredentialsProvider> web_identity_from_environment(const StsContext& sts) {
  const std::string role = env("AWS_ROLE_ARN"), token_file = env("AWS_WEB_IDENTITY_TOKEN_FILE");
  if (role.empty() && token_file.empty())
    return std::make_shared<FailingCredentialsProvider>(
        cred_error("NoCredentials", "AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE are not set"));
  if (role.empty() || token_file.empty()) {
    const char* missing = role.empty() ? "AWS_ROLE_ARN" : "AWS_WEB_IDENTITY_TOKEN_FILE";
    const char* present = role.empty() ? "AWS_WEB_IDENTITY_TOKEN_FILE" : "AWS_ROLE_ARN";
    return std::make_shared<FailingCredentialsProvider>(cred_error(
        "InvalidCredentials", std::string(present) + " is set but " + missing +
                                  " is not: web identity needs both (set " + missing + ", or unset " +
                                  present + ")"));
  }
  WebIdentitySettings s;
  s.role_arn = role;
  s.token_file = token_file;
  s.session_name = env("AWS_ROLE_SESSION_NAME");
  s.origin = "AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE";
  return std::make_shared<WebIdentityCredentialsProvider>(std::move(s), sts);
}

std::shared_ptr<CredentialsProvider> default_credentials_chain(const StsContext& sts) {
  const std::string profile = profile_from_environment();
  const SharedFilePaths paths = shared_file_paths_from_environment();
  auto env_keys = std::make_shared<EnvCredentialsProvider>();
  auto role = role_profile_provider(profile, paths, sts);
  // drctl has no --profile flag: AWS_PROFILE naming a role profile is that explicit choice, so
  // the role wins over stray static keys in the environment (which credential_source =
  // Environment then signs AssumeRole with). For any other profile, environment keys come first.
  const bool explicit_profile = !env("AWS_PROFILE").empty() || !env("AWS_DEFAULT_PROFILE").empty();
  std::vector<std::shared_ptr<CredentialsProvider>> chain;
  if (explicit_profile) chain = {role, env_keys};
  else chain = {env_keys, role};
  chain.push_back(web_identity_from_environment(sts));
  chain.push_back(std::make_shared<SharedFilesCredentialsProvider>(profile, paths));
  return std::make_shared<ChainCredentialsProvider>(std::move(chain));
}

std::shared_ptr<CredentialsProvider> failing_credentials_provider(AwsError error) {
  return std::make_shared<FailingCredentialsProvider>(std::move(error));
}

}  // namespace aws
