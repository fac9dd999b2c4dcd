// drctl assess DIR [--format text|json|markdown]: objective vs achievable RTO/RPO per workload,
// with the reasoning. Also the objective check validate and plan run (objectives_ok).
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "dr/objectives.h"
#include "report/assess_view.h"
#include "report/text.h"

namespace cli {

bool objectives_ok(const Stack& stack) {
  const auto report = dr::check_objectives(stack.topology, stack.graph, config::default_paths());
  if (!report.diagnostics.empty())
    std::fputs(report::diagnostics_text(report.diagnostics, style_for(stderr)).c_str(), stderr);
  return !model::has_errors(report.diagnostics);
}

void add_assess(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("assess", "Compare each workload's RTO/RPO objectives with what its configuration can achieve");
  struct Options {
    std::string dir;
    std::string format = "text";
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("DIR", o->dir, "Stack folder holding *.dr.yaml files")->required();
  cmd->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"text", "json", "markdown"}));
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
    if (o->format == "json")
      fmt::print("{}\n", report::assess_json(report.assessment).dump(2));
    else if (o->format == "markdown")
      fmt::print("{}", report::assess_markdown(report.assessment));
    else
      fmt::print("{}", report::assess_text(report.assessment, style_for(stdout)));
    exit_code = model::has_errors(report.diagnostics) ? kError : kOk;
  });
}

}  // namespace cli
