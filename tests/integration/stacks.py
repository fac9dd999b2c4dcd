"""Stacks and estates the integration tests apply: a folder with one *.dr.yaml, and the
"production" side it protects created with boto3 (the independent client)."""

import textwrap
from pathlib import Path


def write_stack(folder, stack="shop", rtc=True, retention="120d", extra=""):
    """A backup-restore stack protecting two buckets (<stack>-assets, <stack>-invoices)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "stack.dr.yaml").write_text(textwrap.dedent(f"""\
        version: 1
        stack: {stack}
        regions: {{ primary: us-east-1, dr: us-west-2 }}
        strategy: backup-restore
        objectives: {{ rto: 24h, rpo: 1h }}
        workloads:
          assets:
            kind: s3
            source: {stack}-assets
            rtc: {str(rtc).lower()}
            delete_markers: true
            storage_class: STANDARD_IA
          invoices:
            kind: s3
            source: {stack}-invoices
        backups:
          schedule: cron(0 * ? * * *)
          window: {{ start: 1h, complete: 8h }}
          retention: {retention}
          cold_after: 14d
          copy_to_dr: true
          select:
            tags: {{ dr: protected }}
        """) + extra)
    return folder


def create_estate(moto, stack="shop"):
    """The source buckets (with an object each) the stack replicates."""
    s3 = moto.client("s3")
    for name in (f"{stack}-assets", f"{stack}-invoices"):
        s3.create_bucket(Bucket=name)
        s3.put_object(Bucket=name, Key="data/one.txt", Body=b"one")


EXPECTED_ADDRESSES = {
    "s3.bucket.assets", "s3.replication.assets", "iam.role.assets-replication",
    "s3.bucket.invoices", "s3.replication.invoices", "iam.role.invoices-replication",
    "backup.vault.primary", "backup.vault.dr", "iam.role.backup",
    "backup.plan.main", "backup.selection.main",
}
