// drctl orphans DIR: objects tagged as this stack's that state does not account for. Reads
// state wherever it lives (cli/state_session.h), without locking it.
#include <set>

#include <fmt/format.h>

#include "apply/orphans.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/state_session.h"

namespace cli {
namespace {

struct OrphansOptions {
  std::string dir;
  std::string state;
  std::string backend;  // --backend s3://bucket/key?region=R (state/backend.h)
  std::string format = "text";
};

int run_orphans(const OrphansOptions& o) {
  auto stack = load_stack(o.dir);
  if (!stack) return kError;
  auto store = open_state_readonly(o.dir, o.state, stack->topology, "orphans", o.backend);
  if (!store) return kError;
  auto session = open_session(stack->topology.stack);
  // The stack's own regions, plus every region a resource lives in (global IAM, copy targets).
  std::set<std::string> regions{stack->topology.primary_region, stack->topology.dr_region};
  for (const auto& r : stack->graph.resources) regions.insert(r.region);
  auto orphans = apply::find_orphans(*session.ctx, *store, {regions.begin(), regions.end()});
  if (!orphans.ok()) return fail("looking for orphans: " + orphans.error());
  if (o.format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& x : orphans.value())
      j.push_back({{"arn", x.arn}, {"region", x.region}, {"address", x.address}, {"reason", x.reason}});
    fmt::print("{}\n", j.dump(2));
  } else if (orphans.value().empty()) {
    fmt::print("No orphans: every object tagged drctl:stack={} is in state.\n", stack->topology.stack);
  } else {
    fmt::print("{} object{} tagged drctl:stack={} that state does not account for:\n",
               orphans.value().size(), orphans.value().size() == 1 ? "" : "s", stack->topology.stack);
    for (const auto& x : orphans.value())
      fmt::print("  {} ({}) {}: {}\n", x.arn, x.region, x.address.empty() ? "-" : x.address, x.reason);
    fmt::print("Adopt one with `drctl import ADDRESS ID`, or delete it if it is a leftover.\n");
  }
  return orphans.value().empty() ? kOk : kChanges;
}

}  // namespace

void add_orphans(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<OrphansOptions>();
  auto* cmd = app.add_subcommand("orphans", "List objects tagged with this stack that state does not know (exit 2 if any)");
  cmd->add_option("DIR", o->dir, "Stack folder")->required();
  cmd->add_option("--state", o->state, "State file (default DIR/.drctl/state.db)");
  cmd->add_option("--backend", o->backend, "Shared state: s3://BUCKET/KEY?region=REGION (default: the stack's backend:, or DRCTL_BACKEND)");
  cmd->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([&exit_code, o] { exit_code = run_orphans(*o); });
}

}  // namespace cli
