#include "cli/run_plan.h"

#include <fmt/format.h>

#include "report/progress.h"

namespace cli {

std::optional<RunResult> run_plan(const plan::Plan& p, state::Store& store, Session& session, int parallelism,
                                  const nlohmann::json& extra) {
  auto unsettled = store.unsettled();
  if (!unsettled.ok()) {
    fail("reading the journal: " + unsettled.error().message);
    return std::nullopt;
  }
  auto run = store.begin_run(p.kind, p.config_hash);
  if (!run.ok()) {
    fail("recording the run: " + run.error().message);
    return std::nullopt;
  }

  apply::ExecuteOptions opts;
  opts.parallelism = parallelism;
  opts.run_id = run.value();
  for (const auto& e : unsettled.value()) opts.unsettled.insert(e.address);
  int total = 0;
  for (const auto& c : p.changes) total += c.action != plan::Action::noop;
  auto progress = make_run_progress(total);
  apply::StepClock clock(*progress);
  RunResult out;
  out.run_id = run.value();
  out.result = apply::execute(p, *session.ctx, store, clock, opts);
  out.seconds = clock.elapsed_seconds();
  out.steps = clock.steps();

  // The plan's refresh and the executor's read-before-create have settled what a killed run
  // left behind; mark those intents so the next run does not look at them again.
  if (out.ok())
    for (const auto& e : unsettled.value())
      (void)store.settle(e.run_id, e.seq, fmt::format("settled by {} run {} from live state", p.kind, run.value()));
  nlohmann::json detail = {{"succeeded", out.result.succeeded},
                            {"failed", out.result.failed},
                            {"skipped", out.result.skipped},
                            {"seconds", out.seconds},
                            {"steps", clock.steps_json()}};
  if (extra.is_object()) detail.update(extra);
  (void)store.finish_run(run.value(), out.ok() ? "succeeded" : "failed", detail);
  return out;
}

}  // namespace cli
