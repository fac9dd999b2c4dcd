// drctl failback DIR [--switch] [--out PLANFILE] [--state PATH] [--parallelism N]
//
// Plans one phase of the failback runbook (dr/failback.h) with the ordinary engine, like
// `drctl failover`: `drctl failback DIR` plans the protect phase (retire the stale old primary,
// replicate the DR writer back under the configured name), `--switch` the switch back (promote,
// DNS home, retire the DR writer, notify). Each is printed for review, saved with --out and run
// by `drctl apply PLANFILE` (journaled, resumable). Planning only reads state (wherever it
// lives: cli/state_session.h), so no lock is taken; the apply of the saved plan locks it and
// refuses the plan if the state moved on meanwhile.
//
// Refusals (exit 1), because each would do harm rather than nothing:
//  - no failover in state (no op.rds_promote / op.dns_switch record): nothing to come back from;
//  - protect once the switch back has started: it would retire the new primary's name again;
//  - --switch before the protect plan ran, or while a reverse replica is not an available
//    replica of the DR writer: op.rds_promote would take the stale old primary, still under the
//    configured name, for "already promoted" and DNS would point at it.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/runbook_plan.h"
#include "cli/state_session.h"
#include "config/config.h"
#include "dr/failback.h"
#include "report/text.h"

