// Credentials: environment, shared credentials/config files with profiles, the default chain.
#include "aws/credentials.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

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
  ~ScopedEnv() {
    for (auto& [k, v] : saved_) v ? setenv(k.c_str(), v->c_str(), 1) : unsetenv(k.c_str());
  }

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

class SharedFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("drctl-creds-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    write("credentials",
          "# comment\n"
          "[default]\n"
          "aws_access_key_id = AKIDDEFAULT\n"
          "aws_secret_access_key = default-secret\n"
          "\n"
          "[dr]\n"
          "AWS_ACCESS_KEY_ID=AKIDDR\n"
          "aws_secret_access_key=dr-secret\n"
          "aws_session_token = dr-token\n"
          "[broken]\n"
          "aws_access_key_id = AKIDBROKEN\n");
    write("config",
          "[default]\n"
          "region = us-east-1\n"
          "[profile dr]\n"
          "region = us-west-2\n"
          "s3 =\n"
          "  addressing_style = path\n"
          "output = json\n"
          "[profile only-config]\n"
          "region = eu-west-1\n"
          "aws_access_key_id = AKIDCONFIG\n"
          "aws_secret_access_key = config-secret\n"
          "[profile sso]\n"
          "sso_session = corp\n");
    env_.set("AWS_SHARED_CREDENTIALS_FILE", (dir_ / "credentials").c_str());
    env_.set("AWS_CONFIG_FILE", (dir_ / "config").c_str());
    env_.set("AWS_ACCESS_KEY_ID", nullptr);
    env_.set("AWS_SECRET_ACCESS_KEY", nullptr);
    env_.set("AWS_SESSION_TOKEN", nullptr);
    env_.set("AWS_PROFILE", nullptr);
    env_.set("AWS_DEFAULT_PROFILE", nullptr);
    env_.set("AWS_REGION", nullptr);
    env_.set("AWS_DEFAULT_REGION", nullptr);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }

  fs::path dir_;
  ScopedEnv env_;
};

TEST(ParseIni, SectionsKeysCommentsAndNestedBlocks) {
  auto ini = aws::parse_ini("; c\n[a]\nK = v  \n  nested = x\n[profile b]\nx=1=2\n# c\n[empty]\n");
  EXPECT_EQ(ini["a"], (std::map<std::string, std::string>{{"k", "v"}}));
  EXPECT_EQ(ini["profile b"]["x"], "1=2");
  EXPECT_TRUE(ini.count("empty"));
}

TEST_F(SharedFiles, DefaultProfile) {
  auto c = aws::SharedFilesCredentialsProvider().get();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(c->secret_access_key, "default-secret");
  EXPECT_EQ(c->session_token, "");
  EXPECT_EQ(aws::default_region_from_environment(), "us-east-1");
}

TEST_F(SharedFiles, NamedProfileFromAwsProfileWithRegionFromConfig) {
  env_.set("AWS_PROFILE", "dr");
  auto c = aws::SharedFilesCredentialsProvider().get();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->access_key_id, "AKIDDR");
  EXPECT_EQ(c->session_token, "dr-token");
  EXPECT_EQ(aws::default_region_from_environment(), "us-west-2");
  auto p = aws::load_shared_profile("dr", aws::shared_file_paths_from_environment());
  EXPECT_EQ(p.values["output"], "json");
  EXPECT_FALSE(p.values.count("addressing_style"));
}

TEST_F(SharedFiles, KeysInConfigFileProfile) {
  auto c = aws::SharedFilesCredentialsProvider("only-config", aws::shared_file_paths_from_environment()).get();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->access_key_id, "AKIDCONFIG");
}

TEST_F(SharedFiles, RegionEnvWinsOverProfile) {
  env_.set("AWS_PROFILE", "dr");
  env_.set("AWS_DEFAULT_REGION", "ap-south-1");
  EXPECT_EQ(aws::default_region_from_environment(), "ap-south-1");
  env_.set("AWS_REGION", "eu-north-1");
  EXPECT_EQ(aws::default_region_from_environment(), "eu-north-1");
}

TEST_F(SharedFiles, MissingProfileAndIncompleteProfile) {
  auto missing = aws::SharedFilesCredentialsProvider("nope", aws::shared_file_paths_from_environment()).get();
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "NoCredentials");
  auto broken = aws::SharedFilesCredentialsProvider("broken", aws::shared_file_paths_from_environment()).get();
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, "InvalidCredentials");
  EXPECT_NE(broken.error().message.find("broken"), std::string::npos);
  auto sso = aws::SharedFilesCredentialsProvider("sso", aws::shared_file_paths_from_environment()).get();
  ASSERT_FALSE(sso.ok());
  EXPECT_NE(sso.error().message.find("not supported"), std::string::npos);
}

TEST_F(SharedFiles, ChainPrefersEnvironmentThenFiles) {
  auto chain = aws::static_credentials_chain();
  auto from_files = chain->get();
  ASSERT_TRUE(from_files.ok());
  EXPECT_EQ(from_files->access_key_id, "AKIDDEFAULT");

  env_.set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.set("AWS_SECRET_ACCESS_KEY", "env-secret");
  env_.set("AWS_SESSION_TOKEN", "env-token");
  auto from_env = aws::static_credentials_chain()->get();
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(from_env->access_key_id, "AKIDENV");
  EXPECT_EQ(from_env->session_token, "env-token");
}

TEST_F(SharedFiles, HalfSetEnvironmentStopsTheChain) {
  env_.set("AWS_ACCESS_KEY_ID", "AKIDENV");
  auto r = aws::static_credentials_chain()->get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InvalidCredentials");
}

TEST_F(SharedFiles, NothingAnywhere) {
  env_.set("AWS_SHARED_CREDENTIALS_FILE", (dir_ / "absent").c_str());
  env_.set("AWS_CONFIG_FILE", (dir_ / "absent2").c_str());
  auto r = aws::static_credentials_chain()->get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "NoCredentials");
  EXPECT_EQ(aws::default_region_from_environment(), "");
}

TEST_F(SharedFiles, ErrorsNeverContainSecrets) {
  env_.set("AWS_SECRET_ACCESS_KEY", "env-secret-value");  // key id missing: incomplete
  auto r = aws::static_credentials_chain()->get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InvalidCredentials");
  EXPECT_EQ(r.error().message.find("env-secret-value"), std::string::npos);
  EXPECT_EQ(r.error().describe().find("env-secret-value"), std::string::npos);
}

}  // namespace
