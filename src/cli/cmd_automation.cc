// drctl automation show DIR [--format text|mermaid|json]: the automatic-failover state machine
// of a stack as reviewers read it: the steps read back from the compiled ASL (not from the
// runbook, so what is shown is what is deployed), as a list, a Mermaid diagram, or JSON
// (definition, steps, the role's policy, the rule and the rules forwarding alarms from other
// regions). Offline: reads no AWS.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "dr/automation.h"
#include "model/resource.h"
#include "plan/runbook_diff.h"

namespace cli {
namespace {

using nlohmann::json;

const model::Resource* find(const model::Graph& g, const std::string& a) { return g.find(a); }

// Mermaid node ids: letters, digits and underscores only.
std::string node_id(const std::string& address) {
  std::string out;
  for (char c : address) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

// Shown as written: a reference reads as the address it points at.
std::string topic_text(const json& v) {
  const auto refs = v.is_string() ? model::find_references(v) : std::vector<model::Reference>{};
  return refs.empty() ? v.dump() : refs.front().address;
}

std::string text_view(const model::Graph& g, const json& asl, const json& rule, const std::string& mode) {
  std::string out = fmt::format("Automatic failover ({}), state machine in the DR region\n", mode);
  if (rule.is_object()) {
    const auto alarms = rule["event_pattern"]["detail"].value("alarmName", json::array());
    out += fmt::format("Trigger: rule {} ({}) on ALARM of: {}\n", rule.value("name", ""), rule.value("state", ""),
                       alarms.dump());
  }
  // Alarms in other regions reach the rule through a forwarding rule there.
  for (const auto& r : g.resources)
    if (r.address.type == "events.rule" && r.address.name.rfind("failover-", 0) == 0)
      out += fmt::format("  forwarded from {}: rule {} ({}) on ALARM of: {} -> the DR region's default event bus\n",
                         r.region, r.attrs.value("name", ""), r.attrs.value("state", ""),
                         r.attrs["event_pattern"]["detail"].value("alarmName", json::array()).dump());
  if (asl["States"].contains("Notify failure"))
    out += fmt::format("Failure reports{}: {}\n", asl["States"].contains("Approval") ? " and approval requests" : "",
                       topic_text(asl["States"]["Notify failure"]["Parameters"].value("TopicArn", json())));
  const auto& states = asl["States"];
  out += "  0. readiness (describe only; refuses to act unless the DR side is ready):\n";
  for (const auto& b : states["Readiness"]["Branches"]) {
    const auto& s = b["States"][b.value("StartAt", "")];
    out += fmt::format("       - {}\n", s.value("Comment", b.value("StartAt", "")));
  }
  if (states.contains("Still alarming"))
    out += fmt::format("     then wait {}s and go on only if a trigger alarm of the DR region is still in ALARM{}\n",
                       states["Stabilise"].value("Seconds", 0),
                       states["Still alarming?"]["Choices"].size() > 1
                           ? " (or the run was started by an alarm forwarded from another region, which the "
                             "machine cannot describe)"
                           : "");
  else if (states.contains("Stabilise"))
    out += fmt::format("     then wait {}s (the trigger alarms are in other regions: not re-checked)\n",
                       states["Stabilise"].value("Seconds", 0));
  if (states.contains("Approval"))
    out += fmt::format("     then WAIT FOR APPROVAL (task token sent to the topic, {}s timeout)\n",
                       states["Approval"].value("TimeoutSeconds", 0));
  int stage = 0;
  std::vector<std::string> prev;
  for (const auto& st : dr::steps_of(asl)) {
    if (st.after != prev || stage == 0) {
      ++stage;
      prev = st.after;
      out += fmt::format("  {}. in parallel{}:\n", stage, st.after.empty() ? "" : " (after stage " + std::to_string(stage - 1) + ")");
    }
    std::string calls;
    for (const auto& c : st.calls) calls += (calls.empty() ? "" : ", ") + plan::call_name(c);
    out += fmt::format("       - {}  [{}]\n", st.address, calls);
  }
  out += "  on any error: publish the error to the topic, then fail\n";
  out += "  dry run: start an execution with {\"dry_run\": true} to run only the readiness describes\n";
  return out;
}

std::string mermaid_view(const json& asl) {
  std::string out = "flowchart TD\n  start([alarm]) --> ready{readiness}\n";
  const auto& states = asl["States"];
  std::string last = "ready";
  if (states.contains("Still alarming")) {
    out += "  ready --> stable{still in ALARM?}\n  stable -- no --> recovered([no failover])\n";
    last = "stable";
  } else if (states.contains("Stabilise")) {
    out += "  ready --> stable[/wait/]\n";
    last = "stable";
  }
  if (states.contains("Approval")) {
    out += fmt::format("  {} --> approval[/approval: task token/]\n", last);
    last = "approval";
  }
  out += "  ready -- not ready --> failed([notify + fail])\n";
  std::vector<std::string> prev = {last};
  std::vector<std::string> current;
  std::vector<std::string> after;
  const auto steps = dr::steps_of(asl);
  for (size_t i = 0; i < steps.size(); ++i) {
    if (i > 0 && steps[i].after != after) {
      prev = current;
      current.clear();
    }
    after = steps[i].after;
    const auto id = node_id(steps[i].address);
    out += fmt::format("  {}[\"{}\"]\n", id, steps[i].address);
    for (const auto& p : prev) out += fmt::format("  {} --> {}\n", p, id);
    current.push_back(id);
  }
  for (const auto& c : current) out += fmt::format("  {} --> done([done])\n", c);
  if (steps.empty()) out += fmt::format("  {} --> done([done])\n", last);
  return out;
}

}  // namespace

void add_automation(CLI::App& app, int& exit_code) {
  struct Options {
    std::string dir;
    std::string format = "text";
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("automation", "Automatic failover (Step Functions) compiled from the runbook");
  cmd->require_subcommand(1);
  auto* show = cmd->add_subcommand("show", "Show the automatic-failover state machine of a stack (offline)");
  show->add_option("DIR", o->dir, "Stack folder holding *.dr.yaml files")->required();
  show->add_option("--format", o->format, "text (default), mermaid or json (the ASL definition and more)")
      ->check(CLI::IsMember({"text", "mermaid", "json"}));
  show->callback([&exit_code, o] {
    auto stack = load_stack(o->dir);
    if (!stack) {
      exit_code = kError;
      return;
    }
    const auto* machine = find(stack->graph, "stepfunctions.state_machine.failover");
    if (!machine) {
      exit_code = fail("stack " + stack->topology.stack + " has no automatic failover",
                       "set automation: {failover: automatic|approval, trigger: {...}} in the stack");
      return;
    }
    const auto* rule = find(stack->graph, "events.rule.failover");
    const auto* role = find(stack->graph, "iam.role.failover-automation");
    const auto& asl = machine->attrs["definition"];
    const std::string mode = stack->topology.automation.value("failover", "manual");
    if (o->format == "json") {
      json steps = json::array();
      for (const auto& s : dr::steps_of(asl)) steps.push_back({{"address", s.address}, {"after", s.after}, {"calls", s.calls}});
      json forwarding = json::array();
      for (const auto& r : stack->graph.resources)
        if (r.address.type == "events.rule" && r.address.name.rfind("failover-", 0) == 0)
          forwarding.push_back({{"region", r.region}, {"rule", r.attrs}});
      json out = {{"stack", stack->topology.stack},
                  {"mode", mode},
                  {"region", machine->region},
                  {"name", machine->attrs.value("name", "")},
                  {"definition", asl},
                  {"steps", steps},
                  {"rule", rule ? rule->attrs : json()},
                  {"forwarding_rules", forwarding},
                  {"role_policy", role ? role->attrs["policies"] : json()}};
      fmt::print("{}\n", out.dump(2));
    } else if (o->format == "mermaid") {
      fmt::print("{}", mermaid_view(asl));
    } else {
      fmt::print("{}", text_view(stack->graph, asl, rule ? rule->attrs : json(), mode));
    }
    exit_code = kOk;
  });
}

}  // namespace cli
