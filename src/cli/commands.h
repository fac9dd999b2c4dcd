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
void add_orphans(CLI::App& app, int& exit_code);
void add_failover(CLI::App& app, int& exit_code);
void add_version(CLI::App& app, int& exit_code);
void add_assess(CLI::App& app, int& exit_code);
void add_readiness(CLI::App& app, int& exit_code);
void add_failback(CLI::App& app, int& exit_code);
void add_drill(CLI::App& app, int& exit_code);
void add_report(CLI::App& app, int& exit_code);
void add_graph(CLI::App& app, int& exit_code);
void add_completion(CLI::App& app, int& exit_code);
void add_iam_policy(CLI::App& app, int& exit_code);
void add_automation(CLI::App& app, int& exit_code);

// The objective check of validate and plan (cmd_assess.cc): prints its diagnostics to stderr;
// false when a workload cannot meet an objective it declares.
struct Stack;
bool objectives_ok(const Stack& stack);

}  // namespace cli
