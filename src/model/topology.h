// Topology: a validated stack, as the config layer hands it to expansion and the DR layer.
// Workload and backup specs stay JSON (already schema-checked) so that strategy modules,
// which are data, can read any field without the C++ knowing every kind.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/diagnostic.h"
#include "model/duration.h"

namespace model {

// JSON pointer ("/workloads/assets/rtc") -> where that node was written.
using SourceMap = std::map<std::string, SourceRange>;

struct Objectives {
  std::optional<Seconds> rto;
  std::optional<Seconds> rpo;
};

struct Workload {
  std::string name;  // key under workloads:
  std::string kind;  // s3, rds, aurora, dynamodb, efs, ebs, ec2, asg, ecs, dns-failover
  nlohmann::json spec;    // the workload's fields as written (schema-valid)
  Objectives objectives;  // stack defaults overridden by the workload's own
  std::string pointer;    // "/workloads/<name>", key into Topology::positions
};

struct Topology {
  std::string stack;
  std::string primary_region;
  std::string dr_region;
  std::string strategy;  // module name: backup-restore | pilot-light | warm-standby | active-active | user
  nlohmann::json strategy_inputs = nlohmann::json::object();
  Objectives objectives;
  std::vector<Workload> workloads;
  nlohmann::json backups;  // null when absent
  nlohmann::json notify;   // null when absent
  nlohmann::json backend;     // null when absent: state in DIR/.drctl/state.db (state/backend.h)
  nlohmann::json automation;  // null when absent: failover stays manual (dr/automation.h)
  nlohmann::json document;  // the merged document, for modules and reports
  SourceMap positions;
  std::vector<std::string> files;  // the *.dr.yaml files read, in order
  std::string config_hash;         // sha256 over the files' bytes, for stale-plan checks

  // Best known position for a JSON pointer: the node itself or its nearest ancestor.
  std::optional<SourceRange> where(const std::string& pointer) const;
};

}  // namespace model
