// Runbook: a failover as a graph of operation resources (op.* types, src/resources/op_*.cc)
// that the ordinary plan/apply engine diffs, saves, journals and resumes.
//
// failover_runbook() reads only the stack's configuration (Topology + expanded Graph): never
// the primary region, which may be gone. Steps and order:
//   op.rds_promote.<w>   per rds.replica        (DR region)   }
//   op.aurora_failover.<w> per rds.global_cluster (DR region): planned = switchover (no data
//                        loss), unplanned = failover allowing data loss (a plan warning) }
//   op.asg_scale.<w>     per autoscaling.capacity, to its drctl:failover-* values } concurrently
//   op.ecs_scale.<w>     per ecs.capacity, to drctl:failover-count                }
//   op.dns_switch.<w>    per dns-failover pair: the PRIMARY record to the SECONDARY's value,
//                        after every promotion and scale-out (traffic only once DR can serve)
//   op.sns_notify.failover  to the DR-region topic (sns.topic.notify), last
// Guards, as plan diagnostics: promoting the last replica of a store is a warning that says
// so; an unplanned Aurora failover says it loses unreplicated writes, and a headless DR cluster
// that it needs an instance; workloads the runbook cannot fail over (DynamoDB, EFS, backups
// only) are warnings naming what is left to do by hand. Each step touches one object, so no step changes both
// sides of a DNS pair. Pure: no I/O.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "dr/timing_model.h"
#include "model/diagnostic.h"
#include "model/resource.h"
#include "model/topology.h"

namespace dr {

enum class FailoverMode { planned, unplanned };

struct Runbook {
  model::Graph graph;                           // op.* resources with depends_on edges
  std::map<std::string, model::Seconds> step_duration;  // by address
  std::map<std::string, std::string> step_timing;       // address -> timing name used
  model::Diagnostics diagnostics;               // warnings (last replica, manual steps); errors
};

// `to_region` must be the stack's DR region (an error diagnostic otherwise).
Runbook failover_runbook(const model::Topology& topology, const model::Graph& stack_graph,
                         const std::string& to_region, FailoverMode mode, const TimingModel& timings);

struct CriticalPath {
  model::Seconds total{0};
  std::vector<std::string> steps;  // addresses, first to last
};
// The longest path through the graph's depends_on edges, weighting each step by `duration`
// (missing: 0). Edges to addresses outside the graph are ignored.
CriticalPath critical_path(const model::Graph& graph, const std::map<std::string, model::Seconds>& duration);

}  // namespace dr
