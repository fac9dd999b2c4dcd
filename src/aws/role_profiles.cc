#include "aws/role_profiles.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace aws {

namespace {

AwsError invalid(std::string message) {
  AwsError e;
  e.code = "InvalidCredentials";
  e.message = std::move(message);
  e.retry = Retry::never;
  return e;
}

std::string profile_label(const std::string& profile) { return "profile '" + profile + "'"; }

std::string files_of(const SharedFilePaths& paths) {
  return paths.config_file + " / " + paths.credentials_file;
}

// Resolving one profile as a source of credentials. `path` is the chain of profiles that led
// here (for the cycle guard and for messages); errors go to *error and return nullptr.
class Resolver {
 public:
  Resolver(const SharedFilePaths& paths, const StsContext& sts) : paths_(paths), sts_(sts) {}

  std::shared_ptr<CredentialsProvider> resolve(const std::string& name, std::vector<std::string> path,
                                               AwsError* error) {
    SharedProfile p = load_shared_profile(name, paths_);
    if (!p.found) {
      *error = invalid(profile_label(name) + " (source_profile of " + profile_label(path.back()) + ") is not in " +
                       files_of(paths_) + ". Fix: define it or change source_profile");
      return nullptr;
    }
    if (!p.values.count("role_arn")) return static_keys(p, path, error);
    path.push_back(name);
    return role(p, std::move(path), error);
  }

  std::shared_ptr<CredentialsProvider> role(SharedProfile& p, std::vector<std::string> path, AwsError* error) {
    const std::string& name = p.name;
    auto& v = p.values;
    if (v["role_arn"].empty()) {
      *error = invalid(profile_label(name) + " has an empty role_arn");
      return nullptr;
    }
    if (v.count("web_identity_token_file")) {
      WebIdentitySettings w;
      w.role_arn = v["role_arn"];
      w.token_file = v["web_identity_token_file"];
      w.session_name = v["role_session_name"];
      w.origin = profile_label(name) + " (role_arn + web_identity_token_file)";
      w.token_file_setting = "web_identity_token_file of " + profile_label(name);
      return std::make_shared<WebIdentityCredentialsProvider>(std::move(w), sts_);
    }
    AssumeRoleSettings s;
    s.role_arn = v["role_arn"];
    s.session_name = v["role_session_name"];
    s.external_id = v["external_id"];
    s.origin = profile_label(name);
    if (v.count("duration_seconds")) {
      const std::string& d = v["duration_seconds"];
      auto [end, ec] = std::from_chars(d.data(), d.data() + d.size(), s.duration_seconds);
      if (ec != std::errc() || end != d.data() + d.size() || s.duration_seconds < 900 ||
          s.duration_seconds > 43200) {
        *error = invalid(profile_label(name) + " has duration_seconds = " + d +
                         ". Fix: use a whole number of seconds from 900 to 43200");
        return nullptr;
      }
    }
    const bool has_source = v.count("source_profile") > 0, has_env = v.count("credential_source") > 0;
    if (has_source && has_env) {
      *error = invalid(profile_label(name) + " sets both source_profile and credential_source. Fix: keep one");
      return nullptr;
    }
    std::shared_ptr<CredentialsProvider> source;
    if (has_source) {
      const std::string& src = v["source_profile"];
      s.source = "source_profile '" + src + "'";
      if (src == name) {
        source = static_keys(p, path, error);  // the profile's own keys, as the AWS CLI allows
      } else if (std::find(path.begin(), path.end(), src) != path.end()) {
        std::string loop;
        for (const auto& step : path) loop += step + " -> ";
        *error = invalid("source_profile loop: " + loop + src + ". Fix: end the chain at a profile with "
                         "aws_access_key_id/aws_secret_access_key or a credential_source");
        return nullptr;
      } else {
        source = resolve(src, path, error);
      }
      if (!source) return nullptr;
    } else if (has_env) {
      const std::string& cs = v["credential_source"];
      s.source = "credential_source " + cs;
      if (cs == "Environment") {
        source = std::make_shared<EnvCredentialsProvider>();
      } else if (cs == "Ec2InstanceMetadata" || cs == "EcsContainer") {
        *error = invalid(profile_label(name) + ": credential_source " + cs +
                         " is not supported by drctl. Fix: use credential_source = Environment or "
                         "source_profile, or web identity (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE)");
        return nullptr;
      } else {
        *error = invalid(profile_label(name) + " has credential_source = " + cs +
                         ". Fix: use Environment (Ec2InstanceMetadata and EcsContainer are not supported)");
        return nullptr;
      }
    } else {
      *error = invalid(profile_label(name) + " has role_arn but no source_profile, credential_source or "
                                      "web_identity_token_file. Fix: add one of them");
      return nullptr;
    }
    return std::make_shared<AssumeRoleCredentialsProvider>(std::move(s), std::move(source), sts_);
  }

 private:
  std::shared_ptr<CredentialsProvider> static_keys(SharedProfile& p, const std::vector<std::string>& path,
                                                   AwsError* error) {
    Credentials c{p.values["aws_access_key_id"], p.values["aws_secret_access_key"],
                  p.values["aws_session_token"]};
    if (c.access_key_id.empty() || c.secret_access_key.empty()) {
      *error = invalid(profile_label(p.name) + " (source_profile of " + profile_label(path.back()) +
                       ") has no aws_access_key_id/aws_secret_access_key. Fix: add them, or give it a "
                       "role_arn with its own source");
      return nullptr;
    }
    return std::make_shared<StaticCredentialsProvider>(std::move(c));
  }

  const SharedFilePaths& paths_;
  const StsContext& sts_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> role_profile_provider(const std::string& profile,
                                                           const SharedFilePaths& paths,
                                                           const StsContext& sts) {
  SharedProfile p = load_shared_profile(profile, paths);
  if (!p.found || !p.values.count("role_arn")) {
    AwsError e;
    e.code = "NoCredentials";
    e.message = profile_label(profile) + " has no role_arn";
    return failing_credentials_provider(std::move(e));
  }
  AwsError error;
  auto provider = Resolver(paths, sts).role(p, {profile}, &error);
  return provider ? provider : failing_credentials_provider(std::move(error));
}

}  // namespace aws
