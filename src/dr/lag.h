// Replication lag evidence: how far behind each replicated workload's DR copy is right now,
// read from CloudWatch where AWS publishes it, next to the RPO the workload declares.
//
// Metrics (the region each is published in; a reading never needs a region the failover
// mode says is gone):
//   rds.replica          AWS/RDS ReplicaLag (seconds), DBInstanceIdentifier=<replica>, DR region
//   rds.global_cluster   AWS/RDS AuroraGlobalDBReplicationLag (milliseconds),
//                        DBClusterIdentifier=<secondary cluster>, DR region
//   s3.replication       AWS/S3 ReplicationLatency (seconds), source bucket region: primary
//   dynamodb.replica     AWS/DynamoDB ReplicationLatency (milliseconds), TableName,
//                        ReceivingRegion=<dr>, primary region
// The newest datapoint of the last 15 minutes (Maximum statistic) counts; none: unknown.
// Reading is best effort: a failed or unanswerable read is `unknown` with the reason, never
// an error of the command.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "model/diagnostic.h"
#include "model/duration.h"
#include "model/resource.h"
#include "model/topology.h"
#include "plan/plan.h"

namespace dr {

struct LagReading {
  std::string workload;
  std::string address;   // the replication resource ("rds.replica.orders")
  std::string metric;    // "AWS/RDS ReplicaLag DBInstanceIdentifier=drctl-shop-orders"
  std::string region;    // where the metric was read
  std::optional<model::Seconds> lag;  // nullopt: unknown (see note)
  std::optional<model::Seconds> rpo;  // the workload's effective RPO objective, if any
  std::string note;      // why unknown ("no datapoints in the last 15 minutes", AWS error, "primary region skipped")
  bool exceeds() const { return lag && rpo && *lag > *rpo; }
};

// One reading per replicated workload, in the graph's order. With primary_reachable=false
// metrics published only in the primary region are not read (note says so).
std::vector<LagReading> read_replication_lag(aws::Client& aws, const model::Topology& topology,
                                             const model::Graph& graph, bool primary_reachable);

// {"replication_lag": [...]} for plan.evidence, and back.
nlohmann::json lag_evidence_json(const std::vector<LagReading>& readings);
std::vector<LagReading> lag_from_evidence(const nlohmann::json& evidence);

// Before a saved failover plan runs: reads the lag again. Each workload whose lag now exceeds
// its RPO is an error diagnostic (naming lag, RPO, metric, and the lag at planning time from
// plan.evidence) unless accept_data_loss, when it is a warning. Plans of other kinds: none.
model::Diagnostics recheck_lag(aws::Client& aws, const model::Topology& topology, const model::Graph& graph,
                               const plan::Plan& plan, bool accept_data_loss);

}  // namespace dr
