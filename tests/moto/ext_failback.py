"""RDS renames as AWS does them, for drctl's failback runbook (op.rds_retire); loaded by
drctl_moto.py, which calls install(). Shapes follow botocore's data/rds/2014-10-31 model.

Checked on moto 5.2.1 (what failback needs and moto already does):
    ModifyDBInstance NewDBInstanceIdentifier renames the instance at once (AWS: status
        `renaming` for a while), DBInstanceArn follows the new name, tags stay.
    CreateDBInstanceReadReplica in us-east-1 from an instance ARN of us-west-2 (the promoted DR
        writer) works and reports the ARN as ReadReplicaSourceDBInstanceIdentifier;
        PromoteReadReplica of it goes through ext_failover.py.
Fixed in moto's own operation (moto bug workaround):
    ModifyDBInstance NewDBInstanceIdentifier onto an identifier in use replaced that instance
        (its data lost); AWS answers DBInstanceAlreadyExists. A renamed replica stayed listed
        under its old name on its source, and a renamed source left its replicas pointing at
        the old name; AWS keeps both links.
"""

from moto.rds import models as rds_models
from moto.rds.exceptions import DBInstanceAlreadyExists, DBInstanceNotFoundError

RDSBackend = rds_models.RDSBackend

_moto_modify_db_instance = RDSBackend.modify_db_instance


def _instance_by_ref(backend, ref):
    """The instance an identifier (same region) or ARN names, or None."""
    name = ref.split(":")[-1]
    region = ref.split(":")[3] if ref.startswith("arn:") else backend.region_name
    try:
        return rds_models.rds_backends[backend.account_id][region].databases.get(name)
    except KeyError:
        return None


def _ref(db, seen_from_region):
    """How RDS names `db` in a link from another instance: identifier in its region, else ARN."""
    return db.db_instance_identifier if db.region == seen_from_region else db.db_instance_arn


def backend_modify_db_instance(self, db_instance_identifier, db_kwargs):
    new_id = db_kwargs.get("new_db_instance_identifier")
    if not new_id or new_id == db_instance_identifier:
        return _moto_modify_db_instance(self, db_instance_identifier, db_kwargs)
    db = self.databases.get(db_instance_identifier)
    if db is None:
        raise DBInstanceNotFoundError(db_instance_identifier)
    if new_id in self.databases:
        raise DBInstanceAlreadyExists()  # moto bug workaround: moto replaced the other instance
    source = _instance_by_ref(self, db.source_db_instance_identifier) if db.source_db_instance_identifier else None
    old_ref_seen_by_source = _ref(db, source.region) if source is not None else None
    replicas = [r for r in (_instance_by_ref(self, ref) for ref in list(db.replicas)) if r is not None]
    renamed = _moto_modify_db_instance(self, db_instance_identifier, db_kwargs)
    # moto bug workaround: keep the replication links under the new name, as AWS does.
    if source is not None and old_ref_seen_by_source in source.replicas:
        source.replicas[source.replicas.index(old_ref_seen_by_source)] = _ref(renamed, source.region)
    for replica in replicas:
        replica.source_db_instance_identifier = _ref(renamed, replica.region)
    renamed.replicas = [_ref(r, renamed.region) for r in replicas]
    return renamed


def install():
    RDSBackend.modify_db_instance = backend_modify_db_instance
