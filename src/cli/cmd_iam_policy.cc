// drctl iam-policy DIR [--for plan|apply|drift|failover|failback|readiness] [--account ID]:
// prints the minimal IAM policy (JSON) the stack needs for that command, offline: actions of
// exactly the API calls each resource type makes, scoped to the stack's own ARNs where AWS
// allows (resources/permissions.h). failover and failback take the runbook's op.* steps
// (failback: both phases, protect and switch-back).
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "config/config.h"
#include "dr/failback.h"
#include "dr/runbook.h"
#include "resources/permissions.h"

namespace cli {
namespace {

struct Options {
  std::string dir;
  std::string phase = "apply";
  std::string account = "*";
};

int run_iam_policy(const Options& o) {
  const auto phase = resources::parse_phase(o.phase);
  if (!phase) return fail("unknown --for " + o.phase);
  auto stack = load_stack(o.dir);
  if (!stack) return kError;

  // The graphs whose resources the command touches.
  std::vector<model::Graph> graphs;
  if (*phase == resources::Phase::failover || *phase == resources::Phase::failback) {
    model::Diagnostics diags;
    const auto timings = dr::load_timings(config::default_paths(), stack->topology, diags);
    if (*phase == resources::Phase::failover) {
      for (auto mode : {dr::FailoverMode::planned, dr::FailoverMode::unplanned})
        graphs.push_back(dr::failover_runbook(stack->topology, stack->graph, stack->topology.dr_region, mode, timings).graph);
    } else {
      for (auto p : {dr::FailbackPhase::protect, dr::FailbackPhase::switch_back})
        graphs.push_back(dr::failback_runbook(stack->topology, stack->graph, p, timings).graph);
    }
  }
  std::vector<const model::Resource*> resources;
  for (const auto& g : graphs)
    for (const auto& r : g.resources) resources.push_back(&r);
  if (graphs.empty())
    for (const auto& r : stack->graph.resources) resources.push_back(&r);

  resources::PolicyContext ctx;
  ctx.account = o.account;
  ctx.graph = &stack->graph;
  fmt::print("{}\n", resources::iam_policy(resources, *phase, ctx).dump(2));
  return kOk;
}

}  // namespace

void add_iam_policy(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("iam-policy", "Print the minimal IAM policy a command needs for the stack");
  cmd->add_option("DIR", o->dir, "Stack folder holding *.dr.yaml files")->required();
  cmd->add_option("--for", o->phase, "The command to grant: plan, apply (default), drift, failover, failback, readiness")
      ->check(CLI::IsMember({"plan", "apply", "drift", "failover", "failback", "readiness"}));
  cmd->add_option("--account", o->account, "Account id to put in ARNs (default *: any account)");
  cmd->footer("Examples:\n  drctl iam-policy stacks/shop > apply-policy.json\n"
              "  drctl iam-policy stacks/shop --for failover --account 123456789012");
  cmd->callback([&exit_code, o] { exit_code = run_iam_policy(*o); });
}

}  // namespace cli
