// Helpers for the credentials tests: environment variables set for one test, temp files, a
// settable clock, and canned STS replies.
#pragma once

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

namespace creds_test {

// Sets or clears environment variables for one test and restores them afterwards.
class ScopedEnv {
 public:
  void set(const char* name, const char* value) {
    if (!saved_.count(name)) {
      const char* old = std::getenv(name);
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
    }
    value ? setenv(name, value, 1) : unsetenv(name);
  }
  // Clears every variable a credentials provider reads.
  void clear_aws() {
    for (const char* n : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                          "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
                          "AWS_ROLE_SESSION_NAME", "AWS_REGION", "AWS_DEFAULT_REGION"})
      set(n, nullptr);
  }
  ~ScopedEnv() {
    for (auto& [k, v] : saved_) v ? setenv(k.c_str(), v->c_str(), 1) : unsetenv(k.c_str());
  }

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

// A temp folder named after the running test, removed at the end.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("drctl-sts-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return (path_ / name).string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A clock the test moves by hand. Thread-safe.
class ManualClock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point t) : now_(std::make_shared<State>(t)) {}
  std::chrono::system_clock::time_point now() const {
    std::lock_guard<std::mutex> g(now_->mu);
    return now_->t;
  }
  void advance(std::chrono::seconds d) {
    std::lock_guard<std::mutex> g(now_->mu);
    now_->t += d;
  }
  std::function<std::chrono::system_clock::time_point()> fn() const {
    auto s = now_;
    return [s] {
      std::lock_guard<std::mutex> g(s->mu);
      return s->t;
    };
  }

 private:
  struct State {
    explicit State(std::chrono::system_clock::time_point t) : t(t) {}
    std::mutex mu;
    std::chrono::system_clock::time_point t;
  };
  std::shared_ptr<State> now_;
};

// 2026-01-01T00:00:00Z
inline std::chrono::system_clock::time_point kT0 = std::chrono::system_clock::from_time_t(1767225600);

// A successful AssumeRole / AssumeRoleWithWebIdentity reply.
inline std::string sts_reply(const std::string& action, const std::string& key_id, const std::string& secret,
                             const std::string& token, const std::string& expiration) {
  return "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" + action +
         "Result><Credentials><AccessKeyId>" + key_id + "</AccessKeyId><SecretAccessKey>" + secret +
         "</SecretAccessKey><SessionToken>" + token + "</SessionToken><Expiration>" + expiration +
         "</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/ci/s"
         "</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser></" +
         action + "Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></" + action +
         "Response>";
}

inline std::string sts_error(const std::string& code, const std::string& message) {
  return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>" +
         code + "</Code><Message>" + message + "</Message></Error><RequestId>req-err</RequestId></ErrorResponse>";
}

}  // namespace creds_test
