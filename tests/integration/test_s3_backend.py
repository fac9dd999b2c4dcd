"""Issue 8: shared state in S3 (backend: s3), against moto with signatures checked, verified
with boto3 and sqlite3 (the independent clients).

moto 5.2.1 honours If-None-Match: * and If-Match on PutObject and If-Match on DeleteObject
(checked in moto/s3/responses.py), but checks and writes without holding a lock, so two
writers at the same instant could both pass; tests/moto/ext_state_backend.py makes the
conditional PutObject atomic, as S3 is (and verifies S3 signatures over the query string as
sent, which boto3's ListObjectVersions Prefix=... needs). The stacks have a backups: block,
whose selection goes through tests/moto's Backup extension, and the warm-standby stack's
failover and failback steps go through the RDS extension: hence the via_extension names.

S3Backend uses the backup-restore stack of stacks.py; S3BackendOperations the warm-standby
estate (harness/warm_standby.py) for drills, failover and failback with the state in S3."""

import json
import re
import socket
import sqlite3
import subprocess
import time
import unittest

from harness import warm_standby
from harness.moto_env import MotoTestCase, drctl_bin
from stacks import EXPECTED_ADDRESSES, create_estate, write_stack

BUCKET, KEY, DR = "team-state", "shop/state.db", "us-west-2"
URL = f"s3://{BUCKET}/{KEY}?region={DR}"
BACKEND_BLOCK = f"backend: {{ s3: {{ bucket: {BUCKET}, key: {KEY}, region: {DR} }} }}\n"


def read_meta(path):
    """{"lineage", "serial"} of a state file (the meta table, state/0001_initial.sql)."""
    db = sqlite3.connect(path)
    try:
        lineage, serial = db.execute("SELECT lineage, serial FROM meta WHERE id = 1").fetchone()
        return {"lineage": lineage, "serial": serial}
    finally:
        db.close()


def dead_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class StoredState:
    """Reads the state object in S3 with boto3 and opens it with sqlite3 (never through drctl)."""

    def make_state_bucket(self):
        self.s3 = self.moto.client("s3", region=DR)
        self.s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": DR})
        self.s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})

    def download(self, version_id=None):
        extra = {"VersionId": version_id} if version_id else {}
        path = self.work / f"downloaded-{time.monotonic_ns()}.db"
        path.write_bytes(self.s3.get_object(Bucket=BUCKET, Key=KEY, **extra)["Body"].read())
        return path

    def meta(self, version_id=None):
        """lineage and serial of the stored state."""
        return read_meta(self.download(version_id))

    def query(self, sql):
        db = sqlite3.connect(self.download())
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def stored_addresses(self):
        return {a for (a,) in self.query("SELECT address FROM resources")}

    def stored_runs(self):
        return self.query("SELECT kind, outcome, detail FROM runs ORDER BY id")

    def versions(self):
        return [v for v in self.s3.list_object_versions(Bucket=BUCKET, Prefix=KEY).get("Versions", [])
                if v["Key"] == KEY]

    def lock_exists(self):
        return any(v["Key"] == KEY + ".lock" for v in
                   self.s3.list_object_versions(Bucket=BUCKET, Prefix=KEY).get("Versions", []))

    def drctl(self, *args, env=None, **kw):
        return self.run_drctl(*args, env=env or self.env, cwd=self.work, timeout_s=300, **kw)

    def spawn(self, *args, env, stderr=subprocess.PIPE):
        return subprocess.Popen([str(drctl_bin()), *map(str, args)], env=env, cwd=self.work,
                                stdout=subprocess.PIPE, stderr=stderr, text=True)

    def wait_for(self, predicate, what, timeout_s=120):
        deadline = time.time() + timeout_s
        while not predicate():
            self.assertLess(time.time(), deadline, f"{what} never happened")
            time.sleep(0.1)

    def s3_requests(self):
        """The S3 requests moto's log shows so far, as "METHOD /path?query" lines."""
        return re.findall(r'"([A-Z]+ /[^ ]*) HTTP/1\.1"', self.moto.log_path.read_text(errors="replace"))


