"""Resource Groups Tagging API GetResources for AWS Backup, as drctl reads it (loaded by drctl_moto.py).

drctl reads the tags of its vaults and plans with one paged GetResources per region, filtered
by the resource types AWS documents for Backup: "backup:backup-vault" and "backup:backup-plan"
(the `service:resourceType` form of botocore's resourcegroupstaggingapi 2017-01-26
ResourceTypeFilters). moto 5.2.1 only knows the bare service filter "backup" and then lists
only vaults: with either typed filter it lists nothing, and it never lists plans.

Added: those two filters, answered from moto's own Backup backend (vaults; plans not deleted)
with the tags of its tagger, in the ResourceTagMapping shape ({ResourceARN, Tags: [{Key, Value}]}),
after whatever moto lists for the other filters of the same request. Like moto (and unlike AWS,
which also lists once-tagged resources with "Tags": []), a resource without tags is not listed.
TagFilters apply as in the model: every filter must match; a filter's Values match any of them,
and no Values match any value of the key. Paging stays moto's (its generator is wrapped).
"""

from moto.resourcegroupstaggingapi import models as tagging_models

Backend = tagging_models.ResourceGroupsTaggingAPIBackend
BACKUP_TYPES = ("backup:backup-vault", "backup:backup-plan")


def _matches(tags, tag_filters):
    for flt in tag_filters or []:
        values = flt.get("Values") or []
        if not any(t["Key"] == flt.get("Key") and (not values or t["Value"] in values) for t in tags):
            return False
    return True


def _backup_resources(self, wanted, tag_filters):
    backup = self.backup_backend
    arns = []
    if "backup:backup-vault" in wanted:
        arns += [v.backup_vault_arn for v in backup.vaults.values()]
    if "backup:backup-plan" in wanted:
        arns += [p.backup_plan_arn for p in backup.plans.values() if p.deletion_date is None]
    for arn in arns:
        tags = backup.tagger.list_tags_for_resource(arn)["Tags"]
        if tags and _matches(tags, tag_filters):
            yield {"ResourceARN": arn, "Tags": tags}


def _wrap(original):
    def _get_resources_generator(self, tag_filters=None, resource_type_filters=None):
        wanted = [f for f in resource_type_filters or [] if f in BACKUP_TYPES]
        if not wanted:
            yield from original(self, tag_filters=tag_filters, resource_type_filters=resource_type_filters)
            return
        rest = [f for f in resource_type_filters if f not in BACKUP_TYPES]
        if rest:  # to moto an empty filter list means every type
            yield from original(self, tag_filters=tag_filters, resource_type_filters=rest)
        yield from _backup_resources(self, wanted, tag_filters)

    _get_resources_generator.drctl_backup_types = True
    return _get_resources_generator


def install():
    """Wraps moto's GetResources generator once. Idempotent."""
    current = Backend._get_resources_generator
    if not getattr(current, "drctl_backup_types", False):
        Backend._get_resources_generator = _wrap(current)
