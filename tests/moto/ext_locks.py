"""Vault Lock and S3 Object Lock in moto 5.2.1, as drctl's tests need them (loaded by drctl_moto.py).

Checked against botocore's data/backup/2018-11-15 and data/s3/2006-03-01 models: moto already
implements everything drctl calls, so nothing is added:
    Backup PutBackupVaultLockConfiguration, DeleteBackupVaultLockConfiguration (InvalidRequestException
    once the lock date has passed), and Locked / MinRetentionDays / MaxRetentionDays / LockDate in
    ListBackupVaults and DescribeBackupVault.
    S3 CreateBucket with x-amz-bucket-object-lock-enabled, PutObjectLockConfiguration (also
    enabling Object Lock on an existing versioned bucket, as AWS allows since 2023),
    GetObjectLockConfiguration (ObjectLockConfigurationNotFoundError when not enabled).

Fixed in moto's own operations (marked "moto bug workaround"):
    S3 GetObjectLockConfiguration: DefaultRetention carried both Days and Years, the unused one as
    0; the model's DefaultRetention holds Days or Years (AWS rejects both, and 0 is never valid).

Known and left alone: moto does not refuse a replication rule whose destination lacks Object
Lock when the source has it (AWS does), so tests check the DR bucket's lock with boto3 instead.
"""

from typing import Any

from moto.core.responses import ActionResult
from moto.s3 import responses as s3_responses

S3Response = s3_responses.S3Response


def get_object_lock_configuration(self):
    lock_enabled, mode, days, years = self.backend.get_object_lock_configuration(self.bucket_name)
    config: dict[str, Any] = {"ObjectLockEnabled": "Enabled" if lock_enabled else "Disabled"}
    if mode:
        retention: dict[str, Any] = {"Mode": mode}
        # moto bug workaround: only the unit that was set (moto stores the other as 0).
        if days:
            retention["Days"] = days
        if years:
            retention["Years"] = years
        config["Rule"] = {"DefaultRetention": retention}
    self.data["Action"] = "GetObjectLockConfiguration"
    return self.serialized(ActionResult({"ObjectLockConfiguration": config}))


def install():
    """Registers the fix on moto's S3 response class. Idempotent."""
    S3Response.get_object_lock_configuration = get_object_lock_configuration
