#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "apply/executor.h"
#include "apply/planner.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/lock_guard.h"
#include "plan/plan_json.h"
#include "report/progress.h"
#include "report/text.h"

namespace cli {
namespace {

struct ApplyOptions {
  std::string target;  // stack folder or saved plan file
  std::string state;
  bool auto_approve = false;
  int parallelism = 10;
  std::vector<std::string> allow_destroy;
  bool reset_after_failover = false;
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

  auto stack = load_stack(dir);
  if (!stack) return kError;
  if (saved && stack->topology.config_hash != saved->config_hash)
    return fail(fmt::format("the saved plan {} is stale: the configuration in {} changed since it was made", o.target, dir),
                "run `drctl plan` again and review the new plan");

  auto store = open_state(o.state.empty() ? default_state_path(dir) : o.state);
  if (!store) return kError;
  StateLock lock(*store, "apply");
  if (!lock.acquired()) return kError;

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
    p = std::move(*saved);
  } else {
    apply::PlanRequest req;
    req.topology = &stack->topology;
    req.graph = &stack->graph;
    req.config_dir = std::filesystem::absolute(dir).lexically_normal().string();
    req.allow_destroy = {o.allow_destroy.begin(), o.allow_destroy.end()};
    req.reset_after_failover = o.reset_after_failover;
    req.parallelism = o.parallelism;
    auto planned = apply::make_plan(*session.ctx, *store, req);
    if (!planned.ok()) return fail(planned.error());
    p = std::move(planned.value().plan);
    fmt::print("{}", report::plan_text(p, style_for(stdout)));
    if (model::has_errors(p.diagnostics)) return kError;
    if (p.has_changes() && !o.auto_approve) {
      if (::isatty(STDIN_FILENO) != 1)
        return fail("refusing to apply without --auto-approve: there is no terminal to confirm on",
                    "review the plan, then run again with --auto-approve, or apply a saved plan file");
      if (!confirm(p)) return fail("apply cancelled");
    }
  }

  auto unsettled = store->unsettled();
  if (!unsettled.ok()) return fail("reading the journal: " + unsettled.error().message);
  auto run = store->begin_run("apply", p.config_hash);
  if (!run.ok()) return fail("recording the run: " + run.error().message);

  apply::ExecuteOptions opts;
  opts.parallelism = o.parallelism;
  opts.run_id = run.value();
  for (const auto& e : unsettled.value()) opts.unsettled.insert(e.address);
  int total = 0;
  for (const auto& c : p.changes) total += c.action != plan::Action::noop;
  report::LineProgress progress(stdout, total, style_for(stdout));
  const auto result = apply::execute(p, *session.ctx, *store, progress, opts);

  // The plan's refresh and the executor's read-before-create have settled what a killed run
  // left behind; mark those intents so the next run does not look at them again.
  if (result.failed == 0)
    for (const auto& e : unsettled.value())
      (void)store->settle(e.run_id, e.seq, fmt::format("settled by apply run {} from live state", run.value()));
  (void)store->finish_run(run.value(), result.failed ? "failed" : "succeeded",
                          {{"succeeded", result.succeeded}, {"failed", result.failed}, {"skipped", result.skipped}});

  if (result.failed) {
    std::fputs(report::diagnostics_text(result.diagnostics, style_for(stderr)).c_str(), stderr);
    return fail(fmt::format("apply failed: {} succeeded, {} failed, {} skipped", result.succeeded,
                            result.failed, result.skipped),
                "fix the cause and run apply again: it resumes from what is done");
  }
  fmt::print("\nApply complete: {} change{} applied.\n", result.succeeded, result.succeeded == 1 ? "" : "s");
  return kOk;
}

}  // namespace

void add_apply(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ApplyOptions>();
  auto* cmd = app.add_subcommand("apply", "Make AWS match the stack (or a saved plan)");
  cmd->add_option("TARGET", o->target, "Stack folder, or a plan saved with `drctl plan --out`")->required();
  cmd->add_option("--state", o->state, "State file (default DIR/.drctl/state.db)");
  cmd->add_flag("--auto-approve", o->auto_approve, "Apply without asking for confirmation");
  cmd->add_option("--parallelism", o->parallelism, "Concurrent AWS operations")->check(CLI::Range(1, 64));
  cmd->add_flag("--reset-after-failover", o->reset_after_failover,
               "After a failover, plan the way back to the configured topology");
  cmd->add_option("--allow-destroy", o->allow_destroy,
                  "Allow destroying or replacing this data-bearing resource (address, or '*')");
  cmd->callback([&exit_code, o] { exit_code = run_apply(*o); });
}

}  // namespace cli
