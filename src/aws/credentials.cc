#include "aws/credentials.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "aws/encoding.h"

namespace aws {

namespace {

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

std::string home_file(const char* rel) {
  std::string home = env("HOME");
  return home.empty() ? std::string() : home + "/" + rel;
}

bool read_file(const std::string& path, std::string* out) {
  if (path.empty()) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

std::string expand_home(const std::string& path) {
  if (path.rfind("~/", 0) == 0) return home_file(path.c_str() + 2);
  return path;
}

}  // namespace

model::Result<Credentials, AwsError> EnvCredentialsProvider::get() {
  Credentials c{env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")};
  if (c.access_key_id.empty() && c.secret_access_key.empty())
    return model::err(cred_error("NoCredentials", "AWS_ACCESS_KEY_ID is not set"));
  if (c.access_key_id.empty() || c.secret_access_key.empty())
    return model::err(cred_error("InvalidCredentials",
                                 "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set"));
  return c;
}

IniFile parse_ini(const std::string& text) {
  IniFile out;
  std::istringstream in(text);
  std::string raw, section;
  while (std::getline(in, raw)) {
    std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      size_t close = line.find(']');
      section = std::string(trim(line.substr(1, close == std::string_view::npos ? line.npos : close - 1)));
      out[section];  // an empty section still exists
      continue;
    }
    // Indented lines belong to a nested block ("s3 =\n  addressing_style = path"): skip them.
    if (raw[0] == ' ' || raw[0] == '\t' || section.empty()) continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    out[section][to_lower(trim(line.substr(0, eq)))] = std::string(trim(line.substr(eq + 1)));
  }
  return out;
}

SharedFilePaths shared_file_paths_from_environment() {
  SharedFilePaths p;
  p.credentials_file = env("AWS_SHARED_CREDENTIALS_FILE");
  p.credentials_file = p.credentials_file.empty() ? home_file(".aws/credentials") : expand_home(p.credentials_file);
  p.config_file = env("AWS_CONFIG_FILE");
  p.config_file = p.config_file.empty() ? home_file(".aws/config") : expand_home(p.config_file);
  return p;
}

std::string profile_from_environment() {
  std::string p = env("AWS_PROFILE");
  if (p.empty()) p = env("AWS_DEFAULT_PROFILE");
  return p.empty() ? "default" : p;
}

SharedProfile load_shared_profile(const std::string& profile, const SharedFilePaths& paths) {
  SharedProfile out;
  out.name = profile;
  std::string text;
  if (read_file(paths.config_file, &text)) {
    IniFile ini = parse_ini(text);
    // "[profile x]"; the default profile may be written "[default]" or "[profile default]".
    for (const std::string& section : {"profile " + profile, profile == "default" ? profile : ""}) {
      auto it = ini.find(section);
      if (section.empty() || it == ini.end()) continue;
      out.found = true;
      for (const auto& [k, v] : it->second) out.values.try_emplace(k, v);
    }
  }
  if (read_file(paths.credentials_file, &text)) {
    IniFile ini = parse_ini(text);
    if (auto it = ini.find(profile); it != ini.end()) {
      out.found = true;
      for (const auto& [k, v] : it->second) out.values[k] = v;  // credentials file wins
    }
  }
  return out;
}

SharedFilesCredentialsProvider::SharedFilesCredentialsProvider()
    : SharedFilesCredentialsProvider(profile_from_environment(), shared_file_paths_from_environment()) {}

SharedFilesCredentialsProvider::SharedFilesCredentialsProvider(std::string profile, SharedFilePaths paths)
    : profile_(std::move(profile)), paths_(std::move(paths)) {}

model::Result<Credentials, AwsError> SharedFilesCredentialsProvider::get() {
  std::lock_guard<std::mutex> g(mu_);
  if (cached_) return *cached_;
  SharedProfile p = load_shared_profile(profile_, paths_);
  if (!p.found)
    return model::err(cred_error("NoCredentials", "profile '" + profile_ + "' not found in " +
                                                      paths_.credentials_file + " or " + paths_.config_file));
  Credentials c{p.values["aws_access_key_id"], p.values["aws_secret_access_key"],
                p.values["aws_session_token"]};
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    // A profile with only a region (or role_arn/sso settings we don't support) has no keys.
    bool other_source = p.values.count("role_arn") || p.values.count("sso_start_url") ||
                        p.values.count("sso_session") || p.values.count("credential_process");
    return model::err(cred_error(
        other_source || (c.access_key_id.empty() && c.secret_access_key.empty()) ? "NoCredentials"
                                                                                : "InvalidCredentials",
        "profile '" + profile_ + "' has no aws_access_key_id/aws_secret_access_key" +
            (other_source ? " (SSO and credential_process profiles are not supported)" : "")));
  }
  cached_ = c;
  return c;
}

model::Result<Credentials, AwsError> ChainCredentialsProvider::get() {
  std::string tried;
  for (const auto& p : chain_) {
    auto r = p->get();
    if (r.ok()) return r;
    if (r.error().code != "NoCredentials") return r;
    tried += (tried.empty() ? "" : "; ") + r.error().message;
  }
  return model::err(cred_error("NoCredentials", "no AWS credentials found: " + tried));
}

std::shared_ptr<CredentialsProvider> static_credentials_chain() {
  return std::make_shared<ChainCredentialsProvider>(std::vector<std::shared_ptr<CredentialsProvider>>{
      std::make_shared<EnvCredentialsProvider>(), std::make_shared<SharedFilesCredentialsProvider>()});
}

std::string default_region_from_environment() {
  std::string r = env("AWS_REGION");
  if (r.empty()) r = env("AWS_DEFAULT_REGION");
  if (r.empty()) {
    SharedProfile p = load_shared_profile(profile_from_environment(), shared_file_paths_from_environment());
    r = p.values["region"];
  }
  return r;
}

}  // namespace aws
