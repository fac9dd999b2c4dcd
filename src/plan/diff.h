// diff: desired graph + what refresh observed + what state remembers -> Plan.
// Pure: no I/O. Reads resource schemas (replace vs in-place, data-bearing) from resources/.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/resource.h"
#include "plan/plan.h"

namespace plan {

// What refresh found for one address.
struct Observed {
  enum class Status { found, absent, failed };
  Status status = Status::absent;
  std::string id;
  nlohmann::json attrs = nlohmann::json::object();
  std::string error;  // when failed: the AWS error, described
};

// What state remembers for one address.
struct Prior {
  std::string address;
  std::string type;
  std::string region;
  std::string workload;
  std::string cloud_id;
  nlohmann::json last_applied;
  std::vector<std::string> depends_on;
};

struct DiffInput {
  const model::Graph* desired = nullptr;
  std::map<std::string, Observed> observed;  // by address; missing = absent
  std::map<std::string, Prior> prior;        // by address
  std::set<std::string> allow_destroy;       // addresses (or "*") whose data may be lost
};

Plan diff(const DiffInput& in);

// Attribute-level differences between a desired and a live value, compared only on the
// desired value's keys at the top level (live may carry computed extras). Paths look like
// "rules[0].destination_bucket" and "tags.drctl:stack".
std::vector<AttrChange> diff_attrs(const nlohmann::json& desired, const nlohmann::json& live);

// Resolves "@{addr#attr}" references in `attrs` from observed objects ("id" falls back to the
// observed cloud id). Returns the addresses still unresolved.
std::vector<std::string> resolve_from(nlohmann::json& attrs,
                                      const std::map<std::string, Observed>& observed);

}  // namespace plan
