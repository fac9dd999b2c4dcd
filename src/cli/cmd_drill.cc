// drctl drill DIR [--auto-approve] [--report FILE] [--format markdown|json] [--skip-readiness]
//
// A rehearsal against the live environment: readiness, then the planned failover, failback
// (protect, then switch) and the return to the configured topology (apply with
// --reset-after-failover), each phase planned and run by the same engine as the commands a
// human would type, under one state lock held for the whole drill (wherever the state lives:
// cli/state_session.h; remote state is stored after every phase). Every step is measured;
// the drill is recorded in the state's run history (kind "drill", dr/drill.h) and printed,
// and optionally written as a report. A phase that fails stops the drill where it is and
// says what state the stack is left in and how to continue.
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
#include "cli/runbook_plan.h"
#include "cli/state_session.h"
#include "config/config.h"
#include "dr/drill.h"
#include "dr/failback.h"
#include "dr/lag.h"
#include "dr/objectives.h"
#include "dr/readiness.h"
#include "dr/runbook.h"
#include "report/drill_view.h"
#include "report/readiness_view.h"
#include "report/text.h"

namespace cli {
namespace {

struct DrillOptions {
  std::string dir;
  std::string state;
  std::string report;
  std::string format = "markdown";
  bool auto_approve = false;
  bool skip_readiness = false;
  int parallelism = 10;
  std::string lock_timeout;  // --lock-timeout: how long to wait for another writer
  std::string backend;       // --backend s3://bucket/key?region=R (state/backend.h)
};

dr::DrillPhase phase_of(const std::string& name, const RunResult& run) {
  dr::DrillPhase p{name, run.ok(), run.seconds, run.run_id, {}, ""};
  for (const auto& s : run.steps) p.steps.push_back({s.address, s.seconds, s.outcome});
  if (!run.ok()) p.note = fmt::format("{} step(s) failed", run.result.failed);
  return p;
}

class Drill {
 public:
  Drill(const DrillOptions& o, const Stack& stack, StateSession& state, Session& session)
      : o_(o), stack_(stack), state_(state), store_(state.store()), session_(session) {}

  // Runs one planned phase; false when the drill must stop.
  bool run_phase(const std::string& name, std::optional<plan::Plan> p) {
    if (!p) return fail_phase(name, "could not be planned");
    fmt::print("\n== {} ==\n", name);
    print_plan(*p);
    if (model::has_errors(p->diagnostics)) return fail_phase(name, "its plan has errors");
    auto run = run_plan(*p, store_, session_, o_.parallelism);
    if (!run) return fail_phase(name, "the run could not be recorded");
    record.phases.push_back(phase_of(name, *run));
    if (!run->ok()) {
      std::fputs(report::diagnostics_text(run->result.diagnostics, style_for(stderr)).c_str(), stderr);
      (void)state_.checkpoint();  // what the phase did before failing is worth keeping too
      return false;
    }
    // Remote state is stored after every phase, so a drill that dies in a later one leaves
    // state that knows this phase ran (cli/state_session.h).
    if (!state_.checkpoint()) {
      record.phases.back().ok = false;
      record.phases.back().note = "it ran, but the state could not be stored afterwards";
      return false;
    }
    return true;
  }

  bool runbook_phase(const std::string& name, const dr::Runbook& rb, const std::string& kind) {
    auto p = plan_runbook(stack_, o_.dir, rb, store_, session_, kind, o_.parallelism);
    if (p && kind == "failover") {
      auto lag = dr::read_replication_lag(*session_.client, stack_.topology, stack_.graph, true);
      p->evidence = dr::lag_evidence_json(lag);
      p->evidence["mode"] = "planned";
    }
    return run_phase(name, std::move(p));
  }

  bool reset_phase() {
    apply::PlanRequest req;
    req.topology = &stack_.topology;
    req.graph = &stack_.graph;
    req.config_dir = std::filesystem::absolute(o_.dir).lexically_normal().string();
    req.reset_after_failover = true;
    req.parallelism = o_.parallelism;
    auto planned = apply::make_plan(*session_.ctx, store_, req);
    if (!planned.ok()) {
      fail(planned.error());
      return fail_phase("reset", "could not be planned");
    }
    return run_phase("reset", std::move(planned.value().plan));
  }

  bool fail_phase(const std::string& name, const std::string& why) {
    record.phases.push_back({name, false, 0, 0, {}, why});
    return false;
  }

  dr::DrillRecord record;

