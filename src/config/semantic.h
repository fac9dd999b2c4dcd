// Checks a stack document beyond its JSON Schema: real regions that differ, S3 bucket names,
// durations that parse and are positive, AWS Backup lifecycle and window rules, schedule
// expressions, workload names, and per-kind rules (check_workload_kinds). Every problem is an error (or warning) with position and field.
#pragma once

#include <set>
#include <string>

#include "config/document.h"
#include "model/diagnostic.h"

namespace config {

// `failed` holds the pointers the schema already reported; checks on them are skipped so a
// problem is not reported twice. Tolerates documents that failed the schema elsewhere.
void check_stack(const Document& doc, const std::set<std::string>& failed, model::Diagnostics& diags);

// The per-kind part of check_stack (semantic_kinds.cc): KMS keys and ARNs in the right region,
// capacities that make sense (failover >= standby, min <= desired <= max), DNS failover
// endpoints (target xor alias, record type vs target, health-check interval 10s|30s, TCP
// port, TTL), backup selections that pick something.
void check_workload_kinds(const Document& doc, const std::set<std::string>& failed, model::Diagnostics& diags);

}  // namespace config
