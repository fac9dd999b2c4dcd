"""AWS Backup jobs and recovery points for `drctl readiness` (loaded by drctl_moto.py, which
calls install()). Shapes follow botocore's data/backup/2018-11-15 model.

Added (moto 5.2.1 answers HTTP 404: neither the routes nor the operations exist):
    StartBackupJob   PUT /backup-jobs: creates a COMPLETED recovery point of ResourceArn in
                     BackupVaultName at once (CreationDate now), as a finished job would.
    StartCopyJob     PUT /copy-jobs: copies a recovery point of SourceBackupVaultName into the
                     vault DestinationBackupVaultArn names (any region of the account), with
                     SourceBackupVaultArn set and CreationDate now.
    ListRecoveryPointsByBackupVault
                     GET /backup-vaults/{backupVaultName}/recovery-points/?resourceArn&
                     resourceType&nextToken&maxResults: newest first.
Recovery points live on the vault's backend (backend.__dict__), so /moto-api/reset clears them.
Errors as the model names them: ResourceNotFoundException for an unknown vault or point,
InvalidParameterValueException for a malformed ARN.
"""

import json
import uuid
from urllib.parse import parse_qs

from moto.backup import models as backup_models
from moto.backup import responses as backup_responses
from moto.backup import urls as backup_urls
from moto.backup.exceptions import InvalidParameterValueException, ResourceNotFoundException
from moto.core.utils import unix_time

BackupResponse = backup_responses.BackupResponse

_ROUTES = (
    "{0}/backup-jobs/?$",
    "{0}/copy-jobs/?$",
    # moto turns a trailing "/?$" into a rule without the slash, which the model's path has.
    "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$",
)


def _json(body):
    return json.dumps(body), {"status": 200, "Content-Type": "application/json"}


def _points(backend):
    """{vault name: [recovery point dict]} of one region's backend."""
    return backend.__dict__.setdefault("drctl_recovery_points", {})


def _vault(backend, name):
    vault = backend.vaults.get(name)
    if vault is None:
        raise ResourceNotFoundException(msg=f"Backup vault {name} does not exist")
    return vault


def _resource_type(resource_arn):
    service = resource_arn.split(":")[2] if resource_arn.count(":") >= 5 else ""
    rest = resource_arn.split(":", 5)[-1]
    if service == "ec2":
        return "EBS" if rest.startswith("volume/") else "EC2"
    return {"rds": "RDS", "dynamodb": "DynamoDB", "elasticfilesystem": "EFS", "s3": "S3"}.get(service, service.upper())


def _record(backend, vault, resource_arn, iam_role_arn, source_vault_arn=None):
    now = unix_time()
    point = {
        "RecoveryPointArn": f"arn:aws:backup:{backend.region_name}:{backend.account_id}:recovery-point:{uuid.uuid4()}",
        "BackupVaultName": vault.backup_vault_name,
        "BackupVaultArn": vault.backup_vault_arn,
        "ResourceArn": resource_arn,
        "ResourceType": _resource_type(resource_arn),
        "IamRoleArn": iam_role_arn,
        "Status": "COMPLETED",
        "CreationDate": now,
        "CompletionDate": now,
        "IsEncrypted": False,
    }
    if source_vault_arn:
        point["SourceBackupVaultArn"] = source_vault_arn
    _points(backend).setdefault(vault.backup_vault_name, []).append(point)
    vault.num_of_recovery_points = len(_points(backend)[vault.backup_vault_name])
    return point


def response_start_backup_job(self):
    """PUT /backup-jobs {BackupVaultName, ResourceArn, IamRoleArn, ...} ->
    {BackupJobId, RecoveryPointArn, CreationDate}."""
    body = json.loads(self.body or "{}")
    for key in ("BackupVaultName", "ResourceArn", "IamRoleArn"):
        if not body.get(key):
            raise InvalidParameterValueException(msg=f"{key} is required")
    vault = _vault(self.backup_backend, body["BackupVaultName"])
    point = _record(self.backup_backend, vault, body["ResourceArn"], body["IamRoleArn"])
    return _json({"BackupJobId": str(uuid.uuid4()), "RecoveryPointArn": point["RecoveryPointArn"],
                       "CreationDate": point["CreationDate"]})


def response_start_copy_job(self):
    """PUT /copy-jobs {RecoveryPointArn, SourceBackupVaultName, DestinationBackupVaultArn,
    IamRoleArn} -> {CopyJobId, CreationDate}."""
    body = json.loads(self.body or "{}")
    for key in ("RecoveryPointArn", "SourceBackupVaultName", "DestinationBackupVaultArn", "IamRoleArn"):
        if not body.get(key):
            raise InvalidParameterValueException(msg=f"{key} is required")
    source_vault = _vault(self.backup_backend, body["SourceBackupVaultName"])
    source = next((p for p in _points(self.backup_backend).get(source_vault.backup_vault_name, [])
                   if p["RecoveryPointArn"] == body["RecoveryPointArn"]), None)
    if source is None:
        raise ResourceNotFoundException(msg=f"Recovery point {body['RecoveryPointArn']} not found")
    parts = body["DestinationBackupVaultArn"].split(":")
    if len(parts) != 7 or parts[5] != "backup-vault":
        raise InvalidParameterValueException(msg="DestinationBackupVaultArn is not a backup vault ARN")
    region, account, name = parts[3], parts[4], parts[6]
    destination_backend = backup_models.backup_backends[account][region]
    destination = _vault(destination_backend, name)
    point = _record(destination_backend, destination, source["ResourceArn"], body["IamRoleArn"],
                    source_vault.backup_vault_arn)
    return _json({"CopyJobId": str(uuid.uuid4()), "CreationDate": point["CreationDate"]})


def response_list_recovery_points_by_backup_vault(self):
    """GET /backup-vaults/{backupVaultName}/recovery-points/ -> {RecoveryPoints, NextToken?}."""
    name = [s for s in self.path.split("/backup-vaults/", 1)[-1].split("/") if s][0]
    _vault(self.backup_backend, name)
    query = {k: v[0] for k, v in parse_qs(self.parsed_url.query).items()}
    points = sorted(_points(self.backup_backend).get(name, []), key=lambda p: -p["CreationDate"])
    if query.get("resourceArn"):
        points = [p for p in points if p["ResourceArn"] == query["resourceArn"]]
    if query.get("resourceType"):
        points = [p for p in points if p["ResourceType"] == query["resourceType"]]
    start = 0
    if query.get("nextToken"):
        arns = [p["RecoveryPointArn"] for p in points]
        if query["nextToken"] not in arns:
            raise InvalidParameterValueException(msg="Invalid NextToken")
        start = arns.index(query["nextToken"])
    limit = int(query.get("maxResults", 1000))
    out = {"RecoveryPoints": points[start:start + limit]}
    if start + limit < len(points):
        out["NextToken"] = points[start + limit]["RecoveryPointArn"]
    return _json(out)


def install():
    # moto builds its server routes from url_paths when the first Backup request arrives.
    for route in _ROUTES:
        backup_urls.url_paths.setdefault(route, backup_urls.response.dispatch)
    BackupResponse.start_backup_job = response_start_backup_job
    BackupResponse.start_copy_job = response_start_copy_job
    BackupResponse.list_recovery_points_by_backup_vault = response_list_recovery_points_by_backup_vault
