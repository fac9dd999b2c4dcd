// drctl failover DIR --to REGION [--unplanned] [--out PLANFILE] [--state PATH]
//
// Builds the failover runbook (dr/runbook.h) and plans it with the ordinary engine: refresh of
// the op.* steps (each reads whether its effect is already in place) and diff against what
// state remembers of earlier failover steps. The result is an ordinary plan: printed for
// review, saved with the state's lineage/serial and the config hash, run by `drctl apply
// PLANFILE` (journaled, resumable: a step already done is a no-op in a fresh plan).
// Only op.* state records take part: the stack's own resources are neither read nor diffed,
// so nothing here calls the primary region.
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "apply/planner.h"
#include "apply/refresh.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "config/config.h"
#include "dr/runbook.h"
#include "plan/plan_json.h"
#include "report/text.h"

namespace cli {
namespace {

struct FailoverOptions {
  std::string dir;
  std::string to;
  std::string state;
  std::string out;
  bool unplanned = false;
  int parallelism = 10;
};

int run_failover(const FailoverOptions& o) {
  auto stack = load_stack(o.dir);
  if (!stack) return kError;
  model::Diagnostics diags;
  const auto timings = dr::load_timings(config::default_paths(), stack->topology, diags);
  const auto mode = o.unplanned ? dr::FailoverMode::unplanned : dr::FailoverMode::planned;
  auto rb = dr::failover_runbook(stack->topology, stack->graph, o.to, mode, timings);
  diags.insert(diags.end(), rb.diagnostics.begin(), rb.diagnostics.end());

  auto store = open_state(o.state.empty() ? default_state_path(o.dir) : o.state);
  if (!store) return kError;
  auto meta = store->meta();
  if (!meta.ok()) return fail("reading state: " + meta.error().message);
  auto prior = apply::load_prior(*store);
  if (!prior.ok()) return fail(prior.error());
  std::map<std::string, plan::Prior> ops;  // earlier runbook steps only
  for (auto& [address, p] : prior.value())
    if (p.type.rfind("op.", 0) == 0) ops.emplace(address, std::move(p));

  auto session = open_session(stack->topology.stack);
  apply::RefreshRequest r;
  r.desired = &rb.graph;
  r.prior = ops;
  r.parallelism = o.parallelism;
  plan::DiffInput in;
  in.desired = &rb.graph;
  in.observed = apply::refresh(*session.ctx, r);
  in.prior = ops;
  plan::Plan p = plan::diff(in);
  p.stack = stack->topology.stack;
  p.config_dir = std::filesystem::absolute(o.dir).lexically_normal().string();
  p.config_hash = stack->topology.config_hash;
  p.lineage = meta.value().lineage;
  p.serial = meta.value().serial;
  p.created_at = state::now_iso8601();
  p.diagnostics.insert(p.diagnostics.begin(), diags.begin(), diags.end());

  fmt::print("Failover of stack {} from {} to {} ({}).\n\n", p.stack, stack->topology.primary_region, o.to,
             o.unplanned ? "unplanned: the primary region is not called" : "planned switchover");
  fmt::print("{}", report::plan_text(p, style_for(stdout)));
  if (!rb.graph.resources.empty()) {
    // Steps already done count nothing: the estimate is for what is left.
    std::map<std::string, model::Seconds> left;
    for (const auto& c : p.changes)
      if (c.action != plan::Action::noop && rb.step_duration.count(c.address)) left[c.address] = rb.step_duration.at(c.address);
    const auto path = dr::critical_path(rb.graph, left);
    std::string steps;
    for (const auto& s : path.steps)
      if (left.count(s))
        steps += fmt::format("{}{} {}", steps.empty() ? "" : " -> ", s, model::format_duration(left.at(s)));
    fmt::print("\nEstimated RTO of this runbook: {} (critical path: {}; step durations from modules/timings.yaml "
               "and the stack's timings:, detection time not included)\n",
               model::format_duration(path.total), steps.empty() ? "nothing left to do" : steps);
  }
  if (model::has_errors(p.diagnostics)) return kError;
  if (!o.out.empty()) {
    std::ofstream f(o.out, std::ios::trunc);
    f << plan::to_json(p).dump(2) << "\n";
    if (!f) return fail("cannot write the plan to " + o.out);
    fmt::print("\nSaved the failover plan to {}. Run exactly this plan with: drctl apply {}\n", o.out, o.out);
  }
  return kOk;
}

}  // namespace

void add_failover(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<FailoverOptions>();
  auto* cmd = app.add_subcommand("failover", "Plan a failover to the DR region (run it with `drctl apply PLANFILE`)");
  cmd->add_option("DIR", o->dir, "Stack folder")->required();
  cmd->add_option("--to", o->to, "Region to fail over to (the stack's DR region)")->required();
  cmd->add_flag("--unplanned", o->unplanned, "The primary region is gone: plan without it");
  cmd->add_option("--out", o->out, "Save the plan for `drctl apply PLANFILE`");
  cmd->add_option("--state", o->state, "State file (default DIR/.drctl/state.db)");
  cmd->add_option("--parallelism", o->parallelism, "Concurrent AWS reads")->check(CLI::Range(1, 64));
  cmd->callback([&exit_code, o] { exit_code = run_failover(*o); });
}

}  // namespace cli
