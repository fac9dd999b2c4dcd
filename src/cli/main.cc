// drctl: disaster recovery as code for AWS. main() only wires the subcommands, the global
// output flags (--quiet, --log-format: cli::output_settings) and the help examples.
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/help_examples.h"

int main(int argc, char** argv) {
  CLI::App app{"drctl: disaster recovery as code for AWS"};
  app.require_subcommand(1);
  // Global flags may come before or after the subcommand (`drctl plan DIR --quiet`): a
  // subcommand hands options it does not know to its parent. Set before the subcommands exist,
  // which inherit it.
  app.fallthrough();
  auto& output = cli::output_settings();
  app.add_flag("-q,--quiet", output.quiet, "Print only errors and the final result: no progress");
  app.add_option("--log-format", output.log_format,
                 "text (default) or json: progress and errors as one JSON object per line on stderr")
      ->check(CLI::IsMember({"text", "json"}));
  // Runs once the flags are parsed and before the subcommand's callback.
  app.parse_complete_callback([] { cli::install_refresh_progress(); });
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
  cli::add_completion(app, exit_code);
  cli::add_iam_policy(app, exit_code);
  cli::add_automation(app, exit_code);
  cli::apply_help_examples(app);  // after every add_*: the table covers them all (tested)
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 1;
  } catch (const cli::SessionAborted& e) {
    return e.exit_code;  // the reason is already printed
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: internal: %s\n", e.what());
    return 1;
  }
  return exit_code;
}
