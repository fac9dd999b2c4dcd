// Helpers shared by the RPO and RTO halves of assess(); not part of the dr:: interface.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "dr/assess.h"

namespace dr::detail {

// The desired attributes of `address` in the graph; nullptr when the module produced none.
const nlohmann::json* attrs_of(const model::Graph& g, const std::string& address);

// A step whose duration is the named timing.
Step timing_step(const TimingModel& timings, const std::string& timing, std::string what);

// "workloads.<name>.<field>" and its position (nearest written ancestor).
std::string workload_field(const model::Workload& w, const std::string& field);
std::optional<model::SourceRange> workload_where(const model::Topology& t, const model::Workload& w,
                                                 const std::string& field);

// Whether recovery points reach the DR region: a backups: block with copy_to_dr (default true).
bool backups_reach_dr(const model::Topology& t);

}  // namespace dr::detail
