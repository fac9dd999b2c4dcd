#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"

namespace cli {
namespace {

struct StateOptions {
  std::string dir = ".";
  std::string state;
  std::string address;
  std::string path() const { return state.empty() ? default_state_path(dir) : state; }
};

int run_list(const StateOptions& o) {
  auto store = open_state(o.path());
  if (!store) return kError;
  auto records = store->resources();
  if (!records.ok()) return fail("reading state: " + records.error().message);
  for (const auto& r : records.value())
    fmt::print("{}\t{}\t{}\n", r.address, r.region, r.cloud_id);
  return kOk;
}

int run_show(const StateOptions& o) {
  auto store = open_state(o.path());
  if (!store) return kError;
  auto record = store->resource(o.address);
  if (!record.ok()) return fail("reading state: " + record.error().message);
  if (!record.value()) return fail("no resource " + o.address + " in state " + o.path(),
                                   "`drctl state list` shows what state holds");
  const auto& r = *record.value();
  nlohmann::json j{{"address", r.address}, {"type", r.type}, {"region", r.region},
                   {"cloud_id", r.cloud_id}, {"workload", r.workload},
                   {"last_applied", r.last_applied}, {"live", r.live}, {"read_at", r.read_at}};
  fmt::print("{}\n", j.dump(2));
  return kOk;
}

int run_force_unlock(const StateOptions& o, const std::string& lock_id) {
  auto store = open_state(o.path());
  if (!store) return kError;
  auto info = store->lock_info();
  if (!info.ok()) return fail("reading state: " + info.error().message);
  if (!info.value()) return fail("the state " + o.path() + " is not locked");
  auto released = store->unlock(lock_id);
  if (!released.ok())
    return fail(released.error().message, "pass the exact lock id the error message named");
  fmt::print("Released the lock {} held by {} (pid {} on {}, '{}' since {}).\n", lock_id,
             info.value()->holder, info.value()->pid, info.value()->host, info.value()->operation,
             info.value()->since);
  return kOk;
}

}  // namespace

void add_force_unlock(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<StateOptions>();
  auto lock_id = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("force-unlock", "Release a lock left by a run that is gone");
  cmd->add_option("LOCK_ID", *lock_id, "The lock id, exactly as the error message named it")->required();
  cmd->add_option("DIR", o->dir, "Stack folder (default .)");
  cmd->add_option("--state", o->state, "State file (default DIR/.drctl/state.db)");
  cmd->callback([&exit_code, o, lock_id] { exit_code = run_force_unlock(*o, *lock_id); });
}

void add_state(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<StateOptions>();
  auto* cmd = app.add_subcommand("state", "Inspect what drctl remembers");
  cmd->require_subcommand(1);
  auto* list = cmd->add_subcommand("list", "List the resources in state");
  list->add_option("DIR", o->dir, "Stack folder (default .)");
  list->add_option("--state", o->state, "State file (default DIR/.drctl/state.db)");
  list->callback([&exit_code, o] { exit_code = run_list(*o); });
  auto* show = cmd->add_subcommand("show", "Show one resource's recorded attributes");
  show->add_option("ADDRESS", o->address, "Resource address, e.g. s3.bucket.assets")->required();
  show->add_option("DIR", o->dir, "Stack folder (default .)");
  show->add_option("--state", o->state, "State file (default DIR/.drctl/state.db)");
  show->callback([&exit_code, o] { exit_code = run_show(*o); });
}

}  // namespace cli
