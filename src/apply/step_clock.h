// StepClock: an ApplyObserver that measures how long each step of a run took and passes every
// event on to another observer (the progress printer). Drills and failovers record these
// durations in the state's run history: the measured RTO is the sum along what really ran.
// Thread-safe: the executor reports from several workers.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "apply/observer.h"

namespace apply {

struct StepTiming {
  std::string address;
  std::string type;
  double started_s = 0;   // seconds since the clock was made
  double seconds = 0;     // how long the step ran
  std::string outcome;    // "succeeded", "failed", "skipped"
};

class StepClock : public ApplyObserver {
 public:
  explicit StepClock(ApplyObserver& next);
  void started(const plan::Change& change) override;
  void finished(const plan::Change& change, StepOutcome outcome, const std::string& error) override;

  // Finished steps in the order they started.
  std::vector<StepTiming> steps() const;
  double elapsed_seconds() const;  // since the clock was made
  // [{"address", "type", "started_s", "seconds", "outcome"}...], for the run's detail.
  nlohmann::json steps_json() const;

 private:
  using Clock = std::chrono::steady_clock;
  ApplyObserver& next_;
  Clock::time_point origin_;
  std::map<std::string, Clock::time_point> running_;
  std::vector<StepTiming> done_;
  mutable std::mutex mu_;
};

}  // namespace apply
