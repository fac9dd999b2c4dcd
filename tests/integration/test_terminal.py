"""The terminal: progress on a TTY (status line redrawn in place) and in logs (one line per
event), --quiet, --log-format json, help examples, bash/zsh completion and the man page, all
generated from drctl's own command definitions, and one clear error for missing credentials."""
import json
import os
import pty
import re
import select
import shutil
import subprocess
import time
import unittest

from harness.moto_env import MotoTestCase, drctl_bin
from stacks import EXPECTED_ADDRESSES, create_estate, write_stack

STATUS_LINE = re.compile(rb"\r\x1b\[K\[(\d+)/(\d+) \d+\.\ds\] (\d+) in flight: ")
FINISHED_LINE = re.compile(r"^\[(\d+)/(\d+) \d+\.\ds\] (\S+): (\S+) done$")
STARTED_LINE = re.compile(r"^(\S+): (\S+)\.\.\.$")


def run_in_pty(argv, env, cwd, timeout_s=120):
    """Runs argv with stdin, stdout and stderr on a pseudo-terminal; returns (exit code, bytes)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=slave, stdout=slave, stderr=slave,
                            start_new_session=True)
    os.close(slave)
    seen = b""
    deadline = time.time() + timeout_s
    try:
        while time.time() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=max(1, deadline - time.time()))
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
        os.close(master)
    return code, seen


class TerminalProgress(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.env = self.moto.env(NO_COLOR="1", TERM="xterm")
        self.work = self.make_workdir()
        self.stack_dir = write_stack(self.work / "stack")
        create_estate(self.moto)

    def drctl(self, *args, env=None):
        return self.run_drctl(*args, env=env or self.env, cwd=self.work)

    def assert_applied(self):
        """Independently of drctl's output: the DR buckets exist with versioning."""
        s3_dr = self.moto.client("s3", region="us-west-2")
        for workload in ("assets", "invoices"):
            self.assertEqual(s3_dr.get_bucket_versioning(Bucket=f"shop-{workload}-dr")["Status"], "Enabled")

    def test_apply_on_a_terminal_redraws_one_status_line_in_place_via_extension(self):
        code, seen = run_in_pty([str(drctl_bin()), "apply", str(self.stack_dir), "--auto-approve"],
                                self.env, self.work)
        self.assertEqual(code, 0, seen.decode(errors="replace"))
        self.assert_applied()
        statuses = STATUS_LINE.findall(seen)
        self.assertTrue(statuses, seen.decode(errors="replace"))
        total = int(statuses[0][1])
        self.assertEqual(total, len(EXPECTED_ADDRESSES))
        self.assertTrue(all(int(t) == total and 0 <= int(d) < total and int(f) >= 1 for d, t, f in statuses))
        # Each finished step is a permanent line; the last one counts every step.
        text = seen.decode(errors="replace").replace("\r\x1b[K", "\n").replace("\r\n", "\n")
        finished = [m for m in map(FINISHED_LINE.match, text.splitlines()) if m]
        self.assertEqual({m.group(3) for m in finished}, EXPECTED_ADDRESSES)
        self.assertIn(f"[{total}/{total} ", text)
        # The refresh of the plan drew its counter in place on stderr, then erased it.
        self.assertRegex(seen, rb"\r\x1b\[Krefreshing \d+/\d+ ")
        self.assertIn(b"Apply complete", seen)

    def test_apply_without_a_terminal_prints_one_plain_line_per_event_via_extension(self):
        r = self.drctl("apply", self.stack_dir, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        self.assert_applied()
        self.assertNotIn("\x1b", r.stdout + r.stderr)
        self.assertNotIn("\r", r.stdout + r.stderr)
        self.assertNotIn("refreshing", r.stdout + r.stderr)
        lines = r.stdout.splitlines()
        started = {m.group(1) for m in map(STARTED_LINE.match, lines) if m}
        finished = [m for m in map(FINISHED_LINE.match, lines) if m]
        self.assertEqual(started, EXPECTED_ADDRESSES)
        self.assertEqual({m.group(3) for m in finished}, EXPECTED_ADDRESSES)
        self.assertEqual([int(m.group(1)) for m in finished], list(range(1, len(EXPECTED_ADDRESSES) + 1)))

    def test_quiet_prints_no_progress_even_on_a_terminal_via_extension(self):
        code, seen = run_in_pty([str(drctl_bin()), "apply", str(self.stack_dir), "--auto-approve", "--quiet"],
                                self.env, self.work)
        text = seen.decode(errors="replace")
        self.assertEqual(code, 0, text)
        self.assert_applied()
        self.assertIn("Apply complete", text)
        self.assertNotRegex(text, r"\[\d+/\d+ ")
        self.assertNotIn("refreshing", text)
        self.assertNotIn("\x1b[K", text)
        # The flag works before the command too.
        r = self.drctl("-q", "plan", self.stack_dir)
        self.assertEqual(r.exit_code, 0, r.output())

    def test_log_format_json_is_one_event_per_line_with_start_and_finish_per_step_via_extension(self):
        r = self.drctl("--log-format", "json", "apply", self.stack_dir, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        self.assert_applied()
        events = [json.loads(line) for line in r.stderr.splitlines() if line.strip()]
        for e in events:
            self.assertTrue({"ts", "level", "event"} <= e.keys(), e)
        started = [e["address"] for e in events if e["event"] == "step.started"]
        finished = [e for e in events if e["event"] == "step.finished"]
        self.assertEqual(sorted(started), sorted(EXPECTED_ADDRESSES))
        self.assertEqual({e["address"] for e in finished}, EXPECTED_ADDRESSES)
        for e in finished:
            self.assertEqual(e["outcome"], "succeeded", e)
            self.assertEqual(e["action"], "create", e)
            self.assertGreaterEqual(e["elapsed_s"], 0)
        self.assertTrue(any(e["event"] == "refresh.progress" for e in events))
        self.assertEqual(events[-1]["event"], "run.finished")
        self.assertEqual(events[-1]["succeeded"], len(EXPECTED_ADDRESSES))
        # The human progress lines are replaced, not duplicated, and no secret is logged.
        self.assertNotRegex(r.stdout, r"\[\d+/\d+ ")
        self.assertNotIn(self.env["AWS_SECRET_ACCESS_KEY"], r.stdout + r.stderr)

    def test_missing_credentials_are_one_error_naming_what_to_set_before_any_read(self):
        env = self.moto.env(AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None, AWS_PROFILE=None)
        r = self.drctl("plan", self.stack_dir, env=env)
        self.assertEqual(r.exit_code, 1, r.output())
        errors = [line for line in r.stderr.splitlines() if "error" in line.lower()]
        self.assertEqual(len(errors), 1, r.output())
        self.assertIn("no AWS credentials", errors[0])
        self.assertIn("AWS_ACCESS_KEY_ID", r.stderr)
        self.assertIn("AWS_PROFILE", r.stderr)
        self.assertNotIn("s3.bucket", r.stdout + r.stderr)
        # apply takes the state lock first: the aborted command releases it on the way out.
        r = self.drctl("apply", self.stack_dir, "--auto-approve", env=env)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertEqual(r.stderr.count("no AWS credentials"), 1, r.output())
        r = self.drctl("apply", self.stack_dir, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        self.assert_applied()


class HelpCompletionMan(MotoTestCase):

    def drctl(self, *args):
        return self.run_drctl(*args, env=self.moto.env())

    def commands(self):
        """Every subcommand path, from the generated man page (so from drctl's own definitions)."""
        man = self.drctl("completion", "man")
        self.assertEqual(man.exit_code, 0, man.output())
        paths = []
        for line in man.stdout.splitlines():
            m = re.match(r'^\.SS "drctl ((?:[a-z][a-z\\-]*)(?: [a-z][a-z\\-]*)*)', line)
            if m:
                words = m.group(1).replace("\\-", "-").split()
                paths.append(" ".join(w for w in words if w == w.lower() and not w.isupper()))
        return paths

    def complete(self, *words):
        """What the generated bash completion offers for `drctl WORDS...` (the last one being typed)."""
        script = (f"source <({drctl_bin()} completion bash); COMP_WORDS=(drctl {' '.join(words)}); "
                  f"COMP_CWORD={len(words)}; _drctl; echo ${{COMPREPLY[@]}}")
        out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30,
                             cwd=self.make_workdir())
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stderr, "")
        return out.stdout.split()

    def test_every_subcommand_help_ends_with_examples(self):
        paths = self.commands()
        self.assertIn("plan", paths)
        self.assertIn("state list", paths)
        self.assertIn("completion", paths)
        for path in [""] + paths:
            r = self.drctl(*path.split(), "--help")
            self.assertEqual(r.exit_code, 0, r.output())
            self.assertIn("\nExamples:\n", r.stdout, f"`drctl {path} --help` has no examples")
            examples = r.stdout.split("\nExamples:\n", 1)[1].splitlines()
            lines = [line for line in examples if line.startswith("  ") and "drctl" in line]
            self.assertTrue(1 <= len(lines) <= 3, f"drctl {path}: {lines}")

    def test_bash_completion_completes_commands_nested_commands_options_and_values(self):
        self.assertEqual(self.complete("pl"), ["plan"])
        self.assertEqual(self.complete("plan", "--for"), ["--format"])
        self.assertEqual(self.complete("state", "l"), ["list"])
        self.assertEqual(self.complete("plan", "--format", "m"), ["markdown"])
        self.assertIn("--quiet", self.complete("plan", "--q"))
        self.assertEqual(self.complete("--log-format", "j"), ["json"])

    def test_zsh_completion_is_valid_zsh(self):
        zsh = shutil.which("zsh")
        if not zsh:
            self.skipTest("zsh is not installed")
        script = self.drctl("completion", "zsh")
        self.assertEqual(script.exit_code, 0, script.output())
        out = subprocess.run([zsh, "-n"], input=script.stdout, capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)

    def test_zsh_completion_lists_the_same_commands_as_bash(self):
        script = self.drctl("completion", "zsh").stdout
        self.assertTrue(script.startswith("#compdef drctl"))
        for path in self.commands():
            self.assertIn(f"'{path.split()[-1]}:", script)

    def test_man_page_renders_without_warnings_and_documents_commands_exit_codes_and_environment(self):
        groff = shutil.which("groff")
        if not groff:
            self.skipTest("groff is not installed")
        man = self.drctl("completion", "man")
        self.assertEqual(man.exit_code, 0, man.output())
        out = subprocess.run([groff, "-man", "-Tutf8", "-ww"], input=man.stdout, capture_output=True,
                             text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stderr, "", "groff warnings")
        page = re.sub(r".\x08", "", out.stdout)  # drop overstrike bold/underline
        page = page.replace("\u2010", "-").replace("\u2212", "-")  # groff's hyphen and minus
        for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "EXAMPLES"):
            self.assertRegex(page, rf"(?m)^{section}$")
        for path in self.commands():
            self.assertIn(f"drctl {path}", page)
        for var in ("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ENDPOINT_URL",
                    "DRCTL_DATA_DIR", "NO_COLOR"):
            self.assertIn(var, page)
        self.assertIn("--format", page)
        self.assertRegex(page, r"(?s)EXIT STATUS.*\b0\b.*\b1\b.*\b2\b.*ENVIRONMENT")


if __name__ == "__main__":
    unittest.main()
