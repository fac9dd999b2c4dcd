// automation.h: settings, the machine's least-privilege policy, and the resources added to the
// stack graph. The ASL itself is compiled in automation_asl.cc.
#include "dr/automation.h"

#include <set>

#include "config/aws_names.h"
#include "dr/timing_model.h"

namespace dr {
namespace {

using nlohmann::json;

constexpr const char* kMachine = "stepfunctions.state_machine.failover";
constexpr const char* kRule = "events.rule.failover";
constexpr const char* kRole = "iam.role.failover-automation";
constexpr const char* kEventsRole = "iam.role.failover-events";
constexpr const char* kForwardRole = "iam.role.failover-forward";

// "5m", "90s", "1h" -> seconds; -1 when malformed (the schema's pattern rejects those first).
int parse_duration_seconds(const std::string& d) {
  if (d.size() < 2) return -1;
  int n = 0;
  try {
    n = std::stoi(d.substr(0, d.size() - 1));
  } catch (const std::exception&) {
    return -1;
  }
  switch (d.back()) {
    case 's': return n;
    case 'm': return n * 60;
    case 'h': return n * 3600;
    default: return -1;
  }
}

json tags_for(const model::Topology& t, const std::string& address) {
  return {{"drctl:stack", t.stack}, {"drctl:address", address}};
}

model::Resource make(const model::Topology& t, const std::string& type, const std::string& name,
                     const std::string& region, json attrs) {
  model::Resource r;
  r.address = model::Address{type, name};
  r.region = region;
  r.attrs = std::move(attrs);
  r.where = t.where("/automation");
  for (const auto& ref : model::find_references(r.attrs))
    if (std::find(r.depends_on.begin(), r.depends_on.end(), ref.address) == r.depends_on.end())
      r.depends_on.push_back(ref.address);
  return r;
}

std::string notify_topic_name(const model::Topology& t) {
  return t.notify.is_object() ? t.notify.value("topic", "") : "";
}

// automation.topic absent or the notify: topic itself: the failure reports go to sns.topic.notify.
bool uses_notify_topic(const model::Topology& t, const AutomationSettings& s) {
  return s.topic.empty() || (t.notify.is_object() && s.topic == notify_topic_name(t));
}

json statement(const std::string& sid, std::vector<std::string> actions, json resource) {
  return {{"Sid", sid}, {"Effect", "Allow"}, {"Action", std::move(actions)}, {"Resource", std::move(resource)}};
}

}  // namespace

const char* mode_name(AutomationMode m) {
  switch (m) {
    case AutomationMode::manual: return "manual";
    case AutomationMode::automatic: return "automatic";
    case AutomationMode::approval: return "approval";
  }
  return "manual";
}

AutomationSettings automation_settings(const model::Topology& t, const model::Graph& g, model::Diagnostics& diags) {
  AutomationSettings s;
  const auto& a = t.automation;
  if (!a.is_object()) return s;
  const auto mode = a.value("failover", "manual");
  s.mode = mode == "automatic" ? AutomationMode::automatic
           : mode == "approval" ? AutomationMode::approval
                                : AutomationMode::manual;
  s.enabled = a.value("enabled", true);
  s.topic = a.value("topic", "");
  const auto trigger = a.value("trigger", json::object());
  for (const auto& n : trigger.value("alarms", json::array()))
    if (n.is_string()) s.alarms.push_back(n.get<std::string>());
  s.health_checks = trigger.value("health_checks", false);
  if (trigger.contains("for") && trigger["for"].is_string()) s.for_seconds = std::max(0, parse_duration_seconds(trigger["for"]));
  // Where each alarm drctl manages lives: its state changes reach EventBridge only there.
  for (const auto& r : g.resources)
    if (r.address.type == "cloudwatch.alarm" && r.attrs.contains("name") && r.attrs["name"].is_string())
      s.alarm_region[r.attrs["name"].get<std::string>()] = r.region;
  if (s.health_checks) {
    bool any = false;
    for (const auto& r : g.resources) {
      if (r.address.type != "cloudwatch.alarm" || !r.address.name.ends_with("-primary-health")) continue;
      any = true;
      const auto name = r.attrs.value("name", "");
      if (std::find(s.alarms.begin(), s.alarms.end(), name) == s.alarms.end()) s.alarms.push_back(name);
    }
    if (!any && s.mode != AutomationMode::manual)
      diags.push_back({model::Severity::error, "automation.trigger.health_checks needs health-check alarms",
                       "the strategy creates no <workload>-primary-health alarm (a dns-failover workload and alarms on, "
                       "warm-standby and up)", t.where("/automation/trigger"), "", "automation.trigger.health_checks"});
  }
  if (s.mode == AutomationMode::manual) return s;
  if (s.alarms.empty())
    diags.push_back({model::Severity::error, "automation needs a trigger",
                     "set automation.trigger.alarms (alarm names) or automation.trigger.health_checks: true",
                     t.where("/automation"), "", "automation.trigger"});
  if (s.topic.rfind("arn:", 0) == 0) {
    // arn:PARTITION:sns:REGION:ACCOUNT:NAME
    std::vector<std::string> parts;
    for (size_t at = 0;;) {
      const auto colon = s.topic.find(':', at);
      parts.push_back(s.topic.substr(at, colon == std::string::npos ? std::string::npos : colon - at));
      if (colon == std::string::npos) break;
      at = colon + 1;
    }
    if (parts.size() != 6 || parts[2] != "sns" || parts[5].empty())
      diags.push_back({model::Severity::error, "automation.topic is not an SNS topic ARN",
                       "write a topic name (drctl keeps the topic in " + t.dr_region +
                           ") or arn:aws:sns:" + t.dr_region + ":ACCOUNT:NAME",
                       t.where("/automation/topic"), "", "automation.topic"});
    else if (parts[3] != t.dr_region)
      diags.push_back({model::Severity::error, "automation.topic is in " + parts[3] + ", not the DR region " + t.dr_region,
                       "failure reports and approval requests must reach people while the primary region is down: "
                       "use a topic in " + t.dr_region,
                       t.where("/automation/topic"), "", "automation.topic"});
  } else if (uses_notify_topic(t, s) && !g.find("sns.topic.notify")) {
    diags.push_back({model::Severity::error, "automation needs a notify: block or automation.topic",
                     "the state machine reports failures and asks for approval on a DR-region topic: sns.topic.notify "
                     "(notify:) unless automation.topic names another",
                     t.where("/automation"), "", "automation.topic"});
  }
  return s;
}

json automation_policy(const Runbook& rb, const CompileOptions& o, const std::string& dr) {
  const std::string p = o.partition;
  json st = json::array();
  std::set<std::string> dbs, clusters, globals, groups, services, zones;
  for (const auto& r : rb.graph.resources) {
    const auto& a = r.attrs;
    const auto& t = r.address.type;
    if (t == "op.rds_promote") dbs.insert("arn:" + p + ":rds:" + r.region + ":*:db:" + a.value("identifier", ""));
    if (t == "op.aurora_failover") {
      globals.insert("arn:" + p + ":rds::*:global-cluster:" + a.value("global_cluster_id", ""));
      clusters.insert("arn:" + p + ":rds:" + r.region + ":*:cluster:" + a.value("target_cluster_id", ""));
    }
    if (t == "op.asg_scale")
      groups.insert("arn:" + p + ":autoscaling:" + r.region + ":*:autoScalingGroup:*:autoScalingGroupName/" + a.value("group", ""));
    if (t == "op.ecs_scale")
      services.insert("arn:" + p + ":ecs:" + r.region + ":*:service/" + a.value("cluster", "") + "/" + a.value("service", ""));
    if (t == "op.dns_switch") {
      std::string z = a.value("zone_id", "");
      if (z.rfind("/hostedzone/", 0) == 0) z = z.substr(12);
      zones.insert("arn:" + p + ":route53:::hostedzone/" + z);
    }
  }
  auto list = [](const std::set<std::string>& s) { return json(std::vector<std::string>(s.begin(), s.end())); };
  if (!dbs.empty()) st.push_back(statement("PromoteReplicas", {"rds:PromoteReadReplica", "rds:DescribeDBInstances"}, list(dbs)));
  if (!globals.empty()) {
    std::set<std::string> both = globals;
    both.insert(clusters.begin(), clusters.end());
    st.push_back(statement("FailOverGlobalClusters",
                           {"rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster", "rds:DescribeGlobalClusters",
                            "rds:DescribeDBClusters"},
                           list(both)));
  }
  if (!groups.empty()) {
    st.push_back(statement("ScaleGroups", {"autoscaling:UpdateAutoScalingGroup"}, list(groups)));
    // Describe calls of Auto Scaling support no resource-level permissions.
    st.push_back(statement("DescribeGroups", {"autoscaling:DescribeAutoScalingGroups"}, "*"));
  }
  if (!services.empty()) st.push_back(statement("ScaleServices", {"ecs:UpdateService", "ecs:DescribeServices"}, list(services)));
  if (!zones.empty()) st.push_back(statement("SwitchDns", {"route53:ChangeResourceRecordSets"}, list(zones)));
  if (!o.alarms.empty() && o.for_seconds > 0)
    st.push_back(statement("RecheckAlarms", {"cloudwatch:DescribeAlarms"}, "*"));
  // Failure reports and approval requests, and the runbook's own notify step when it has one.
  std::vector<std::string> topics = {o.topic_arn};
  for (const auto& r : rb.graph.resources)
    if (r.address.type == "op.sns_notify" && !o.notify_topic_arn.empty() && o.notify_topic_arn != o.topic_arn)
      topics.push_back(o.notify_topic_arn);
  st.push_back(statement("Notify", {"sns:Publish"}, topics.size() == 1 ? json(topics[0]) : json(topics)));
  (void)dr;
  return {{"Version", "2012-10-17"}, {"Statement", st}};
}

namespace {

json assume_role(const std::string& service) {
  return {{"Version", "2012-10-17"},
          {"Statement", json::array({{{"Effect", "Allow"}, {"Principal", {{"Service", service}}}, {"Action", "sts:AssumeRole"}}})}};
}

json alarm_pattern(const std::vector<std::string>& alarms) {
  return {{"source", json::array({"aws.cloudwatch"})},
          {"detail-type", json::array({"CloudWatch Alarm State Change"})},
          {"detail", {{"alarmName", alarms}, {"state", {{"value", json::array({"ALARM"})}}}}}};
}

}  // namespace

void add_automation(const model::Topology& t, model::Graph& g, const config::Paths& paths, model::Diagnostics& diags) {
  const auto settings = automation_settings(t, g, diags);
  if (settings.mode == AutomationMode::manual || model::has_errors(diags)) return;
  model::Diagnostics timing_diags;
  const auto timings = load_timings(paths, t, timing_diags);
  const auto rb = failover_runbook(t, g, t.dr_region, FailoverMode::planned, timings);
  for (const auto& d : rb.diagnostics)
    if (d.severity == model::Severity::error) diags.push_back(d);
  if (model::has_errors(diags)) return;

  const std::string base = "drctl-" + t.stack + "-failover";
  const std::string partition = config::partition_of(t.dr_region);
  const auto iam_region = [&] {
    for (const auto& r : g.resources)
      if (r.address.type == "iam.role") return r.region;
    return partition == "aws" ? std::string("us-east-1") : t.dr_region;
  }();
  const std::string state = settings.enabled ? "ENABLED" : "DISABLED";

  // Alarms in other regions: their state changes are forwarded to the DR region's default bus.
  std::map<std::string, std::vector<std::string>> elsewhere;  // region -> alarm names
  CompileOptions o;
  for (const auto& name : settings.alarms)
    if (auto it = settings.alarm_region.find(name); it != settings.alarm_region.end() && it->second != t.dr_region)
      elsewhere[it->second].push_back(name);
    else
      o.alarms.push_back(name);
  for (const auto& [region, _] : elsewhere) o.remote_regions.push_back(region);
  o.region = t.dr_region;
  o.mode = settings.mode;
  o.for_seconds = settings.for_seconds;
  o.partition = partition;
  if (g.find("sns.topic.notify")) o.notify_topic_arn = "@{sns.topic.notify#arn}";
  if (settings.topic.rfind("arn:", 0) == 0) {
    o.topic_arn = settings.topic;
  } else if (uses_notify_topic(t, settings)) {
    o.topic_arn = "@{sns.topic.notify#arn}";
  } else {
    // Subscriptions are left out on purpose: the team subscribes its pager or chat, and drctl
    // must not unsubscribe them.
    g.resources.push_back(make(t, "sns.topic", "automation", t.dr_region,
                               {{"name", settings.topic}, {"tags", tags_for(t, "sns.topic.automation")}}));
    o.topic_arn = "@{sns.topic.automation#arn}";
  }

  g.resources.push_back(make(t, "iam.role", "failover-automation", iam_region,
                             {{"name", base + "-automation"},
                              {"description", "drctl: runs the failover runbook of " + t.stack + " (Step Functions)"},
                              {"assume_role_policy", assume_role("states.amazonaws.com")},
                              {"policies", {{"drctl-failover", automation_policy(rb, o, t.dr_region)}}},
                              {"tags", tags_for(t, kRole)}}));
  g.resources.push_back(make(t, "stepfunctions.state_machine", "failover", t.dr_region,
                             {{"name", base},
                              {"definition", compile_automation(rb, o)},
                              {"role_arn", std::string("@{") + kRole + "#arn}"},
                              {"tags", tags_for(t, kMachine)}}));
  g.resources.push_back(make(
      t, "iam.role", "failover-events", iam_region,
      {{"name", base + "-events"},
       {"description", "drctl: lets EventBridge start the failover machine of " + t.stack},
       {"assume_role_policy", assume_role("events.amazonaws.com")},
       {"policies",
        {{"drctl-start-failover",
          {{"Version", "2012-10-17"},
           {"Statement", json::array({statement("StartFailover", {"states:StartExecution"},
                                                std::string("@{") + kMachine + "#arn}")})}}}}},
       {"tags", tags_for(t, kEventsRole)}}));
  g.resources.push_back(make(t, "events.rule", "failover", t.dr_region,
                             {{"name", base},
                              {"description", "drctl: start the failover of " + t.stack + " when its alarms fire"},
                              {"event_pattern", alarm_pattern(settings.alarms)},
                              {"state", state},
                              {"targets", json::array({{{"id", "failover"},
                                                        {"arn", std::string("@{") + kMachine + "#arn}"},
                                                        {"role_arn", std::string("@{") + kEventsRole + "#arn}"}}})},
                              {"tags", tags_for(t, kRule)}}));

  if (!elsewhere.empty()) {
    const std::string bus = "arn:" + partition + ":events:" + t.dr_region + ":@{" + kRule + "#account}:event-bus/default";
    g.resources.push_back(make(
        t, "iam.role", "failover-forward", iam_region,
        {{"name", base + "-forward"},
         {"description", "drctl: lets EventBridge forward " + t.stack + "'s trigger alarms to " + t.dr_region},
         {"assume_role_policy", assume_role("events.amazonaws.com")},
         {"policies",
          {{"drctl-forward-alarms",
            {{"Version", "2012-10-17"},
             {"Statement", json::array({statement("ForwardToDrBus", {"events:PutEvents"}, bus)})}}}}},
         {"tags", tags_for(t, kForwardRole)}}));
    for (const auto& [region, alarms] : elsewhere) {
      const std::string address = std::string(kRule) + "-" + region;
      g.resources.push_back(make(
          t, "events.rule", "failover-" + region, region,
          {{"name", base + "-to-" + t.dr_region},
           {"description", "drctl: forward " + t.stack + "'s trigger alarms in " + region + " to the failover rule in " +
                               t.dr_region},
           {"event_pattern", alarm_pattern(alarms)},
           {"state", state},
           {"targets", json::array({{{"id", "dr-bus"},
                                     {"arn", bus},
                                     {"role_arn", std::string("@{") + kForwardRole + "#arn}"}}})},
           {"tags", tags_for(t, address)}}));
    }
  }
  std::sort(g.resources.begin(), g.resources.end(),
            [](const auto& x, const auto& y) { return x.address.str() < y.address.str(); });
  g.reindex();
}

}  // namespace dr
