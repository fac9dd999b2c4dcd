"""DynamoDB global-table replicas (version 2019.11.21) for moto 5.2.1.

moto accepts UpdateTable's ReplicaUpdates and ignores them: no replica table is created and
DescribeTable has no Replicas. This makes them real, in botocore's dynamodb 2012-08-10 shapes:
  Create {RegionName, KMSMasterKeyId?}: adds a ReplicaDescription (RegionName, ReplicaStatus
      ACTIVE, KMSMasterKeyId, ReplicaTableClassSummary) to the table's Replicas, sets
      GlobalTableVersion "2019.11.21", and creates the replica table (same name, key schema,
      attributes, indexes, billing, streams) in the replica region's backend, so DescribeTable
      and the continuous-backups calls work there.
  Update {RegionName, KMSMasterKeyId}: changes the replica's key.
  Delete {RegionName}: removes the entry and the replica table.
As AWS does, Create needs streams on with NEW_AND_OLD_IMAGES and refuses a replica region that
already holds the table or is the table's own region (ValidationException). Like the rest of
moto, everything is created in its final state (ACTIVE). Not modelled: the replica table's own
Replicas list, replication of items, CreateGlobalTable/DescribeGlobalTable (version 2017).
"""

from moto.dynamodb import models as ddb_models
from moto.dynamodb import responses as ddb_responses
from moto.dynamodb.exceptions import MockValidationException
from moto.dynamodb.models import Table

DynamoHandler = ddb_responses.DynamoHandler


def _replicas(table):
    """The table's replica descriptions, kept on the Table object (reset drops it with the backend)."""
    return table.__dict__.setdefault("drctl_replicas", [])


def _find(table, region):
    return next((r for r in _replicas(table) if r["RegionName"] == region), None)


def _not_found(region):
    return MockValidationException(
        f"Replica specified in the Replica Update or Replica Delete action of the request was not found: {region}")


def _create_replica(backend, table, action):
    region = action.get("RegionName")
    if not region:
        raise MockValidationException("1 validation error detected: RegionName must not be null")
    if region == table.region_name or _find(table, region):
        raise MockValidationException(f"Failed to create a the new replica of table with name: "
                                      f"'{table.name}' because one or more replicas already existed "
                                      f"as tables.")
    spec = table.stream_specification or {}
    if not spec.get("StreamEnabled") or spec.get("StreamViewType") != "NEW_AND_OLD_IMAGES":
        raise MockValidationException(
            "Table needs to have streams enabled with StreamViewType NEW_AND_OLD_IMAGES to add a replica")
    other = ddb_models.dynamodb_backends[backend.account_id][region]
    if table.name in other.tables:
        raise MockValidationException(f"Failed to create a the new replica of table with name: "
                                      f"'{table.name}' because one or more replicas already existed "
                                      f"as tables.")
    other.create_table(
        table.name, schema=table.schema, throughput=None if table.billing_mode == "PAY_PER_REQUEST"
        else {k: table.throughput[k] for k in ("ReadCapacityUnits", "WriteCapacityUnits")},
        attr=table.attr, global_indexes=[i.describe() for i in table.global_indexes] or None,
        indexes=[i.describe() for i in table.indexes] or None, streams=dict(spec),
        billing_mode=table.billing_mode, sse_specification=None, tags=[],
        deletion_protection_enabled=False, warm_throughput=None)
    replica = {"RegionName": region, "ReplicaStatus": "ACTIVE",
               "ReplicaTableClassSummary": {"TableClass": "STANDARD"}}
    if action.get("KMSMasterKeyId"):
        replica["KMSMasterKeyId"] = action["KMSMasterKeyId"]
    _replicas(table).append(replica)


def _update_replica(table, action):
    replica = _find(table, action.get("RegionName"))
    if replica is None:
        raise _not_found(action.get("RegionName"))
    if action.get("KMSMasterKeyId"):
        replica["KMSMasterKeyId"] = action["KMSMasterKeyId"]


def _delete_replica(backend, table, action):
    region = action.get("RegionName")
    replica = _find(table, region)
    if replica is None:
        raise _not_found(region)
    _replicas(table).remove(replica)
    ddb_models.dynamodb_backends[backend.account_id][region].tables.pop(table.name, None)


_moto_update_table = DynamoHandler.update_table


def response_update_table(self):
    # moto bug workaround (missing feature): ReplicaUpdates were accepted and dropped.
    updates = self.body.get("ReplicaUpdates") or []
    result = _moto_update_table(self)
    if not updates:
        return result
    backend = self.dynamodb_backend
    table = backend.get_table(self.body["TableName"])
    for update in updates:
        if "Create" in update:
            _create_replica(backend, table, update["Create"])
        elif "Update" in update:
            _update_replica(table, update["Update"])
        elif "Delete" in update:
            _delete_replica(backend, table, update["Delete"])
    # Answer with the table as it is now (moto's result was built before the replica changes).
    return ddb_responses.DynamoResult(table.describe())


_moto_describe = Table.describe


def table_describe(self, base_key="TableDescription"):
    results = _moto_describe(self, base_key)
    replicas = self.__dict__.get("drctl_replicas")
    if replicas:
        results[base_key]["GlobalTableVersion"] = "2019.11.21"
        results[base_key]["Replicas"] = [dict(r) for r in replicas]
    return results


def install():
    if getattr(DynamoHandler.update_table, "__name__", "") != "response_update_table":
        DynamoHandler.update_table = response_update_table
    if getattr(Table.describe, "__name__", "") != "table_describe":
        Table.describe = table_describe
