// ApplyObserver: how the executor reports progress. report/ implements it; the engine
// never prints. Calls may come from several worker threads at once; implementations lock.
#pragma once

#include <string>

#include "plan/plan.h"

namespace apply {

enum class StepOutcome { succeeded, failed, skipped };

class ApplyObserver {
 public:
  virtual ~ApplyObserver() = default;
  virtual void started(const plan::Change& change) = 0;
  // error: empty on success; for skipped, the failed dependency.
  virtual void finished(const plan::Change& change, StepOutcome outcome,
                        const std::string& error) = 0;
};

class NullObserver : public ApplyObserver {
 public:
  void started(const plan::Change&) override {}
  void finished(const plan::Change&, StepOutcome, const std::string&) override {}
};

}  // namespace apply
