// Role profiles: role_arn with source_profile (chained), credential_source, web_identity_token_file,
// the cycle guard, and the misconfigurations refused with a message naming the profile.
#include "aws/role_profiles.h"

#include <gtest/gtest.h>

#include "aws/credentials_test_util.h"
#include "fakes/fake_transport.h"

namespace {

using creds_test::sts_reply;

class RoleProfiles : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.clear_aws();
    token_file_ = dir_.write("token", "oidc-token-value");
    dir_.write("credentials",
               "[base]\n"
               "aws_access_key_id = AKIDBASE\n"
               "aws_secret_access_key = base-secret\n"
               "[selfref]\n"
               "aws_access_key_id = AKIDSELF\n"
               "aws_secret_access_key = self-secret\n");
    dir_.write("config",
               "[profile deploy]\n"
               "role_arn = arn:aws:iam::111111111111:role/deploy\n"
               "source_profile = base\n"
               "external_id = ext-1\n"
               "role_session_name = deploy-session\n"
               "duration_seconds = 900\n"
               "[profile chained]\n"
               "role_arn = arn:aws:iam::222222222222:role/inner\n"
               "source_profile = deploy\n"
               "[profile selfref]\n"
               "role_arn = arn:aws:iam::111111111111:role/self\n"
               "source_profile = selfref\n"
               "[profile envsource]\n"
               "role_arn = arn:aws:iam::111111111111:role/env\n"
               "credential_source = Environment\n"
               "[profile imds]\n"
               "role_arn = arn:aws:iam::111111111111:role/imds\n"
               "credential_source = Ec2InstanceMetadata\n"
               "[profile loop-a]\n"
               "role_arn = arn:aws:iam::111111111111:role/a\n"
               "source_profile = loop-b\n"
               "[profile loop-b]\n"
               "role_arn = arn:aws:iam::111111111111:role/b\n"
               "source_profile = loop-a\n"
               "[profile both]\n"
               "role_arn = arn:aws:iam::111111111111:role/x\n"
               "source_profile = base\n"
               "credential_source = Environment\n"
               "[profile neither]\n"
               "role_arn = arn:aws:iam::111111111111:role/x\n"
               "[profile ghost-source]\n"
               "role_arn = arn:aws:iam::111111111111:role/x\n"
               "source_profile = ghost\n"
               "[profile long]\n"
               "role_arn = arn:aws:iam::111111111111:role/x\n"
               "source_profile = base\n"
               "duration_seconds = 99999\n"
               "[profile web]\n"
               "role_arn = arn:aws:iam::111111111111:role/web\n"
               "web_identity_token_file = " +
                   token_file_ +
                   "\n"
                   "role_session_name = web-session\n"
                   "[profile keys-only]\n"
                   "region = eu-west-1\n");
    paths_ = {dir_.path("credentials"), dir_.path("config")};
    sts_.client.transport = transport_;
    sts_.client.default_region = "us-east-1";
    sts_.client.backoff_base = std::chrono::milliseconds(0);
    sts_.clock = clock_.fn();
  }

  model::Result<aws::Credentials, aws::AwsError> get(const std::string& profile) {
    return aws::role_profile_provider(profile, paths_, sts_)->get();
  }
  void push_role(const std::string& key) {
    transport_->push(200, sts_reply("AssumeRole", key, key + "-secret", key + "-session", "2026-01-01T01:00:00Z"));
  }
  std::string auth(size_t i) { return fakes::header(transport_->requests().at(i), "Authorization"); }
  std::string form(size_t i, const char* key) { return fakes::form_value(transport_->requests().at(i), key); }

  creds_test::ScopedEnv env_;
  creds_test::TempDir dir_;
  creds_test::ManualClock clock_{creds_test::kT0};
  std::string token_file_;
  aws::SharedFilePaths paths_;
  aws::StsContext sts_;
  std::shared_ptr<fakes::FakeTransport> transport_ = std::make_shared<fakes::FakeTransport>();
};

TEST_F(RoleProfiles, SourceProfileKeysSignAssumeRoleWithTheProfileSettings) {
  push_role("ASIADEPLOY");
  auto c = get("deploy");
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c->access_key_id, "ASIADEPLOY");
  EXPECT_EQ(c->session_token, "ASIADEPLOY-session");
  ASSERT_EQ(transport_->request_count(), 1u);
  EXPECT_NE(auth(0).find("Credential=AKIDBASE/"), std::string::npos);
  EXPECT_EQ(form(0, "RoleArn"), "arn:aws:iam::111111111111:role/deploy");
  EXPECT_EQ(form(0, "ExternalId"), "ext-1");
  EXPECT_EQ(form(0, "RoleSessionName"), "deploy-session");
  EXPECT_EQ(form(0, "DurationSeconds"), "900");
}

