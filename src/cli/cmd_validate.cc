// drctl validate DIR [--format text|sarif]: schema, semantic and objective checks, offline.
// Exit 1 when any check fails, whatever the format. With --format sarif the SARIF log goes to
// stdout (for code scanning) and the same findings as text to stderr (for the CI log).
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/stack_findings.h"
#include "report/sarif.h"
#include "report/text.h"

namespace cli {

namespace {

int validate_sarif(const std::string& dir) {
  auto checked = check_stack(dir);
  const auto diags = checked.diagnostics();
  if (!diags.empty()) std::fputs(report::diagnostics_text(diags, style_for(stderr)).c_str(), stderr);
  fmt::print("{}\n", report::sarif_log(sarif_input(dir, std::move(checked.findings))).dump(2));
  return model::has_errors(diags) || !checked.stack ? kError : kOk;
}

}  // namespace

void add_validate(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("validate", "Check a stack's files against the schema and DR rules");
  auto dir = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  cmd->add_option("DIR", *dir, "Stack folder holding *.dr.yaml files")->required();
  cmd->add_option("--format", *format, "Output format: text, or sarif (SARIF 2.1.0 on stdout, for code scanning)")
      ->check(CLI::IsMember({"text", "sarif"}));
  cmd->callback([&exit_code, dir, format] {
    if (*format == "sarif") {
      exit_code = validate_sarif(*dir);
      return;
    }
    auto stack = load_stack(*dir);
    if (!stack || !objectives_ok(*stack)) {
      exit_code = kError;
      return;
    }
    fmt::print("{}: valid ({} workload{}, {} resource{})\n", stack->topology.stack,
               stack->topology.workloads.size(), stack->topology.workloads.size() == 1 ? "" : "s",
               stack->graph.resources.size(), stack->graph.resources.size() == 1 ? "" : "s");
    exit_code = kOk;
  });
}

void add_version(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("version", "Print drctl's version");
  cmd->callback([&exit_code] {
    fmt::print("drctl {}\n", DRCTL_VERSION);
    exit_code = kOk;
  });
}

}  // namespace cli
