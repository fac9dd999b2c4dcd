"""tests/moto/ext_tagging.py: GetResources answers the typed Backup filters drctl sends
("backup:backup-vault", "backup:backup-plan") as AWS does, through boto3 with signatures
checked; other filters behave as in plain moto. Every reply is checked against botocore's
GetResourcesOutput shape.
"""

import json

from harness.moto_env import MotoTestCase


class TaggingExtensionTest(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.tagging = self.moto.client("resourcegroupstaggingapi", region="us-west-2")
        output = self.tagging.meta.service_model.operation_model("GetResources").output_shape
        self.bad_members, self.checked = [], 0

        def check(response_dict, **_):
            if response_dict["status_code"] == 200:
                self.checked += 1
                body = json.loads(response_dict["body"])
                self.bad_members += [k for k in body if k not in output.members]

        service_id = self.tagging.meta.service_model.service_id.hyphenize()
        self.tagging.meta.events.register(f"before-parse.{service_id}", check)
        self.backup = self.moto.client("backup", region="us-west-2")
        self.vault = self.backup.create_backup_vault(
            BackupVaultName="drctl-tagged", BackupVaultTags={"drctl:stack": "shop"})["BackupVaultArn"]
        self.other_vault = self.backup.create_backup_vault(
            BackupVaultName="drctl-other", BackupVaultTags={"drctl:stack": "other"})["BackupVaultArn"]
        self.backup.create_backup_vault(BackupVaultName="drctl-untagged")
        doc = lambda name: {"BackupPlanName": name, "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "drctl-tagged",
                                                              "ScheduleExpression": "cron(0 5 ? * * *)"}]}
        self.plan = self.backup.create_backup_plan(BackupPlan=doc("live"), BackupPlanTags={"drctl:stack": "shop"})["BackupPlanArn"]
        deleted = self.backup.create_backup_plan(BackupPlan=doc("gone"), BackupPlanTags={"drctl:stack": "shop"})
        self.backup.delete_backup_plan(BackupPlanId=deleted["BackupPlanId"])
        self.topic = self.moto.client("sns", region="us-west-2").create_topic(
            Name="drctl-topic", Tags=[{"Key": "drctl:stack", "Value": "shop"}])["TopicArn"]

    def tearDown(self):
        self.assertGreater(self.checked, 0, "no GetResources reply was checked")
        self.assertEqual(self.bad_members, [], "reply members outside GetResourcesOutput")

    def listed(self, **kwargs):
        """{ARN: {key: value}} over every page."""
        out = {}
        for page in self.tagging.get_paginator("get_resources").paginate(**kwargs):
            for m in page["ResourceTagMappingList"]:
                out[m["ResourceARN"]] = {t["Key"]: t["Value"] for t in m["Tags"]}
        return out

    def test_extension_typed_backup_filters_list_tagged_vaults_and_live_plans(self):
        self.assertEqual(self.listed(ResourceTypeFilters=["backup:backup-vault"]),
                         {self.vault: {"drctl:stack": "shop"}, self.other_vault: {"drctl:stack": "other"}})
        # The deleted plan is not listed; the untagged vault is not listed (as in moto).
        self.assertEqual(self.listed(ResourceTypeFilters=["backup:backup-plan"]), {self.plan: {"drctl:stack": "shop"}})

    def test_extension_typed_filters_mix_with_moto_filters_and_tag_filters(self):
        self.assertEqual(set(self.listed(ResourceTypeFilters=["sns", "backup:backup-vault"])),
                         {self.topic, self.vault, self.other_vault})
        self.assertEqual(set(self.listed(ResourceTypeFilters=["backup:backup-vault", "backup:backup-plan"],
                                         TagFilters=[{"Key": "drctl:stack", "Values": ["shop"]}])),
                         {self.vault, self.plan})
        # moto's own filters are unchanged: "backup" still means vaults only in moto.
        self.assertEqual(set(self.listed(ResourceTypeFilters=["backup"])), {self.vault, self.other_vault})

    def test_extension_typed_filters_follow_pagination_tokens(self):
        first = self.tagging.get_resources(ResourceTypeFilters=["backup:backup-vault"], ResourcesPerPage=1)
        self.assertEqual(len(first["ResourceTagMappingList"]), 1)
        self.assertTrue(first["PaginationToken"])
        second = self.tagging.get_resources(ResourceTypeFilters=["backup:backup-vault"], ResourcesPerPage=1,
                                            PaginationToken=first["PaginationToken"])
        arns = {first["ResourceTagMappingList"][0]["ResourceARN"], second["ResourceTagMappingList"][0]["ResourceARN"]}
        self.assertEqual(arns, {self.vault, self.other_vault})


if __name__ == "__main__":
    import unittest
    unittest.main()
