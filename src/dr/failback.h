// Failback: the way home after a failover, as two reviewable runbooks run by the same engine.
//
//   protect (`drctl failback DIR`): re-establish replication from the new primary (the DR
//     region) back to the old primary region, without moving traffic. Per rds.replica <w>:
//       op.rds_retire.<w>-old-primary   (primary region) the stale old primary is renamed to
//                                       retired_identifier(<primary id>, stamp) and kept: it
//                                       may hold writes that never reached DR
//       op.rds_reverse_replica.<w>      (primary region) after it: a read replica of the
//                                       promoted DR instance under the configured primary
//                                       identifier, sized and placed like the retired one
//   switch_back (`drctl failback DIR --switch`): once those replicas are available:
//       op.rds_promote.<w>-failback     (primary region) promote the reverse replica   }
//       op.dns_switch.<dns>-failback    each PRIMARY record back to its configured value,
//                                       health check included, after every promotion
//       op.rds_retire.<w>-dr-writer     (DR region) after the DNS switches: the DR writer is
//                                       renamed (kept), so `drctl apply DIR
//                                       --reset-after-failover` creates the DR replica afresh and
//                                       returns DR capacity to its standby values
//       op.sns_notify.failback          last, to the DR-region topic
// Workloads drctl does not fail back (S3 reverse replication, DynamoDB, EFS, Aurora global
// databases) are warnings naming the step to do by hand; so is the retired old primary (to be
// compared and deleted by a person). Step durations come from the timing model:
// rds_replica_creation for a reverse replica (a full copy of the database), rds_rename for a
// rename (RDS reboots the instance), rds_replica_promotion for the promotion.
//
// Retired names are deterministic so a killed run resumes onto the same name:
// "<id>-pre-failback-<stamp>", stamp = UTC yyyymmddhhmm of the failover being reversed
// (FailbackInputs::failover_stamp), "<id>-pre-failback" when unknown; the id is shortened so the
// name fits RDS's 63 characters.
// Pure: reads only the configuration and the inputs given, like failover_runbook.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "dr/runbook.h"
#include "state/store.h"

namespace dr {

enum class FailbackPhase { protect, switch_back };

struct FailbackInputs {
  std::string failover_stamp;  // "202405011200": the failover's start (UTC); "" when unknown
  // Cloud ids that state knows, by address ("route53.health_check.dns-primary" -> "abc-123"):
  // resolve the health check of the PRIMARY record switched back. Unresolved: the record goes
  // back without it (warning) and `apply --reset-after-failover` puts it on again.
  std::map<std::string, std::string> cloud_ids;
};

// The inputs from the state's run history (newest first, as Store::runs gives it) and
// resource records: the stamp is the start of the first "failover" run after the last
// "apply" run (a normal apply is refused while failed over, so that is this cycle's failover).
FailbackInputs failback_inputs(const std::vector<state::RunRecord>& runs,
                               const std::vector<state::ResourceRecord>& records);

// "<id>-pre-failback[-<stamp>]", at most 63 characters, no trailing or doubled hyphen.
std::string retired_identifier(const std::string& identifier, const std::string& stamp);

Runbook failback_runbook(const model::Topology& topology, const model::Graph& stack_graph, FailbackPhase phase,
                         const TimingModel& timings, const FailbackInputs& inputs = {});

}  // namespace dr
