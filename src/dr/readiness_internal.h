// Shared plumbing of the readiness checks (readiness*.cc); not part of the dr:: interface.
//
// Each probe is a function over a Probe (what the run knows: live objects from refresh, the
// graph, the topology, an AWS client, the time) that adds findings, RPO observations and
// diagnostics to a Sink. Probes only read AWS. A failed read becomes a diagnostic (the command
// exits 1), never a passed or failed finding: "could not read" must not look like "absent".
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "dr/readiness.h"
#include "dr/timing_model.h"
#include "plan/diff.h"
#include "plan/plan.h"

namespace dr::readiness_detail {

inline constexpr const char* kStackWorkload = "stack";

struct Probe {
  aws::Client& aws;
  const model::Topology& topology;
  const model::Graph& graph;
  const std::map<std::string, plan::Observed>& observed;  // refresh's view, by address
  const TimingModel& timings;
  std::chrono::system_clock::time_point now;

  // The live attributes refresh found for an address; nullptr when absent or failed.
  const nlohmann::json* live(const std::string& address) const;
  // The workload's effective RPO, or the stack's for "" / "stack".
  std::optional<model::Seconds> rpo_of(const std::string& workload) const;
  const model::Workload* workload(const std::string& name) const;
};

class Sink {
 public:
  void add(const std::string& workload, Finding f);
  void observe(const std::string& workload, RpoObservation o);
  void failed_read(const std::string& address, const aws::AwsError& e, const std::string& what);

  std::map<std::string, std::vector<Finding>> findings;           // by workload ("stack" for stack-level)
  std::map<std::string, std::vector<RpoObservation>> observations;
  model::Diagnostics diagnostics;
};

// A finding in one call.
Finding finding(std::string check, Grade grade, bool passed, std::string summary, std::string evidence,
                std::string address = "", std::optional<model::SourceRange> where = std::nullopt);

// existence/config: one finding per desired resource from refresh + diff (readiness_config.cc).
void check_config(const Probe& p, const plan::Plan& plan, Sink& out);
// The grade and check id of one differing attribute (readiness_config.cc).
struct AttrGrade {
  std::string check;
  Grade grade;
};
AttrGrade grade_attribute(const std::string& type, const plan::AttrChange& c);

// rds.replica: status, source, and the primary/replica pair (readiness_rds.cc).
void check_rds(const Probe& p, Sink& out);
// autoscaling.capacity: max vs failover desired, launch template and AMI in DR (readiness_compute.cc).
void check_compute(const Probe& p, Sink& out);
// Health checks on PRIMARY records, alarms notifying the topic, S3 rules (readiness_dns.cc).
void check_dns_and_alarms(const Probe& p, Sink& out);
void check_s3_rules(const Probe& p, Sink& out);
// Newest recovery points in the primary and DR vaults vs the RPO (readiness_backup.cc).
void check_recovery_points(const Probe& p, Sink& out);

// Epoch seconds of an AWS timestamp as JSON protocols send it (number) or ISO-8601 text.
std::optional<std::chrono::system_clock::time_point> parse_timestamp(const nlohmann::json& v);
std::string age_text(model::Seconds age);

}  // namespace dr::readiness_detail
