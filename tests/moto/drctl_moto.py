#!/usr/bin/env python3
"""moto's server plus the few operations drctl needs that moto 5.2.1 lacks or gets wrong.

Usage (same flags and environment as moto_server, e.g. INITIAL_NO_AUTH_ACTION_COUNT):
    python3 tests/moto/drctl_moto.py -H 127.0.0.1 -p PORT

How it plugs in: moto's server finds the operation name from the request with botocore's
model, then calls the snake_case method of that name on the service's Response class, which
talks to the service's backend object. So each addition below is one Response method plus,
where needed, one backend method, both named after the model operation and installed on moto's
own classes before moto's server entry point runs. Request and response shapes follow botocore's
data/backup/*/service-2.json and data/s3/*/service-2.json.

Added (moto answers HTTP 500 "not implemented"; the URL routes exist already, because moto's
"/backup/plans/(?P<name>.+)" route also matches the selection paths):
    Backup UpdateBackupPlan, CreateBackupSelection, GetBackupSelection, ListBackupSelections,
    DeleteBackupSelection.
Fixed in moto's own operations (each marked "moto bug workaround"):
    Backup CreateBackupPlan: CreatorRequestId idempotency; deleted plans no longer block a name.
    Backup ListBackupPlans: includeDeleted=false was read as true; NextToken/MaxResults.
    Backup DeleteBackupPlan: refuses while selections exist, as AWS does (InvalidRequestException).
    S3 GetBucketReplication: DeleteMarkerReplication was always Disabled, Filter always Prefix "",
    SourceSelectionCriteria and ExistingObjectReplication dropped.
    Signature check: a bodiless request (rest-json/rest-xml GET, DELETE) that does not sign
    x-amz-content-sha256 was verified against a payload made of moto's parsed headers, so
    boto3 and the aws CLI failed with SignatureDoesNotMatch where AWS accepts the request.
"""

import json
import sys
from copy import deepcopy
from urllib.parse import parse_qs, urlparse

from moto.backup import models as backup_models
from moto.backup import responses as backup_responses
from moto.backup.exceptions import (
    AlreadyExistsException,
    InvalidParameterValueException,
    InvalidRequestException,
    ResourceNotFoundException,
)
from moto.core.responses import ActionResult
from moto.core.utils import unix_time
from moto.core.authorization import ActionAuthenticatorMixin
from moto.iam.access_control import IAMRequest, IAMRequestBase
from moto.moto_api._internal import mock_random
from moto.s3 import responses as s3_responses
from moto.s3.exceptions import ReplicationConfigurationNotFoundError

BackupBackend = backup_models.BackupBackend
BackupResponse = backup_responses.BackupResponse
Plan = backup_models.Plan


# ---------------------------------------------------------------- shared helpers

def _query(response):
    """Query-string parameters of the request (moto's querystring falls back to headers)."""
    return {k: v[0] for k, v in parse_qs(response.parsed_url.query).items()}


def _json_body(response):
    return json.loads(response.body) if response.body else {}


def _path_after(response, marker):
    """Path segments after `marker`, e.g. ['PLAN', 'selections', 'SEL'] after '/plans/'."""
    return [s for s in response.path.split(marker, 1)[-1].split("/") if s]


def _page(items, next_token, max_results, key):
    """One page of `items` (already ordered) and the NextToken of the next page, or None.
    The token is the key of the first item of the next page."""
    start = 0
    if next_token:
        keys = [key(i) for i in items]
        if next_token not in keys:
            raise InvalidParameterValueException(msg="Invalid NextToken")
        start = keys.index(next_token)
    limit = int(max_results) if max_results else 1000
    if not 1 <= limit <= 1000:
        raise InvalidParameterValueException(msg="MaxResults must be between 1 and 1000")
    page = items[start:start + limit]
    rest = items[start + limit:]
    return page, (key(rest[0]) if rest else None)


def _live_plan(backend, backup_plan_id):
    plan = backend.plans.get(backup_plan_id)
    if plan is None or plan.deletion_date is not None:
        raise ResourceNotFoundException(msg=f"Failed reading Backup plan {backup_plan_id}")
    return plan


def _selections(backend):
    """The extension's selection store, kept on the backend so /moto-api/reset clears it
    (reset empties the backend's __dict__). {selection_id: selection dict}, insertion-ordered."""
    return backend.__dict__.setdefault("drctl_selections", {})


