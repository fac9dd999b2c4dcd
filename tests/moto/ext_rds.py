"""RDS additions to moto 5.2.1 for drctl's rds.replica and rds.global_cluster (loaded by
drctl_moto.py, which calls install()). Shapes follow botocore's data/rds/2014-10-31 model.

moto keeps every global cluster in its us-east-1 backend (RDSResponse.global_backend) while AWS
shows a global cluster from every region; the fixes below look global clusters up there.

Added (moto answers HTTP 500):
    ModifyGlobalCluster (DeletionProtection only: what drctl changes in place).
Fixed in moto's own operations (each marked "moto bug workaround"):
    DeleteDBInstance of a cross-region read replica: moto recorded the replica on its source by
        ARN but removed it by identifier (ValueError, HTTP 500, instance half deleted).
    DeleteDBInstance of a read replica with FinalDBSnapshotIdentifier: AWS refuses
        (InvalidParameterCombination; the model: "Can't be specified when deleting a read
        replica"); moto took the snapshot.
    CreateDBInstanceReadReplica with an identifier in use: AWS answers DBInstanceAlreadyExists;
        moto replaced the instance.
    CreateGlobalCluster: Tags were dropped; an identifier in use replaced the global cluster
        (AWS: GlobalClusterAlreadyExistsFault); the source cluster was not marked IsWriter.
    DescribeGlobalClusters: GlobalClusterIdentifier was ignored (every global cluster came back,
        never GlobalClusterNotFoundFault).
    RemoveFromGlobalCluster: worked only when called in us-east-1 and answered an empty body
        when it found nothing; now found from any region, with the model's errors, and the
        detached cluster becomes a standalone writer as on AWS.
    AddTagsToResource / RemoveTagsFromResource / ListTagsForResource: global-cluster ARNs
        (arn:aws:rds::ACCOUNT:global-cluster:ID) were rejected as invalid resource names.
"""

from moto.core.responses import ActionResult
from moto.rds import models as rds_models
from moto.rds import responses as rds_responses
from moto.rds.exceptions import (
    DBClusterNotFoundError,
    DBInstanceAlreadyExists,
    InvalidParameterCombination,
    RDSClientError,
)

RDSBackend = rds_models.RDSBackend
RDSResponse = rds_responses.RDSResponse
DBInstance = rds_models.DBInstance


def _global_backend(backend):
    return rds_models.rds_backends[backend.account_id]["us-east-1"]


def _global_cluster(backend, identifier):
    """The global cluster named by identifier or ARN, or GlobalClusterNotFoundFault."""
    name = (identifier or "").split(":")[-1]
    found = _global_backend(backend).global_clusters.get(name)
    if found is None:
        raise RDSClientError("GlobalClusterNotFoundFault", f"Global cluster {name} not found.")
    return found


# ---------------------------------------------------------------- read replicas

def instance_remove_replica(self, replica):
    # moto bug workaround: add_replica records a cross-region replica by its ARN.
    for key in (replica.db_instance_identifier, replica.db_instance_arn):
        if key in self.replicas:
            self.replicas.remove(key)


_moto_delete_db_instance = RDSBackend.delete_db_instance


def backend_delete_db_instance(self, db_instance_identifier, final_db_snapshot_identifier=None,
                               skip_final_snapshot=False, delete_automated_backups=True):
    db = self.databases.get(db_instance_identifier)
    if db is not None and db.is_replica and final_db_snapshot_identifier and not skip_final_snapshot:
        # moto bug workaround: AWS takes no final snapshot of a read replica.
        raise InvalidParameterCombination(
            "FinalDBSnapshotIdentifier can not be specified when deleting a replica instance")
    return _moto_delete_db_instance(self, db_instance_identifier, final_db_snapshot_identifier,
                                    skip_final_snapshot, delete_automated_backups)


_moto_create_read_replica = RDSBackend.create_db_instance_read_replica


