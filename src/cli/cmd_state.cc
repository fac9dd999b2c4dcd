// drctl state list|show|history|rollback|migrate, and drctl force-unlock: what drctl
// remembers, wherever it lives (cli/state_session.h picks local or S3).
#include <filesystem>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/state_session.h"
#include "config/config.h"

namespace cli {
namespace {

namespace fs = std::filesystem;

struct StateOptions {
  std::string dir = ".";
  std::string state;
  std::string backend;
  std::string address;
  std::string lock_timeout;
};

// The stack's backend: block, when DIR holds a valid stack; state commands also work on a
// folder that no longer validates, so its diagnostics are not printed here.
std::optional<model::Topology> quiet_topology(const std::string& dir) {
  model::Diagnostics diags;
  auto t = config::load_stack(dir, config::default_paths(), diags);
  if (!t || model::has_errors(diags)) return std::nullopt;
  return t;
}

std::unique_ptr<StateSession> session(const StateOptions& o, const std::string& operation, bool lock) {
  const auto topology = quiet_topology(o.dir);
  const auto wait = parse_lock_timeout(o.lock_timeout);
  if (!wait) return nullptr;
  return open_state_session({o.dir, o.state, o.backend, topology ? &*topology : nullptr, operation, lock, *wait});
}

std::unique_ptr<state::Backend> make_backend(const state::BackendConfig& c, std::unique_ptr<aws::Client>& client) {
  if (c.kind == state::BackendConfig::Kind::local)
    return state::make_local_backend(c.local_path, config::default_paths().migrations_dir);
  if (!client) client = std::make_unique<aws::Client>(aws::Client::from_environment());
  return state::make_s3_backend(*client, c);
}

int run_list(const StateOptions& o) {
  auto s = session(o, "state list", false);
  if (!s) return kError;
  auto records = s->store().resources();
  if (!records.ok()) return fail("reading state: " + records.error().message);
  for (const auto& r : records.value())
    fmt::print("{}\t{}\t{}\n", r.address, r.region, r.cloud_id);
  return kOk;
}

int run_show(const StateOptions& o) {
  auto s = session(o, "state show", false);
  if (!s) return kError;
  auto record = s->store().resource(o.address);
  if (!record.ok()) return fail("reading state: " + record.error().message);
  if (!record.value()) return fail("no resource " + o.address + " in state " + s->describe(),
                                   "`drctl state list` shows what state holds");
  const auto& r = *record.value();
  nlohmann::json j{{"address", r.address}, {"type", r.type}, {"region", r.region},
                   {"cloud_id", r.cloud_id}, {"workload", r.workload},
                   {"last_applied", r.last_applied}, {"live", r.live}, {"read_at", r.read_at}};
  fmt::print("{}\n", j.dump(2));
  return kOk;
}

int run_force_unlock(const StateOptions& o, const std::string& lock_id) {
  const auto topology = quiet_topology(o.dir);
  auto where = resolve_backend(o.dir, o.state, o.backend, topology ? &*topology : nullptr);
  if (!where) return kError;
  std::unique_ptr<aws::Client> client;
  auto backend = make_backend(*where, client);
  auto info = backend->lock_info();
  if (!info.ok()) return fail("reading the lock of " + where->describe() + ": " + info.error().message);
  if (!info.value()) return fail("the state " + where->describe() + " is not locked");
  auto released = backend->unlock(lock_id);
  if (!released.ok())
    return fail(released.error().message, "pass the exact lock id the error message named");
  fmt::print("Released the lock {} held by {} (pid {} on {}, '{}' since {}).\n", lock_id,
             info.value()->holder, info.value()->pid, info.value()->host, info.value()->operation,
             info.value()->since);
  return kOk;
}

int run_history(const StateOptions& o) {
  const auto topology = quiet_topology(o.dir);
  auto where = resolve_backend(o.dir, o.state, o.backend, topology ? &*topology : nullptr);
  if (!where) return kError;
  std::unique_ptr<aws::Client> client;
  auto backend = make_backend(*where, client);
  auto versions = backend->versions();
  if (!versions.ok()) return fail(versions.error().message);
  fmt::print("VERSION\tLAST_MODIFIED\tBYTES\n");
  for (const auto& v : versions.value())
    fmt::print("{}\t{}\t{}{}\n", v.version_id, v.last_modified, v.size, v.is_latest ? "\t(current)" : "");
  return kOk;
}

int run_rollback(const StateOptions& o, const std::string& version) {
  auto s = session(o, "state rollback", true);
  if (!s) return kError;
  if (!s->remote()) return fail("a local state file keeps no versions to roll back to",
                                "move the state to S3 first: drctl state migrate --to s3://BUCKET/KEY?region=REGION");
  auto restored = s->restore_version(version);
  if (!restored.ok()) return fail("rollback of " + s->describe() + ": " + restored.error().message);
  if (!s->close()) return kError;
  fmt::print("Restored version {} of {} as the new version {}.\n", version, s->describe(), restored.value());
  return kOk;
}

// Copies the state file verbatim (so lineage, serial, history and journal are kept) to an
// empty destination; the source is left in place (a local source renamed *.migrated).
int run_migrate(const StateOptions& o, const std::string& to) {
  const auto topology = quiet_topology(o.dir);
  auto from = resolve_backend(o.dir, o.state, o.backend, topology ? &*topology : nullptr);
  if (!from) return kError;
  auto dest = state::parse_backend_url(to, o.state.empty() ? default_state_path(o.dir) : o.state);
  if (!dest.ok()) return fail("--to: " + dest.error().message);
  if (dest->describe() == from->describe()) return fail("the state already lives in " + from->describe());

  std::unique_ptr<aws::Client> client;
  auto src = make_backend(*from, client);
  auto dst = make_backend(*dest, client);
  const auto primary = topology ? topology->primary_region : "", dr = topology ? topology->dr_region : "";
  if (auto c = dst->check(primary, dr); !c.ok()) return fail("--to " + dst->describe() + ": " + c.error().message);
  else for (const auto& w : c->warnings) fmt::print(stderr, "warning: {}\n", w);

  // Both sides locked for the copy (the local lock row lives inside the file, so a local
  // source is checked for a lock instead of taking one: the copy must not carry our lock).
  const auto me = state::new_lock_info("state migrate");
  std::vector<state::Backend*> locked;
  auto unlock_all = [&] { for (auto* b : locked) (void)b->unlock(me.id); };
  for (auto* b : {src.get(), dst.get()}) {
    if (!b->remote()) {
      auto held = b->lock_info();
      if (held.ok() && held.value())
        return unlock_all(), fail(fmt::format("the state {} is locked by {} running '{}'; lock id {}", b->describe(),
                                              held.value()->holder, held.value()->operation, held.value()->id));
      continue;
    }
    auto held = b->try_lock(me);
    if (!held.ok()) return unlock_all(), fail("cannot lock " + b->describe() + ": " + held.error().message);
    if (held.value())
      return unlock_all(), fail(fmt::format("the state {} is locked by {} running '{}' since {}; lock id {}",
                                            b->describe(), held.value()->holder.holder, held.value()->holder.operation,
                                            held.value()->holder.since, held.value()->holder.id));
    locked.push_back(b);
  }

  const std::string scratch = (fs::temp_directory_path() / ("drctl-migrate-" + state::new_lock_info("").id)).string();
  fs::create_directories(scratch);
  auto cleanup = [&] { std::error_code ec; fs::remove_all(scratch, ec); unlock_all(); };
  auto pulled = src->pull(scratch + "/from.db");
  if (!pulled.ok()) return cleanup(), fail("reading " + src->describe() + ": " + pulled.error().message);
  if (!pulled->existed) return cleanup(), fail("there is no state in " + src->describe() + " to migrate");
  auto target = dst->pull(scratch + "/to.db");
  if (!target.ok()) return cleanup(), fail("reading " + dst->describe() + ": " + target.error().message);
  if (target->existed)
    return cleanup(), fail(dst->describe() + " already holds state: refusing to overwrite it",
                           "migrate to an empty key, or remove that state first");
  // Open and close the source once: brings its schema up to date and folds its WAL into the
  // file, so the bytes copied are the whole state.
  state::Meta meta;
  {
    auto store = state::open_sqlite(pulled->path, config::default_paths().migrations_dir);
    if (!store.ok()) return cleanup(), fail("cannot open " + src->describe() + ": " + store.error().message);
    auto m = store.value()->meta();
    if (!m.ok()) return cleanup(), fail("reading " + src->describe() + ": " + m.error().message);
    meta = m.value();
  }
  auto pushed = dst->push(target.value(), pulled->path);
  if (!pushed.ok()) return cleanup(), fail("writing " + dst->describe() + ": " + pushed.error().message);
  if (!src->remote()) {
    std::error_code ec;
    fs::rename(pulled->path, pulled->path + ".migrated", ec);
  }
  cleanup();
  fmt::print("Migrated state lineage {} serial {} from {} to {}.\n", meta.lineage, meta.serial, src->describe(),
             dst->describe());
  if (dest->kind == state::BackendConfig::Kind::s3)
    fmt::print("Point the stack at it with a backend: block (backend: {{ s3: {{ bucket: {}, key: {}, region: {} }} }}) "
               "or --backend / DRCTL_BACKEND.\n", dest->bucket, dest->key, dest->region);
  else
    fmt::print("Remove the stack's backend: block (or stop passing --backend) to use it; {} is left as it was.\n",
               src->describe());
  return kOk;
}

void add_location_flags(CLI::App* cmd, StateOptions& o) {
  cmd->add_option("DIR", o.dir, "Stack folder (default .)");
  cmd->add_option("--state", o.state, "State file (default DIR/.drctl/state.db)");
  cmd->add_option("--backend", o.backend, "Shared state: s3://BUCKET/KEY?region=REGION (default: the stack's backend:, or DRCTL_BACKEND)");
}

}  // namespace

void add_force_unlock(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<StateOptions>();
  auto lock_id = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("force-unlock", "Release a lock left by a run that is gone");
  cmd->add_option("LOCK_ID", *lock_id, "The lock id, exactly as the error message named it")->required();
  add_location_flags(cmd, *o);
  cmd->callback([&exit_code, o, lock_id] { exit_code = run_force_unlock(*o, *lock_id); });
}

void add_state(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<StateOptions>();
  auto version = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("state", "Inspect, version and move what drctl remembers");
  cmd->require_subcommand(1);
  auto* list = cmd->add_subcommand("list", "List the resources in state");
  add_location_flags(list, *o);
  list->callback([&exit_code, o] { exit_code = run_list(*o); });
  auto* show = cmd->add_subcommand("show", "Show one resource's recorded attributes");
  show->add_option("ADDRESS", o->address, "Resource address, e.g. s3.bucket.assets")->required();
  add_location_flags(show, *o);
  show->callback([&exit_code, o] { exit_code = run_show(*o); });
  auto* history = cmd->add_subcommand("history", "List the stored versions of remote state, newest first");
  add_location_flags(history, *o);
  history->callback([&exit_code, o] { exit_code = run_history(*o); });
  auto* rollback = cmd->add_subcommand("rollback", "Restore a version of remote state (as a new version)");
  rollback->add_option("VERSION", *version, "Version id, as `drctl state history` lists it")->required();
  add_location_flags(rollback, *o);
  rollback->add_option("--lock-timeout", o->lock_timeout, "Wait this long for the state lock (30s, 5m)");
  rollback->callback([&exit_code, o, version] { exit_code = run_rollback(*o, *version); });
  auto* migrate = cmd->add_subcommand("migrate", "Move the state to S3 or back to a local file, keeping its lineage and serial");
  migrate->add_option("--to", *to, "s3://BUCKET/KEY?region=REGION, or local")->required();
  add_location_flags(migrate, *o);
  migrate->callback([&exit_code, o, to] { exit_code = run_migrate(*o, *to); });
}

}  // namespace cli
