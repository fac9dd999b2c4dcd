"""The CI examples (examples/ci/github-actions.yml, gitlab-ci.yml) are parsed as YAML, their
structure is checked (triggers, the apply lock, OIDC, artifacts), and every `drctl ...` line of
their plan, apply and drift jobs is run against moto with signatures checked, in job order, with
the workflow's own variables (STACK_DIR, DRCTL_STATE, PLAN_FILE, ...) and its stdout redirects:
plan exits 2 (changes) and writes the Markdown and the saved plan the workflow uploads, apply of
that saved plan exits 0 (checked with boto3), nightly drift exits 0 on the clean stack and writes
the HTML it uploads, and a second plan exits 0.

The workdir stands in for the CI checkout; the state file stays in it between jobs where CI
copies it to and from S3 (`aws s3 cp` lines are not run). The stack has backups, which rely on
the Backup extension to moto (tests/moto), hence "_via_extension".
"""

import re
import shlex

import yaml

from harness.moto_env import MotoTestCase, REPO_ROOT
from stacks import create_estate, write_stack

CI = REPO_ROOT / "examples" / "ci"
SHELL_OPERATORS = {"||", "&&", "|", ";", ">", ">>", "2>", "2>&1", "&"}
VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")


def load(name):
    return yaml.safe_load((CI / name).read_text())


def script_lines(script):
    """A shell script's logical lines (backslash continuations joined), stripped."""
    if isinstance(script, list):
        script = "\n".join(script)
    return [line.strip() for line in re.sub(r"\\\n\s*", " ", script or "").splitlines() if line.strip()]


def drctl_lines(script):
    return [line for line in script_lines(script) if line.startswith("drctl ")]


def parse_drctl(line, variables):
    """drctl's argv (variables expanded from the workflow's own) and the stdout redirect target."""
    tokens = shlex.split(line)
    argv, stdout_to = [], None
    for i, tok in enumerate(tokens):
        if tok in (">", ">>"):
            stdout_to = VAR.sub(lambda m: variables[m.group(1)], tokens[i + 1])
            break
        if tok in SHELL_OPERATORS:
            break
        argv.append(VAR.sub(lambda m: variables[m.group(1)], tok))
    return argv[1:], stdout_to


def github_jobs():
    doc = load("github-actions.yml")
    return doc, {name: "\n".join(s.get("run", "") for s in job["steps"]) for name, job in doc["jobs"].items()}


def gitlab_jobs():
    doc = load("gitlab-ci.yml")
    scripts = {}
    for name, job in doc.items():
        if isinstance(job, dict) and "script" in job:
            scripts[name] = script_lines(job.get("before_script", [])) + script_lines(job["script"])
    return doc, scripts


