#include "cli/runbook_plan.h"

#include <filesystem>
#include <fstream>

#include "apply/planner.h"
#include "apply/refresh.h"
#include "plan/diff.h"
#include "plan/plan_json.h"

namespace cli {

std::optional<plan::Plan> plan_runbook(const Stack& stack, const std::string& dir, const dr::Runbook& rb,
                                       state::Store& store, Session& session, const std::string& kind,
                                       int parallelism) {
  auto meta = store.meta();
  if (!meta.ok()) {
    fail("reading state: " + meta.error().message);
    return std::nullopt;
  }
  auto prior = apply::load_prior(store);
  if (!prior.ok()) {
    fail(prior.error());
    return std::nullopt;
  }
  std::map<std::string, plan::Prior> steps;  // earlier runs of this runbook's own steps only
  for (auto& [address, p] : prior.value())
    if (rb.graph.find(address)) steps.emplace(address, std::move(p));

  apply::RefreshRequest r;
  r.desired = &rb.graph;
  r.prior = steps;
  r.parallelism = parallelism;
  plan::DiffInput in;
  in.desired = &rb.graph;
  in.observed = apply::refresh(*session.ctx, r);
  in.prior = steps;
  plan::Plan p = plan::diff(in);
  p.stack = stack.topology.stack;
  p.config_dir = std::filesystem::absolute(dir).lexically_normal().string();
  p.config_hash = stack.topology.config_hash;
  p.lineage = meta.value().lineage;
  p.serial = meta.value().serial;
  p.created_at = state::now_iso8601();
  p.kind = kind;
  p.diagnostics.insert(p.diagnostics.begin(), rb.diagnostics.begin(), rb.diagnostics.end());
  return p;
}

dr::CriticalPath remaining_path(const dr::Runbook& rb, const plan::Plan& p) {
  std::map<std::string, model::Seconds> left;
  for (const auto& c : p.changes)
    if (c.action != plan::Action::noop && rb.step_duration.count(c.address)) left[c.address] = rb.step_duration.at(c.address);
  auto path = dr::critical_path(rb.graph, left);
  std::erase_if(path.steps, [&](const std::string& s) { return !left.count(s); });
  return path;
}

bool save_plan(const plan::Plan& p, const std::string& path) {
  std::ofstream f(path, std::ios::trunc);
  f << plan::to_json(p).dump(2) << "\n";
  if (!f) {
    fail("cannot write the plan to " + path);
    return false;
  }
  return true;
}

}  // namespace cli
