#include "cli/stack_findings.h"
#include "dr/automation.h"

#include <algorithm>
#include <filesystem>

namespace cli {

namespace fs = std::filesystem;

model::Diagnostics StackFindings::diagnostics() const {
  model::Diagnostics out;
  for (const auto& f : findings) out.push_back(f.diagnostic);
  return out;
}

StackFindings check_stack(const std::string& dir) {
  StackFindings out;
  const auto paths = config::default_paths();
  model::Diagnostics diags;
  auto topology = config::load_stack(dir, paths, diags);
  std::optional<model::Graph> graph;
  if (topology) graph = config::expand(*topology, paths, diags);
  // Automatic failover (automation:) adds its resources from the failover runbook: after
  // expansion, because the state machine is compiled from the expanded graph (dr/automation.h).
  if (graph && !model::has_errors(diags)) dr::add_automation(*topology, *graph, paths, diags);
  for (auto& d : diags) out.findings.push_back({"config", std::move(d)});
  if (!topology || !graph || model::has_errors(out.diagnostics())) return out;
  out.stack = Stack{std::move(*topology), std::move(*graph)};
  out.objectives = dr::check_objectives(out.stack->topology, out.stack->graph, paths);
  for (const auto& d : out.objectives->diagnostics) out.findings.push_back({"objectives", d});
  return out;
}

std::string sarif_base_dir(const std::string& dir) {
  std::error_code ec;
  fs::path at = fs::absolute(dir, ec).lexically_normal();
  if (!fs::is_directory(at, ec)) at = at.parent_path();
  for (fs::path p = at; !p.empty(); p = p.parent_path()) {
    if (fs::exists(p / ".git", ec)) return p.string();
    if (p == p.root_path()) break;
  }
  return fs::current_path(ec).string();
}

report::SarifInput sarif_input(const std::string& dir, std::vector<report::SarifFinding> findings) {
  report::SarifInput in;
  in.tool_version = DRCTL_VERSION;
  in.findings = std::move(findings);
  in.base_dir = sarif_base_dir(dir);
  std::error_code ec;
  if (fs::is_directory(dir, ec)) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      const std::string name = e.path().filename().string();
      if (name.size() > 8 && name.substr(name.size() - 8) == ".dr.yaml") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    in.fallback_file = files.empty() ? dir : files.front();
  } else {
    in.fallback_file = dir;
  }
  return in;
}

}  // namespace cli
