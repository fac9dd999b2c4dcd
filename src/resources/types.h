// The built-in resource types, one per file; registry.cc lists them. Each accessor returns a
// static, stateless instance.
#pragma once

#include "resources/resource_type.h"

namespace resources {

const ResourceType& s3_bucket_type();         // s3_bucket.cc
const ResourceType& s3_replication_type();    // s3_replication.cc
const ResourceType& iam_role_type();          // iam_role.cc
const ResourceType& backup_vault_type();      // backup_vault.cc
const ResourceType& backup_plan_type();       // backup_plan.cc
const ResourceType& backup_selection_type();  // backup_selection.cc
const ResourceType& rds_replica_type();             // rds_replica.cc
const ResourceType& rds_global_cluster_type();      // rds_global_cluster.cc
const ResourceType& dynamodb_replica_type();        // dynamodb_replica.cc
const ResourceType& efs_replication_type();         // efs_replication.cc
const ResourceType& autoscaling_capacity_type();    // autoscaling_capacity.cc
const ResourceType& ecs_capacity_type();            // ecs_capacity.cc
const ResourceType& route53_health_check_type();    // route53_health_check.cc
const ResourceType& route53_failover_record_type(); // route53_failover_record.cc
const ResourceType& sns_topic_type();               // sns_topic.cc
const ResourceType& cloudwatch_alarm_type();        // cloudwatch_alarm.cc
// Failover operations (op_common.h): one runbook step each.
const ResourceType& op_rds_promote_type();          // op_rds_promote.cc
const ResourceType& op_asg_scale_type();            // op_capacity.cc
const ResourceType& op_ecs_scale_type();            // op_capacity.cc
const ResourceType& op_dns_switch_type();           // op_dns_switch.cc
const ResourceType& op_sns_notify_type();           // op_sns_notify.cc
const ResourceType& op_aurora_failover_type();      // op_aurora_failover.cc
// Automatic failover (dr/automation.h).
const ResourceType& stepfunctions_state_machine_type();  // stepfunctions_state_machine.cc
const ResourceType& events_rule_type();                   // events_rule.cc
// Failback operations (dr/failback.h).
const ResourceType& op_rds_retire_type();           // op_rds_retire.cc
const ResourceType& op_rds_reverse_replica_type();  // op_rds_reverse_replica.cc

}  // namespace resources
