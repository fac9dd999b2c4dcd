#include "apply/executor.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "apply/crash_point.h"
#include "plan/diff.h"

namespace apply {
namespace {

using plan::Action;
using plan::Change;

enum class NodeState { waiting, running, done, failed, skipped };

struct Node {
  const Change* change = nullptr;
  std::vector<size_t> dependents;
  int pending = 0;
  NodeState state = NodeState::waiting;
};

class Run {
 public:
  Run(const plan::Plan& plan, resources::Context& ctx, state::Store& store,
      ApplyObserver& observer, const ExecuteOptions& options)
      : plan_(plan), ctx_(ctx), store_(store), observer_(observer), options_(options) {}

  ExecuteResult go() {
    seed_known();
    adopt_unchanged();
    build_graph();
    for (size_t i = 0; i < nodes_.size(); ++i)
      if (nodes_[i].pending == 0) ready_.push_back(i);
    remaining_ = nodes_.size();
    const int workers = std::max(1, std::min<int>(options_.parallelism, std::max<size_t>(1, nodes_.size())));
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) threads.emplace_back([this] { work(); });
    for (auto& t : threads) t.join();
    return std::move(result_);
  }

 private:
  // What is known of every object so far: live attributes from the plan, then from results.
  void seed_known() {
    for (const auto& c : plan_.changes) {
      if (c.before.is_null() || c.action == Action::create) continue;
      known_[c.address] = {plan::Observed::Status::found, c.cloud_id, c.before, ""};
    }
  }

  // A no-op for an object state does not know yet (found by its name after a killed run, or
  // existing before drctl) is adopted: recorded without any AWS call.
  void adopt_unchanged() {
    for (const auto& c : plan_.changes) {
      if (c.action != Action::noop || c.before.is_null()) continue;
      auto existing = store_.resource(c.address);
      if (existing.ok() && existing.value().has_value()) continue;
      record(c, resources::Live{c.cloud_id, c.before}, c.after);
    }
  }

  void build_graph() {
    std::map<std::string, size_t> index;
    for (const auto& c : plan_.changes) {
      if (c.action == Action::noop) continue;
      index[c.address] = nodes_.size();
      nodes_.push_back(Node{&c});
    }
    auto edge = [&](size_t before, size_t after) {
      nodes_[before].dependents.push_back(after);
      ++nodes_[after].pending;
    };
    for (size_t i = 0; i < nodes_.size(); ++i) {
      const Change& c = *nodes_[i].change;
      for (const auto& dep : c.depends_on) {
        auto it = index.find(dep);
        if (it == index.end()) continue;
        const bool dep_destroyed = nodes_[it->second].change->action == Action::destroy;
        if (c.action == Action::destroy && dep_destroyed) edge(i, it->second);  // dependents go first
        else if (c.action != Action::destroy && !dep_destroyed) edge(it->second, i);
      }
    }
  }

  void work() {
    std::unique_lock lock(mu_);
    while (true) {
      cv_.wait(lock, [&] { return !ready_.empty() || remaining_ == 0; });
      if (ready_.empty()) return;
      const size_t i = ready_.front();
      ready_.pop_front();
      nodes_[i].state = NodeState::running;
      lock.unlock();
      observer_.started(*nodes_[i].change);
      std::string error = step(*nodes_[i].change);
      lock.lock();
      finish(i, error.empty() ? NodeState::done : NodeState::failed, error);
    }
  }

  // Called with mu_ held.
  void finish(size_t i, NodeState outcome, const std::string& error) {
    Node& n = nodes_[i];
    n.state = outcome;
    --remaining_;
    if (outcome == NodeState::done) {
      ++result_.succeeded;
      observer_.finished(*n.change, StepOutcome::succeeded, "");
    } else if (outcome == NodeState::failed) {
      ++result_.failed;
      result_.diagnostics.push_back({model::Severity::error,
                                     std::string(plan::action_name(n.change->action)) + " " +
                                         n.change->address + " failed",
                                     error, n.change->where, n.change->address});
      observer_.finished(*n.change, StepOutcome::failed, error);
    } else {
      ++result_.skipped;
      observer_.finished(*n.change, StepOutcome::skipped, error);
    }
    for (size_t d : n.dependents) {
      if (nodes_[d].state != NodeState::waiting) continue;
      if (outcome != NodeState::done) {
        finish(d, NodeState::skipped, "skipped: " + n.change->address + " did not complete");
      } else if (--nodes_[d].pending == 0) {
        ready_.push_back(d);
      }
    }
    cv_.notify_all();
  }

