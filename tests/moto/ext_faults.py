"""CreateHealthCheck idempotency by CallerReference, as AWS does it (loaded by drctl_moto.py).

moto 5.2.1 creates a new health check for every CreateHealthCheck, even a retry with the same
CallerReference. AWS returns the existing check when the CallerReference and the config are
the same (and HealthCheckAlreadyExists when the config differs; drctl never sends that). The
fault tests (tests/integration/test_faults.py) drop answers after moto did the work, so the
client's retry of the same request must meet AWS's behaviour, not moto's, to count duplicates
honestly. moto bug workaround; nothing else changes.
"""

from moto.route53 import models as route53_models

_original_create = route53_models.Route53Backend.create_health_check


def create_health_check(self, caller_reference, health_check_args):
    for check in self.health_checks.values():
        if caller_reference and getattr(check, "caller_reference", None) == caller_reference:
            return check  # AWS: the same request retried returns the check it created
    return _original_create(self, caller_reference, health_check_args)


def install():
    """Registers the fix on moto's Route53Backend. Idempotent."""
    route53_models.Route53Backend.create_health_check = create_health_check
