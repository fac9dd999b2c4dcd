// The topology picture of a stack: `drctl graph --format dot|mermaid`, and the diagram in the
// plan's Markdown. Built from the expanded Graph (what the strategy module produced), so it
// shows user modules as faithfully as the built-in ones.
//
// Nodes: every desired resource, plus the data objects drctl replicates but does not manage
// (the user's source bucket, DB instance, table, file system) and the endpoints the DNS
// failover records point at. Grouped by where they live: the primary region, the DR region,
// "global" (IAM, Route 53), then any other region.
// Edges: depends_on between resources; replication source -> replication resource ->
// destination (s3.replication, rds.replica, rds.global_cluster, dynamodb.replica,
// efs.replication); DNS failover (record -> its PRIMARY/SECONDARY endpoint, record -> its
// health check). A typed edge replaces the depends_on edge between the same two nodes.
// Output is sorted and byte-stable for a given graph. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "model/resource.h"

namespace report {

struct GraphNode {
  std::string id;        // resource address; "data:<service>:<region>:<name>" / "endpoint:<target>"
  std::string label;     // what the picture shows
  std::string region;    // "" for global
  std::string group;     // subgraph title: "primary us-east-1", "dr us-west-2", "global", region
  int group_order = 0;   // primary 0, dr 1, global 2, others 3
  std::string workload;  // originating workload ("" for stack-level and external objects)
  bool managed = true;   // false for objects drctl reads or points at but does not manage
};

enum class EdgeKind { depends_on, replication, dns_failover };

struct GraphEdge {
  std::string from, to;  // node ids
  EdgeKind kind = EdgeKind::depends_on;
  std::string label;     // "replicates (RTC)", "PRIMARY", "health check"; "" for depends_on
};

struct GraphView {
  std::vector<GraphNode> nodes;  // by (group_order, group, id)
  std::vector<GraphEdge> edges;  // by (from, to, kind)
  bool summarised = false;       // one node per workload and region (workload_summary)
};

GraphView graph_view(const model::Graph& graph, const std::string& primary_region,
                     const std::string& dr_region);

// A smaller picture for large stacks: one node per (workload, group) with the number of
// resources it stands for; external objects kept; edges merged, self-loops dropped.
GraphView workload_summary(const GraphView& full);

std::string graph_dot(const GraphView& view);      // Graphviz: digraph with cluster subgraphs
std::string graph_mermaid(const GraphView& view);  // Mermaid flowchart LR (GitHub renders it)

}  // namespace report
