// orphans: objects in AWS that carry this stack's drctl:stack tag but that state does not
// account for — left by a run killed between create and record, by a lost state file, or
// created by hand with copied tags. Read through the Resource Groups Tagging API in each of
// the stack's regions.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/result.h"
#include "resources/resource_type.h"
#include "state/store.h"

namespace apply {

struct Orphan {
  std::string arn;
  std::string region;
  std::string address;  // its drctl:address tag ("" when it has none)
  std::string reason;   // "not in state" | "state knows ADDRESS as ID, not this object"
};

model::Result<std::vector<Orphan>, std::string> find_orphans(resources::Context& ctx,
                                                             state::Store& store,
                                                             const std::vector<std::string>& regions);

}  // namespace apply
