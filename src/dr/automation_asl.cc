// compile_automation and steps_of (automation.h): the runbook DAG as Amazon States Language.
//
// Levels, not arbitrary DAG shapes: ASL has no "join on these two branches" primitive, so a
// step runs in the stage after its deepest dependency, and a stage is a Parallel of its steps.
// For the runbooks drctl builds (promote/scale, then DNS, then notify) this is exactly the DAG.
//
// The reader of this shape (steps by "drctl-step" comments in "Stage N" branches, readiness by
// "drctl-readiness") is plan/runbook_diff.h: keep the two in step.
//
// Parameter names follow the botocore service models (tests check them against service-2.json);
// result fields read back from aws-sdk integrations use the SDK's capitalisation (DbInstances),
// which is how Step Functions returns them.
#include <algorithm>
#include <map>
#include <set>

#include "dr/automation.h"
#include "plan/runbook_diff.h"

namespace dr {
namespace {

using nlohmann::json;

constexpr int kPollSeconds = 30;
constexpr int kApprovalTimeoutSeconds = 3600;  // a human decision not taken within an hour fails safe
constexpr int kMachineTimeoutSeconds = 4 * 3600;

std::string sdk(const std::string& service, const std::string& op) { return "arn:aws:states:::aws-sdk:" + service + ":" + op; }

// Retry on throttling only: a mutating call that failed for any other reason must not be
// repeated blindly (a promotion half done is read back by the poll instead).
json throttle_retry(const std::string& prefix) {
  json errors = json::array();
  for (const char* code : {"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
                           "PriorRequestNotCompleteException"})
    errors.push_back(prefix + "." + code);
  return json::array({{{"ErrorEquals", errors}, {"IntervalSeconds", 2}, {"MaxAttempts", 6}, {"BackoffRate", 2.0},
                       {"MaxDelaySeconds", 60}, {"JitterStrategy", "FULL"}}});
}

json task(const std::string& resource, json params, const std::string& retry_prefix, const std::string& next) {
  json t = {{"Type", "Task"}, {"Resource", resource}, {"Parameters", std::move(params)}};
  if (!retry_prefix.empty()) t["Retry"] = throttle_retry(retry_prefix);
  if (next.empty()) t["End"] = true; else t["Next"] = next;
  return t;
}

std::string step_label(const model::Resource& s) { return s.address.type.substr(3) + " " + s.address.name; }

// A branch (StartAt + States) that performs one runbook step.
json step_branch(const model::Resource& s, const CompileOptions& o) {
  const auto& a = s.attrs;
  const std::string label = step_label(s);
  const std::string comment = "drctl-step " + s.address.str();
  json states = json::object();
  std::string start = "Do " + label;
  const auto& type = s.address.type;
  if (type == "op.rds_promote") {
    const std::string id = a.value("identifier", "");
    states[start] = task(sdk("rds", "promoteReadReplica"), {{"DBInstanceIdentifier", id}}, "Rds", "Wait " + label);
    states[start]["ResultPath"] = nullptr;
    states["Wait " + label] = {{"Type", "Wait"}, {"Seconds", kPollSeconds}, {"Next", "Check " + label}};
    states["Check " + label] = task(sdk("rds", "describeDBInstances"), {{"DBInstanceIdentifier", id}}, "Rds", "Done? " + label);
    states["Check " + label]["ResultSelector"] = {{"status.$", "$.DbInstances[0].DbInstanceStatus"}};
    // Promoted when available and no longer naming a source.
    states["Done? " + label] = {{"Type", "Choice"},
                                {"Choices", json::array({{{"Variable", "$.status"}, {"StringEquals", "available"},
                                                          {"Next", "Promoted " + label}}})},
                                {"Default", "Wait " + label}};
    states["Promoted " + label] = {{"Type", "Succeed"}};
  } else if (type == "op.aurora_failover") {
    const std::string target = a.value("target_cluster_arn", a.value("target_cluster_id", ""));
    const bool switchover = a.value("mode", "switchover") == "switchover";
    json p = {{"GlobalClusterIdentifier", a.value("global_cluster_id", "")}, {"TargetDbClusterIdentifier", target}};
    if (!switchover) p["AllowDataLoss"] = true;
    states[start] = task(sdk("rds", switchover ? "switchoverGlobalCluster" : "failoverGlobalCluster"), p, "Rds", "Wait " + label);
    states[start]["ResultPath"] = nullptr;
    states["Wait " + label] = {{"Type", "Wait"}, {"Seconds", kPollSeconds}, {"Next", "Check " + label}};
    states["Check " + label] = task(sdk("rds", "describeGlobalClusters"),
                                    {{"GlobalClusterIdentifier", a.value("global_cluster_id", "")}}, "Rds", "Done? " + label);
    states["Check " + label]["ResultSelector"] = {{"status.$", "$.GlobalClusters[0].Status"}};
    states["Done? " + label] = {{"Type", "Choice"},
                                {"Choices", json::array({{{"Variable", "$.status"}, {"StringEquals", "available"},
                                                          {"Next", "Promoted " + label}}})},
                                {"Default", "Wait " + label}};
    states["Promoted " + label] = {{"Type", "Succeed"}};
  } else if (type == "op.asg_scale") {
    states[start] = task(sdk("autoscaling", "updateAutoScalingGroup"),
                         {{"AutoScalingGroupName", a.value("group", "")}, {"MinSize", a.value("min", 0)},
                          {"DesiredCapacity", a.value("desired", 0)}, {"MaxSize", a.value("max", 0)}},
                         "AutoScaling", "");
  } else if (type == "op.ecs_scale") {
    states[start] = task(sdk("ecs", "updateService"),
                         {{"Cluster", a.value("cluster", "")}, {"Service", a.value("service", "")},
                          {"DesiredCount", a.value("desired_count", 0)}},
                         "Ecs", "");
  } else if (type == "op.dns_switch") {
    json rrs = {{"Name", a.value("name", "")}, {"Type", a.value("type", "")},
                {"SetIdentifier", a.value("set_identifier", "")}, {"Failover", a.value("failover", "PRIMARY")}};
    if (a.contains("alias") && a["alias"].is_object()) {
      const auto& al = a["alias"];
      rrs["AliasTarget"] = {{"HostedZoneId", al.value("zone_id", "")}, {"DNSName", al.value("dns_name", "")},
                            {"EvaluateTargetHealth", al.value("evaluate_target_health", false)}};
    } else {
      rrs["TTL"] = a.value("ttl", 60);
      json records = json::array();
      for (const auto& v : a.value("records", json::array())) records.push_back({{"Value", v}});
      rrs["ResourceRecords"] = records;
    }
    std::string zone = a.value("zone_id", "");
    if (zone.rfind("/hostedzone/", 0) == 0) zone = zone.substr(12);
    states[start] = task(sdk("route53", "changeResourceRecordSets"),
                         {{"HostedZoneId", zone},
                          {"ChangeBatch", {{"Comment", "drctl automatic failover: " + s.address.str()},
                                           {"Changes", json::array({{{"Action", "UPSERT"}, {"ResourceRecordSet", rrs}}})}}}},
                         "Route53", "");
  } else if (type == "op.sns_notify") {
    // The runbook's own message goes where `drctl failover` sends it (the notify: topic).
    states[start] = task("arn:aws:states:::sns:publish",
                         {{"TopicArn", o.notify_topic_arn.empty() ? o.topic_arn : o.notify_topic_arn},
                          {"Subject", a.value("subject", "")},
                          {"Message", "(automatic) " + a.value("message", "")}},
                         "Sns", "");
  } else {
    states[start] = {{"Type", "Pass"}, {"Comment", "no automation for " + type}, {"End", true}};
  }
  states[start]["Comment"] = comment;
  return {{"StartAt", start}, {"States", states}};
}

// Describe-only branch for readiness: refuses (Fail) when the DR side cannot take over.
// ASL state names are unique across the whole machine, branches included: the dry run's copy
// of the readiness branches gets `prefix`.
json readiness_branch(const model::Resource& s, const std::string& prefix) {
  const auto& a = s.attrs;
  const std::string label = prefix + step_label(s);
  const std::string check = "Ready? " + label;
  json states = json::object();
  auto refuse = [&](const std::string& why) {
    states["Not ready " + label] = {{"Type", "Fail"}, {"Error", "DrNotReady"}, {"Cause", why}};
  };
  auto choice = [&](json rule, const std::string& why) {
    rule["Next"] = "Ready " + label;
    states[check] = {{"Type", "Choice"}, {"Choices", json::array({rule})}, {"Default", "Not ready " + label}};
    states["Ready " + label] = {{"Type", "Succeed"}};
    refuse(why);
  };
  std::string start = "Describe " + label;
  const auto& type = s.address.type;
  if (type == "op.rds_promote") {
    const std::string id = a.value("identifier", "");
    states[start] = task(sdk("rds", "describeDBInstances"), {{"DBInstanceIdentifier", id}}, "Rds", check);
    states[start]["ResultSelector"] = {{"status.$", "$.DbInstances[0].DbInstanceStatus"}};
    choice({{"Variable", "$.status"}, {"StringEquals", "available"}}, "DR replica " + id + " is not available");
  } else if (type == "op.aurora_failover") {
    const std::string id = a.value("target_cluster_id", "");
    states[start] = task(sdk("rds", "describeDBClusters"), {{"DBClusterIdentifier", id}}, "Rds", check);
    states[start]["ResultSelector"] = {{"status.$", "$.DbClusters[0].Status"}};
    choice({{"Variable", "$.status"}, {"StringEquals", "available"}}, "DR cluster " + id + " is not available");
  } else if (type == "op.asg_scale") {
    const std::string g = a.value("group", "");
    states[start] = task(sdk("autoscaling", "describeAutoScalingGroups"),
                         {{"AutoScalingGroupNames", json::array({g})}}, "AutoScaling", check);
    choice({{"Variable", "$.AutoScalingGroups[0]"}, {"IsPresent", true}}, "DR Auto Scaling group " + g + " does not exist");
  } else if (type == "op.ecs_scale") {
    const std::string svc = a.value("service", "");
    states[start] = task(sdk("ecs", "describeServices"),
                         {{"Cluster", a.value("cluster", "")}, {"Services", json::array({svc})}}, "Ecs", check);
    choice({{"Variable", "$.Services[0]"}, {"IsPresent", true}}, "DR ECS service " + svc + " does not exist");
  } else {
    return {};
  }
  states[start]["Comment"] = "drctl-readiness " + s.address.str();
  return {{"StartAt", start}, {"States", states}};
}

bool irreversible(const std::string& type) {
  return type == "op.rds_promote" || type == "op.aurora_failover" || type == "op.dns_switch";
}

// Stage index per step: 0 for no dependencies, else 1 + the deepest dependency's stage.
std::vector<std::vector<const model::Resource*>> stages_of(const model::Graph& g) {
  std::map<std::string, const model::Resource*> by;
  for (const auto& r : g.resources) by[r.address.str()] = &r;
  std::map<std::string, int> level;
  std::function<int(const std::string&, int)> depth = [&](const std::string& a, int guard) -> int {
    if (auto it = level.find(a); it != level.end()) return it->second;
    int d = 0;
    if (guard < 64)
      for (const auto& dep : by.at(a)->depends_on)
        if (by.count(dep)) d = std::max(d, depth(dep, guard + 1) + 1);
    return level[a] = d;
  };
  std::vector<std::vector<const model::Resource*>> out;
  for (const auto& [a, r] : by) {
    const auto d = static_cast<size_t>(depth(a, 0));
    if (out.size() <= d) out.resize(d + 1);
    out[d].push_back(r);
  }
  return out;
}

json catch_to(const std::string& next) {
  return json::array({{{"ErrorEquals", json::array({"States.ALL"})}, {"ResultPath", "$.error"}, {"Next", next}}});
}

}  // namespace

json compile_automation(const Runbook& rb, const CompileOptions& o) {
  json states = json::object();
  const auto stages = stages_of(rb.graph);
  const std::string failed = "Notify failure";

  // Readiness: one describe branch per step that needs a DR object.
  auto readiness = [&](const std::string& prefix) {
    json branches = json::array();
    for (const auto& r : rb.graph.resources)
      if (auto b = readiness_branch(r, prefix); !b.is_null()) branches.push_back(b);
    if (branches.empty())
      branches.push_back({{"StartAt", prefix + "Nothing to check"},
                          {"States", {{prefix + "Nothing to check", {{"Type", "Pass"}, {"End", true}}}}}});
    return branches;
  };
  const json ready_branches = readiness("");

  states["Dry run?"] = {{"Type", "Choice"},
                        {"Choices", json::array({{{"And", json::array({{{"Variable", "$.dry_run"}, {"IsPresent", true}},
                                                                       {{"Variable", "$.dry_run"}, {"BooleanEquals", true}}})},
                                                  {"Next", "Dry run readiness"}}})},
                        {"Default", "Readiness"}};
  // Dry run: the same describe calls, then a report of the steps it would run; never acts.
  json plan_report = json::array();
  for (size_t i = 0; i < stages.size(); ++i)
    for (const auto* s : stages[i]) plan_report.push_back("stage " + std::to_string(i + 1) + ": " + s->address.str());
  states["Dry run readiness"] = {{"Type", "Parallel"}, {"Branches", readiness("(dry run) ")}, {"ResultPath", "$.readiness"},
                                 {"Next", "Dry run report"}};
  states["Dry run report"] = {{"Type", "Pass"},
                              {"Parameters", {{"dry_run", true}, {"ready", true}, {"would_run", plan_report},
                                              {"readiness.$", "$.readiness"}}},
                              {"End", true}};
  states["Dry run readiness"]["Catch"] = json::array(
      {{{"ErrorEquals", json::array({"States.ALL"})}, {"ResultPath", "$.error"}, {"Next", "Dry run not ready"}}});
  states["Dry run not ready"] = {{"Type", "Pass"},
                                 {"Parameters", {{"dry_run", true}, {"ready", false}, {"error.$", "$.error"},
                                                 {"would_run", plan_report}}},
                                 {"End", true}};

  const std::string first_stage = stages.empty() ? "Done" : "Stage 1";
  std::string after_ready = first_stage;
  bool gate = false;
  if (o.mode == AutomationMode::approval)
    for (const auto& r : rb.graph.resources) gate = gate || irreversible(r.address.type);
  if (gate) after_ready = "Approval";
  // Flapping guard: wait `for`, then act only if a trigger alarm is still in ALARM. The machine
  // can describe alarms of its own region only; an execution started by an alarm forwarded
  // from another region ($.region of the event) goes on after the wait, that alarm's own
  // evaluation periods being its guard.
  const std::string proceed = gate ? "Approval" : first_stage;
  const bool recheck = !o.alarms.empty();
  const bool stabilise = o.for_seconds > 0 && (recheck || !o.remote_regions.empty());
  if (stabilise) after_ready = "Stabilise";

  states["Readiness"] = {{"Type", "Parallel"}, {"Branches", ready_branches}, {"ResultPath", "$.readiness"},
                         {"Next", after_ready}, {"Catch", catch_to(failed)}};
  if (stabilise) {
    states["Stabilise"] = {{"Type", "Wait"}, {"Seconds", o.for_seconds}, {"Next", recheck ? "Still alarming" : proceed}};
  }
  if (stabilise && recheck) {
    states["Still alarming"] = task(sdk("cloudwatch", "describeAlarms"),
                                    {{"AlarmNames", o.alarms}, {"StateValue", "ALARM"}}, "CloudWatch", "Still alarming?");
    states["Still alarming"]["ResultPath"] = "$.alarms";
    states["Still alarming"]["Catch"] = catch_to(failed);
    json choices = json::array({{{"Variable", "$.alarms.MetricAlarms[0]"}, {"IsPresent", true}, {"Next", proceed}}});
    if (!o.remote_regions.empty())
      choices.push_back({{"And", json::array({{{"Variable", "$.region"}, {"IsPresent", true}},
                                              {{"Not", {{"Variable", "$.region"}, {"StringEquals", o.region}}}}})},
                         {"Next", proceed}});
    states["Still alarming?"] = {{"Type", "Choice"}, {"Choices", choices}, {"Default", "Recovered"}};
    states["Recovered"] = {{"Type", "Succeed"}, {"Comment", "the alarms cleared within the stabilisation time: no failover"}};
  }
  if (gate) {
    json p = {{"TopicArn", o.topic_arn},
              {"Subject", "drctl: approve failover of " + rb.graph.stack + "?"},
              {"Message.$", "States.Format('drctl asks to fail over stack " + rb.graph.stack +
                                ": irreversible steps follow (promotions, DNS). Approve with SendTaskSuccess, "
                                "refuse with SendTaskFailure, using this task token: {}', $$.Task.Token)"}};
    states["Approval"] = {{"Type", "Task"}, {"Resource", "arn:aws:states:::sns:publish.waitForTaskToken"},
                          {"Parameters", p}, {"TimeoutSeconds", kApprovalTimeoutSeconds}, {"ResultPath", "$.approval"},
                          {"Next", first_stage}, {"Catch", catch_to(failed)}};
  }
  for (size_t i = 0; i < stages.size(); ++i) {
    json branches = json::array();
    for (const auto* s : stages[i]) branches.push_back(step_branch(*s, o));
    const std::string next = i + 1 < stages.size() ? "Stage " + std::to_string(i + 2) : "Done";
    states["Stage " + std::to_string(i + 1)] = {{"Type", "Parallel"}, {"Branches", branches}, {"ResultPath", nullptr},
                                                {"Next", next}, {"Catch", catch_to(failed)}};
  }
  states["Done"] = {{"Type", "Succeed"}};
  states[failed] = task("arn:aws:states:::sns:publish",
                        {{"TopicArn", o.topic_arn},
                         {"Subject", "drctl: automatic failover of " + rb.graph.stack + " FAILED"},
                         {"Message.$", "States.JsonToString($.error)"}},
                        "Sns", "Failed");
  states["Failed"] = {{"Type", "Fail"}, {"Error", "FailoverFailed"}, {"Cause", "see the notification on the topic"}};
  return {{"Comment", "drctl failover runbook of stack " + rb.graph.stack + " (" + mode_name(o.mode) +
                          "); generated: edit the stack, not this"},
          {"StartAt", "Dry run?"},
          {"TimeoutSeconds", kMachineTimeoutSeconds},
          {"States", states}};
}

std::vector<AslStep> steps_of(const json& asl) {
  // plan/runbook_diff.h is the one reader of the ASL this file writes.
  std::vector<AslStep> out;
  std::vector<std::string> previous, current;
  int stage = 1;
  for (const auto& s : plan::runbook_steps(asl).steps) {
    if (s.stage != stage) {
      previous = std::move(current);
      current.clear();
      stage = s.stage;
    }
    out.push_back({s.address, previous, s.calls});
    current.push_back(s.address);
  }
  return out;
}

}  // namespace dr
