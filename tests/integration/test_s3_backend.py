"""Issue 8: shared state in S3 (backend: s3), against moto with signatures checked, verified
with boto3 and sqlite3 (the independent clients).

moto 5.2.1 honours If-None-Match: * and If-Match on PutObject and If-Match on DeleteObject
(checked in moto/s3/responses.py), but checks and writes without holding a lock, so two
writers at the same instant could both pass; tests/moto/ext_state_backend.py makes the
conditional PutObject atomic, as S3 is. The stacks have a backups: block, whose selection
goes through tests/moto's Backup extension: hence the via_extension names."""

import os
import socket
import sqlite3
import subprocess
import time
import unittest

from harness.moto_env import MotoTestCase, drctl_bin
from stacks import create_estate, write_stack

BUCKET, KEY, DR = "team-state", "shop/state.db", "us-west-2"
URL = f"s3://{BUCKET}/{KEY}?region={DR}"


def dead_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class S3Backend(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.env = self.moto.env()
        create_estate(self.moto)
        self.s3 = self.moto.client("s3", region=DR)
        self.s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": DR})
        self.s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        self.stack = write_stack(self.work / "stack", extra=(
            f"backend: {{ s3: {{ bucket: {BUCKET}, key: {KEY}, region: {DR} }} }}\n"))

    def drctl(self, *args, env=None, **kw):
        return self.run_drctl(*args, env=env or self.env, cwd=self.work, timeout_s=300, **kw)

    def spawn(self, *args, env):
        return subprocess.Popen([str(drctl_bin()), *map(str, args)], env=env, cwd=self.work,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def meta(self, version_id=None):
        """lineage and serial of the stored state, read with boto3 + sqlite3."""
        extra = {"VersionId": version_id} if version_id else {}
        path = self.work / "downloaded.db"
        path.write_bytes(self.s3.get_object(Bucket=BUCKET, Key=KEY, **extra)["Body"].read())
        db = sqlite3.connect(path)
        try:
            return dict(db.execute("SELECT key, value FROM meta").fetchall())
        finally:
            db.close()

    def versions(self):
        return [v for v in self.s3.list_object_versions(Bucket=BUCKET, Prefix=KEY).get("Versions", []) if v["Key"] == KEY]

    def lock_exists(self):
        return any(v["Key"] == KEY + ".lock" for v in
                   self.s3.list_object_versions(Bucket=BUCKET, Prefix=KEY).get("Versions", []))

    def wait_for(self, path, timeout_s=120):
        deadline = time.time() + timeout_s
        while not path.exists():
            self.assertLess(time.time(), deadline, f"{path} never appeared")
            time.sleep(0.1)

    # ------------------------------------------------------------------ tests

    def test_apply_stores_state_in_s3_and_releases_the_lock_via_extension(self):
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertFalse((self.stack / ".drctl" / "state.db").exists())
        self.assertEqual(len(self.versions()), 1)
        self.assertFalse(self.lock_exists())
        r = self.drctl("plan", self.stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, "the plan must read the S3 state and find nothing to do\n" + r.output())

    def test_two_applies_at_once_one_wins_the_other_names_the_holder_via_extension(self):
        hold = [self.work / "go-a", self.work / "go-b"]
        procs = [self.spawn("apply", self.stack, "--auto-approve",
                            env=dict(self.env, DRCTL_TEST_HOLD_BEFORE_UPLOAD=str(h))) for h in hold]
        # The winner stops just before its upload (holding the lock); the loser fails at once.
        deadline = time.time() + 240
        while not any(h.with_name(h.name + ".waiting").exists() for h in hold):
            self.assertLess(time.time(), deadline)
            time.sleep(0.1)
        for h in hold:
            h.write_text("go")
        outs = [(p.wait(timeout=240), *p.communicate()) for p in procs]
        codes = sorted(o[0] for o in outs)
        self.assertEqual(codes, [0, 1], outs)
        loser = next(o for o in outs if o[0] == 1)
        self.assertIn("is locked by", loser[2])
        self.assertIn("running 'apply'", loser[2])
        self.assertEqual(len(self.versions()), 1)
        self.assertFalse(self.lock_exists())

    def test_out_of_band_overwrite_is_detected_by_etag_and_refused_via_extension(self):
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        hold = self.work / "go"
        p = self.spawn("apply", self.stack, "--auto-approve", "--allow-destroy", "*",
                       env=dict(self.env, DRCTL_TEST_HOLD_BEFORE_UPLOAD=str(hold)))
        self.wait_for(hold.with_name("go.waiting"))
        self.s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"someone else's state")
        hold.write_text("go")
        code = p.wait(timeout=240)
        _, err = p.communicate()
        self.assertEqual(code, 1, err)
        self.assertIn("changed by someone else", err)
        self.assertIn("refusing to overwrite", err)
        body = self.s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read()
        self.assertEqual(body, b"someone else's state")  # the other writer's state survives
        self.assertFalse(self.lock_exists())

    def test_crash_between_upload_and_unlock_leaves_the_lock_reported_and_force_unlock_clears_it_via_extension(self):
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        before = self.meta()
        r = self.drctl("apply", self.stack, "--auto-approve", env=dict(self.env, DRCTL_TEST_KILL_AT="after-upload"))
        self.assertNotEqual(r.exit_code, 0)
        self.assertEqual(self.meta()["lineage"], before["lineage"])
        self.assertTrue(self.lock_exists())
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 1)
        self.assertIn("process is gone: the lock is stale", r.stderr)
        lock_id = r.stderr.split("lock id ")[1].split()[0]
        r = self.drctl("force-unlock", lock_id, self.stack)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertFalse(self.lock_exists())
        r = self.drctl("plan", self.stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())
        # every version ever written is still there to roll back to
        self.assertGreaterEqual(len(self.versions()), 2)

    def test_migrate_local_to_s3_and_back_keeps_lineage_and_serial_via_extension(self):
        local = write_stack(self.work / "local")
        r = self.drctl("apply", local, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        db = sqlite3.connect(local / ".drctl" / "state.db")
        want = dict(db.execute("SELECT key, value FROM meta").fetchall())
        db.close()
        r = self.drctl("state", "migrate", local, "--to", URL)
        self.assertEqual(r.exit_code, 0, r.output())
        got = self.meta()
        self.assertEqual((got["lineage"], got["serial"]), (want["lineage"], want["serial"]))
        self.assertFalse((local / ".drctl" / "state.db").exists())
        r = self.drctl("state", "list", local, "--backend", URL)
        self.assertIn("s3.bucket.assets", r.stdout)
        r = self.drctl("state", "migrate", local, "--backend", URL, "--to", "local")
        self.assertEqual(r.exit_code, 0, r.output())
        db = sqlite3.connect(local / ".drctl" / "state.db")
        back = dict(db.execute("SELECT key, value FROM meta").fetchall())
        db.close()
        self.assertEqual((back["lineage"], back["serial"]), (want["lineage"], want["serial"]))
        r = self.drctl("state", "migrate", local, "--to", URL)  # the S3 key holds state now
        self.assertEqual(r.exit_code, 1)
        self.assertIn("already holds state", r.stderr)

    def test_history_lists_versions_and_rollback_restores_one_as_a_new_version_via_extension(self):
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        first = self.versions()[0]["VersionId"]
        first_body = self.s3.get_object(Bucket=BUCKET, Key=KEY, VersionId=first)["Body"].read()
        r = self.drctl("apply", self.stack, "--auto-approve")  # a run writes a new version
        self.assertEqual(r.exit_code, 0, r.output())
        r = self.drctl("state", "history", self.stack)
        self.assertEqual(r.exit_code, 0, r.output())
        listed = [line.split("\t")[0] for line in r.stdout.splitlines()[1:]]
        self.assertEqual(set(listed), {v["VersionId"] for v in self.versions()})
        count = len(self.versions())
        r = self.drctl("state", "rollback", first, self.stack)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertEqual(len(self.versions()), count + 1)
        self.assertEqual(self.s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read(), first_body)
        self.assertFalse(self.lock_exists())

    def test_unversioned_state_bucket_is_refused(self):
        self.s3.create_bucket(Bucket="plain-state", CreateBucketConfiguration={"LocationConstraint": DR})
        r = self.drctl("apply", self.stack, "--auto-approve", "--backend", f"s3://plain-state/k?region={DR}")
        self.assertEqual(r.exit_code, 1)
        self.assertIn("has versioning off", r.stderr)

    def test_state_bucket_in_the_primary_region_without_replication_is_warned_about_via_extension(self):
        self.moto.client("s3", region="us-east-1").create_bucket(Bucket="east-state")
        self.moto.client("s3", region="us-east-1").put_bucket_versioning(
            Bucket="east-state", VersioningConfiguration={"Status": "Enabled"})
        r = self.drctl("apply", self.stack, "--auto-approve", "--backend", "s3://east-state/k?region=us-east-1")
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIn("failover would need state from the region that failed", r.stderr)
        r = self.drctl("apply", self.stack, "--auto-approve")  # the DR-region bucket: no warning
        self.assertNotIn("failover would need state", r.stderr)

    def test_failover_plan_reads_state_from_the_dr_bucket_with_the_primary_dead_via_extension(self):
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        dead = dict(self.env, DRCTL_ENDPOINT_URL_US_EAST_1=f"http://127.0.0.1:{dead_port()}")
        r = self.drctl("state", "list", self.stack, env=dead)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIn("s3.bucket.assets", r.stdout)
        r = self.drctl("failover", self.stack, "--to", DR, "--unplanned", "--out", self.work / "f.plan", env=dead)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertNotIn("cannot open state", r.stderr)


if __name__ == "__main__":
    unittest.main()