class S3Backend(StoredState, MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.env = self.moto.env()
        create_estate(self.moto)
        self.make_state_bucket()
        self.stack = write_stack(self.work / "stack", extra=BACKEND_BLOCK)

    # ------------------------------------------------------------------ tests

    def test_apply_stores_state_in_s3_and_releases_the_lock_via_extension(self):
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertFalse((self.stack / ".drctl" / "state.db").exists())
        self.assertEqual(len(self.versions()), 1)
        self.assertFalse(self.lock_exists())
        self.assertEqual(self.stored_addresses(), EXPECTED_ADDRESSES)
        self.assertEqual([k for k, _, _ in self.stored_runs()], ["apply"])
        r = self.drctl("plan", self.stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, "the plan must read the S3 state and find nothing to do\n" + r.output())
        self.assertFalse((self.stack / ".drctl" / "state.db").exists())

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
        self.wait_for(hold.with_name("go.waiting").exists, "the hold before the upload")
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
        want = read_meta(local / ".drctl" / "state.db")
        r = self.drctl("state", "migrate", local, "--to", URL)
        self.assertEqual(r.exit_code, 0, r.output())
        got = self.meta()
        self.assertEqual((got["lineage"], got["serial"]), (want["lineage"], want["serial"]))
        self.assertFalse((local / ".drctl" / "state.db").exists())
        r = self.drctl("state", "list", local, "--backend", URL)
        self.assertIn("s3.bucket.assets", r.stdout)
        r = self.drctl("state", "migrate", local, "--backend", URL, "--to", "local")
        self.assertEqual(r.exit_code, 0, r.output())
        back = read_meta(local / ".drctl" / "state.db")
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
        self.assertIn("warning: the state bucket east-state is in the primary region us-east-1 and is not "
                      "replicated to us-west-2: failover would need state from the region that failed", r.stderr)
        # Read-only commands check it too (the same state session).
        r = self.drctl("state", "list", self.stack, "--backend", "s3://east-state/k?region=us-east-1")
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIn("failover would need state from the region that failed", r.stderr)
        r = self.drctl("plan", self.stack, "--detailed-exitcode")  # the DR-region bucket: no warning
        self.assertEqual(r.exit_code, 2, r.output())  # its state is still empty
        self.assertNotIn("failover would need state", r.stderr)

        # Replicated to the DR region: the state survives the primary region, no warning.
        self.s3.create_bucket(Bucket="east-state-dr", CreateBucketConfiguration={"LocationConstraint": DR})
        self.s3.put_bucket_versioning(Bucket="east-state-dr", VersioningConfiguration={"Status": "Enabled"})
        self.moto.client("s3", region="us-east-1").put_bucket_replication(
            Bucket="east-state", ReplicationConfiguration={
                "Role": "arn:aws:iam::123456789012:role/state-replication",
                "Rules": [{"ID": "state", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": ""},
                           "DeleteMarkerReplication": {"Status": "Enabled"},
                           "Destination": {"Bucket": "arn:aws:s3:::east-state-dr"}}]})
        r = self.drctl("plan", self.stack, "--detailed-exitcode", "--backend", "s3://east-state/k?region=us-east-1")
        self.assertEqual(r.exit_code, 0, r.output())
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
        plan = json.loads((self.work / "f.plan").read_text())
        stored = self.meta()
        self.assertEqual((plan["lineage"], plan["serial"]), (stored["lineage"], stored["serial"]))

    def test_a_second_apply_with_lock_timeout_waits_for_the_first_then_proceeds_via_extension(self):
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        first_serial = self.meta()["serial"]
        hold = self.work / "go"
        first = self.spawn("apply", self.stack, "--auto-approve",
                           env=dict(self.env, DRCTL_TEST_HOLD_BEFORE_UPLOAD=str(hold)))
        self.wait_for(hold.with_name("go.waiting").exists, "the first apply holding the lock")
        self.assertTrue(self.lock_exists())
        second_err = self.work / "second.err"
        with open(second_err, "w") as err:
            second = self.spawn("apply", self.stack, "--auto-approve", "--lock-timeout", "2m", env=self.env,
                                stderr=err)
            self.wait_for(lambda: "waiting for the state lock" in second_err.read_text(), "the second apply waiting")
            time.sleep(1.5)  # it keeps waiting (polling every 0.5 s) while the lock is held
            self.assertIsNone(second.poll(), second_err.read_text())
            hold.write_text("go")
            self.assertEqual(first.wait(timeout=240), 0, first.communicate())
            self.assertEqual(second.wait(timeout=240), 0, second_err.read_text())
        second.communicate()
        first.communicate()
        self.assertIn("held by", second_err.read_text())
        self.assertIn("running 'apply'", second_err.read_text())
        # Each recorded its run in a version of its own, the second on top of the state the first
        # stored (had it read the state before the first's upload, its upload would be refused).
        self.assertEqual(len(self.versions()), 3)
        self.assertEqual([k for k, _, _ in self.stored_runs()], ["apply", "apply", "apply"])
        self.assertEqual(self.meta()["serial"], first_serial)  # nothing left to change: resources as they were
        self.assertFalse(self.lock_exists())

    def test_dynamodb_lock_method_locks_refuses_and_clears_via_extension(self):
        table = "drctl-locks"
        ddb = self.moto.client("dynamodb", region=DR)
        ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
        url = f"{URL}&lock=dynamodb&lock_table={table}"
        env = dict(self.env, DRCTL_BACKEND=url)
        item = lambda: ddb.get_item(TableName=table, Key={"LockID": {"S": f"{BUCKET}/{KEY}"}},
                                    ConsistentRead=True).get("Item")

        hold = self.work / "go"
        first = self.spawn("apply", self.stack, "--auto-approve", env=dict(env, DRCTL_TEST_HOLD_BEFORE_UPLOAD=str(hold)))
        self.wait_for(hold.with_name("go.waiting").exists, "the first apply holding the lock")
        held = json.loads(item()["Info"]["S"])
        self.assertEqual(held["operation"], "apply")
        self.assertEqual(held["pid"], first.pid)
        self.assertFalse(self.lock_exists())  # no S3 lock object with this method
        r = self.drctl("apply", self.stack, "--auto-approve", "--backend", url)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn(f"is locked by {held['holder']} (pid {first.pid}", r.stderr)
        self.assertIn(f"lock id {held['id']}", r.stderr)
        hold.write_text("go")
        self.assertEqual(first.wait(timeout=240), 0, first.communicate())
        first.communicate()
        self.assertIsNone(item())
        self.assertEqual(self.stored_addresses(), EXPECTED_ADDRESSES)

        # Killed between upload and unlock: the item stays, is reported stale, and force-unlock clears it.
        r = self.drctl("apply", self.stack, "--auto-approve", env=dict(env, DRCTL_TEST_KILL_AT="after-upload"))
        self.assertNotEqual(r.exit_code, 0)
        lock_id = json.loads(item()["Info"]["S"])["id"]
        r = self.drctl("plan", self.stack, env=env)  # readers take no lock
        self.assertIn(r.exit_code, (0, 2), r.output())
        r = self.drctl("apply", self.stack, "--auto-approve", env=env)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("process is gone: the lock is stale", r.stderr)
        self.assertIn(lock_id, r.stderr)
        r = self.drctl("force-unlock", "not-the-id", self.stack, "--backend", url)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIsNotNone(item())
        r = self.drctl("force-unlock", lock_id, self.stack, "--backend", url)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIsNone(item())

    def test_import_locks_and_stores_the_record_in_s3_via_extension(self):
        self.s3.create_bucket(Bucket="shop-assets-dr", CreateBucketConfiguration={"LocationConstraint": DR})
        r = self.drctl("import", "s3.bucket.assets", "shop-assets-dr", self.stack)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIn("Imported s3.bucket.assets (id shop-assets-dr)", r.stdout)
        self.assertFalse((self.stack / ".drctl" / "state.db").exists())
        self.assertEqual(self.query("SELECT address, cloud_id FROM resources"),
                         [("s3.bucket.assets", "shop-assets-dr")])
        self.assertEqual(self.meta()["serial"], 1)
        self.assertEqual(len(self.versions()), 1)
        self.assertFalse(self.lock_exists())
        # Importing needs the writer lock like apply does.
        hold = self.work / "go"
        p = self.spawn("apply", self.stack, "--auto-approve", env=dict(self.env, DRCTL_TEST_HOLD_BEFORE_UPLOAD=str(hold)))
        self.wait_for(hold.with_name("go.waiting").exists, "the apply holding the lock")
        r = self.drctl("import", "s3.bucket.invoices", "shop-invoices-dr", self.stack)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("running 'apply'", r.stderr)
        hold.write_text("go")
        self.assertEqual(p.wait(timeout=240), 0, p.communicate())
        p.communicate()
        r = self.drctl("import", "s3.bucket.assets", "shop-assets-dr", self.stack)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("already in state", r.stderr)

    def test_orphans_and_readiness_read_the_s3_state_without_locking_or_writing_it_via_extension(self):
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        versions = len(self.versions())
        r = self.drctl("orphans", self.stack)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIn("No orphans", r.stdout)
        # The same stack against an empty key: everything tagged is unaccounted for. So the
        # answer above came from the S3 state.
        r = self.drctl("orphans", self.stack, "--backend", f"s3://{BUCKET}/empty.db?region={DR}")
        self.assertEqual(r.exit_code, 2, r.output())
        self.assertIn("s3.bucket.assets: not in state", r.stdout)

        before = len(self.s3_requests())
        r = self.drctl("readiness", self.stack, "--format", "json")
        self.assertIn(r.exit_code, (0, 2), r.output())
        self.assertEqual(json.loads(r.stdout)["stack"], "shop")
        during = self.s3_requests()[before:]
        self.assertIn(f"GET /{BUCKET}/{KEY}", during)  # the state was downloaded
        self.assertFalse([q for q in during if q.startswith(("PUT", "DELETE"))], during)  # no lock, no upload
        # A key with no state yet: readiness works without one and creates none.
        r = self.drctl("readiness", self.stack, "--format", "json", "--backend", f"s3://{BUCKET}/empty.db?region={DR}")
        self.assertIn(r.exit_code, (0, 2), r.output())
        self.assertEqual(len(self.versions()), versions)
        self.assertNotIn("empty.db", [o["Key"] for o in self.s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])])
        self.assertFalse((self.stack / ".drctl" / "state.db").exists())
        self.assertFalse(self.lock_exists())
        # An unusable backend is an error, not "no state".
        self.s3.create_bucket(Bucket="plain-state", CreateBucketConfiguration={"LocationConstraint": DR})
        r = self.drctl("readiness", self.stack, "--backend", f"s3://plain-state/k?region={DR}")
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("has versioning off", r.stderr)