 private:
  const DrillOptions& o_;
  const Stack& stack_;
  StateSession& state_;
  state::Store& store_;
  Session& session_;
};

// Where a stopped drill leaves the stack, and the command that continues from there.
std::string how_to_continue(const dr::DrillRecord& r, const std::string& dir) {
  const auto& last = r.phases.back().name;
  if (last == "readiness") return "nothing was changed; fix the findings and drill again";
  if (last == "failover")
    return "the failover stopped part-way: finish it with `drctl failover " + dir + " --to " + r.to_region +
           "` + `drctl apply PLANFILE`, or go back with `drctl failback " + dir + "`";
  if (last == "failback-protect" || last == "failback-switch")
    return "the stack is failed over to " + r.to_region + "; continue with `drctl failback " + dir +
           (last == "failback-switch" ? " --switch" : "") + "` + `drctl apply PLANFILE`";
  return "traffic is back on " + r.from_region + "; finish with `drctl apply " + dir + " --reset-after-failover`";
}

int run_drill(const DrillOptions& o) {
  auto stack = load_stack(o.dir);
  if (!stack) return kError;
  const auto objectives = dr::check_objectives(stack->topology, stack->graph, config::default_paths());
  model::Diagnostics diags;
  const auto timings = dr::load_timings(config::default_paths(), stack->topology, diags);
  if (model::has_errors(diags)) return fail("the timing model has errors");

  // Locked before state is read: remote state is downloaded under the lock, so what this
  // drill checks below is what no one else changes until it ends.
  const auto lock_wait = parse_lock_timeout(o.lock_timeout);
  if (!lock_wait) return kError;
  auto state_session = open_state_session({o.dir, o.state, o.backend, &stack->topology, "drill", true, *lock_wait});
  if (!state_session) return kError;
  state::Store* store = &state_session->store();
  auto records = store->resources();
  if (!records.ok()) return fail("reading state: " + records.error().message);
  for (const auto& r : records.value())
    if (r.type.rfind("op.", 0) == 0)
      return fail("the stack is failed over or a drill stopped part-way (state holds " + r.address + ")",
                  "bring it back first (drctl failback, then drctl apply DIR --reset-after-failover), then drill");
  if (!o.auto_approve) {
    if (::isatty(STDIN_FILENO) != 1)
      return fail("refusing to drill without --auto-approve: a drill really fails the stack over and back",
                  "run it against a test environment, with --auto-approve");
    fmt::print("A drill fails stack {} over to {} for real and brings it back. Type 'yes' to go on: ",
               stack->topology.stack, stack->topology.dr_region);
    std::fflush(stdout);
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "yes") return fail("drill cancelled");
  }
  auto session = open_session(stack->topology.stack);

  auto run = store->begin_run("drill", stack->topology.config_hash);
  if (!run.ok()) return fail("recording the drill: " + run.error().message);
  Drill drill(o, *stack, *state_session, session);
  auto& rec = drill.record;
  rec.stack = stack->topology.stack;
  rec.from_region = stack->topology.primary_region;
  rec.to_region = stack->topology.dr_region;
  rec.started_at = state::now_iso8601();
  dr::set_objective(rec, objectives.assessment);

  bool ok = true;
  if (!o.skip_readiness) {
    const auto readiness = dr::check_readiness(*session.ctx, stack->topology, stack->graph, timings, {o.parallelism});
    const bool ready = readiness.ready() && !model::has_errors(readiness.diagnostics);
    rec.phases.push_back({"readiness", ready, 0, 0, {}, ready ? "" : "not ready: nothing was changed"});
    if (!ready) {
      fmt::print("{}", report::readiness_text(readiness, style_for(stdout)));
      ok = false;
    }
  }
  const auto planned = dr::FailoverMode::planned;
  // Failback names what it retires after the failover it reverses, and puts health checks
  // back by the ids state holds: both read again once the failover has run.
  auto failback_inputs = [&]() {
    auto runs = store->runs(0);
    auto records = store->resources();
    return runs.ok() && records.ok() ? dr::failback_inputs(runs.value(), records.value()) : dr::FailbackInputs{};
  };
  ok = ok && drill.runbook_phase("failover", dr::failover_runbook(stack->topology, stack->graph, rec.to_region, planned, timings), "failover");
  ok = ok && drill.runbook_phase("failback-protect",
                                 dr::failback_runbook(stack->topology, stack->graph, dr::FailbackPhase::protect, timings,
                                                      failback_inputs()),
                                 "failback-protect");
  ok = ok && drill.runbook_phase("failback-switch",
                                 dr::failback_runbook(stack->topology, stack->graph, dr::FailbackPhase::switch_back,
                                                      timings, failback_inputs()),
                                 "failback-switch");
  ok = ok && drill.reset_phase();
  rec.finished_at = state::now_iso8601();
  (void)store->finish_run(run.value(), rec.ok() ? "succeeded" : "failed", dr::drill_json(rec));
  // Stored (and unlocked) now; what the drill did is printed either way, since it happened,
  // but a drill whose record the backend refused must not exit as done.
  const bool stored = state_session->close();

  fmt::print("\n{}", report::drill_text(rec, style_for(stdout)));
  if (!o.report.empty()) {
    std::ofstream f(o.report, std::ios::trunc);
    f << (o.format == "json" ? dr::drill_json(rec).dump(2) + "\n" : report::drill_markdown(rec));
    if (!f) return fail("cannot write the drill report to " + o.report);
    fmt::print("Drill report written to {}\n", o.report);
  }
  if (!ok) {
    const bool not_ready = rec.phases.size() == 1 && rec.phases[0].name == "readiness";
    fail("the drill stopped in phase " + rec.phases.back().name, how_to_continue(rec, o.dir));
    return not_ready ? kChanges : kError;
  }
  return stored ? kOk : kError;
}

}  // namespace

void add_drill(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<DrillOptions>();
  auto* cmd = app.add_subcommand("drill", "Rehearse a failover for real: fail over, measure, fail back");
  cmd->add_option("DIR", o->dir, "Stack folder")->required();
  cmd->add_option("--lock-timeout", o->lock_timeout, "Wait this long for the state lock (30s, 5m); default: fail at once");
  cmd->add_option("--state", o->state, "State file (default DIR/.drctl/state.db)");
  cmd->add_option("--backend", o->backend, "Shared state: s3://BUCKET/KEY?region=REGION (default: the stack's backend:, or DRCTL_BACKEND)");
  cmd->add_flag("--auto-approve", o->auto_approve, "Run without asking for confirmation");
  cmd->add_flag("--skip-readiness", o->skip_readiness, "Do not check readiness first");
  cmd->add_option("--report", o->report, "Write the drill report to this file");
  cmd->add_option("--format", o->format, "Report format")->check(CLI::IsMember({"markdown", "json"}));
  cmd->add_option("--parallelism", o->parallelism, "Concurrent AWS operations")->check(CLI::Range(1, 64));
  cmd->callback([&exit_code, o] { exit_code = run_drill(*o); });
}

}  // namespace cli