TEST_F(RoleProfiles, ChainedRolesAssumeInOrderEachSignedByThePrevious) {
  push_role("ASIADEPLOY");
  push_role("ASIAINNER");
  auto c = get("chained");
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c->access_key_id, "ASIAINNER");
  ASSERT_EQ(transport_->request_count(), 2u);
  EXPECT_EQ(form(0, "RoleArn"), "arn:aws:iam::111111111111:role/deploy");
  EXPECT_NE(auth(0).find("Credential=AKIDBASE/"), std::string::npos);
  EXPECT_EQ(form(1, "RoleArn"), "arn:aws:iam::222222222222:role/inner");
  EXPECT_NE(auth(1).find("Credential=ASIADEPLOY/"), std::string::npos);
  EXPECT_EQ(fakes::header(transport_->requests()[1], "X-Amz-Security-Token"), "ASIADEPLOY-session");
}

TEST_F(RoleProfiles, SourceProfileNamingItselfUsesItsOwnKeys) {
  push_role("ASIASELF");
  auto c = get("selfref");
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_NE(auth(0).find("Credential=AKIDSELF/"), std::string::npos);
}

TEST_F(RoleProfiles, CredentialSourceEnvironment) {
  env_.set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.set("AWS_SECRET_ACCESS_KEY", "env-secret");
  push_role("ASIAENVROLE");
  auto c = get("envsource");
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_NE(auth(0).find("Credential=AKIDENV/"), std::string::npos);
}

TEST_F(RoleProfiles, WebIdentityTokenFileInProfile) {
  transport_->push(200, sts_reply("AssumeRoleWithWebIdentity", "ASIAWEB", "s", "t", "2026-01-01T01:00:00Z"));
  auto c = get("web");
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c->access_key_id, "ASIAWEB");
  EXPECT_EQ(auth(0), "");
  EXPECT_EQ(form(0, "WebIdentityToken"), "oidc-token-value");
  EXPECT_EQ(form(0, "RoleSessionName"), "web-session");

  dir_.write("token", "");  // a fresh provider reads the now empty file: its message names the profile
  auto p = aws::role_profile_provider("web", paths_, sts_);
  auto r = p->get();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("web_identity_token_file of profile 'web'"), std::string::npos)
      << r.error().message;
}

TEST_F(RoleProfiles, SourceProfileCycleIsRefused) {
  auto r = get("loop-a");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InvalidCredentials");
  EXPECT_NE(r.error().message.find("source_profile loop: loop-a -> loop-b -> loop-a"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(transport_->request_count(), 0u);
}

TEST_F(RoleProfiles, MisconfigurationsNameTheProfileAndTheFix) {
  struct Case {
    const char* profile;
    const char* says;
  };
  for (const Case& c : {Case{"imds", "credential_source Ec2InstanceMetadata is not supported by drctl"},
                        Case{"both", "sets both source_profile and credential_source"},
                        Case{"neither", "no source_profile, credential_source or web_identity_token_file"},
                        Case{"ghost-source", "profile 'ghost' (source_profile of profile 'ghost-source') is not in"},
                        Case{"long", "duration_seconds = 99999"}}) {
    auto r = get(c.profile);
    ASSERT_FALSE(r.ok()) << c.profile;
    EXPECT_EQ(r.error().code, "InvalidCredentials") << c.profile;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("Fix:"), std::string::npos) << r.error().message;
  }
  EXPECT_EQ(transport_->request_count(), 0u);
}

TEST_F(RoleProfiles, ProfilesWithoutRoleLeaveItToTheNextProvider) {
  EXPECT_EQ(get("keys-only").error().code, "NoCredentials");
  EXPECT_EQ(get("base").error().code, "NoCredentials");
  EXPECT_EQ(get("no-such-profile").error().code, "NoCredentials");
}

TEST_F(RoleProfiles, DefaultChainUsesTheActiveRoleProfileBeforeItsKeys) {
  env_.set("AWS_SHARED_CREDENTIALS_FILE", paths_.credentials_file.c_str());
  env_.set("AWS_CONFIG_FILE", paths_.config_file.c_str());
  env_.set("AWS_PROFILE", "selfref");  // has keys and a role: the role wins, as in the AWS CLI
  push_role("ASIASELF");
  auto c = aws::default_credentials_chain(sts_)->get();
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c->access_key_id, "ASIASELF");

  // AWS_PROFILE naming a role profile beats environment keys; those sign its AssumeRole.
  env_.set("AWS_PROFILE", "envsource");
  env_.set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.set("AWS_SECRET_ACCESS_KEY", "env-secret");
  push_role("ASIAENVROLE");
  auto e = aws::default_credentials_chain(sts_)->get();
  ASSERT_TRUE(e.ok()) << e.error().describe();
  EXPECT_EQ(e->access_key_id, "ASIAENVROLE");
  EXPECT_NE(auth(1).find("Credential=AKIDENV/"), std::string::npos);

  env_.set("AWS_PROFILE", "base");  // a plain key profile: environment keys still come first
  EXPECT_EQ(aws::default_credentials_chain(sts_)->get()->access_key_id, "AKIDENV");
  env_.set("AWS_ACCESS_KEY_ID", nullptr);
  env_.set("AWS_SECRET_ACCESS_KEY", nullptr);
  auto k = aws::default_credentials_chain(sts_)->get();
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->access_key_id, "AKIDBASE");
}

}  // namespace
