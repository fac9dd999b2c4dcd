// Examples at the end of every subcommand's --help, in one table so that the command files
// stay about behaviour and the examples are reviewed together. The man page's EXAMPLES section
// and the test that every registered subcommand has examples read the same table.
#pragma once

#include <map>
#include <string>

#include <CLI/CLI.hpp>

namespace cli {

// Subcommand path ("plan", "state list") -> example command lines, one per line.
const std::map<std::string, std::string>& help_examples();

// The path of a subcommand below the root app: "plan", "state list".
std::string subcommand_path(const CLI::App& sub);

// Every named subcommand below `app`, depth first (parents before their children).
std::vector<CLI::App*> all_subcommands(CLI::App& app);

// Sets each subcommand's help footer to "Examples:" and its lines. Returns the paths that have
// no examples (the unit test and `drctl completion` checks keep this empty).
std::vector<std::string> apply_help_examples(CLI::App& app);

}  // namespace cli
