#include "apply/refresh.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace apply {
namespace {

RefreshProgress& default_progress_slot() {
  static RefreshProgress slot;
  return slot;
}

struct Item {
  std::string address;
  std::string type;
  std::string region;
  nlohmann::json attrs;
  std::string id;
  std::vector<std::string> depends_on;
};

// Longest chain of dependencies among the items, so that a wave only needs earlier waves.
std::map<std::string, int> levels(const std::map<std::string, Item>& items) {
  std::map<std::string, int> level;
  std::function<int(const std::string&, int)> depth = [&](const std::string& a, int guard) {
    if (auto it = level.find(a); it != level.end()) return it->second;
    int d = 0;
    if (guard < 64)
      for (const auto& dep : items.at(a).depends_on)
        if (items.count(dep)) d = std::max(d, depth(dep, guard + 1) + 1);
    level[a] = d;
    return d;
  };
  for (const auto& [a, _] : items) depth(a, 0);
  return level;
}

plan::Observed to_observed(const resources::ReadOutcome& o) {
  plan::Observed obs;
  switch (o.status) {
    case resources::ReadStatus::found:
      obs.status = plan::Observed::Status::found;
      obs.id = o.live.id;
      obs.attrs = o.live.attrs;
      break;
    case resources::ReadStatus::absent:
      obs.status = plan::Observed::Status::absent;
      break;
    case resources::ReadStatus::failed:
      obs.status = plan::Observed::Status::failed;
      obs.error = o.error ? o.error->describe() : "unknown error";
      break;
  }
  return obs;
}

// Runs fn over [0, n) on up to `parallelism` threads.
void parallel_for(size_t n, int parallelism, const std::function<void(size_t)>& fn) {
  const size_t workers = std::min<size_t>(n, std::max(1, parallelism));
  if (workers <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  for (size_t w = 0; w < workers; ++w)
    threads.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) fn(i);
    });
  for (auto& t : threads) t.join();
}

}  // namespace

void set_default_refresh_progress(RefreshProgress progress) { default_progress_slot() = std::move(progress); }
const RefreshProgress& default_refresh_progress() { return default_progress_slot(); }

std::map<std::string, plan::Observed> refresh(resources::Context& ctx, const RefreshRequest& req) {
  std::map<std::string, Item> items;
  for (const auto& r : req.desired->resources) {
    const auto address = r.address.str();
    if (req.as_applied && req.prior.count(address)) continue;
    Item it{address, r.address.type, r.region, r.attrs, "", r.depends_on};
    if (auto p = req.prior.find(address); p != req.prior.end()) it.id = p->second.cloud_id;
    items[address] = std::move(it);
  }
  for (const auto& [address, p] : req.prior)
    if (!items.count(address))
      items[address] = Item{address, p.type, p.region, p.last_applied, p.cloud_id, p.depends_on};
  if (!req.only.empty())
    for (auto it = items.begin(); it != items.end();)
      it = req.only.count(it->first) ? std::next(it) : items.erase(it);

  const auto level = levels(items);
  const int max_level = level.empty() ? 0 : std::max_element(level.begin(), level.end(),
      [](const auto& a, const auto& b) { return a.second < b.second; })->second;

  std::map<std::string, plan::Observed> observed;
  std::mutex mu;
  // Progress counts resources, not calls: a batched read of 30 buckets moves the count by 30.
  RefreshTick tick{0, static_cast<int>(items.size()), 0};
  if (req.progress && tick.total > 0) req.progress(tick);
  for (int wave = 0; wave <= max_level; ++wave) {
    // Group this wave's items by (type, region): one batched read each.
    std::map<std::pair<std::string, std::string>, std::vector<resources::Target>> groups;
    for (const auto& [address, item] : items) {
      if (level.at(address) != wave) continue;
      // A dependency that could not be read leaves this one's references unresolved, and a
      // lookup by them would answer "absent" (a plan saying "deleted outside drctl; will be
      // created again"). It is not read either, and says why.
      const auto failed_dep = std::find_if(item.depends_on.begin(), item.depends_on.end(), [&](const auto& d) {
        auto o = observed.find(d);
        return o != observed.end() && o->second.status == plan::Observed::Status::failed;
      });
      if (failed_dep != item.depends_on.end()) {
        plan::Observed skipped;
        skipped.status = plan::Observed::Status::failed;
        skipped.error = "not read: it depends on " + *failed_dep + ", which could not be read";
        observed[address] = skipped;
        tick.done += 1;
        continue;
      }
      resources::Target t{address, item.region, item.attrs, item.id};
      plan::resolve_from(t.attrs, observed);
      groups[{item.type, item.region}].push_back(std::move(t));
    }
    std::vector<std::pair<std::pair<std::string, std::string>, std::vector<resources::Target>>> work(
        groups.begin(), groups.end());
    parallel_for(work.size(), req.parallelism, [&](size_t i) {
      const auto& [key, targets] = work[i];
      if (req.progress) {
        std::lock_guard lock(mu);
        ++tick.groups_in_flight;
      }
      std::map<std::string, plan::Observed> found;
      if (const auto* type = req.find_type(key.first)) {
        const auto outcomes = type->read(ctx, key.second, targets);
        for (const auto& t : targets) {
          auto o = outcomes.find(t.address);
          if (o == outcomes.end()) {
            plan::Observed missing;
            missing.status = plan::Observed::Status::failed;
            missing.error = "the " + key.first + " reader returned nothing for " + t.address;
            found[t.address] = missing;
          } else {
            found[t.address] = to_observed(o->second);
          }
        }
      } else {
        for (const auto& t : targets) {
          plan::Observed unknown;
          unknown.status = plan::Observed::Status::failed;
          unknown.error = "unknown resource type '" + key.first + "'";
          found[t.address] = unknown;
        }
      }
      std::lock_guard lock(mu);
      observed.merge(found);
      if (req.progress) {
        tick.done += static_cast<int>(targets.size());
        --tick.groups_in_flight;
        req.progress(tick);
      }
    });
  }
  return observed;
}

}  // namespace apply
