// Helpers shared by the failover operation types (op.*: op_rds_promote.cc, op_capacity.cc,
// op_dns_switch.cc, op_sns_notify.cc, op_aurora_failover.cc).
//
// An operation type is a ResourceType whose "object" is the effect of one runbook step. Its
// read() reports `found`, with live attributes equal to the desired ones, exactly when that
// effect is already in place (replica promoted, capacity at failover values, record pointing
// at DR); `absent` when the step still has to run; `failed` when that cannot be told. So the
// ordinary diff makes a completed step a no-op and an interrupted runbook resumes through the
// ordinary journal and executor. create() performs the step and waits until it took effect;
// update() is create(); destroy() only forgets (an operation cannot be undone by deleting it:
// failback is its own runbook). Stateless and thread-safe, like every ResourceType.
#pragma once

#include <memory>

#include "resources/rds_common.h"
#include "resources/resource_type.h"

namespace resources::op {

// The desired attributes of a target, reported as the live object: "the step is done".
inline Live done(const Target& t, std::string id = "") {
  return Live{id.empty() ? t.id : std::move(id), t.attrs};
}

// The schema every operation type shares: nothing computed, nothing replaced, no data.
const Schema& op_schema();

// Types with a chosen wait policy (unit tests pass a no-op sleep and a short timeout).
std::unique_ptr<ResourceType> make_rds_promote_type(rds::WaitPolicy policy);
std::unique_ptr<ResourceType> make_aurora_failover_type(rds::WaitPolicy policy);

}  // namespace resources::op
