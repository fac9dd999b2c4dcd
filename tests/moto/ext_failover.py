"""RDS promotion as AWS does it, for drctl's failover runbook (op.rds_promote); loaded by
drctl_moto.py, which calls install(). Shapes follow botocore's data/rds/2014-10-31 model.

Fixed in moto's own operation (moto bug workaround):
    PromoteReadReplica: moto 5.2.1 answers OK but the instance keeps
        ReadReplicaSourceDBInstanceIdentifier and stays listed in its source's
        ReadReplicaDBInstanceIdentifiers. On AWS a promoted instance is standalone: the source
        link is cleared on the instance and the instance is removed from the source's list.
        A standalone instance that is promoted answers InvalidDBInstanceState, as on AWS.
FailoverGlobalCluster and SwitchoverGlobalCluster are added by ext_aurora.py.
"""

from moto.rds import models as rds_models
from moto.rds.exceptions import DBInstanceNotFoundError, RDSClientError

RDSBackend = rds_models.RDSBackend


def _source_of(backend, db):
    """The source instance of a replica, looked up by identifier or ARN in any region."""
    source_id = db.source_db_instance_identifier
    if not source_id:
        return None
    name = source_id.split(":")[-1]
    region = source_id.split(":")[3] if source_id.startswith("arn:") else backend.region_name
    try:
        return rds_models.rds_backends[backend.account_id][region].databases.get(name)
    except KeyError:
        return None


def backend_promote_read_replica(self, db_kwargs):
    database_id = db_kwargs["db_instance_identifier"]
    database = self.databases.get(database_id)
    if database is None:
        raise DBInstanceNotFoundError(database_id)
    if not database.is_replica and not database.source_db_instance_identifier:
        raise RDSClientError("InvalidDBInstanceState", f"DB Instance {database_id} is not a read replica.")
    source = _source_of(self, database)
    if source is not None:
        for key in (database.db_instance_identifier, database.db_instance_arn):
            if key in source.replicas:
                source.replicas.remove(key)
    database.is_replica = False
    database.source_db_instance_identifier = None
    kwargs = {k: v for k, v in db_kwargs.items() if k != "db_instance_identifier"}
    if kwargs:
        database.update(**kwargs)
    return database


def install():
    RDSBackend.promote_read_replica = backend_promote_read_replica
