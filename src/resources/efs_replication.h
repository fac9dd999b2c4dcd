// efs.replication with chosen waiter limits, for tests (the registered instance,
// efs_replication_type() in types.h, waits up to 30 min polling every 20 s).
#pragma once

#include <memory>

#include "resources/dynamodb_efs_waiter.h"
#include "resources/resource_type.h"

namespace resources {

std::unique_ptr<ResourceType> make_efs_replication_type(WaitLimits limits);

}  // namespace resources
