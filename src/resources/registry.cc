#include "resources/types.h"

namespace resources {

std::vector<const ResourceType*> all_types() {
  return {&s3_bucket_type(),    &s3_replication_type(), &iam_role_type(),
          &backup_vault_type(), &backup_plan_type(),    &backup_selection_type(),
          &rds_replica_type(),
          &rds_global_cluster_type(),
          &dynamodb_replica_type(),
          &efs_replication_type(),
          &autoscaling_capacity_type(),
          &ecs_capacity_type(),
          &route53_health_check_type(),
          &route53_failover_record_type(),
          &sns_topic_type(),
          &cloudwatch_alarm_type(),
          &op_rds_promote_type(), &op_asg_scale_type(), &op_ecs_scale_type(),
          &op_dns_switch_type(), &op_sns_notify_type(), &op_aurora_failover_type(),
          &op_rds_retire_type(), &op_rds_reverse_replica_type(),
          &stepfunctions_state_machine_type(), &events_rule_type()};
}

const ResourceType* find_type(std::string_view name) {
  for (const auto* t : all_types())
    if (t->name() == name) return t;
  return nullptr;
}

}  // namespace resources