# ---------------------------------------------------------------- Backup: plans

def backend_create_backup_plan(self, backup_plan, backup_plan_tags, creator_request_id):
    # moto bug workaround: moto ignores CreatorRequestId (a retry creates nothing new on AWS but
    # raises AlreadyExists on moto) and lets deleted plans block their name forever.
    live = [p for p in self.plans.values() if p.deletion_date is None]
    if creator_request_id:
        for plan in live:
            if plan.creator_request_id == creator_request_id:
                return plan
    if backup_plan["BackupPlanName"] in [p.backup_plan["BackupPlanName"] for p in live]:
        raise AlreadyExistsException(msg="Backup plan with the same plan document already exists")
    plan = Plan(backup_plan=backup_plan, creator_request_id=creator_request_id, backend=self)
    if backup_plan_tags:
        self.tag_resource(plan.backup_plan_arn, backup_plan_tags)
    self.plans[plan.backup_plan_id] = plan
    return plan


def backend_update_backup_plan(self, backup_plan_id, backup_plan):
    """UpdateBackupPlan: replaces the plan document and gives it a new VersionId. Rules keep
    their RuleId when a rule of the same RuleName existed; rule defaults as in CreateBackupPlan."""
    plan = _live_plan(self, backup_plan_id)
    if not (backup_plan or {}).get("BackupPlanName") or not backup_plan.get("Rules"):
        raise InvalidParameterValueException(msg="BackupPlan.BackupPlanName and Rules are required")
    old_ids = {r["RuleName"]: r["RuleId"] for r in plan.backup_plan.get("Rules", [])}
    fresh = Plan(backup_plan=deepcopy(backup_plan), creator_request_id=None, backend=self)
    for rule in fresh.backup_plan["Rules"]:
        rule["RuleId"] = old_ids.get(rule["RuleName"], rule["RuleId"])
    plan.backup_plan = fresh.backup_plan
    plan.advanced_backup_settings = fresh.advanced_backup_settings
    plan.version_id = mock_random.get_random_string(length=48)
    return plan


_moto_delete_backup_plan = BackupBackend.delete_backup_plan


def backend_delete_backup_plan(self, backup_plan_id):
    # moto bug workaround: AWS refuses to delete a plan that still has selections.
    if any(s["BackupPlanId"] == backup_plan_id for s in _selections(self).values()):
        raise InvalidRequestException(
            msg="Related backup plan selections must be deleted prior to backup plan deletion")
    return _moto_delete_backup_plan(self, backup_plan_id)


def response_update_backup_plan(self):
    """POST /backup/plans/{backupPlanId} -> BackupPlanId, BackupPlanArn, CreationDate,
    VersionId, AdvancedBackupSettings."""
    backup_plan_id = _path_after(self, "/plans/")[0]
    body = _json_body(self)
    plan = self.backup_backend.update_backup_plan(backup_plan_id, body.get("BackupPlan"))
    return json.dumps(plan.to_dict())


def response_list_backup_plans(self):
    # moto bug workaround: moto reads includeDeleted=false as true and has no pagination.
    query = _query(self)
    include_deleted = query.get("includeDeleted", "false").lower() == "true"
    plans = [p for p in self.backup_backend.plans.values()
             if include_deleted or p.deletion_date is None]
    page, token = _page(plans, query.get("nextToken"), query.get("maxResults"),
                        key=lambda p: p.backup_plan_id)
    out = {"BackupPlansList": [p.to_list_dict() for p in page]}
    if token:
        out["NextToken"] = token
    return json.dumps(out)


# ---------------------------------------------------------------- Backup: selections

def backend_create_backup_selection(self, backup_plan_id, backup_selection, creator_request_id):
    """CreateBackupSelection: the same CreatorRequestId on the same plan returns the same
    selection (idempotency), as AWS does for a retried request."""
    _live_plan(self, backup_plan_id)
    for name in ("SelectionName", "IamRoleArn"):
        if not (backup_selection or {}).get(name):
            raise InvalidParameterValueException(msg=f"BackupSelection.{name} is required")
    store = _selections(self)
    if creator_request_id:
        for sel in store.values():
            if (sel["BackupPlanId"] == backup_plan_id
                    and sel["CreatorRequestId"] == creator_request_id):
                return sel
    sel = {
        "SelectionId": str(mock_random.uuid4()),
        "BackupPlanId": backup_plan_id,
        "CreationDate": unix_time(),
        "CreatorRequestId": creator_request_id,
        "BackupSelection": backup_selection,
    }
    store[sel["SelectionId"]] = sel
    return sel


