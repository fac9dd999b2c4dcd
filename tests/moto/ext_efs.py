"""EFS replication for moto 5.2.1, which lacks Create/Describe/DeleteReplicationConfiguration:
the .../{SourceFileSystemId}/replication-configuration path has no URL route (HTTP 404), and
GET .../file-systems/replication-configurations is routed (as a file system id) but has no
Response method (HTTP 500). moto identifies the operation from botocore's efs 2015-02-01 model,
so one route and three Response methods over a small store are enough.

Shapes follow botocore's ReplicationConfigurationDescription / DescribeReplicationConfigurations
Response. Like the rest of moto, a replication is created in its final state: the destination is
ENABLED at once. Without Destinations[0].FileSystemId the extension creates the destination file
system in the destination region's backend, as AWS does (read-only: FileSystemProtection
REPLICATING); deleting the configuration leaves that file system, writable again, as AWS does.
The store lives on the source region's backend, so /moto-api/reset clears it.
"""

import json
import time
from urllib.parse import parse_qs

from moto.efs import models as efs_models
from moto.efs import responses as efs_responses
from moto.efs import urls as efs_urls
from moto.efs.exceptions import BadRequest, EFSError, FileSystemNotFound
from moto.moto_api._internal import mock_random

EFSResponse = efs_responses.EFSResponse


class ReplicationNotFound(EFSError):
    code = 404

    def __init__(self, file_system_id):
        super().__init__("ReplicationNotFound",
                         f"Replication configuration not found for file system {file_system_id}.")


def _replications(backend):
    """{source file system id: ReplicationConfigurationDescription}, insertion-ordered."""
    return backend.__dict__.setdefault("drctl_replications", {})


def _file_system(backend, file_system_id):
    fs = backend.file_systems_by_id.get(file_system_id)
    if fs is None:
        raise FileSystemNotFound(file_system_id)
    return fs


def _key_arn(key_id, region, account_id):
    """AWS reports a destination's KmsKeyId as a key ARN, whatever form was given."""
    if not key_id or key_id.startswith("arn:"):
        return key_id
    return f"arn:aws:kms:{region}:{account_id}:{key_id if key_id.startswith('alias/') else 'key/' + key_id}"


def _source_id(response):
    # /2015-02-01/file-systems/{SourceFileSystemId}/replication-configuration
    return response.path.rstrip("/").split("/")[-2]


def _query(response):
    return {k: v[0] for k, v in parse_qs(response.parsed_url.query).items()}


# ---------------------------------------------------------------- backend

def create_replication_configuration(backend, source_id, destinations):
    source = _file_system(backend, source_id)
    if not destinations or len(destinations) != 1 or not destinations[0].get("Region"):
        raise BadRequest("Destinations must hold exactly one destination with a Region.")
    store = _replications(backend)
    if source_id in store:
        raise BadRequest(f"File system {source_id} is already included in a replication configuration.")
    want = destinations[0]
    region = want["Region"]
    dest_backend = efs_models.efs_backends[backend.account_id][region]
    if want.get("FileSystemId"):
        dest = _file_system(dest_backend, want["FileSystemId"])
    else:
        dest = dest_backend.create_file_system(
            creation_token=f"replication-{mock_random.get_random_hex(8)}",
            performance_mode=source.performance_mode, encrypted=True,
            kms_key_id=_key_arn(want.get("KmsKeyId"), region, backend.account_id),
            throughput_mode=source.throughput_mode, provisioned_throughput_in_mibps=None,
            availability_zone_name=want.get("AvailabilityZoneName"), backup=False, tags=[])
    # info_json() reports every public attribute: this one becomes FileSystemProtection.
    dest.file_system_protection = {"ReplicationOverwriteProtection": "REPLICATING"}
    destination = {"Status": "ENABLED", "FileSystemId": dest.file_system_id, "Region": region,
                   "LastReplicatedTimestamp": time.time(), "OwnerId": backend.account_id}
    if want.get("RoleArn"):
        destination["RoleArn"] = want["RoleArn"]
    config = {
        "SourceFileSystemId": source_id,
        "SourceFileSystemRegion": backend.region_name,
        "SourceFileSystemArn": source.file_system_arn,
        "OriginalSourceFileSystemArn": source.file_system_arn,
        "CreationTime": time.time(),
        "Destinations": [destination],
        "SourceFileSystemOwnerId": backend.account_id,
    }
    store[source_id] = config
    return config


def describe_replication_configurations(backend, file_system_id):
    store = _replications(backend)
    if file_system_id is None:
        return list(store.values())
    _file_system(backend, file_system_id)
    if file_system_id not in store:
        raise ReplicationNotFound(file_system_id)
    return [store[file_system_id]]


def delete_replication_configuration(backend, source_id):
    _file_system(backend, source_id)
    config = _replications(backend).pop(source_id, None)
    if config is None:
        raise ReplicationNotFound(source_id)
    dest = config["Destinations"][0]
    dest_fs = efs_models.efs_backends[backend.account_id][dest["Region"]].file_systems_by_id.get(
        dest["FileSystemId"])
    if dest_fs is not None:
        dest_fs.file_system_protection = {"ReplicationOverwriteProtection": "ENABLED"}


# ---------------------------------------------------------------- responses

def response_create_replication_configuration(self):
    """POST /2015-02-01/file-systems/{SourceFileSystemId}/replication-configuration
    {Destinations: [{Region, AvailabilityZoneName?, KmsKeyId?, FileSystemId?, RoleArn?}]}
    -> 200 ReplicationConfigurationDescription."""
    body = json.loads(self.body) if self.body else {}
    config = create_replication_configuration(self.efs_backend, _source_id(self), body.get("Destinations"))
    return json.dumps(config), {"status": 200, "Content-Type": "application/json"}


def response_describe_replication_configurations(self):
    """GET /2015-02-01/file-systems/replication-configurations?FileSystemId&NextToken&MaxResults
    -> {Replications: [...], NextToken?}. The token is the source id of the next page's first."""
    query = _query(self)
    configs = describe_replication_configurations(self.efs_backend, query.get("FileSystemId"))
    start = 0
    if query.get("NextToken"):
        ids = [c["SourceFileSystemId"] for c in configs]
        if query["NextToken"] not in ids:
            raise BadRequest("Invalid NextToken")
        start = ids.index(query["NextToken"])
    limit = int(query.get("MaxResults", 100))
    out = {"Replications": configs[start:start + limit]}
    if start + limit < len(configs):
        out["NextToken"] = configs[start + limit]["SourceFileSystemId"]
    return json.dumps(out), {"status": 200, "Content-Type": "application/json"}


def response_delete_replication_configuration(self):
    """DELETE /2015-02-01/file-systems/{SourceFileSystemId}/replication-configuration -> 204."""
    delete_replication_configuration(self.efs_backend, _source_id(self))
    return "", {"status": 204}


_CONFIG_ROUTE = "/2015-02-01/file-systems/<file_system_id>/replication-configuration"


def install():
    # moto builds its server routes from url_paths when the first EFS request arrives.
    efs_urls.url_paths.setdefault(_CONFIG_ROUTE, efs_urls.response.dispatch)
    EFSResponse.create_replication_configuration = response_create_replication_configuration
    EFSResponse.describe_replication_configurations = response_describe_replication_configurations
    EFSResponse.delete_replication_configuration = response_delete_replication_configuration
