#include "report/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

namespace report {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

const char* outcome_name(apply::StepOutcome o) {
  switch (o) {
    case apply::StepOutcome::succeeded: return "succeeded";
    case apply::StepOutcome::failed: return "failed";
    case apply::StepOutcome::skipped: return "skipped";
  }
  return "unknown";
}

// Cut to the terminal's width minus one column: writing the last column makes some terminals
// wrap, and a wrapped line can no longer be redrawn with \r.
std::string fit(std::string s, int width) {
  const size_t max = static_cast<size_t>(std::max(width - 1, 10));
  if (s.size() > max) s = s.substr(0, max - 3) + "...";
  return s;
}

constexpr const char* kEraseLine = "\r\x1b[K";

}  // namespace

int terminal_width(std::FILE* out) {
  winsize ws{};
  if (::ioctl(::fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

std::string finished_line(int done, int total, double elapsed_s, const plan::Change& change,
                          apply::StepOutcome outcome, const std::string& error, const Style& style) {
  std::string what;
  switch (outcome) {
    case apply::StepOutcome::succeeded: what = style.green("done"); break;
    case apply::StepOutcome::failed: what = style.red("FAILED: " + error); break;
    case apply::StepOutcome::skipped: what = style.yellow(error); break;
  }
  return fmt::format("[{}/{} {:.1f}s] {}: {} {}", done, total, elapsed_s, change.address,
                     plan::action_name(change.action), what);
}

// ---- lines -------------------------------------------------------------------------------

LineProgress::LineProgress(std::FILE* out, int total, Style style)
    : out_(out), total_(total), style_(style), start_(Clock::now()) {}

void LineProgress::started(const plan::Change& change) {
  std::lock_guard lock(mu_);
  fmt::print(out_, "{}: {}...\n", change.address, plan::action_name(change.action));
  std::fflush(out_);
}

void LineProgress::finished(const plan::Change& change, apply::StepOutcome outcome,
                            const std::string& error) {
  std::lock_guard lock(mu_);
  ++done_;
  fmt::print(out_, "{}\n", finished_line(done_, total_, seconds_since(start_), change, outcome, error, style_));
  std::fflush(out_);
}

// ---- status line -------------------------------------------------------------------------

StatusLineProgress::StatusLineProgress(std::FILE* out, int total, Style style, int width,
                                       std::chrono::milliseconds tick)
    : out_(out), total_(total), style_(style), width_(width > 0 ? width : terminal_width(out)),
      start_(Clock::now()) {
  ticker_ = std::thread([this, tick] {
    std::unique_lock lock(mu_);
    while (!stop_cv_.wait_for(lock, tick, [this] { return stopping_; }))
      if (!in_flight_.empty()) redraw_locked();  // only the clock moved: nothing to show otherwise
  });
}

StatusLineProgress::~StatusLineProgress() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  ticker_.join();
  // The finished lines above already tell the whole story; leave no half-line behind.
  fmt::print(out_, "{}", kEraseLine);
  std::fflush(out_);
}

std::string StatusLineProgress::status_locked() const {
  std::string s = fmt::format("[{}/{} {:.1f}s]", done_, total_, seconds_since(start_));
  if (!in_flight_.empty()) {
    s += fmt::format(" {} in flight:", in_flight_.size());
    for (size_t i = 0; i < in_flight_.size(); ++i) s += (i ? ", " : " ") + in_flight_[i];
  }
  return fit(std::move(s), width_);
}

std::string StatusLineProgress::status_text() {
  std::lock_guard lock(mu_);
  return status_locked();
}

void StatusLineProgress::redraw_locked() {
  fmt::print(out_, "{}{}", kEraseLine, style_.bold(status_locked()));
  std::fflush(out_);
}

void StatusLineProgress::started(const plan::Change& change) {
  std::lock_guard lock(mu_);
  in_flight_.push_back(change.address);
  redraw_locked();
}

void StatusLineProgress::finished(const plan::Change& change, apply::StepOutcome outcome,
                                  const std::string& error) {
  std::lock_guard lock(mu_);
  ++done_;
  std::erase(in_flight_, change.address);
  // The finished step scrolls up as a permanent line; the status line is drawn again below it.
  fmt::print(out_, "{}{}\n", kEraseLine,
             finished_line(done_, total_, seconds_since(start_), change, outcome, error, style_));
  redraw_locked();
}

// ---- json --------------------------------------------------------------------------------

void write_event(std::FILE* out, const std::string& level, const std::string& event, nlohmann::json fields) {
  const auto now = std::chrono::system_clock::now();
  const auto t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  nlohmann::json line = {{"ts", fmt::format("{}.{:03d}Z", stamp, static_cast<int>(ms))},
                         {"level", level},
                         {"event", event}};
  line.update(fields);
  // Error text from AWS may hold any bytes; replace rather than throw on invalid UTF-8.
  fmt::print(out, "{}\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  std::fflush(out);
}

JsonEventLog::JsonEventLog(std::FILE* out, int total) : out_(out), total_(total), start_(Clock::now()) {
  write_event(out_, "info", "run.started", {{"total", total_}});
}

JsonEventLog::~JsonEventLog() {
  std::lock_guard lock(mu_);
  write_event(out_, failed_ ? "error" : "info", "run.finished",
              {{"total", total_}, {"succeeded", succeeded_}, {"failed", failed_}, {"skipped", skipped_},
               {"elapsed_s", seconds_since(start_)}});
}

void JsonEventLog::started(const plan::Change& change) {
  std::lock_guard lock(mu_);
  step_start_[change.address] = Clock::now();
  write_event(out_, "info", "step.started",
              {{"address", change.address}, {"action", plan::action_name(change.action)}});
}

void JsonEventLog::finished(const plan::Change& change, apply::StepOutcome outcome,
                            const std::string& error) {
  std::lock_guard lock(mu_);
  const char* level = "info";
  switch (outcome) {
    case apply::StepOutcome::succeeded: ++succeeded_; break;
    case apply::StepOutcome::failed: ++failed_; level = "error"; break;
    case apply::StepOutcome::skipped: ++skipped_; level = "warn"; break;
  }
  // A skipped step never started: its elapsed time is zero.
  const auto began = step_start_.find(change.address);
  const double elapsed = began == step_start_.end() ? 0.0 : seconds_since(began->second);
  write_event(out_, level, "step.finished",
              {{"address", change.address},
               {"action", plan::action_name(change.action)},
               {"outcome", outcome_name(outcome)},
               {"error", error},
               {"elapsed_s", elapsed},
               {"done", succeeded_ + failed_ + skipped_},
               {"total", total_}});
}

// ---- factory -----------------------------------------------------------------------------

namespace {
class QuietProgress : public apply::ApplyObserver {
 public:
  void started(const plan::Change&) override {}
  void finished(const plan::Change&, apply::StepOutcome, const std::string&) override {}
};
}  // namespace

std::unique_ptr<apply::ApplyObserver> make_progress(std::FILE* out, int total, Style style, ProgressMode mode) {
  switch (mode) {
    case ProgressMode::status_line: return std::make_unique<StatusLineProgress>(out, total, style);
    case ProgressMode::json: return std::make_unique<JsonEventLog>(out, total);
    case ProgressMode::quiet: return std::make_unique<QuietProgress>();
    case ProgressMode::lines: break;
  }
  return std::make_unique<LineProgress>(out, total, style);
}

// ---- refresh -----------------------------------------------------------------------------

RefreshStatus::RefreshStatus(std::FILE* out, ProgressMode mode, int width)
    : out_(out), mode_(mode), width_(width > 0 ? width : terminal_width(out)), start_(Clock::now()) {}

void RefreshStatus::update(const apply::RefreshTick& tick) {
  if (tick.done == 0) start_ = Clock::now();  // each refresh reports 0 first
  const double elapsed = seconds_since(start_);
  if (mode_ == ProgressMode::json) {
    write_event(out_, "info", "refresh.progress",
                {{"done", tick.done}, {"total", tick.total}, {"in_flight", tick.groups_in_flight},
                 {"elapsed_s", elapsed}});
  } else if (mode_ == ProgressMode::status_line) {
    if (tick.done >= tick.total) {
      fmt::print(out_, "{}", kEraseLine);  // done: the command's own output follows on a clean line
    } else {
      fmt::print(out_, "{}{}", kEraseLine,
                 fit(fmt::format("refreshing {}/{} ({} reads in flight, {:.1f}s)", tick.done, tick.total,
                                 tick.groups_in_flight, elapsed),
                     width_));
    }
    std::fflush(out_);
  }
}

}  // namespace report
