#include "apply/targets.h"

#include <fnmatch.h>

namespace apply {

namespace {

bool matches(const std::string& pattern, const std::string& address, const std::string& workload) {
  return pattern == workload || ::fnmatch(pattern.c_str(), address.c_str(), 0) == 0;
}

}  // namespace

model::Result<TargetSelection, std::string> select_targets(const model::Graph& desired,
                                                           const std::map<std::string, plan::Prior>& prior,
                                                           const std::vector<std::string>& patterns) {
  std::set<std::string> named;
  for (const auto& pattern : patterns) {
    bool any = false;
    for (const auto& r : desired.resources)
      if (matches(pattern, r.address.str(), r.workload)) named.insert(r.address.str()), any = true;
    for (const auto& [address, p] : prior)
      if (matches(pattern, address, p.workload)) named.insert(address), any = true;
    if (!any)
      return model::err("--target " + pattern +
                        " matches no resource of the stack or its state (a workload name or an "
                        "address glob such as s3.replication.*; `drctl state list` shows the addresses)");
  }

  // Dependencies, transitively: desired ones from the graph, state-only ones from state.
  TargetSelection out;
  std::vector<std::string> todo(named.begin(), named.end());
  while (!todo.empty()) {
    const auto address = todo.back();
    todo.pop_back();
    if (!out.addresses.insert(address).second) continue;
    if (const auto* r = desired.find(address)) {
      for (const auto& d : r->depends_on) todo.push_back(d);
    } else if (auto p = prior.find(address); p != prior.end()) {
      for (const auto& d : p->second.depends_on) todo.push_back(d);
    }
  }

  out.graph.stack = desired.stack;
  for (const auto& r : desired.resources)
    if (out.addresses.count(r.address.str())) out.graph.resources.push_back(r);
  out.graph.reindex();
  for (const auto& [address, p] : prior)
    if (out.addresses.count(address)) out.prior.emplace(address, p);
  return out;
}

}  // namespace apply