def backend_create_db_instance_read_replica(self, db_kwargs):
    # moto bug workaround: an identifier in use is an error on AWS, not a replacement.
    if db_kwargs["db_instance_identifier"] in self.databases:
        raise DBInstanceAlreadyExists()
    return _moto_create_read_replica(self, db_kwargs)


# ---------------------------------------------------------------- global clusters

_moto_create_global_cluster = RDSBackend.create_global_cluster


def response_create_global_cluster(self):
    # moto bug workaround: Tags dropped, identifier reuse replaced the cluster, the source
    # cluster not reported as the writer.
    params = self.params
    identifier = params["GlobalClusterIdentifier"]
    if identifier in self.global_backend.global_clusters:
        raise RDSClientError("GlobalClusterAlreadyExistsFault",
                             f"Global cluster {identifier} already exists")
    cluster = _moto_create_global_cluster(
        self.global_backend,
        global_cluster_identifier=identifier,
        source_db_cluster_identifier=params.get("SourceDBClusterIdentifier"),
        engine=params.get("Engine"),
        engine_version=params.get("EngineVersion"),
        storage_encrypted=params.get("StorageEncrypted"),
        deletion_protection=params.get("DeletionProtection"),
    )
    cluster.tags = list(params.get("Tags") or [])
    if cluster.members:
        cluster.members[0].is_writer = True
    return ActionResult({"GlobalCluster": cluster})


def response_describe_global_clusters(self):
    # moto bug workaround: GlobalClusterIdentifier was ignored.
    identifier = self.params.get("GlobalClusterIdentifier")
    if identifier:
        clusters = [_global_cluster(self.backend, identifier)]
    else:
        clusters = self.global_backend.describe_global_clusters()
    return ActionResult({"GlobalClusters": clusters})


def response_modify_global_cluster(self):
    """ModifyGlobalCluster: GlobalClusterIdentifier, DeletionProtection -> GlobalCluster."""
    cluster = _global_cluster(self.backend, self.params["GlobalClusterIdentifier"])
    if self.params.get("DeletionProtection") is not None:
        cluster.deletion_protection = bool(self.params["DeletionProtection"])
    return ActionResult({"GlobalCluster": cluster})


def response_remove_from_global_cluster(self):
    # moto bug workaround: looked for the global cluster in the caller's region only, and
    # answered without a GlobalCluster when nothing was found.
    cluster = _global_cluster(self.backend, self.params["GlobalClusterIdentifier"])
    arn = self.params["DbClusterIdentifier"]
    member = next((m for m in cluster.members if m.db_cluster_arn == arn), None)
    if member is None:
        raise DBClusterNotFoundError(arn, f"DBCluster {arn} is not a member of the global cluster")
    cluster.members.remove(member)
    member.global_cluster_identifier = None
    member.is_writer = True  # a detached secondary becomes a standalone read-write cluster
    return ActionResult({"GlobalCluster": cluster})


_moto_resource_for_tagging = RDSBackend._get_resource_for_tagging


def backend_get_resource_for_tagging(self, arn):
    # moto bug workaround: global-cluster ARNs have no region and were rejected.
    parts = (arn or "").split(":")
    if len(parts) == 7 and parts[2] == "rds" and parts[5] == "global-cluster":
        return _global_cluster(self, parts[6])
    return _moto_resource_for_tagging(self, arn)


# ---------------------------------------------------------------- installation

def install():
    """Registers the additions on moto's classes. Idempotent."""
    DBInstance.remove_replica = instance_remove_replica
    RDSBackend.delete_db_instance = backend_delete_db_instance
    RDSBackend.create_db_instance_read_replica = backend_create_db_instance_read_replica
    RDSBackend._get_resource_for_tagging = backend_get_resource_for_tagging
    RDSResponse.create_global_cluster = response_create_global_cluster
    RDSResponse.describe_global_clusters = response_describe_global_clusters
    RDSResponse.modify_global_cluster = response_modify_global_cluster
    RDSResponse.remove_from_global_cluster = response_remove_from_global_cluster