class S3BackendOperations(StoredState, MotoTestCase):
    """Drill, failover and failback of the warm-standby estate with its state in S3."""

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.env = self.moto.env()
        self.make_state_bucket()
        zone = warm_standby.create_estate(self.moto, ecs=False)
        self.stack = warm_standby.write_stack(self.work / "stack", zone, ecs=False, extra=BACKEND_BLOCK)
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        self.applied = self.meta()

    def test_drill_stores_its_record_in_s3_and_assess_and_report_read_it_via_extension(self):
        r = self.drctl("assess", self.stack)
        self.assertIn("no drill on record", r.stdout)
        r = self.drctl("drill", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        after = self.meta()
        self.assertEqual(after["lineage"], self.applied["lineage"])
        self.assertGreater(after["serial"], self.applied["serial"])
        runs = self.stored_runs()
        self.assertEqual([k for k, _, _ in runs],
                         ["apply", "drill", "failover", "failback-protect", "failback-switch", "apply"])
        drill = next(json.loads(d) for k, o, d in runs if k == "drill" and o == "succeeded")
        self.assertEqual(drill["to_region"], DR)
        # The apply's version, one after each of the 4 phases, and the drill's own record.
        self.assertEqual(len(self.versions()), 6)
        self.assertFalse(self.lock_exists())
        self.assertFalse((self.stack / ".drctl" / "state.db").exists())
        # The stored state is the drill's end state: the stack is exactly as configured again.
        r = self.drctl("plan", self.stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())

        r = self.drctl("assess", self.stack)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIn("last drill today:", r.stdout)
        r = self.drctl("assess", self.stack, "--format", "json")
        self.assertEqual(json.loads(r.stdout)["last_drill"]["achieved_rto_seconds"], drill["achieved_rto_seconds"])
        r = self.drctl("report", self.stack, "--no-readiness", "--format", "json")
        self.assertIn(r.exit_code, (0, 2), r.output())
        pack = json.loads(r.stdout)
        self.assertEqual(pack["last_drill"]["started_at"], drill["started_at"])
        self.assertEqual(len(self.versions()), 6)  # readers wrote nothing

    def test_drill_killed_after_its_failover_leaves_s3_state_that_knows_the_failover_via_extension(self):
        # The drill stores the state after every phase: killed right after the first of those
        # uploads (the failover phase's), before the failback.
        r = self.drctl("drill", self.stack, "--auto-approve", env=dict(self.env, DRCTL_TEST_KILL_AT="after-upload:1"))
        self.assertNotEqual(r.exit_code, 0, r.output())
        self.assertIn("== failover ==", r.stdout)
        self.assertNotIn("== failback-protect ==", r.stdout)
        runs = self.stored_runs()
        self.assertEqual([k for k, _, _ in runs], ["apply", "drill", "failover"])
        self.assertEqual(runs[-1][1], "succeeded")
        self.assertIn("op.rds_promote.orders", self.stored_addresses())
        self.assertGreater(self.meta()["serial"], self.applied["serial"])
        self.assertTrue(self.lock_exists())  # killed holding it

        r = self.drctl("drill", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("process is gone: the lock is stale", r.stderr)
        r = self.drctl("force-unlock", r.stderr.split("lock id ")[1].split()[0], self.stack)
        self.assertEqual(r.exit_code, 0, r.output())
        r = self.drctl("drill", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("the stack is failed over or a drill stopped part-way", r.stderr)
        # The way back starts from what the S3 state remembers.
        r = self.drctl("failback", self.stack, "--out", self.work / "back.plan")
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertFalse(self.lock_exists())

    def test_failback_plans_from_s3_state_and_its_apply_stores_a_new_serial_via_extension(self):
        r = self.drctl("failback", self.stack)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("has not failed over", r.stderr)
        r = self.drctl("failover", self.stack, "--to", DR, "--out", self.work / "over.plan")
        self.assertEqual(r.exit_code, 0, r.output())
        r = self.drctl("apply", self.work / "over.plan", "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        failed_over = self.meta()
        self.assertGreater(failed_over["serial"], self.applied["serial"])

        r = self.drctl("failback", self.stack, "--out", self.work / "back.plan")
        self.assertEqual(r.exit_code, 0, r.output())
        plan = json.loads((self.work / "back.plan").read_text())
        self.assertEqual((plan["lineage"], plan["serial"]), (failed_over["lineage"], failed_over["serial"]))
        self.assertEqual(self.meta(), failed_over)  # planning wrote nothing
        self.assertFalse(self.lock_exists())
        r = self.drctl("apply", self.work / "back.plan", "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        protected = self.meta()
        self.assertGreater(protected["serial"], failed_over["serial"])
        self.assertIn("op.rds_reverse_replica.orders", self.stored_addresses())
        self.assertEqual([k for k, _, _ in self.stored_runs()], ["apply", "failover", "failback-protect"])
        # The reverse replica exists in the primary region (boto3).
        primary = self.moto.client("rds", warm_standby.PRIMARY).describe_db_instances()["DBInstances"]
        self.assertTrue(any(d.get("ReadReplicaSourceDBInstanceIdentifier") for d in primary), primary)
        # A plan made before that apply is stale now: the S3 state moved on.
        r = self.drctl("apply", self.work / "back.plan", "--auto-approve")
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("is stale", r.stderr)


if __name__ == "__main__":
    unittest.main()
