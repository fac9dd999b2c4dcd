#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "apply/planner.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/lock_guard.h"
#include "cli/run_plan.h"
#include "cli/state_session.h"
#include "dr/lag.h"
#include "dr/objectives.h"
#include "report/assess_view.h"
#include "plan/plan_json.h"
#include "report/text.h"

namespace cli {
namespace {

struct ApplyOptions {
  std::string target;  // stack folder or saved plan file
  std::string state;
  bool auto_approve = false;
  int parallelism = 10;
  std::vector<std::string> allow_destroy;
  std::vector<std::string> targets;
  bool reset_after_failover = false;
  bool accept_data_loss = false;
  std::string lock_timeout;  // --lock-timeout: how long to wait for another writer
  std::string backend;       // --backend s3://bucket/key?region=R (state/backend.h)
};

std::optional<plan::Plan> read_plan_file(const std::string& path) {
  std::ifstream f(path);
  nlohmann::json j;
  try {
    f >> j;
  } catch (const nlohmann::json::exception& e) {
    fail(fmt::format("{} is neither a stack folder nor a saved plan: {}", path, e.what()));
    return std::nullopt;
  }
  std::string error;
  auto p = plan::from_json(j, error);
  if (!p) fail(fmt::format("{}: {}", path, error));
  return p;
}

bool confirm(const plan::Plan& p) {
  fmt::print("\nApply these changes to stack {}? Only 'yes' is accepted: ", p.stack);
  std::fflush(stdout);
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "yes";
}

int run_apply(const ApplyOptions& o) {
  const bool from_file = std::filesystem::is_regular_file(o.target);
  std::optional<plan::Plan> saved;
  if (from_file && !(saved = read_plan_file(o.target))) return kError;
  const std::string dir = saved ? saved->config_dir : o.target;
  if (saved && !o.targets.empty())
    return fail("--target selects what a new plan covers; a saved plan already holds its selection",
                "run `drctl plan DIR --target ... --out PLANFILE`, then apply that file");

  auto stack = load_stack(dir);
  if (!stack) return kError;
  if (saved && stack->topology.config_hash != saved->config_hash)
    return fail(fmt::format("the saved plan {} is stale: the configuration in {} changed since it was made", o.target, dir),
                "run `drctl plan` again and review the new plan");

  const auto lock_wait = parse_lock_timeout(o.lock_timeout);
  if (!lock_wait) return kError;
  auto state_session = open_state_session({dir, o.state, o.backend, &stack->topology, "apply", true, *lock_wait});
  if (!state_session) return kError;
  state::Store* store = &state_session->store();

  auto session = open_session(stack->topology.stack);
  plan::Plan p;
  if (saved) {
    auto meta = store->meta();
    if (!meta.ok()) return fail("reading state: " + meta.error().message);
    if (meta.value().lineage != saved->lineage || meta.value().serial != saved->serial)
      return fail(fmt::format("the saved plan {} is stale: it was made against state {} serial {}, "
                              "the state is now {} serial {}", o.target, saved->lineage, saved->serial,
                              meta.value().lineage, meta.value().serial),
                  "run `drctl plan` again and review the new plan");
    if (model::has_errors(saved->diagnostics))
      return fail("the saved plan has errors and cannot be applied");
    // A failover plan was reviewed under the replication lag of its time: if the DR copies
    // fell further behind than the RPO since, running it now loses more data than approved.
    const auto lag = dr::recheck_lag(*session.client, stack->topology, stack->graph, *saved, o.accept_data_loss);
    if (!lag.empty()) std::fputs(report::diagnostics_text(lag, style_for(stderr)).c_str(), stderr);
    if (model::has_errors(lag))
      return fail(fmt::format("the saved plan {} is stale: replication lag now exceeds the RPO", o.target),
                  "wait for replication to catch up and plan again, or accept the loss with --accept-data-loss");
    p = std::move(*saved);
  } else {
    apply::PlanRequest req;
    req.topology = &stack->topology;
    req.graph = &stack->graph;
    req.config_dir = std::filesystem::absolute(dir).lexically_normal().string();
    req.allow_destroy = {o.allow_destroy.begin(), o.allow_destroy.end()};
    req.targets = o.targets;
    req.reset_after_failover = o.reset_after_failover;
    req.parallelism = o.parallelism;
    auto planned = apply::make_plan(*session.ctx, *store, req);
    if (!planned.ok()) return fail(planned.error());
    p = std::move(planned.value().plan);
    // An unattended --quiet apply prints the outcome only; an interactive one still shows
    // what it asks to confirm.
    print_plan(p, !output_settings().quiet || !o.auto_approve);
    if (model::has_errors(p.diagnostics)) return kError;
    if (p.has_changes() && !o.auto_approve) {
      if (::isatty(STDIN_FILENO) != 1)
        return fail("refusing to apply without --auto-approve: there is no terminal to confirm on",
                    "review the plan, then run again with --auto-approve, or apply a saved plan file");
      if (!confirm(p)) return fail("apply cancelled");
    }
  }

  // What the configuration achieves once applied: the "before" of the next plan's DR impact.
  nlohmann::json extra = nlohmann::json::object();
  if (p.kind == "apply")
    extra["assessment"] =
        report::assess_json(dr::check_objectives(stack->topology, stack->graph, config::default_paths()).assessment);
  auto run = run_plan(p, *store, session, o.parallelism, extra);
  if (!run) return kError;
  const auto& result = run->result;

  if (result.failed) {
    std::fputs(report::diagnostics_text(result.diagnostics, style_for(stderr)).c_str(), stderr);
    return fail(fmt::format("apply failed: {} succeeded, {} failed, {} skipped", result.succeeded,
                            result.failed, result.skipped),
                "fix the cause and run apply again: it resumes from what is done");
  }
  fmt::print("\nApply complete: {} change{} applied.\n", result.succeeded, result.succeeded == 1 ? "" : "s");
  if (p.kind != "apply")
    fmt::print("The {} took {} (measured; recorded as run {} in the state's history).\n", p.kind,
               model::format_duration(model::Seconds{static_cast<long long>(run->seconds + 0.5)}), run->run_id);
  return kOk;
}

}  // namespace

void add_apply(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ApplyOptions>();
  auto* cmd = app.add_subcommand("apply", "Make AWS match the stack (or a saved plan)");
  cmd->add_option("TARGET", o->target, "Stack folder, or a plan saved with `drctl plan --out`")->required();
  cmd->add_option("--lock-timeout", o->lock_timeout, "Wait this long for the state lock (30s, 5m); default: fail at once");
  cmd->add_option("--state", o->state, "State file (default DIR/.drctl/state.db)");
  cmd->add_option("--backend", o->backend, "Shared state: s3://BUCKET/KEY?region=REGION (default: the stack's backend:, or DRCTL_BACKEND)");
  cmd->add_flag("--auto-approve", o->auto_approve, "Apply without asking for confirmation");
  cmd->add_option("--parallelism", o->parallelism, "Concurrent AWS operations")->check(CLI::Range(1, 64));
  cmd->add_flag("--reset-after-failover", o->reset_after_failover,
               "After a failover, plan the way back to the configured topology");
  cmd->add_flag("--accept-data-loss", o->accept_data_loss,
               "Run a failover plan even though replication lag now exceeds the RPO");
  cmd->add_option("--target", o->targets,
                  "Only this workload or address glob (s3.replication.*) and its dependencies; repeatable");
  cmd->add_option("--allow-destroy", o->allow_destroy,
                  "Allow destroying or replacing this data-bearing resource (address, or '*')");
  cmd->callback([&exit_code, o] { exit_code = run_apply(*o); });
}

}  // namespace cli
