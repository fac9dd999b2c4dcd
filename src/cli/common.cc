#include "cli/common.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "report/text.h"

namespace cli {

std::optional<Stack> load_stack(const std::string& dir) {
  const auto paths = config::default_paths();
  model::Diagnostics diags;
  auto topology = config::load_stack(dir, paths, diags);
  std::optional<model::Graph> graph;
  if (topology) graph = config::expand(*topology, paths, diags);
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

Session open_session(const std::string& stack) {
  Session s;
  s.client = std::make_unique<aws::Client>(aws::Client::from_environment());
  s.ctx = std::make_unique<resources::Context>(resources::Context{*s.client, stack});
  return s;
}

report::Style style_for(std::FILE* stream) {
  const char* no_color = std::getenv("NO_COLOR");
  return report::Style{::isatty(::fileno(stream)) == 1 && !(no_color && *no_color)};
}

int fail(const std::string& message, const std::string& hint) {
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
