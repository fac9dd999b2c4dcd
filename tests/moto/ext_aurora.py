"""Aurora global database failover for drctl's failover runbook (op.aurora_failover); loaded
by drctl_moto.py, which calls install(). Shapes follow botocore's data/rds/2014-10-31 model.

Added (moto 5.2.1 answers HTTP 500 "not implemented"):
    SwitchoverGlobalCluster: GlobalClusterIdentifier, TargetDbClusterIdentifier -> GlobalCluster.
    FailoverGlobalCluster: GlobalClusterIdentifier, TargetDbClusterIdentifier, AllowDataLoss,
        Switchover -> GlobalCluster (AllowDataLoss together with Switchover is refused with
        InvalidParameterCombination, as the model says).
Both make the target member the writer and every other member a reader, across regions: moto
keeps a global cluster's members as the DBCluster objects of their regional backends, and
GlobalClusterMembers[].IsWriter is read from each cluster's is_writer. moto creates everything
in its final state, so the global cluster stays `available` and no FailoverState is reported
(AWS shows it while the operation runs and clears it afterwards). moto cannot tell a healthy
primary region from a dead one, so a switchover is accepted whatever the primary's state.
Errors as AWS answers them: GlobalClusterNotFoundFault; DBClusterNotFoundFault when the target
is not a member; InvalidDBClusterStateFault when the target is already the writer.
"""

from moto.core.responses import ActionResult
from moto.rds import models as rds_models
from moto.rds import responses as rds_responses
from moto.rds.exceptions import (
    DBClusterNotFoundError,
    InvalidDBClusterStateFault,
    InvalidParameterCombination,
    RDSClientError,
)

RDSResponse = rds_responses.RDSResponse


def _global_cluster(account_id, identifier):
    # moto keeps every global cluster in its us-east-1 backend (see ext_rds.py), whichever
    # region is called: a call to the DR region finds it there too, as on AWS.
    name = (identifier or "").split(":")[-1].lower()
    found = rds_models.rds_backends[account_id]["us-east-1"].global_clusters.get(name)
    if found is None:
        raise RDSClientError("GlobalClusterNotFoundFault", f"Global cluster {name} not found.")
    return found


def _flag(value):
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


def _make_writer(response, allow_data_loss):
    params = response.params
    cluster = _global_cluster(response.current_account, params.get("GlobalClusterIdentifier"))
    target_id = params.get("TargetDbClusterIdentifier") or ""
    target = next((m for m in cluster.members
                   if target_id in (m.db_cluster_arn, m.db_cluster_identifier)), None)
    if target is None:
        raise DBClusterNotFoundError(
            target_id, f"DBCluster {target_id} is not a member of global cluster {cluster.global_cluster_identifier}")
    if target.is_writer:
        raise InvalidDBClusterStateFault(
            f"DBCluster {target_id} is already the primary cluster of {cluster.global_cluster_identifier}")
    for member in cluster.members:
        member.is_writer = member is target
    # With data loss allowed (an outage), AWS keeps the old primary as a member and brings it
    # back as a secondary once its region recovers; moto has no outage, so it is a reader now.
    del allow_data_loss
    return ActionResult({"GlobalCluster": cluster})


def response_switchover_global_cluster(self):
    return _make_writer(self, allow_data_loss=False)


def response_failover_global_cluster(self):
    allow = _flag(self.params.get("AllowDataLoss"))
    if allow and _flag(self.params.get("Switchover")):
        raise InvalidParameterCombination("AllowDataLoss can't be specified together with Switchover")
    # Without AllowDataLoss the model says the operation defaults to a switchover.
    return _make_writer(self, allow_data_loss=allow)


def install():
    """Registers the additions on moto's classes. Idempotent."""
    RDSResponse.switchover_global_cluster = response_switchover_global_cluster
    RDSResponse.failover_global_cluster = response_failover_global_cluster
