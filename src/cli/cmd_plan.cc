#include <fstream>
#include <set>

#include <fmt/format.h>

#include "apply/planner.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "plan/plan_json.h"
#include "report/text.h"

namespace cli {
namespace {

struct PlanOptions {
  std::string dir;
  std::string state;
  std::string out;
  std::string format = "text";
  bool detailed_exitcode = false;
  bool refresh = true;
  std::vector<std::string> allow_destroy;
  bool reset_after_failover = false;
  int parallelism = 10;
};

int run_plan(const PlanOptions& o) {
  auto stack = load_stack(o.dir);
  if (!stack || !objectives_ok(*stack)) return kError;
  auto store = open_state(o.state.empty() ? default_state_path(o.dir) : o.state);
  if (!store) return kError;
  auto session = open_session(stack->topology.stack);
  apply::PlanRequest req;
  req.topology = &stack->topology;
  req.graph = &stack->graph;
  req.config_dir = std::filesystem::absolute(o.dir).lexically_normal().string();
  req.refresh = o.refresh;
  req.allow_destroy = {o.allow_destroy.begin(), o.allow_destroy.end()};
  req.reset_after_failover = o.reset_after_failover;
  req.parallelism = o.parallelism;
  auto planned = apply::make_plan(*session.ctx, *store, req);
  if (!planned.ok()) return fail(planned.error());
  const auto& p = planned.value().plan;

  if (o.format == "json") fmt::print("{}\n", plan::to_json(p).dump(2));
  else fmt::print("{}", report::plan_text(p, style_for(stdout)));

  if (model::has_errors(p.diagnostics)) return kError;
  if (!o.out.empty()) {
    std::ofstream f(o.out, std::ios::trunc);
    f << plan::to_json(p).dump(2) << "\n";
    if (!f) return fail("cannot write the plan to " + o.out);
    if (o.format != "json")
      fmt::print("\nSaved the plan to {}. Apply exactly this plan with: drctl apply {}\n", o.out, o.out);
  }
  return o.detailed_exitcode && p.has_changes() ? kChanges : kOk;
}

}  // namespace

void add_plan(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<PlanOptions>();
  auto* cmd = app.add_subcommand("plan", "Show what apply would change, and why");
  cmd->add_option("DIR", o->dir, "Stack folder")->required();
  cmd->add_option("--state", o->state, "State file (default DIR/.drctl/state.db)");
  cmd->add_option("--out", o->out, "Save the plan for a later `drctl apply PLANFILE`");
  cmd->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--detailed-exitcode", o->detailed_exitcode, "Exit 2 when there are changes");
  cmd->add_option("--refresh", o->refresh, "Read live AWS state first (default true)");
  cmd->add_flag("--reset-after-failover", o->reset_after_failover,
               "After a failover, plan the way back to the configured topology");
  cmd->add_option("--allow-destroy", o->allow_destroy,
                  "Allow destroying or replacing this data-bearing resource (address, or '*')");
  cmd->add_option("--parallelism", o->parallelism, "Concurrent AWS reads")->check(CLI::Range(1, 64));
  cmd->callback([&exit_code, o] { exit_code = run_plan(*o); });
}

}  // namespace cli
