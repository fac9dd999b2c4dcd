#include "report/progress.h"

#include <fmt/format.h>

namespace report {

LineProgress::LineProgress(std::FILE* out, int total, Style style)
    : out_(out), total_(total), style_(style), start_(std::chrono::steady_clock::now()) {}

void LineProgress::started(const plan::Change& change) {
  std::lock_guard lock(mu_);
  fmt::print(out_, "{}: {}...\n", change.address, plan::action_name(change.action));
  std::fflush(out_);
}

void LineProgress::finished(const plan::Change& change, apply::StepOutcome outcome,
                            const std::string& error) {
  std::lock_guard lock(mu_);
  ++done_;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string what;
  switch (outcome) {
    case apply::StepOutcome::succeeded: what = style_.green("done"); break;
    case apply::StepOutcome::failed: what = style_.red("FAILED: " + error); break;
    case apply::StepOutcome::skipped: what = style_.yellow(error); break;
  }
  fmt::print(out_, "[{}/{} {:.1f}s] {}: {} {}\n", done_, total_, elapsed, change.address,
             plan::action_name(change.action), what);
  std::fflush(out_);
}

}  // namespace report
