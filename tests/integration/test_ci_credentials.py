"""Issue 5 (CI): drctl with the credentials CI hands out, against moto STS with signature
checking on, results verified with boto3.

- Web identity: only AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE in the environment (no static
  keys); drctl calls AssumeRoleWithWebIdentity unsigned, then signs every call with the
  temporary keys and session token moto returned.
- A profile with role_arn + source_profile (and a chained one) in a temporary AWS_CONFIG_FILE /
  AWS_SHARED_CREDENTIALS_FILE: AssumeRole signed with the source profile's keys.
- Failures: a missing token file, a role whose trust policy refuses the source user.

moto knows the temporary keys it issues: they pass its signature check only with their session
token, and are authorised against the assumed role's own policies (so each role gets an
allow-all inline policy here). Tests named *_via_extension need tests/moto/ext_ci_credentials.py:
moto 5.2.1 answers HTTP 500 to an unsigned AssumeRoleWithWebIdentity once signature checking is
on; the extension lets that one unsigned call through, as AWS does.
"""

import json

from harness.moto_env import MotoTestCase, TEST_USER
from stacks import create_estate, write_stack

ACCOUNT = "123456789012"  # moto's default account
ALLOW_ALL = json.dumps({"Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
TOKEN = "eyJhbGciOiJSUzI1NiJ9.ci-oidc-token-for-tests.c2ln"


def trust(principal_aws):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow",
         "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"},
         "Action": "sts:AssumeRoleWithWebIdentity"},
        {"Effect": "Allow", "Principal": {"AWS": principal_aws}, "Action": "sts:AssumeRole"}]})


