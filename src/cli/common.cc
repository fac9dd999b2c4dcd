#include "cli/common.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "apply/refresh.h"
#include "aws/credentials.h"
#include "report/text.h"
#include "dr/automation.h"

namespace cli {

std::optional<Stack> load_stack(const std::string& dir) {
  const auto paths = config::default_paths();
  model::Diagnostics diags;
  auto topology = config::load_stack(dir, paths, diags);
  std::optional<model::Graph> graph;
  if (topology) graph = config::expand(*topology, paths, diags);
  // Automatic failover (automation:) adds its resources from the failover runbook: after
  // expansion, because the state machine is compiled from the expanded graph (dr/automation.h).
  if (graph && !model::has_errors(diags)) dr::add_automation(*topology, *graph, paths, diags);
  if (!diags.empty()) std::fputs(report::diagnostics_text(diags, style_for(stderr)).c_str(), stderr);
  if (!topology || !graph || model::has_errors(diags)) return std::nullopt;
  return Stack{std::move(*topology), std::move(*graph)};
}

std::string default_state_path(const std::string& dir) {
  return (std::filesystem::path(dir) / ".drctl" / "state.db").string();
}

std::unique_ptr<state::Store> open_state(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty() && !std::filesystem::exists(parent)) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      fail(fmt::format("cannot create the state folder {}: {}", parent.string(), ec.message()));
      return nullptr;
    }
    ::chmod(parent.c_str(), 0700);
  }
  auto store = state::open_sqlite(path, config::default_paths().migrations_dir);
  if (!store.ok()) {
    fail(fmt::format("cannot open state {}: {}", path, store.error().message));
    return nullptr;
  }
  return std::move(store.value());
}

namespace {

// Checked before any AWS call: otherwise every resource read fails with the same
// NoCredentials and a refresh of 40 resources prints it 40 times.
void require_credentials(aws::Client& client) {
  const auto& provider = client.config().credentials;
  if (!provider) return;
  auto creds = provider->get();
  if (creds.ok()) return;
  const auto& e = creds.error();
  if (e.code == "NoCredentials")
    fail(e.message.empty() ? "no AWS credentials found" : e.message,  // says which sources were tried
         "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE naming a profile in "
         "~/.aws/credentials or ~/.aws/config, or (in CI) AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE");
  else
    fail("cannot get AWS credentials: " + e.describe(),
         "fix the credential source named above (environment, AWS_PROFILE, role profile or web identity "
         "token), then run the command again");
  throw SessionAborted{kError};
}

}  // namespace

OutputSettings& output_settings() {
  static OutputSettings settings;
  return settings;
}

Session open_session(const std::string& stack) {
  Session s;
  s.client = std::make_unique<aws::Client>(aws::Client::from_environment());
  require_credentials(*s.client);
  s.ctx = std::make_unique<resources::Context>(resources::Context{*s.client, stack});
  return s;
}

report::Style style_for(std::FILE* stream) {
  const char* no_color = std::getenv("NO_COLOR");
  return report::Style{::isatty(::fileno(stream)) == 1 && !(no_color && *no_color)};
}

report::ProgressMode progress_mode_for(std::FILE* stream) {
  const auto& o = output_settings();
  if (o.quiet) return report::ProgressMode::quiet;
  if (o.json()) return report::ProgressMode::json;
  const char* term = std::getenv("TERM");
  const bool dumb = term && std::string(term) == "dumb";
  return ::isatty(::fileno(stream)) == 1 && !dumb ? report::ProgressMode::status_line
                                                   : report::ProgressMode::lines;
}

std::unique_ptr<apply::ApplyObserver> make_run_progress(int total) {
  const auto mode = progress_mode_for(stdout);
  // Events go to stderr so that stdout stays the command's own output (a plan, a summary).
  std::FILE* out = mode == report::ProgressMode::json ? stderr : stdout;
  return report::make_progress(out, total, style_for(out), mode);
}

void install_refresh_progress() {
  // On stderr: `drctl plan --format json > plan.json` on a terminal still shows it.
  const auto mode = progress_mode_for(stderr);
  if (mode == report::ProgressMode::quiet || mode == report::ProgressMode::lines) {
    apply::set_default_refresh_progress({});
    return;
  }
  auto status = std::make_shared<report::RefreshStatus>(stderr, mode);
  apply::set_default_refresh_progress([status](const apply::RefreshTick& t) { status->update(t); });
}

void warn_if_targeted(const plan::Plan& p) {
  if (!p.evidence.contains("targets")) return;
  std::string patterns;
  for (const auto& t : p.evidence["targets"]) patterns += " --target " + t.get<std::string>();
  fmt::print(stderr, "\n{} resource targeting is in effect ({}): only {} resource{} were read and compared. "
             "The rest of the stack may differ from its configuration; plan without --target to see it.\n",
             style_for(stderr).yellow("warning:"), patterns.substr(1), p.changes.size(),
             p.changes.size() == 1 ? "" : "s");
}

void print_plan(const plan::Plan& p, bool body) {
  if (body) fmt::print("{}", report::plan_text(p, style_for(stdout)));
  std::fflush(stdout);
  warn_if_targeted(p);
  if (!p.diagnostics.empty())
    std::fputs(("\n" + report::diagnostics_text(p.diagnostics, style_for(stderr))).c_str(), stderr);
}

int fail(const std::string& message, const std::string& hint) {
  if (output_settings().json()) {
    nlohmann::json fields = {{"error", message}};
    if (!hint.empty()) fields["hint"] = hint;
    report::write_event(stderr, "error", "error", fields);
    return kError;
  }
  const auto style = style_for(stderr);
  fmt::print(stderr, "{} {}\n", style.red("error:"), message);
  if (!hint.empty()) fmt::print(stderr, "  {}\n", hint);
  return kError;
}

std::string current_config_hash(const std::string& dir) {
  model::Diagnostics diags;
  auto topology = config::load_stack(dir, config::default_paths(), diags);
  return topology ? topology->config_hash : std::string();
}

}  // namespace cli