def backend_get_backup_selection(self, backup_plan_id, selection_id):
    sel = _selections(self).get(selection_id)
    if sel is None or sel["BackupPlanId"] != backup_plan_id:
        raise ResourceNotFoundException(msg=f"Failed reading backup selection {selection_id}")
    return sel


def backend_list_backup_selections(self, backup_plan_id):
    _live_plan(self, backup_plan_id)
    return [s for s in _selections(self).values() if s["BackupPlanId"] == backup_plan_id]


def backend_delete_backup_selection(self, backup_plan_id, selection_id):
    sel = self.get_backup_selection(backup_plan_id, selection_id)
    del _selections(self)[sel["SelectionId"]]


def _without_none(d):
    return {k: v for k, v in d.items() if v is not None}


def response_create_backup_selection(self):
    """PUT /backup/plans/{backupPlanId}/selections/ -> SelectionId, BackupPlanId, CreationDate."""
    backup_plan_id = _path_after(self, "/plans/")[0]
    body = _json_body(self)
    sel = self.backup_backend.create_backup_selection(
        backup_plan_id, body.get("BackupSelection"), body.get("CreatorRequestId"))
    return json.dumps({k: sel[k] for k in ("SelectionId", "BackupPlanId", "CreationDate")})


def response_get_backup_selection(self):
    """GET /backup/plans/{backupPlanId}/selections/{selectionId} -> BackupSelection,
    SelectionId, BackupPlanId, CreationDate, CreatorRequestId."""
    backup_plan_id, _, selection_id = _path_after(self, "/plans/")[:3]
    sel = self.backup_backend.get_backup_selection(backup_plan_id, selection_id)
    return json.dumps(_without_none(sel))


def response_list_backup_selections(self):
    """GET /backup/plans/{backupPlanId}/selections/?nextToken&maxResults ->
    BackupSelectionsList [SelectionId, SelectionName, BackupPlanId, CreationDate,
    CreatorRequestId, IamRoleArn], NextToken."""
    backup_plan_id = _path_after(self, "/plans/")[0]
    query = _query(self)
    sels = self.backup_backend.list_backup_selections(backup_plan_id)
    page, token = _page(sels, query.get("nextToken"), query.get("maxResults"),
                        key=lambda s: s["SelectionId"])
    members = [_without_none({
        "SelectionId": s["SelectionId"],
        "SelectionName": s["BackupSelection"]["SelectionName"],
        "BackupPlanId": s["BackupPlanId"],
        "CreationDate": s["CreationDate"],
        "CreatorRequestId": s["CreatorRequestId"],
        "IamRoleArn": s["BackupSelection"]["IamRoleArn"],
    }) for s in page]
    out = {"BackupSelectionsList": members}
    if token:
        out["NextToken"] = token
    return json.dumps(out)


def response_delete_backup_selection(self):
    """DELETE /backup/plans/{backupPlanId}/selections/{selectionId} -> empty body."""
    backup_plan_id, _, selection_id = _path_after(self, "/plans/")[:3]
    self.backup_backend.delete_backup_selection(backup_plan_id, selection_id)
    return "{}"


# ---------------------------------------------------------------- S3: GetBucketReplication

def _as_list(value):
    return value if isinstance(value, list) else ([] if value is None else [value])


def _replication_filter(flt):
    """The stored (xmltodict) Filter in the model's shape: empty Prefix is "", the flattened
    <Tag> elements of And become the list member Tags."""
    if not isinstance(flt, dict):
        return {"Prefix": ""}
    out = dict(flt)
    if "Prefix" in out and out["Prefix"] is None:
        out["Prefix"] = ""
    if isinstance(out.get("And"), dict):
        and_ = dict(out["And"])
        if "Tag" in and_:
            and_["Tags"] = _as_list(and_.pop("Tag"))
        out["And"] = and_
    return out


