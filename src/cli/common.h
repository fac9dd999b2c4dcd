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

// The AWS client and resource context for a stack, configured from the environment.
struct Session {
  std::unique_ptr<aws::Client> client;
  std::unique_ptr<resources::Context> ctx;
};
Session open_session(const std::string& stack);

// Colour only on a terminal, and never with NO_COLOR set.
report::Style style_for(std::FILE* stream);

// Prints "error: <message>" (and an optional hint) to stderr; returns kError.
int fail(const std::string& message, const std::string& hint = "");

// sha256 over a stack folder's *.dr.yaml files, the same way config computes config_hash.
std::string current_config_hash(const std::string& dir);

}  // namespace cli
