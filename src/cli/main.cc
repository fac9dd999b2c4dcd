// drctl: disaster recovery as code for AWS. main() only wires the subcommands.
#include <cstdio>
#include <exception>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"drctl: disaster recovery as code for AWS"};
  app.require_subcommand(1);
  int exit_code = 0;
  cli::add_validate(app, exit_code);
  cli::add_plan(app, exit_code);
  cli::add_apply(app, exit_code);
  cli::add_drift(app, exit_code);
  cli::add_state(app, exit_code);
  cli::add_force_unlock(app, exit_code);
  cli::add_import(app, exit_code);
  cli::add_orphans(app, exit_code);
  cli::add_failover(app, exit_code);
  cli::add_version(app, exit_code);
  cli::add_assess(app, exit_code);
  cli::add_readiness(app, exit_code);
  cli::add_failback(app, exit_code);
  cli::add_drill(app, exit_code);
  cli::add_report(app, exit_code);
  cli::add_graph(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: internal: %s\n", e.what());
    return 1;
  }
  return exit_code;
}