namespace cli {
namespace {

struct FailbackOptions {
  std::string dir;
  std::string state;
  std::string backend;  // --backend s3://bucket/key?region=R (state/backend.h)
  std::string out;
  bool switch_back = false;
  int parallelism = 10;
};

bool is_switch_step(const std::string& address) {
  return address.ends_with("-failback") || address.ends_with("-dr-writer") || address == "op.sns_notify.failback";
}

bool is_failover_step(const std::string& address) {
  return (address.starts_with("op.rds_promote.") || address.starts_with("op.dns_switch.")) && !is_switch_step(address);
}

// --switch: every reverse replica still to be promoted must be an available replica now.
model::Diagnostics check_replicas_ready(const dr::Runbook& protect_rb, const plan::Plan& protect_plan,
                                        const std::set<std::string>& recorded) {
  model::Diagnostics out;
  for (const auto& c : protect_plan.changes) {
    if (!c.address.starts_with("op.rds_reverse_replica.") || c.action == plan::Action::noop) continue;
    const auto w = c.address.substr(std::string("op.rds_reverse_replica.").size());
    if (recorded.count("op.rds_promote." + w + "-failback")) continue;  // already promoted by this switch
    const auto* r = protect_rb.graph.find(c.address);
    const auto id = r ? r->attrs.value("identifier", "") : w;
    out.push_back({model::Severity::error, "the replica " + id + " is not ready to be promoted",
                   c.address + ": " + id + " is not (yet) an available read replica of " +
                       (r ? r->attrs.value("source", "") : std::string("the DR writer")) +
                       ". Wait for it (or run `drctl failback DIR` and apply it again), then plan the switch",
                   std::nullopt, c.address});
  }
  return out;
}

int run_failback(const FailbackOptions& o) {
  auto stack = load_stack(o.dir);
  if (!stack) return kError;
  model::Diagnostics diags;
  const auto timings = dr::load_timings(config::default_paths(), stack->topology, diags);
  auto store = open_state_readonly(o.dir, o.state, stack->topology, "failback", o.backend);
  if (!store) return kError;
  auto records = store->resources();
  if (!records.ok()) return fail("reading state: " + records.error().message);
  auto runs = store->runs(0);
  if (!runs.ok()) return fail("reading the run history: " + runs.error().message);

  std::set<std::string> recorded;
  bool failed_over = false;
  std::string switch_started;
  for (const auto& r : records.value()) {
    recorded.insert(r.address);
    failed_over = failed_over || is_failover_step(r.address);
    if (r.address.starts_with("op.") && is_switch_step(r.address) && switch_started.empty()) switch_started = r.address;
  }
  if (!failed_over)
    return fail("the stack " + stack->topology.stack + " has not failed over: state holds no failover step "
                "(op.rds_promote, op.dns_switch), so there is nothing to fail back from",
                "drctl failback follows `drctl failover DIR --to " + stack->topology.dr_region + "` + `drctl apply PLANFILE`");
  if (!o.switch_back && !switch_started.empty())
    return fail("the switch back has already started (state holds " + switch_started +
                    "): the protect phase would retire the new primary's name again",
                "continue with `drctl failback " + o.dir + " --switch`");

  const auto inputs = dr::failback_inputs(runs.value(), records.value());
  auto protect_rb = dr::failback_runbook(stack->topology, stack->graph, dr::FailbackPhase::protect, timings, inputs);
  auto session = open_session(stack->topology.stack);
  dr::Runbook rb;
  model::Diagnostics refusals;
  if (o.switch_back) {
    for (const auto& r : protect_rb.graph.resources)
      if (r.address.type == "op.rds_reverse_replica" && !recorded.count(r.address.str()))
        return fail("the protect phase has not run: state holds no " + r.address.str(),
                    "run `drctl failback " + o.dir + " --out PLANFILE` and `drctl apply PLANFILE` first: the switch "
                    "promotes the replicas it creates");
    auto pp = plan_runbook(*stack, o.dir, protect_rb, *store, session, "failback-protect", o.parallelism);
    if (!pp) return kError;
    refusals = check_replicas_ready(protect_rb, *pp, recorded);
    rb = dr::failback_runbook(stack->topology, stack->graph, dr::FailbackPhase::switch_back, timings, inputs);
  } else {
    rb = std::move(protect_rb);
  }
  rb.diagnostics.insert(rb.diagnostics.begin(), diags.begin(), diags.end());
  rb.diagnostics.insert(rb.diagnostics.end(), refusals.begin(), refusals.end());

  const auto kind = o.switch_back ? "failback-switch" : "failback-protect";
  auto p = plan_runbook(*stack, o.dir, rb, *store, session, kind, o.parallelism);
  if (!p) return kError;

  const auto& topo = stack->topology;
  if (o.switch_back)
    fmt::print("Failback of stack {}, switch back: promote the replicas in {}, point DNS back at {}, retire the DR "
               "writers in {}.\n\n", p->stack, topo.primary_region, topo.primary_region, topo.dr_region);
  else
    fmt::print("Failback of stack {}, protect: replicate {} back to {}; traffic stays in {}.\n\n", p->stack,
               topo.dr_region, topo.primary_region, topo.dr_region);
  print_plan(*p);
  if (!rb.graph.resources.empty()) {
    const auto path = remaining_path(rb, *p);
    std::string steps;
    for (const auto& s : path.steps)
      steps += fmt::format("{}{} {}", steps.empty() ? "" : " -> ", s, model::format_duration(rb.step_duration.at(s)));
    fmt::print("\nEstimated duration of this phase: {} (critical path: {}; step durations from modules/timings.yaml "
               "and the stack's timings:)\n",
               model::format_duration(path.total), steps.empty() ? "nothing left to do" : steps);
  }
  if (model::has_errors(p->diagnostics)) return kError;
  if (!o.out.empty()) {
    if (!save_plan(*p, o.out)) return kError;
    fmt::print("\nSaved the failback plan to {}. Run exactly this plan with: drctl apply {}\n", o.out, o.out);
  }
  fmt::print("{}", o.switch_back
                       ? fmt::format("\nAfter it: `drctl apply {} --reset-after-failover` re-creates the DR replicas "
                                     "and returns DR capacity to standby.\n", o.dir)
                       : fmt::format("\nAfter it, once the replicas are available: `drctl failback {} --switch`.\n", o.dir));
  return kOk;
}

}  // namespace

void add_failback(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<FailbackOptions>();
  auto* cmd = app.add_subcommand(
      "failback", "Plan the way back after a failover: replication home first, then --switch (run each with `drctl apply PLANFILE`)");
  cmd->add_option("DIR", o->dir, "Stack folder")->required();
  cmd->add_flag("--switch", o->switch_back, "Plan the switch back (after the protect phase was applied)");
  cmd->add_option("--out", o->out, "Save the plan for `drctl apply PLANFILE`");
  cmd->add_option("--state", o->state, "State file (default DIR/.drctl/state.db)");
  cmd->add_option("--backend", o->backend, "Shared state: s3://BUCKET/KEY?region=REGION (default: the stack's backend:, or DRCTL_BACKEND)");
  cmd->add_option("--parallelism", o->parallelism, "Concurrent AWS reads")->check(CLI::Range(1, 64));
  cmd->callback([&exit_code, o] { exit_code = run_failback(*o); });
}

}  // namespace cli
