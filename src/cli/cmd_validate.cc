#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"

namespace cli {

void add_validate(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("validate", "Check a stack's files against the schema and DR rules");
  auto dir = std::make_shared<std::string>();
  cmd->add_option("DIR", *dir, "Stack folder holding *.dr.yaml files")->required();
  cmd->callback([&exit_code, dir] {
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
