// Progress: an ApplyObserver that prints one line per event (done/total, elapsed).
#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>

#include "apply/observer.h"
#include "report/style.h"

namespace report {

class LineProgress : public apply::ApplyObserver {
 public:
  LineProgress(std::FILE* out, int total, Style style);
  void started(const plan::Change& change) override;
  void finished(const plan::Change& change, apply::StepOutcome outcome,
                const std::string& error) override;

 private:
  std::FILE* out_;
  int total_;
  int done_ = 0;
  Style style_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
};

}  // namespace report
