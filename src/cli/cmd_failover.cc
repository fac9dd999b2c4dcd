// drctl failover DIR --to REGION [--unplanned] [--out PLANFILE] [--state PATH]
//
// Builds the failover runbook (dr/runbook.h) and plans it with the ordinary engine: refresh of
// the op.* steps (each reads whether its effect is already in place) and diff against what
// state remembers of earlier failover steps. The result is an ordinary plan: printed for
// review, saved with the state's lineage/serial and the config hash, run by `drctl apply
// PLANFILE` (journaled, resumable: a step already done is a no-op in a fresh plan).
// Only op.* state records take part: the stack's own resources are neither read nor diffed,
// so nothing here calls the primary region.
//
// The replication lag of every replicated workload is read at planning time (dr/lag.h; with
// --unplanned, metrics published only in the primary region are skipped), printed with the
// plan and saved in plan.evidence with the mode, so that `drctl apply PLANFILE` re-checks it
// and refuses a plan whose lag has since grown past the RPO (unless --accept-data-loss). A
// planned switchover that already lags past an RPO gets a warning: stopping writes and waiting
// loses less.
#include <algorithm>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/state_session.h"
#include "cli/runbook_plan.h"
#include "config/config.h"
#include "dr/lag.h"
#include "dr/runbook.h"
#include "report/text.h"

namespace cli {
namespace {

std::string lag_cell(const std::optional<model::Seconds>& s) {
  return s ? model::format_duration(*s) : "-";
}

// The lag table printed with the plan: one row per replicated workload.
void print_lag(const std::vector<dr::LagReading>& readings) {
  if (readings.empty()) return;
  size_t w_width = 8, m_width = 6;
  for (const auto& r : readings) w_width = std::max(w_width, r.workload.size()), m_width = std::max(m_width, r.metric.size());
  fmt::print("\nReplication lag now (newest CloudWatch datapoint of the last 15 minutes; saved with the plan):\n");
  fmt::print("  {:<{}}  {:>8}  {:>8}  {:<{}}  {}\n", "workload", w_width, "lag", "RPO", "metric", m_width, "region");
  for (const auto& r : readings) {
    const std::string lag = r.lag ? lag_cell(r.lag) : "unknown";
    fmt::print("  {:<{}}  {:>8}  {:>8}  {:<{}}  {}{}{}{}\n", r.workload, w_width, lag, lag_cell(r.rpo), r.metric,
               m_width, r.region, r.note.empty() ? "" : ": ", r.note, r.exceeds() ? "  OVER RPO" : "");
  }
}

struct FailoverOptions {
  std::string dir;
  std::string to;
  std::string state;
  std::string backend;  // --backend s3://bucket/key?region=R (state/backend.h)
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
  rb.diagnostics.insert(rb.diagnostics.begin(), diags.begin(), diags.end());

  auto store = open_state_readonly(o.dir, o.state, stack->topology, "failover", o.backend);
  if (!store) return kError;
  auto session = open_session(stack->topology.stack);
  auto p = plan_runbook(*stack, o.dir, rb, *store, session, "failover", o.parallelism);
  if (!p) return kError;

  const auto lag = dr::read_replication_lag(*session.client, stack->topology, stack->graph, !o.unplanned);
  p->evidence = dr::lag_evidence_json(lag);
  p->evidence["mode"] = o.unplanned ? "unplanned" : "planned";
  if (!o.unplanned)
    for (const auto& r : lag)
      if (r.exceeds())
        p->diagnostics.push_back(
            {model::Severity::warning,
             fmt::format("replication lag of workload '{}' is {}, over its RPO of {}", r.workload,
                         model::format_duration(*r.lag), model::format_duration(*r.rpo)),
             fmt::format("{} in {}. Writes not yet replicated to {} are lost if it takes over now: stop writes "
                         "to the primary and wait until the lag is near 0 (an Aurora switchover waits by itself, "
                         "an RDS promotion does not). `drctl apply PLANFILE` re-checks the lag.",
                         r.metric, r.region, r.address),
             std::nullopt, r.address, ""});

  fmt::print("Failover of stack {} from {} to {} ({}).\n\n", p->stack, stack->topology.primary_region, o.to,
             o.unplanned ? "unplanned: the primary region is not called" : "planned switchover");
  print_plan(*p);
  print_lag(lag);
  if (!rb.graph.resources.empty()) {
    const auto path = remaining_path(rb, *p);
    std::string steps;
    for (const auto& s : path.steps)
      steps += fmt::format("{}{} {}", steps.empty() ? "" : " -> ", s, model::format_duration(rb.step_duration.at(s)));
    fmt::print("\nEstimated RTO of this runbook: {} (critical path: {}; step durations from modules/timings.yaml "
               "and the stack's timings:, detection time not included)\n",
               model::format_duration(path.total), steps.empty() ? "nothing left to do" : steps);
  }
  if (model::has_errors(p->diagnostics)) return kError;
  if (!o.out.empty()) {
    if (!save_plan(*p, o.out)) return kError;
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
  cmd->add_option("--backend", o->backend, "Shared state: s3://BUCKET/KEY?region=REGION (default: the stack's backend:, or DRCTL_BACKEND)");
  cmd->add_option("--parallelism", o->parallelism, "Concurrent AWS reads")->check(CLI::Range(1, 64));
  cmd->callback([&exit_code, o] { exit_code = run_failover(*o); });
}

}  // namespace cli