class CiExamples(MotoTestCase):

    # ------------------------------------------------------------ structure

    def test_github_actions_structure(self):
        doc, scripts = github_jobs()
        on = doc.get("on", doc.get(True))  # YAML 1.1 reads the bare key `on` as true
        self.assertIn("pull_request", on)
        self.assertEqual(on["push"]["branches"], ["main"])
        self.assertTrue(on["schedule"][0]["cron"])
        jobs = doc["jobs"]
        plan, apply, drift = jobs["plan"], jobs["apply"], jobs["drift"]
        self.assertIn("pull_request", plan["if"])
        self.assertIn("push", apply["if"])
        self.assertIn("schedule", drift["if"])
        # Two applies never overlap, are never cancelled half-way, and drift shares their lock.
        self.assertEqual(apply["concurrency"]["group"], drift["concurrency"]["group"])
        self.assertIs(apply["concurrency"]["cancel-in-progress"], False)
        self.assertNotIn("${{", apply["concurrency"]["group"])
        for name in ("plan", "apply", "drift"):
            self.assertEqual(jobs[name]["permissions"]["id-token"], "write", name)
            roles = [s["with"]["role-to-assume"] for s in jobs[name]["steps"]
                     if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@")]
            self.assertEqual(len(roles), 1, name)
        self.assertEqual(plan["permissions"]["pull-requests"], "write")
        env = doc["env"]

        def uploads(job):
            return [s["with"] for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]

        plan_upload = uploads(plan)[0]
        self.assertTrue(env["PLAN_FILE"].startswith(plan_upload["path"].rstrip("/") + "/"))
        comment = next(s for s in plan["steps"] if "gh pr comment" in s.get("run", ""))
        self.assertIn("$PLAN_MD", comment["run"])
        download = next(s["with"] for s in apply["steps"]
                        if s.get("uses", "").startswith("actions/download-artifact@") and "run-id" in s.get("with", {}))
        self.assertEqual(download["name"].split("${{")[0], plan_upload["name"].split("${{")[0])
        self.assertTrue(env["PLAN_FILE"].startswith(download["path"] + "/"))
        drift_step = next(s for s in drift["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
        self.assertIn("always()", drift_step["if"])
        self.assertTrue(env["DRIFT_HTML"].startswith(drift_step["with"]["path"].rstrip("/") + "/"))
        # The apply applies the saved plan, not the folder.
        self.assertEqual([parse_drctl(l, env)[0][:2] for l in drctl_lines(scripts["apply"])],
                         [["apply", env["PLAN_FILE"]]])
        for job, script in scripts.items():
            for line in drctl_lines(script):
                self.assertNotIn("${{", line, f"{job}: drctl lines use shell variables only")

    def test_gitlab_ci_structure(self):
        doc, scripts = gitlab_jobs()
        sources = " ".join(r["if"] for r in doc["workflow"]["rules"])
        for source in ("merge_request_event", "schedule", "CI_DEFAULT_BRANCH"):
            self.assertIn(source, sources)
        self.assertEqual(doc["apply"]["resource_group"], doc["drift"]["resource_group"])
        self.assertTrue(doc["plan"]["interruptible"])
        self.assertNotIn("interruptible", doc["apply"])
        base = doc[".drctl"]
        self.assertEqual(base["id_tokens"]["AWS_ID_TOKEN"]["aud"], "sts.amazonaws.com")
        before = " ".join(base["before_script"])
        self.assertIn("AWS_WEB_IDENTITY_TOKEN_FILE", before)
        for name in ("plan", "apply", "drift"):
            self.assertEqual(doc[name]["extends"], ".drctl")
            self.assertTrue(doc[name]["variables"]["AWS_ROLE_ARN"].startswith("$AWS_"), name)
        variables = doc["variables"]
        self.assertIn(variables["PLAN_DIR"] + "/", [p if p.endswith("/") else p + "/" for p in doc["plan"]["artifacts"]["paths"]])
        self.assertTrue(variables["PLAN_FILE"].startswith(variables["PLAN_DIR"] + "/"))
        self.assertEqual(doc["drift"]["artifacts"]["when"], "always")
        self.assertTrue(variables["DRIFT_HTML"].startswith(doc["drift"]["artifacts"]["paths"][0]))
        self.assertEqual([parse_drctl(l, variables)[0][:2] for l in drctl_lines(scripts["apply"])],
                         [["apply", variables["PLAN_FILE"]]])

    # ------------------------------------------------------------ the drctl lines, run

    def run_flow(self, variables, scripts):
        """plan -> apply (of the saved plan) -> nightly drift -> plan again, as the workflow does."""
        self.moto.reset()
        work = self.make_workdir()
        write_stack(work / variables["STACK_DIR"])
        create_estate(self.moto)
        env = self.moto.env(**{k: str(v) for k, v in variables.items()})
        (work / variables["DRCTL_STATE"]).parent.mkdir(parents=True, exist_ok=True)

        def run_job(job, want):
            lines = drctl_lines(scripts[job])
            self.assertTrue(lines, f"job {job} runs no drctl command")
            outputs = []
            for line in lines:
                args, stdout_to = parse_drctl(line, variables)
                if stdout_to:
                    (work / stdout_to).parent.mkdir(parents=True, exist_ok=True)
                r = self.run_drctl(*args, env=env, cwd=work, timeout_s=300)
                self.assertEqual(r.exit_code, want[args[0]], f"{job}: {line}\n{r.output()}")
                if stdout_to:
                    (work / stdout_to).write_text(r.stdout)
                    outputs.append(work / stdout_to)
            return outputs

        [plan_md] = run_job("plan", {"plan": 2})
        self.assertIn("shop", plan_md.read_text())
        self.assertTrue((work / variables["PLAN_FILE"]).is_file(), "the saved plan the workflow uploads")
        run_job("apply", {"apply": 0})
        rules = self.moto.client("s3").get_bucket_replication(Bucket="shop-assets")["ReplicationConfiguration"]["Rules"]
        self.assertEqual(rules[0]["Status"], "Enabled")
        self.moto.client("s3", "us-west-2").head_bucket(Bucket="shop-assets-dr")
        [report] = run_job("drift", {"drift": 0})
        self.assertEqual(report, work / variables["DRIFT_HTML"])
        self.assertIn("No drift", report.read_text())
        run_job("plan", {"plan": 0})

    def test_github_actions_drctl_lines_run_against_moto_via_extension(self):
        doc, scripts = github_jobs()
        self.run_flow(doc["env"], scripts)

    def test_gitlab_ci_drctl_lines_run_against_moto_via_extension(self):
        doc, scripts = gitlab_jobs()
        self.run_flow(doc["variables"], scripts)


if __name__ == "__main__":
    import unittest
    unittest.main()
