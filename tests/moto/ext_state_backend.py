"""S3 behaviour drctl's S3 state backend relies on, made to hold on moto 5.2.1.

1. Conditional writes made atomic, as S3 guarantees. moto answers If-None-Match: * and
   If-Match on PutObject (and If-Match on DeleteObject) with 412 PreconditionFailed, but its
   threaded server checks the condition and then writes without holding a lock, so two writers
   arriving at the same instant could both pass the check. Each conditional PutObject /
   DeleteObject is run under one process-wide lock here, so the check and the write happen as
   one step. Unconditional requests are not serialised.

2. moto bug workaround, signature check of S3 requests with an encoded query: SigV4 signs the
   query string as sent (boto3 sends ListObjectVersions Prefix="shop/state.db" as
   prefix=shop%2Fstate.db), but moto verifies over werkzeug's re-built request URL, whose query
   has "/" (and other characters) decoded again, so botocore's canonical query differs and a
   correctly signed request fails with SignatureDoesNotMatch. The S3 signature is verified over
   the query string exactly as it arrived instead (the path is left as moto has it)."""

import threading
from urllib.parse import urlparse

from moto.core.authorization import ActionAuthenticatorMixin
from moto.iam.access_control import S3IAMRequest
from moto.s3 import responses as s3_responses

_CONDITIONAL = threading.Lock()


def _serialised(original):
    def wrapper(self, *args, **kwargs):
        headers = getattr(self, "headers", {}) or {}
        if headers.get("If-None-Match") or headers.get("If-Match"):
            with _CONDITIONAL:
                return original(self, *args, **kwargs)
        return original(self, *args, **kwargs)
    wrapper.__name__ = original.__name__
    return wrapper


def _remember_raw_query(original):
    def setup_class(self, request, full_url, headers, *args, **kwargs):
        environ = getattr(request, "environ", None) or {}
        raw_uri = environ.get("RAW_URI")
        self.drctl_raw_query = urlparse(raw_uri).query if raw_uri else None
        return original(self, request, full_url, headers, *args, **kwargs)
    return setup_class


def _verify_over_raw_query(original):
    def authenticate(self, iam_request_cls, resource="*"):
        raw_query = getattr(self, "drctl_raw_query", None)
        if iam_request_cls is not S3IAMRequest or not raw_query:
            return original(self, iam_request_cls, resource)
        parsed = urlparse(self.uri)
        if parsed.query == raw_query:
            return original(self, iam_request_cls, resource)
        rebuilt = self.uri
        self.uri = parsed._replace(query=raw_query).geturl()
        try:
            return original(self, iam_request_cls, resource)
        finally:
            self.uri = rebuilt
    return authenticate


def install():
    cls = s3_responses.S3Response
    for name in ("put_object", "delete_object"):
        setattr(cls, name, _serialised(getattr(cls, name)))
    cls.setup_class = _remember_raw_query(cls.setup_class)
    ActionAuthenticatorMixin._authenticate_and_authorize_action = _verify_over_raw_query(
        ActionAuthenticatorMixin._authenticate_and_authorize_action)