  // Performs one change; returns "" on success or what went wrong.
  std::string step(const Change& c) {
    const auto* type = options_.find_type(c.type);
    if (!type) return "unknown resource type '" + c.type + "'";
    resources::Target want{c.address, c.region, c.after, c.cloud_id};
    {
      std::lock_guard lock(mu_);
      auto left = plan::resolve_from(want.attrs, known_);
      if (c.action != Action::destroy && !left.empty())
        return "a value it needs from " + left.front() + " is not known";
    }
    const resources::Target have{c.address, c.region, c.before, c.cloud_id};
    auto intent = store_.journal_intent(options_.run_id, c.address, plan::action_name(c.action),
                                        nlohmann::json{{"type", c.type}, {"region", c.region},
                                                       {"id", c.cloud_id}}.dump());
    if (!intent.ok()) return "cannot write the journal: " + intent.error().message;
    crash_point("after-intent");

    aws::Result<resources::Live> live = model::err(aws::AwsError{});
    switch (c.action) {
      case Action::create: live = create(*type, want); break;
      case Action::update: live = type->update(ctx_, want, resources::Live{c.cloud_id, c.before}); break;
      case Action::replace: {
        auto gone = type->destroy(ctx_, have);
        live = gone.ok() ? type->create(ctx_, want) : aws::Result<resources::Live>(model::err(gone.error()));
        break;
      }
      case Action::destroy: {
        auto gone = type->destroy(ctx_, have);
        crash_point("after-call");
        if (!gone.ok()) {
          (void)store_.journal_outcome(options_.run_id, intent.value(), state::JournalPhase::failed,
                                       gone.error().request_id, gone.error().describe());
          return gone.error().describe();
        }
        (void)store_.journal_outcome(options_.run_id, intent.value(), state::JournalPhase::done, "", "");
        crash_point("after-outcome");
        auto removed = store_.remove_resource(c.address);
        std::lock_guard lock(mu_);
        known_.erase(c.address);
        return removed.ok() ? "" : "deleted, but state could not be updated: " + removed.error().message;
      }
      case Action::import_:
        live = c.attrs.empty() ? aws::Result<resources::Live>(resources::Live{c.cloud_id, c.before})
                               : type->update(ctx_, want, resources::Live{c.cloud_id, c.before});
        break;
      case Action::noop: return "";
    }
    crash_point("after-call");
    if (!live.ok()) {
      (void)store_.journal_outcome(options_.run_id, intent.value(), state::JournalPhase::failed,
                                   live.error().request_id, live.error().describe());
      return live.error().describe();
    }
    (void)store_.journal_outcome(options_.run_id, intent.value(), state::JournalPhase::done, "",
                                 live.value().id);
    crash_point("after-outcome");
    std::string recorded = record(c, live.value(), want.attrs);
    crash_point("after-record");
    std::lock_guard lock(mu_);
    known_[c.address] = {plan::Observed::Status::found, live.value().id, live.value().attrs, ""};
    return recorded;
  }

  // A create for an address a killed run left unsettled first looks for what that run made.
  aws::Result<resources::Live> create(const resources::ResourceType& type,
                                      const resources::Target& want) {
    if (options_.unsettled.count(want.address)) {
      const auto outcomes = type.read(ctx_, want.region, std::span(&want, 1));
      auto it = outcomes.find(want.address);
      if (it != outcomes.end() && it->second.status == resources::ReadStatus::found) {
        if (plan::diff_attrs(want.attrs, it->second.live.attrs).empty()) return it->second.live;
        return type.update(ctx_, want, it->second.live);
      }
    }
    return type.create(ctx_, want);
  }

  std::string record(const Change& c, const resources::Live& live, const nlohmann::json& applied) {
    state::ResourceRecord r;
    r.address = c.address;
    r.type = c.type;
    r.region = c.region;
    r.cloud_id = live.id;
    r.desired = applied;
    r.last_applied = applied;
    r.live = live.attrs;
    r.workload = c.workload;
    r.depends_on_json = nlohmann::json(c.depends_on).dump();
    auto put = store_.put_resource(r);
    return put.ok() ? "" : "applied, but state could not be written: " + put.error().message;
  }

  const plan::Plan& plan_;
  resources::Context& ctx_;
  state::Store& store_;
  ApplyObserver& observer_;
  const ExecuteOptions& options_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Node> nodes_;
  std::deque<size_t> ready_;
  size_t remaining_ = 0;
  std::map<std::string, plan::Observed> known_;
  ExecuteResult result_;
};

}  // namespace

ExecuteResult execute(const plan::Plan& plan, resources::Context& ctx, state::Store& store,
                      ApplyObserver& observer, const ExecuteOptions& options) {
  return Run(plan, ctx, store, observer, options).go();
}

}  // namespace apply
