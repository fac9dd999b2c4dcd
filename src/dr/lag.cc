// Replication lag from CloudWatch (lag.h). GetMetricStatistics over the query protocol (signing
// name "monitoring", as cloudwatch.alarm calls CloudWatch): moto has no CBOR, and every SDK
// still accepts query. One call per replicated workload: a stack has a handful, and the calls
// are best effort, so no batching with GetMetricData.
#include "dr/lag.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

namespace dr {
namespace {

using nlohmann::json;
using std::chrono::system_clock;

constexpr auto kWindow = std::chrono::minutes(15);
constexpr int kPeriodSeconds = 60;

// What to read for one replication resource.
struct MetricQuery {
  std::string ns, metric, region;
  std::vector<std::pair<std::string, std::string>> dimensions;
  bool milliseconds = false;
};

std::string iso8601(system_clock::time_point t) {
  const std::time_t tt = system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string str(const json& attrs, const std::string& key) {
  return attrs.contains(key) && attrs[key].is_string() ? attrs[key].get<std::string>() : "";
}

// "arn:aws:s3:::bucket" -> "bucket"; a plain name stays as it is.
std::string bucket_name(const std::string& arn_or_name) {
  const auto pos = arn_or_name.rfind(':');
  return pos == std::string::npos ? arn_or_name : arn_or_name.substr(pos + 1);
}

std::optional<MetricQuery> query_for(const model::Resource& r, const model::Topology& t) {
  const auto& a = r.attrs;
  const auto& type = r.address.type;
  if (type == "rds.replica")
    return MetricQuery{"AWS/RDS", "ReplicaLag", r.region, {{"DBInstanceIdentifier", str(a, "identifier")}}, false};
  if (type == "rds.global_cluster") {
    const auto region = str(a, "secondary_region");
    return MetricQuery{"AWS/RDS", "AuroraGlobalDBReplicationLag", region.empty() ? t.dr_region : region,
                       {{"DBClusterIdentifier", str(a, "secondary_cluster_id")}}, true};
  }
  if (type == "s3.replication") {
    // Published per rule (only with replication metrics / RTC on): the first rule stands for all.
    MetricQuery q{"AWS/S3", "ReplicationLatency", r.region, {{"SourceBucket", str(a, "bucket")}}, false};
    if (a.contains("rules") && a["rules"].is_array() && !a["rules"].empty() && a["rules"][0].is_object()) {
      const auto& rule = a["rules"][0];
      q.dimensions.emplace_back("DestinationBucket", bucket_name(str(rule, "destination_bucket")));
      q.dimensions.emplace_back("RuleId", str(rule, "id"));
    }
    return q;
  }
  if (type == "dynamodb.replica")
    return MetricQuery{"AWS/DynamoDB", "ReplicationLatency", r.region,
                       {{"TableName", str(a, "table")}, {"ReceivingRegion", str(a, "replica_region")}}, true};
  return std::nullopt;
}

std::string metric_text(const MetricQuery& q) {
  std::string s = q.ns + " " + q.metric;
  for (const auto& [k, v] : q.dimensions) s += " " + k + "=" + v;
  return s;
}

const model::Workload* workload_of(const model::Topology& t, const std::string& name) {
  for (const auto& w : t.workloads)
    if (w.name == name) return &w;
  return nullptr;
}

std::optional<model::Seconds> effective_rpo(const model::Topology& t, const model::Workload* w) {
  if (w && w->objectives.rpo) return w->objectives.rpo;
  return t.objectives.rpo;
}

// The newest datapoint's Maximum of the window, in seconds (rounded up: a lag of 1.2 s is not
// "1 s behind"); nullopt with the reason in `note`.
std::optional<model::Seconds> read_metric(aws::Client& c, const MetricQuery& q, std::string& note) {
  const auto now = system_clock::now();
  aws::Params p{{"Namespace", q.ns}, {"MetricName", q.metric}};
  for (size_t i = 0; i < q.dimensions.size(); ++i) {
    p.emplace_back(fmt::format("Dimensions.member.{}.Name", i + 1), q.dimensions[i].first);
    p.emplace_back(fmt::format("Dimensions.member.{}.Value", i + 1), q.dimensions[i].second);
  }
  p.emplace_back("StartTime", iso8601(now - kWindow));
  // A minute ahead: a datapoint stamped within the current second still falls inside the
  // window (its end is exclusive), and CloudWatch accepts an end in the future.
  p.emplace_back("EndTime", iso8601(now + std::chrono::minutes(1)));
  p.emplace_back("Period", std::to_string(kPeriodSeconds));
  p.emplace_back("Statistics.member.1", "Maximum");
  auto doc = c.query(aws::services::cloudwatch, q.region, "GetMetricStatistics", p);
  if (!doc) {
    note = "CloudWatch GetMetricStatistics failed: " + doc.error().code +
           (doc.error().message.empty() ? "" : " (" + doc.error().message + ")");
    return std::nullopt;
  }
  auto points = (*doc)->document_element().child("GetMetricStatisticsResult").child("Datapoints");
  std::string newest_at;
  std::optional<double> newest;
  for (auto m : points.children("member")) {
    const std::string at = m.child("Timestamp").text().as_string();
    auto value = m.child("Maximum");
    if (!value) continue;
    // ISO 8601 UTC timestamps of one reply share a format, so text order is time order.
    if (!newest || at > newest_at) newest_at = at, newest = value.text().as_double();
  }
  if (!newest) {
    note = "no datapoints in the last 15 minutes";
    return std::nullopt;
  }
  if (*newest < 0) {  // RDS reports ReplicaLag -1 when replication is not active
    note = fmt::format("replication not active ({} reported {})", q.metric, *newest);
    return std::nullopt;
  }
  const double seconds = q.milliseconds ? *newest / 1000.0 : *newest;
  return model::Seconds{static_cast<long long>(std::ceil(seconds))};
}

std::optional<model::Seconds> seconds_of(const json& j, const std::string& key) {
  if (!j.contains(key) || !j[key].is_number_integer()) return std::nullopt;
  return model::Seconds{j[key].get<long long>()};
}

std::string lag_text(const std::optional<model::Seconds>& s) {
  return s ? model::format_duration(*s) : "unknown";
}

}  // namespace

std::vector<LagReading> read_replication_lag(aws::Client& aws, const model::Topology& topology,
                                             const model::Graph& graph, bool primary_reachable) {
  std::vector<LagReading> out;
  for (const auto& r : graph.resources) {
    const auto q = query_for(r, topology);
    if (!q) continue;
    LagReading reading;
    reading.workload = r.workload;
    reading.address = r.address.str();
    reading.metric = metric_text(*q);
    reading.region = q->region;
    reading.rpo = effective_rpo(topology, workload_of(topology, r.workload));
    if (!primary_reachable && q->region == topology.primary_region)
      reading.note = "primary region skipped (unplanned failover): the metric is published only in " + q->region;
    else
      reading.lag = read_metric(aws, *q, reading.note);
    out.push_back(std::move(reading));
  }
  return out;
}

json lag_evidence_json(const std::vector<LagReading>& readings) {
  json list = json::array();
  for (const auto& r : readings) {
    json e = {{"workload", r.workload}, {"address", r.address}, {"metric", r.metric}, {"region", r.region},
              {"lag_seconds", r.lag ? json(r.lag->count()) : json(nullptr)},
              {"rpo_seconds", r.rpo ? json(r.rpo->count()) : json(nullptr)}};
    if (!r.note.empty()) e["note"] = r.note;
    list.push_back(std::move(e));
  }
  return {{"replication_lag", std::move(list)}};
}

std::vector<LagReading> lag_from_evidence(const json& evidence) {
  std::vector<LagReading> out;
  if (!evidence.is_object() || !evidence.contains("replication_lag") || !evidence["replication_lag"].is_array())
    return out;
  for (const auto& e : evidence["replication_lag"]) {
    if (!e.is_object()) continue;
    LagReading r;
    r.workload = str(e, "workload");
    r.address = str(e, "address");
    r.metric = str(e, "metric");
    r.region = str(e, "region");
    r.lag = seconds_of(e, "lag_seconds");
    r.rpo = seconds_of(e, "rpo_seconds");
    r.note = str(e, "note");
    out.push_back(std::move(r));
  }
  return out;
}

model::Diagnostics recheck_lag(aws::Client& aws, const model::Topology& topology, const model::Graph& graph,
                               const plan::Plan& plan, bool accept_data_loss) {
  model::Diagnostics out;
  if (plan.kind != "failover") return out;
  const bool unplanned = plan.evidence.is_object() && plan.evidence.value("mode", "") == "unplanned";
  std::map<std::string, LagReading> then;
  for (auto& r : lag_from_evidence(plan.evidence)) then[r.address] = std::move(r);

  for (const auto& now : read_replication_lag(aws, topology, graph, !unplanned)) {
    const auto it = then.find(now.address);
    const std::string at_planning =
        it == then.end() ? "not recorded" : lag_text(it->second.lag);
    const auto* w = workload_of(topology, now.workload);
    std::optional<model::SourceRange> where;
    if (w && topology.positions.count(w->pointer + "/objectives/rpo"))
      where = topology.positions.at(w->pointer + "/objectives/rpo");
    else
      where = topology.where("/objectives/rpo");
    if (now.exceeds()) {
      model::Diagnostic d;
      d.severity = accept_data_loss ? model::Severity::warning : model::Severity::error;
      d.summary = fmt::format("replication lag of workload '{}' is {}, over its RPO of {}{}", now.workload,
                              lag_text(now.lag), lag_text(now.rpo),
                              accept_data_loss ? ": data loss accepted (--accept-data-loss)" : "");
      d.detail = fmt::format("{} in {} reads {} now; it was {} when the plan was made.\n"
                             "Failing over now loses up to {} of writes to {}.",
                             now.metric, now.region, lag_text(now.lag), at_planning, lag_text(now.lag), now.address);
      d.where = where;
      d.address = now.address;
      d.field = w && topology.positions.count(w->pointer + "/objectives/rpo")
                    ? "workloads." + w->name + ".objectives.rpo"
                    : "objectives.rpo";
      out.push_back(std::move(d));
    } else if (!now.lag && it != then.end() && it->second.lag) {
      // Known at planning time, unknown now: say so, but a metric gap alone stops nothing.
      out.push_back({model::Severity::warning,
                     fmt::format("cannot re-check the replication lag of workload '{}'", now.workload),
                     fmt::format("{} in {}: {}; it was {} when the plan was made", now.metric, now.region, now.note,
                                 at_planning),
                     where, now.address, ""});
    }
  }
  return out;
}

}  // namespace dr
