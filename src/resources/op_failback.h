// The failback operation types (op_rds_retire.cc, op_rds_reverse_replica.cc), run by the
// failback runbooks of dr/failback.h. Like every op.* type (op_common.h): read() reports
// `found` exactly when the step's effect is in place, create() performs it and waits, destroy()
// only forgets. Neither type ever deletes an instance.
//
// op.rds_retire {identifier, region, retired_identifier, reason, successor_source?,
//                successor_source_region?}
//   Moves a DB instance out of the way of its configured identifier, keeping it and its data:
//   ModifyDBInstance NewDBInstanceIdentifier=retired_identifier ApplyImmediately=true, wait
//   until `retired_identifier` is available, then tag it drctl:retired-by=failback and
//   drctl:retired-from=<identifier>.
//   Done (read `found`) when `identifier` is absent, or is a read replica of the successor
//   source (the reverse replica that took the name: a re-planned protect phase must not see the
//   rename as work to do). Both identifiers absent also counts as done: there is nothing to
//   retire (the old primary was deleted by hand, or its region lost it). `identifier` present
//   and not that replica -> absent (to do), unless `retired_identifier` exists too: then both
//   names are taken and the read fails, naming both (never rename onto an existing instance).
//
// op.rds_reverse_replica {identifier, source, source_region, like?, instance_class?}
//   Creates, in the target's region, a cross-region read replica of `source` (the promoted DR
//   instance, in `source_region`) under `identifier` (the configured primary identifier).
//   The source ARN comes from DescribeDBInstances of the source in its region (which also proves
//   it is there and standalone; a source that is still a replica is an error: there was no
//   failover to come back from). Sizing and placement are copied from `like` (the retired old
//   primary, same region) when it exists: DBInstanceClass, MultiAZ, DBSubnetGroupName,
//   VpcSecurityGroupIds, KmsKeyId (required by RDS for an encrypted cross-region replica) and
//   the user's tags (drctl:* keys left out); `instance_class` overrides the class.
//   Done (read `found`) when `identifier` exists, replicates `source` and is available. An
//   instance under `identifier` that is not such a replica reads `absent` (the retire step
//   before it moves it away); create refuses to touch it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "resources/rds_common.h"
#include "resources/resource_type.h"
#include "resources/tags.h"

namespace resources::op {

// What the failback steps need to know of one DB instance.
struct DbFacts {
  std::string identifier, arn, status, instance_class, kms_key_id, subnet_group;
  std::string source;  // ReadReplicaSourceDBInstanceIdentifier (identifier or ARN); "" when standalone
  bool multi_az = false, encrypted = false;
  std::vector<std::string> security_groups;
  TagMap tags;
};

// DescribeDBInstances of one identifier: nullopt when RDS says it does not exist. Also what
// op.rds_promote reads.
aws::Result<std::optional<DbFacts>> describe_db(aws::Client& c, const std::string& region, const std::string& id);

// True when `db` is a read replica of instance `source` (identifier) in `source_region`; the
// replica lives in `region`. RDS reports a cross-region source as an ARN.
bool replicates(const DbFacts& db, const std::string& region, const std::string& source,
                const std::string& source_region);

std::unique_ptr<ResourceType> make_rds_retire_type(rds::WaitPolicy policy);
std::unique_ptr<ResourceType> make_rds_reverse_replica_type(rds::WaitPolicy policy);

}  // namespace resources::op