class CiCredentials(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.stack_dir = write_stack(self.work / "stack")
        create_estate(self.moto)
        self.user_arn = f"arn:aws:iam::{ACCOUNT}:user/{TEST_USER}"
        self.role_arn = self.make_role("drctl-ci", trust(self.user_arn))

    def make_role(self, name, trust_policy):
        iam = self.moto.client("iam")
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust_policy)["Role"]["Arn"]
        iam.put_role_policy(RoleName=name, PolicyName="all", PolicyDocument=ALLOW_ALL)
        return arn

    def env_without_keys(self, **extra):
        """moto's env with no static keys at all: credentials must come from STS."""
        return self.moto.env(AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None, AWS_SESSION_TOKEN=None,
                             **extra)

    def web_identity_env(self):
        token_file = self.work / "oidc-token"
        token_file.write_text(TOKEN + "\n")
        return self.env_without_keys(AWS_ROLE_ARN=self.role_arn, AWS_WEB_IDENTITY_TOKEN_FILE=str(token_file),
                                     AWS_ROLE_SESSION_NAME="gha-run-1")

    def profile_env(self, profile, config_text):
        """A temp config + credentials file whose `base` profile holds the test user's keys."""
        (self.work / "credentials").write_text(
            f"[base]\naws_access_key_id = {self.moto.access_key_id}\n"
            f"aws_secret_access_key = {self.moto.secret_access_key}\n")
        (self.work / "config").write_text(config_text)
        return self.env_without_keys(AWS_CONFIG_FILE=str(self.work / "config"),
                                     AWS_SHARED_CREDENTIALS_FILE=str(self.work / "credentials"),
                                     AWS_PROFILE=profile)

    def drctl(self, *args, env):
        return self.run_drctl(*args, env=env, cwd=self.work)

    def assert_plan_and_apply(self, env):
        plan = self.drctl("plan", self.stack_dir, "--detailed-exitcode", env=env)
        self.assertEqual(plan.exit_code, 2, plan.output())  # 2: changes pending
        apply = self.drctl("apply", self.stack_dir, "--auto-approve", env=env)
        self.assertEqual(apply.exit_code, 0, apply.output())
        s3_dr = self.moto.client("s3", region="us-west-2")
        for workload in ("assets", "invoices"):
            self.assertEqual(s3_dr.get_bucket_versioning(Bucket=f"shop-{workload}-dr")["Status"], "Enabled")
        config = self.moto.client("s3").get_bucket_replication(Bucket="shop-assets")["ReplicationConfiguration"]
        self.assertEqual(config["Rules"][0]["Destination"]["Bucket"], "arn:aws:s3:::shop-assets-dr")
        again = self.drctl("plan", self.stack_dir, "--detailed-exitcode", env=env)
        self.assertEqual(again.exit_code, 0, again.output())  # converged: nothing to do
        for secret in (TOKEN, self.moto.secret_access_key):
            for r in (plan, apply, again):
                self.assertNotIn(secret, r.stdout + r.stderr)

    def test_plan_and_apply_with_web_identity_only_via_extension(self):
        self.assert_plan_and_apply(self.web_identity_env())

    def test_plan_and_apply_with_role_profile_and_source_profile(self):
        env = self.profile_env("deploy", f"[profile deploy]\nrole_arn = {self.role_arn}\nsource_profile = base\n"
                                         "role_session_name = drctl-deploy\nexternal_id = ext-1\n")
        self.assert_plan_and_apply(env)

    def test_role_profile_with_credential_source_environment(self):
        env = self.profile_env("deploy", f"[profile deploy]\nrole_arn = {self.role_arn}\n"
                                         "credential_source = Environment\n")
        env.update(AWS_ACCESS_KEY_ID=self.moto.access_key_id, AWS_SECRET_ACCESS_KEY=self.moto.secret_access_key)
        plan = self.drctl("plan", self.stack_dir, "--detailed-exitcode", env=env)
        self.assertEqual(plan.exit_code, 2, plan.output())
        # Ec2InstanceMetadata is refused, naming the profile and what to use instead.
        (self.work / "config").write_text(f"[profile deploy]\nrole_arn = {self.role_arn}\n"
                                          "credential_source = Ec2InstanceMetadata\n")
        r = self.drctl("plan", self.stack_dir, env=env)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("profile 'deploy': credential_source Ec2InstanceMetadata is not supported", r.stdout + r.stderr)

    def test_chained_role_profiles(self):
        # drctl-ci is assumed with the user's keys, then drctl-inner with drctl-ci's temporary keys.
        inner = self.make_role("drctl-inner", trust(f"arn:aws:sts::{ACCOUNT}:assumed-role/drctl-ci/outer"))
        env = self.profile_env("inner", f"[profile outer]\nrole_arn = {self.role_arn}\nsource_profile = base\n"
                                        "role_session_name = outer\n"
                                        f"[profile inner]\nrole_arn = {inner}\nsource_profile = outer\n")
        plan = self.drctl("plan", self.stack_dir, "--detailed-exitcode", env=env)
        self.assertEqual(plan.exit_code, 2, plan.output())

    def test_missing_token_file_names_the_variable(self):
        env = self.env_without_keys(AWS_ROLE_ARN=self.role_arn,
                                    AWS_WEB_IDENTITY_TOKEN_FILE=str(self.work / "no-such-token"))
        r = self.drctl("plan", self.stack_dir, "--detailed-exitcode", env=env)
        self.assertEqual(r.exit_code, 1, r.output())
        # The failed reads are reported with the plan (stdout); each names the variable and path.
        self.assertIn("AWS_WEB_IDENTITY_TOKEN_FILE (" + str(self.work / "no-such-token") + "): No such file",
                      r.stdout + r.stderr)

    def test_role_that_does_not_trust_the_source_is_refused_with_the_fix(self):
        untrusting = self.make_role("drctl-untrusting", trust(f"arn:aws:iam::{ACCOUNT}:user/someone-else"))
        env = self.profile_env("deploy", f"[profile deploy]\nrole_arn = {untrusting}\nsource_profile = base\n")
        r = self.drctl("plan", self.stack_dir, "--detailed-exitcode", env=env)
        self.assertEqual(r.exit_code, 1, r.output())
        output = r.stdout + r.stderr
        self.assertIn("AccessDenied", output)
        self.assertIn(f"cannot assume role {untrusting} (from profile 'deploy')", output)
        self.assertIn("Fix: the trust policy of", output)
        self.assertNotIn(self.moto.secret_access_key, r.stdout + r.stderr)
        s3_dr = self.moto.client("s3", region="us-west-2")
        self.assertNotIn("shop-assets-dr", [b["Name"] for b in s3_dr.list_buckets()["Buckets"]])

    def test_source_profile_cycle_is_refused(self):
        env = self.profile_env("a", f"[profile a]\nrole_arn = {self.role_arn}\nsource_profile = b\n"
                                    f"[profile b]\nrole_arn = {self.role_arn}\nsource_profile = a\n")
        r = self.drctl("plan", self.stack_dir, "--detailed-exitcode", env=env)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("source_profile loop: a -> b -> a", r.stdout + r.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
