// drctl plan DIR [--format text|json|markdown|sarif]: what apply would change, and why.
// markdown is the pull-request comment (report/plan_markdown.h): it compares the RTO/RPO the
// configuration achieves with the assessment the last successful apply recorded in the state's
// history. sarif lists the findings (config, objective and plan checks) for code scanning.
#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "apply/planner.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/state_session.h"
#include "cli/stack_findings.h"
#include "plan/plan_json.h"
#include "report/graph_view.h"
#include "report/plan_markdown.h"
#include "report/sarif.h"
#include "report/text.h"

namespace cli {
namespace {

struct PlanOptions {
  std::string dir;
  std::string state;
  std::string backend;  // --backend s3://bucket/key?region=R (state/backend.h)
  std::string out;
  std::string format = "text";
  bool detailed_exitcode = false;
  bool refresh = true;
  std::vector<std::string> allow_destroy;
  std::vector<std::string> targets;
  bool reset_after_failover = false;
  int parallelism = 10;
};

// The assessment the newest successful apply recorded (cmd_apply.cc), with when it finished.
struct Recorded {
  std::optional<nlohmann::json> assessment;
  std::string finished_at;
};
Recorded last_applied_assessment(state::Store& store) {
  auto runs = store.runs(500);
  if (!runs.ok()) return {};
  for (const auto& run : runs.value())
    if (run.kind == "apply" && run.outcome == "succeeded" && run.detail.contains("assessment") &&
        run.detail["assessment"].is_object())
      return {run.detail["assessment"], run.finished_at};
  return {};
}

void print_sarif(const PlanOptions& o, std::vector<report::SarifFinding> findings) {
  fmt::print("{}\n", report::sarif_log(sarif_input(o.dir, std::move(findings))).dump(2));
}

int run_plan(const PlanOptions& o) {
  auto checked = check_stack(o.dir);
  if (const auto diags = checked.diagnostics(); !diags.empty())
    std::fputs(report::diagnostics_text(diags, style_for(stderr)).c_str(), stderr);
  if (!checked.stack || checked.has_errors()) {
    if (o.format == "sarif") print_sarif(o, checked.findings);
    // The PR comment says why there is no plan (the stack name when it got that far).
    if (o.format == "markdown") {
      auto folder = std::filesystem::absolute(o.dir).lexically_normal();
      if (folder.filename().empty()) folder = folder.parent_path();  // "stacks/shop/"
      fmt::print("{}", report::plan_blocked_markdown(
                           checked.stack ? checked.stack->topology.stack : folder.filename().string(),
                           checked.diagnostics()));
    }
    return kError;
  }
  const Stack& stack = *checked.stack;
  auto store = open_state_readonly(o.dir, o.state, stack.topology, "plan", o.backend);
  if (!store) return kError;
  auto session = open_session(stack.topology.stack);
  apply::PlanRequest req;
  req.topology = &stack.topology;
  req.graph = &stack.graph;
  req.config_dir = std::filesystem::absolute(o.dir).lexically_normal().string();
  req.refresh = o.refresh;
  req.allow_destroy = {o.allow_destroy.begin(), o.allow_destroy.end()};
  req.targets = o.targets;
  req.reset_after_failover = o.reset_after_failover;
  req.parallelism = o.parallelism;
  auto planned = apply::make_plan(*session.ctx, *store, req);
  if (!planned.ok()) return fail(planned.error());
  const auto& p = planned.value().plan;

  if (o.format != "text") warn_if_targeted(p);
  if (o.format == "json") {
    fmt::print("{}\n", plan::to_json(p).dump(2));
  } else if (o.format == "sarif") {
    if (!p.diagnostics.empty())
      std::fputs(report::diagnostics_text(p.diagnostics, style_for(stderr)).c_str(), stderr);
    auto findings = checked.findings;
    for (const auto& d : p.diagnostics) findings.push_back({"plan", d});
    print_sarif(o, std::move(findings));
  } else if (o.format == "markdown") {
    const auto recorded = last_applied_assessment(*store);
    const auto graph = report::graph_view(stack.graph, stack.topology.primary_region, stack.topology.dr_region);
    report::PlanMarkdownInput in;
    in.plan = &p;
    in.after = &checked.objectives->assessment;
    in.objective_checks = checked.objectives->diagnostics;
    in.before = recorded.assessment;
    in.before_at = recorded.finished_at;
    in.graph = &graph;
    fmt::print("{}", report::plan_markdown(in));
  } else {
    print_plan(p);
  }

  if (model::has_errors(p.diagnostics)) return kError;
  if (!o.out.empty()) {
    std::ofstream f(o.out, std::ios::trunc);
    f << plan::to_json(p).dump(2) << "\n";
    if (!f) return fail("cannot write the plan to " + o.out);
    // Only the text form talks: the others are documents a tool or a PR comment consumes whole.
    if (o.format == "text")
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
  cmd->add_option("--backend", o->backend, "Shared state: s3://BUCKET/KEY?region=REGION (default: the stack's backend:, or DRCTL_BACKEND)");
  cmd->add_option("--out", o->out, "Save the plan for a later `drctl apply PLANFILE`");
  cmd->add_option("--format", o->format,
                  "Output format: text, json, markdown (pull-request comment), sarif (findings for code scanning)")
      ->check(CLI::IsMember({"text", "json", "markdown", "sarif"}));
  cmd->add_flag("--detailed-exitcode", o->detailed_exitcode, "Exit 2 when there are changes");
  cmd->add_option("--refresh", o->refresh, "Read live AWS state first (default true)");
  cmd->add_flag("--reset-after-failover", o->reset_after_failover,
               "After a failover, plan the way back to the configured topology");
  cmd->add_option("--target", o->targets,
                  "Only this workload or address glob (s3.replication.*) and its dependencies; repeatable");
  cmd->add_option("--allow-destroy", o->allow_destroy,
                  "Allow destroying or replacing this data-bearing resource (address, or '*')");
  cmd->add_option("--parallelism", o->parallelism, "Concurrent AWS reads")->check(CLI::Range(1, 64));
  cmd->callback([&exit_code, o] { exit_code = run_plan(*o); });
}

}  // namespace cli
