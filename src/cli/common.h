// Shared plumbing of the subcommands: loading a stack, opening state, talking to AWS, exit
// codes. Commands stay thin: they parse flags, call the engine, hand results to report/.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "aws/client.h"
#include "config/config.h"
#include "model/resource.h"
#include "model/topology.h"
#include "plan/plan.h"
#include "apply/observer.h"
#include "report/progress.h"
#include "report/style.h"
#include "resources/resource_type.h"
#include "state/store.h"

namespace cli {

// One table for every command (documented in the README).
enum ExitCode : int {
  kOk = 0,       // success; no changes; no drift
  kError = 1,    // invalid input, AWS or state failure, refused operation
  kChanges = 2,  // plan --detailed-exitcode: changes pending; drift: drift found
};

struct Stack {
  model::Topology topology;
  model::Graph graph;
};

// Loads, validates and expands DIR; prints every diagnostic to stderr. nullopt on errors.
std::optional<Stack> load_stack(const std::string& dir);

std::string default_state_path(const std::string& dir);  // DIR/.drctl/state.db

// Opens (creating if needed) the state; prints the reason to stderr on failure.
std::unique_ptr<state::Store> open_state(const std::string& path);

// How the terminal output of every command looks: the global flags --quiet and --log-format.
// One per process: main() binds the flags to it while parsing, before any command runs;
// commands and observers only read it afterwards.
struct OutputSettings {
  bool quiet = false;               // only errors and the final result line; no progress
  std::string log_format = "text";  // "json": events as JSON lines on stderr
  bool json() const { return log_format == "json"; }
};
OutputSettings& output_settings();

// Thrown (only) by open_session when no usable AWS credentials exist, after printing one clear
// error: it unwinds through the command (releasing its state lock) to main(), which exits with
// `exit_code`. An exception because every command calls open_session and none checks a result.
struct SessionAborted {
  int exit_code = 1;
};

// The AWS client and resource context for a stack, configured from the environment. Resolves
// credentials once up front, so a missing or broken setup is one error naming what to set
// (printed, then SessionAborted) instead of the same failure once per resource.
struct Session {
  std::unique_ptr<aws::Client> client;
  std::unique_ptr<resources::Context> ctx;
};
Session open_session(const std::string& stack);

// Colour only on a terminal, and never with NO_COLOR set.
report::Style style_for(std::FILE* stream);

// The progress form for output written to `stream`: quiet, json, a status line on a terminal
// (TERM not "dumb"), else one line per event.
report::ProgressMode progress_mode_for(std::FILE* stream);

// The observer a run of `total` steps reports to: progress on stdout (json events on stderr).
std::unique_ptr<apply::ApplyObserver> make_run_progress(int total);

// Installs the refresh progress (apply::set_default_refresh_progress) for the settings above:
// "refreshing 12/40" in place on a terminal's stderr, refresh.progress events with json.
void install_refresh_progress();

// Prints a plan for review: the plan on stdout, its diagnostics on stderr, where a script
// reading stdout does not mistake them for the plan and a CI log still shows them.
// With `body` false (apply --quiet) only the diagnostics are printed.
void print_plan(const plan::Plan& p, bool body = true);

// A partial plan (--target) says so on stderr, whatever the output format.
void warn_if_targeted(const plan::Plan& p);

// Prints "error: <message>" (and an optional hint) to stderr; returns kError. With
// --log-format json, one {"event":"error"} line instead.
int fail(const std::string& message, const std::string& hint = "");

// sha256 over a stack folder's *.dr.yaml files, the same way config computes config_hash.
std::string current_config_hash(const std::string& dir);

}  // namespace cli
