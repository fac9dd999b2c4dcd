// Credentials and where they come from. A CredentialsProvider is shared by all threads of a run;
// every implementation here is thread-safe.
//
// Credentials are secrets: there is deliberately no operator<< or to_string for them, and no
// error message built here ever contains a secret key or session token (only the access key
// id, the profile name and file paths).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/error.h"
#include "model/result.h"

namespace aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty when not temporary
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Fails with AwsError code "NoCredentials" (retry never) when this source has none, or
  // "InvalidCredentials" when a source is present but incomplete.
  virtual model::Result<Credentials, AwsError> get() = 0;
};

// Fixed credentials (tests, or a caller that resolved them itself).
class StaticCredentialsProvider : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials c) : creds_(std::move(c)) {}
  model::Result<Credentials, AwsError> get() override { return creds_; }

 private:
  Credentials creds_;
};

// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, read on every get().
class EnvCredentialsProvider : public CredentialsProvider {
 public:
  model::Result<Credentials, AwsError> get() override;
};

// One INI file as sections of key = value (keys lower-cased, values trimmed). Comment lines
// start with '#' or ';'. Nested (indented) sub-keys such as "s3 =\n  addressing_style = path"
// are skipped.
using IniFile = std::map<std::string, std::map<std::string, std::string>>;
IniFile parse_ini(const std::string& text);

// The profile named by AWS_PROFILE (else "default") from the shared credentials file
// (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials: section "[name]") and the shared
// config file (AWS_CONFIG_FILE, else ~/.aws/config: "[profile name]", or "[default]").
// Credentials file values win over config file values.
struct SharedProfile {
  std::string name;
  std::map<std::string, std::string> values;
  bool found = false;
};
struct SharedFilePaths {
  std::string credentials_file;
  std::string config_file;
};
SharedFilePaths shared_file_paths_from_environment();
std::string profile_from_environment();
SharedProfile load_shared_profile(const std::string& profile, const SharedFilePaths& paths);

// Static keys from the shared files; loaded once, on first successful get(). A profile with
// role_arn is not this provider's (NoCredentials): role_profiles.h resolves those.
class SharedFilesCredentialsProvider : public CredentialsProvider {
 public:
  SharedFilesCredentialsProvider();  // profile and paths from the environment
  SharedFilesCredentialsProvider(std::string profile, SharedFilePaths paths);
  model::Result<Credentials, AwsError> get() override;

 private:
  std::string profile_;
  SharedFilePaths paths_;
  std::mutex mu_;
  std::optional<Credentials> cached_;
};

// Tries each provider in order; the first that succeeds wins. A provider failing with
// anything but "NoCredentials" stops the chain (a broken profile must not silently fall
// through to other credentials).
class ChainCredentialsProvider : public CredentialsProvider {
 public:
  explicit ChainCredentialsProvider(std::vector<std::shared_ptr<CredentialsProvider>> chain)
      : chain_(std::move(chain)) {}
  model::Result<Credentials, AwsError> get() override;

 private:
  std::vector<std::shared_ptr<CredentialsProvider>> chain_;
};

// Static keys only: environment variables, then the shared files. The chain drctl uses, with
// role profiles and web identity (STS), is default_credentials_chain() in sts_credentials.h.
std::shared_ptr<CredentialsProvider> static_credentials_chain();

// The region to use when the caller names none: AWS_REGION, AWS_DEFAULT_REGION, then the
// "region" of the active profile in the config file; empty when none is set.
std::string default_region_from_environment();

}  // namespace aws
