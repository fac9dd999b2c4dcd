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

}  // namespace resources
