"""STS web identity in moto 5.2.1 with signature checking on (loaded by drctl_moto.py).

Checked against botocore's data/sts/2011-06-15 model and moto's sources:
    moto implements AssumeRole and AssumeRoleWithWebIdentity and returns temporary keys (ASIA...)
    with a session token and an Expiration one hour ahead (DurationSeconds honoured). It knows
    those keys: a call signed with one must carry its X-Amz-Security-Token (else InvalidToken),
    its signature is verified with the temporary secret, and it is authorised against the
    policies of the role named in the role ARN (so the role must exist and have a policy).
    AssumeRole by an IAM user is checked against the role's trust policy (Principal "AWS").

Fixed (marked "moto bug workaround"):
    AssumeRoleWithWebIdentity and AssumeRoleWithSAML are unsigned calls (the model's auth is
    smithy.api#noAuth: the token itself is the proof). moto's server routes them without an
    Authorization header (UNSIGNED_ACTIONS), but once signature checking is on its authenticator
    reads that header anyway and answers HTTP 500 (KeyError 'HTTP_AUTHORIZATION'). Unsigned
    calls of those two actions now skip the signature check; every other call is checked as before.

Known and left alone: moto accepts any string as the web identity token and does not evaluate
the trust policy for web identity, so InvalidIdentityToken / ExpiredTokenException cannot be
produced here: drctl's unit tests (src/aws/sts_credentials_test.cc) cover those replies.
"""

from moto.core.authorization import ActionAuthenticatorMixin

_UNSIGNED_ACTIONS = {"AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"}


def install():
    """Wraps whatever authenticator is installed (drctl_moto.py's own fix included). Idempotent."""
    previous = ActionAuthenticatorMixin._authenticate_and_authorize_action
    if getattr(previous, "_drctl_unsigned_sts", False):
        return

    def authenticate_unsigned_sts(self, iam_request_cls, resource="*"):
        # moto bug workaround: see the module docstring.
        if "Authorization" not in self.headers and self._get_action() in _UNSIGNED_ACTIONS:
            return None
        return previous(self, iam_request_cls, resource)

    authenticate_unsigned_sts._drctl_unsigned_sts = True
    ActionAuthenticatorMixin._authenticate_and_authorize_action = authenticate_unsigned_sts
