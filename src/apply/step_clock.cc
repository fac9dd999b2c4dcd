#include "apply/step_clock.h"

#include <algorithm>

namespace apply {
namespace {

double since(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

const char* outcome_name(StepOutcome o) {
  switch (o) {
    case StepOutcome::succeeded: return "succeeded";
    case StepOutcome::failed: return "failed";
    case StepOutcome::skipped: return "skipped";
  }
  return "failed";
}

}  // namespace

StepClock::StepClock(ApplyObserver& next) : next_(next), origin_(Clock::now()) {}

void StepClock::started(const plan::Change& change) {
  {
    std::lock_guard lock(mu_);
    running_[change.address] = Clock::now();
  }
  next_.started(change);
}

void StepClock::finished(const plan::Change& change, StepOutcome outcome, const std::string& error) {
  {
    std::lock_guard lock(mu_);
    const auto now = Clock::now();
    // A skipped step never started: it took no time, and started when its dependency failed.
    auto it = running_.find(change.address);
    const auto began = it == running_.end() ? now : it->second;
    done_.push_back({change.address, change.type, since(origin_, began), since(began, now), outcome_name(outcome)});
    if (it != running_.end()) running_.erase(it);
  }
  next_.finished(change, outcome, error);
}

std::vector<StepTiming> StepClock::steps() const {
  std::lock_guard lock(mu_);
  auto out = done_;
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.started_s < b.started_s; });
  return out;
}

double StepClock::elapsed_seconds() const { return since(origin_, Clock::now()); }

nlohmann::json StepClock::steps_json() const {
  auto out = nlohmann::json::array();
  for (const auto& s : steps())
    out.push_back({{"address", s.address}, {"type", s.type}, {"started_s", s.started_s}, {"seconds", s.seconds},
                   {"outcome", s.outcome}});
  return out;
}

}  // namespace apply
