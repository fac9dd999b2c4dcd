// drctl import ADDRESS ID [DIR]: adopt an existing AWS object into state under a configured
// address, so the next plan updates it instead of creating a second one. The state is locked
// for the import wherever it lives (cli/state_session.h), and stored before success is printed.
#include <filesystem>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/lock_guard.h"
#include "cli/state_session.h"
#include "plan/diff.h"

namespace cli {
namespace {

struct ImportOptions {
  std::string address;
  std::string id;
  std::string dir = ".";
  std::string state;
  std::string lock_timeout;  // --lock-timeout: how long to wait for another writer
  std::string backend;       // --backend s3://bucket/key?region=R (state/backend.h)
};

int run_import(const ImportOptions& o) {
  auto stack = load_stack(o.dir);
  if (!stack) return kError;
  const auto* resource = stack->graph.find(o.address);
  if (!resource)
    return fail(fmt::format("{} is not in the configuration of stack {}", o.address, stack->topology.stack),
                "`drctl plan` lists the addresses the configuration produces");
  const auto* type = resources::find_type(resource->address.type);
  if (!type) return fail("unknown resource type " + resource->address.type);

  const auto lock_wait = parse_lock_timeout(o.lock_timeout);
  if (!lock_wait) return kError;
  auto state_session = open_state_session({o.dir, o.state, o.backend, &stack->topology, "import", true, *lock_wait});
  if (!state_session) return kError;
  state::Store* store = &state_session->store();
  if (auto existing = store->resource(o.address); existing.ok() && existing.value())
    return fail(fmt::format("{} is already in state (id {})", o.address, existing.value()->cloud_id));

  auto session = open_session(stack->topology.stack);
  resources::Target target{o.address, resource->region, resource->attrs, o.id};
  const auto outcomes = type->read(*session.ctx, resource->region, std::span(&target, 1));
  const auto it = outcomes.find(o.address);
  if (it == outcomes.end() || it->second.status == resources::ReadStatus::absent)
    return fail(fmt::format("no {} with id {} in {}", resource->address.type, o.id, resource->region));
  if (it->second.status == resources::ReadStatus::failed)
    return fail(fmt::format("cannot read {}: {}", o.address,
                            it->second.error ? it->second.error->describe() : "unknown error"));

  // Nothing has been applied yet: what was "last applied" is what exists, on the keys drctl manages.
  const auto& live = it->second.live;
  nlohmann::json applied = nlohmann::json::object();
  for (auto a = resource->attrs.begin(); a != resource->attrs.end(); ++a)
    if (live.attrs.contains(a.key())) applied[a.key()] = live.attrs[a.key()];
  state::ResourceRecord r;
  r.address = o.address;
  r.type = resource->address.type;
  r.region = resource->region;
  r.cloud_id = live.id.empty() ? o.id : live.id;
  r.desired = resource->attrs;
  r.last_applied = applied;
  r.live = live.attrs;
  r.workload = resource->workload;
  r.depends_on_json = nlohmann::json(resource->depends_on).dump();
  auto put = store->put_resource(r);
  if (!put.ok()) return fail("writing state: " + put.error().message);
  if (!state_session->close()) return kError;  // not imported unless stored
  const auto differences = plan::diff_attrs(resource->attrs, live.attrs);
  fmt::print("Imported {} (id {}).{}\n", o.address, r.cloud_id,
             differences.empty() ? " It matches the configuration."
                                 : fmt::format(" {} attribute{} differ from the configuration; "
                                               "`drctl plan` shows the update.",
                                               differences.size(), differences.size() == 1 ? "" : "s"));
  return kOk;
}

}  // namespace

void add_import(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ImportOptions>();
  auto* cmd = app.add_subcommand("import", "Adopt an existing AWS object under a configured address");
  cmd->add_option("ADDRESS", o->address, "Address in the configuration, e.g. s3.bucket.assets")->required();
  cmd->add_option("ID", o->id, "The object's id: bucket name, role name, backup plan id, ...")->required();
  cmd->add_option("DIR", o->dir, "Stack folder (default .)");
  cmd->add_option("--lock-timeout", o->lock_timeout, "Wait this long for the state lock (30s, 5m); default: fail at once");
  cmd->add_option("--state", o->state, "State file (default DIR/.drctl/state.db)");
  cmd->add_option("--backend", o->backend, "Shared state: s3://BUCKET/KEY?region=REGION (default: the stack's backend:, or DRCTL_BACKEND)");
  cmd->callback([&exit_code, o] { exit_code = run_import(*o); });
}

}  // namespace cli