def response_get_bucket_replication(self):
    # moto bug workaround: moto 5.2.1 answers every rule with DeleteMarkerReplication Disabled
    # and Filter Prefix "", and drops SourceSelectionCriteria and ExistingObjectReplication.
    # Return what was stored by PutBucketReplication instead.
    self.data["Action"] = "GetBucketReplication"
    replication = self.backend.get_bucket_replication(self.bucket_name)
    if not replication:
        raise ReplicationConfigurationNotFoundError(bucket_name=self.bucket_name)
    rules = []
    for stored in replication["Rule"]:
        rule = {k: stored[k] for k in ("ID", "Priority", "Status", "Destination") if k in stored}
        if "Prefix" in stored and "Filter" not in stored:  # the older V1 rule form
            rule["Prefix"] = stored["Prefix"] or ""
        else:
            rule["Filter"] = _replication_filter(stored.get("Filter"))
        rule["DeleteMarkerReplication"] = stored.get("DeleteMarkerReplication") or {
            "Status": "Disabled"}
        for key in ("SourceSelectionCriteria", "ExistingObjectReplication"):
            if stored.get(key):
                rule[key] = stored[key]
        rules.append(rule)
    return self.serialized(ActionResult(
        {"ReplicationConfiguration": {"Role": replication["Role"], "Rules": rules}}))


# ---------------------------------------------------------------- signature check

_moto_create_aws_request = IAMRequestBase._create_aws_request


def iam_request_create_aws_request(self):
    # moto bug workaround: with an empty body moto signs `self._data` instead, which is the form
    # of a query-protocol POST (werkzeug moves it out of the body) but for a bodiless GET/DELETE
    # is the query string or even the request headers. The payload of those is empty.
    request = _moto_create_aws_request(self)
    content_type = self._headers.get("Content-Type", "") or ""
    if not self._body and "x-www-form-urlencoded" not in content_type:
        request.data = b""
    return request


_moto_authenticate = ActionAuthenticatorMixin._authenticate_and_authorize_action


def authenticate_with_wire_path(self, iam_request_cls, resource="*"):
    # moto bug workaround: moto verifies the signature over the *decoded* path, but SigV4 for
    # every service but S3 signs the path as sent on the wire (then encoded once more). A
    # rest-json path holding an ARN (Backup ListTags: /tags/arn%3Aaws%3Abackup...) therefore
    # never verifies, for boto3 and the aws CLI alike. Verify over the raw path instead.
    raw_path = getattr(self, "raw_path", None)
    parsed = urlparse(self.uri)
    if iam_request_cls is not IAMRequest or not raw_path or raw_path == parsed.path:
        return _moto_authenticate(self, iam_request_cls, resource)
    decoded_uri = self.uri
    self.uri = parsed._replace(path=raw_path).geturl()
    try:
        return _moto_authenticate(self, iam_request_cls, resource)
    finally:
        self.uri = decoded_uri


# ---------------------------------------------------------------- installation

def install():
    """Registers the additions on moto's classes. Idempotent."""
    BackupBackend.create_backup_plan = backend_create_backup_plan
    BackupBackend.update_backup_plan = backend_update_backup_plan
    BackupBackend.delete_backup_plan = backend_delete_backup_plan
    BackupBackend.create_backup_selection = backend_create_backup_selection
    BackupBackend.get_backup_selection = backend_get_backup_selection
    BackupBackend.list_backup_selections = backend_list_backup_selections
    BackupBackend.delete_backup_selection = backend_delete_backup_selection

    BackupResponse.update_backup_plan = response_update_backup_plan
    BackupResponse.list_backup_plans = response_list_backup_plans
    BackupResponse.create_backup_selection = response_create_backup_selection
    BackupResponse.get_backup_selection = response_get_backup_selection
    BackupResponse.list_backup_selections = response_list_backup_selections
    BackupResponse.delete_backup_selection = response_delete_backup_selection

    s3_responses.S3Response.get_bucket_replication = response_get_bucket_replication

    IAMRequestBase._create_aws_request = iam_request_create_aws_request
    ActionAuthenticatorMixin._authenticate_and_authorize_action = authenticate_with_wire_path


def install_service_extensions():
    """Each tests/moto/ext_<service>.py holds the additions for one more service and has an
    install() of its own; they are loaded in name order."""
    import importlib.util
    from pathlib import Path
    for path in sorted(Path(__file__).resolve().parent.glob("ext_*.py")):
        spec = importlib.util.spec_from_file_location(f"drctl_moto_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.install()


def main(argv=None):
    install()
    install_service_extensions()
    from moto.server import main as moto_server_main
    moto_server_main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
