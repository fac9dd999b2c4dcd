"""Route 53 fixes to moto 5.2.1 that drctl's tests need (loaded by drctl_moto.py).

Fixed in moto's own operations (each marked "moto bug workaround"):
    CreateHostedZone: zone ids did not start with "Z" as AWS's do ("Z" + upper-case letters and
    digits), so a stack could not name a moto zone: drctl's schema checks the AWS form.
    DeleteHealthCheck: deleted a health check that a record set still names; AWS refuses with
    HealthCheckInUse (HTTP 400), which is why drctl deletes records before their checks.

Known and left alone (drctl does not depend on them; see tests/integration/test_route53.py):
CreateHealthCheck ignores CallerReference idempotency, HealthCheckVersion never increases,
ListHealthChecks ignores MaxItems/Marker and omits IsTruncated, ListResourceRecordSets never
returns NextRecordIdentifier, alias record sets are listed with TTL 0.
"""

from moto.route53 import models as route53_models
from moto.route53.exceptions import Route53ClientError

Route53Backend = route53_models.Route53Backend
HostedZoneIdentifier = route53_models.HostedZoneIdentifier


class HealthCheckInUse(Route53ClientError):
    """The model's HealthCheckInUse error (HTTP 400)."""

    def __init__(self, health_check_id):
        super().__init__("HealthCheckInUse",
                         f"The health check with id {health_check_id} is still referenced from at "
                         "least one resource record set.")


_moto_generate_zone_id = HostedZoneIdentifier.generate


def zone_identifier_generate(self, existing_ids=None, tags=None):
    # moto bug workaround: AWS hosted zone ids start with "Z"; moto's are 22 random characters.
    new_id = _moto_generate_zone_id(self, existing_ids=existing_ids, tags=tags)
    return new_id if new_id.startswith("Z") else "Z" + new_id[1:]


_moto_delete_health_check = Route53Backend.delete_health_check


def backend_delete_health_check(self, health_check_id):
    # moto bug workaround: AWS refuses to delete a health check a record set still names.
    for zone in self.zones.values():
        for rrset in zone.rrsets:
            if rrset.health_check_id == health_check_id:
                raise HealthCheckInUse(health_check_id)
    return _moto_delete_health_check(self, health_check_id)


def install():
    """Registers the fixes on moto's classes. Idempotent."""
    HostedZoneIdentifier.generate = zone_identifier_generate
    Route53Backend.delete_health_check = backend_delete_health_check
