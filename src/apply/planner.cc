#include "apply/planner.h"

#include "apply/refresh.h"
#include "apply/targets.h"

#include <optional>

namespace apply {

model::Result<std::map<std::string, plan::Prior>, std::string> load_prior(state::Store& store) {
  auto records = store.resources();
  if (!records.ok()) return model::err("reading state: " + records.error().message);
  std::map<std::string, plan::Prior> prior;
  for (const auto& r : records.value()) {
    plan::Prior p{r.address, r.type, r.region, r.workload, r.cloud_id, r.last_applied, {}};
    try {
      p.depends_on = nlohmann::json::parse(r.depends_on_json).get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception&) {
      // An unreadable dependency list only loses destroy ordering; the record still counts.
    }
    prior[r.address] = std::move(p);
  }
  return prior;
}

model::Result<Planned, std::string> make_plan(resources::Context& ctx, state::Store& store,
                                              const PlanRequest& req) {
  auto meta = store.meta();
  if (!meta.ok()) return model::err("reading state: " + meta.error().message);
  auto prior = load_prior(store);
  if (!prior.ok()) return model::err(prior.error());

  Planned out;
  out.prior = std::move(prior.value());
  std::vector<std::string> failover_steps;
  for (const auto& [address, _] : out.prior)
    if (address.rfind("op.", 0) == 0) failover_steps.push_back(address);
  if (!failover_steps.empty() && !req.reset_after_failover)
    return model::err("the stack is failed over (state holds " + std::to_string(failover_steps.size()) +
                      " failover steps, e.g. " + failover_steps.front() +
                      "): a normal plan would undo the failover. Once the primary is back, run "
                      "plan/apply with --reset-after-failover to return to the configured topology");
  const model::Graph* desired = req.graph;
  std::optional<TargetSelection> selected;
  if (!req.targets.empty()) {
    auto s = select_targets(*req.graph, out.prior, req.targets);
    if (!s.ok()) return model::err(s.error());
    selected = std::move(s.value());
    desired = &selected->graph;
    out.prior = selected->prior;
  }
  if (req.refresh) {
    RefreshRequest r;
    r.desired = desired;
    r.parallelism = req.parallelism;
    // Runbook steps are effects, not objects: once the stack returns to its configuration
    // their records are only forgotten, and reading them would ask after objects a failback
    // renamed on purpose. They count as gone, and the diff forgets them.
    for (const auto& [address, p] : out.prior)
      if (address.rfind("op.", 0) != 0) r.prior.emplace(address, p);
    out.observed = refresh(ctx, r);
    for (const auto& address : failover_steps) out.observed[address] = {plan::Observed::Status::absent, "", {}, ""};
  } else {
    // Without refresh, the last recorded live attributes stand in for AWS.
    auto records = store.resources();
    if (!records.ok()) return model::err("reading state: " + records.error().message);
    for (const auto& rec : records.value()) {
      if (selected && !selected->addresses.count(rec.address)) continue;
      const auto& attrs = rec.live.is_object() ? rec.live : rec.last_applied;
      out.observed[rec.address] = {plan::Observed::Status::found, rec.cloud_id, attrs, ""};
    }
  }

  plan::DiffInput in;
  in.desired = desired;
  in.observed = out.observed;
  in.prior = out.prior;
  in.allow_destroy = req.allow_destroy;
  // A workload written with `protect: false` lets drctl destroy or replace its data-bearing
  // resources without --allow-destroy.
  for (const auto& w : req.topology->workloads)
    if (w.spec.is_object() && w.spec.value("protect", true) == false)
      for (const auto& r : req.graph->resources)
        if (r.workload == w.name) in.allow_destroy.insert(r.address.str());
  out.plan = plan::diff(in);
  out.plan.config_dir = req.config_dir;
  out.plan.config_hash = req.topology->config_hash;
  out.plan.lineage = meta.value().lineage;
  out.plan.serial = meta.value().serial;
  out.plan.created_at = state::now_iso8601();
  out.plan.refreshed = req.refresh;
  // Recorded so the saved plan says it is partial, and apply PLANFILE reports it again.
  if (!req.targets.empty()) out.plan.evidence["targets"] = req.targets;
  return out;
}

model::Result<plan::DriftReport, std::string> make_drift(resources::Context& ctx,
                                                         state::Store& store,
                                                         const model::Graph& graph,
                                                         int parallelism) {
  auto prior = load_prior(store);
  if (!prior.ok()) return model::err(prior.error());
  RefreshRequest r;
  r.desired = &graph;
  r.prior = prior.value();
  r.parallelism = parallelism;
  r.as_applied = true;
  // Drift is about what drctl applied: read only what state remembers.
  for (const auto& [address, _] : prior.value()) r.only.insert(address);
  std::vector<std::string> desired;
  for (const auto& res : graph.resources) desired.push_back(res.address.str());
  if (r.only.empty()) return plan::detect_drift(graph.stack, prior.value(), {}, desired);
  const auto observed = refresh(ctx, r);
  return plan::detect_drift(graph.stack, prior.value(), observed, desired);
}

}  // namespace apply
