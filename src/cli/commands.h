// Each subcommand registers itself on the CLI11 app; its callback stores the exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace cli {

void add_validate(CLI::App& app, int& exit_code);
void add_plan(CLI::App& app, int& exit_code);
void add_apply(CLI::App& app, int& exit_code);
void add_drift(CLI::App& app, int& exit_code);
void add_state(CLI::App& app, int& exit_code);
void add_force_unlock(CLI::App& app, int& exit_code);
void add_import(CLI::App& app, int& exit_code);
void add_version(CLI::App& app, int& exit_code);

}  // namespace cli
