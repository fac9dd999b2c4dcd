"""S3 conditional writes made atomic, as S3 guarantees (drctl's S3 state backend relies on it).

moto 5.2.1 answers If-None-Match: * and If-Match on PutObject (and If-Match on DeleteObject)
with 412 PreconditionFailed, but its threaded server checks the condition and then writes
without holding a lock, so two writers arriving at the same instant could both pass the check.
Each conditional PutObject / DeleteObject is run under one process-wide lock here, so the
check and the write happen as one step. Unconditional requests are not serialised."""

import threading

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


def install():
    cls = s3_responses.S3Response
    for name in ("put_object", "delete_object"):
        setattr(cls, name, _serialised(getattr(cls, name)))
