// drctl assess DIR [--format text|json|markdown] [--state PATH]: objective vs achievable RTO/RPO
// per workload, with the reasoning, and the last drill from the state's run history.
// Also the objective check validate and plan run (objectives_ok).

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/state_session.h"
#include "dr/drill.h"
#include "dr/objectives.h"
#include "report/assess_view.h"
#include "report/drill_view.h"
#include "report/text.h"

namespace cli {

bool objectives_ok(const Stack& stack) {
  const auto report = dr::check_objectives(stack.topology, stack.graph, config::default_paths());
  if (!report.diagnostics.empty())
    std::fputs(report::diagnostics_text(report.diagnostics, style_for(stderr)).c_str(), stderr);
  return !model::has_errors(report.diagnostics);
}

namespace {

// The newest drill in the state's run history, wherever the state lives (cli/state_session.h);
// none when there is no state (assess never creates one) or it cannot be read (printed: assess
// still works on the configuration alone).
std::optional<dr::DrillRecord> last_drill(const std::string& dir, const std::string& state_flag,
                                          const std::string& backend_flag, const model::Topology& topology) {
  auto store = open_existing_state_readonly(dir, state_flag, backend_flag, topology, "assess");
  if (!store || !*store) return std::nullopt;
  auto runs = (*store)->runs(200);
  return runs.ok() ? dr::last_drill(runs.value()) : std::nullopt;
}

}  // namespace

void add_assess(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("assess", "Compare each workload's RTO/RPO objectives with what its configuration can achieve");
  struct Options {
    std::string dir;
    std::string format = "text";
    std::string state;
    std::string backend;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("DIR", o->dir, "Stack folder holding *.dr.yaml files")->required();
  cmd->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"text", "json", "markdown"}));
  cmd->add_option("--state", o->state, "State file holding the drill history (default DIR/.drctl/state.db)");
  cmd->add_option("--backend", o->backend, "Shared state: s3://BUCKET/KEY?region=REGION (default: the stack's backend:, or DRCTL_BACKEND)");
  cmd->callback([&exit_code, o] {
    auto stack = load_stack(o->dir);
    if (!stack) {
      exit_code = kError;
      return;
    }
    const auto report = dr::check_objectives(stack->topology, stack->graph, config::default_paths());
    // The table shows the verdicts; stderr carries the file:line form editors and CI jump to.
    if (!report.diagnostics.empty())
      std::fputs(report::diagnostics_text(report.diagnostics, style_for(stderr)).c_str(), stderr);
    const auto drill = last_drill(o->dir, o->state, o->backend, stack->topology);
    const auto drill_line = report::last_drill_line(drill, state::now_iso8601());
    if (o->format == "json") {
      auto j = report::assess_json(report.assessment);
      j["last_drill"] = drill ? dr::drill_json(*drill) : nlohmann::json(nullptr);
      fmt::print("{}\n", j.dump(2));
    } else if (o->format == "markdown") {
      fmt::print("{}\n_{}_\n", report::assess_markdown(report.assessment), drill_line);
    } else {
      fmt::print("{}\n{}\n", report::assess_text(report.assessment, style_for(stdout)), drill_line);
    }
    exit_code = model::has_errors(report.diagnostics) ? kError : kOk;
  });
}

}  // namespace cli
