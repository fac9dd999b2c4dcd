// Progress of a run (apply, failover, drill) and of a refresh, in the form the CLI picked:
//
//   lines        one line per event, for logs and pipes (format parsed by tests and CI logs:
//                "ADDRESS: ACTION..." on start, "[DONE/TOTAL 1.2s] ADDRESS: ACTION done|FAILED: ..."
//                on finish). Refresh prints nothing.
//   status_line  a terminal: each finished step is printed as above, and one status line below
//                them ("[3/10 12.4s] 2 in flight: a, b") is redrawn in place (\r + erase line),
//                ticking every second so a long wait shows time passing. Refresh draws
//                "refreshing 12/40 (1.3s)" in place and erases it when done.
//   json         one JSON object per line for each event (step.started, step.finished,
//                run.started, run.finished, refresh.progress): {"ts","level","event","address",
//                "action","outcome","error","elapsed_s",...}. Carries only addresses, actions and
//                error text, which the aws layer already scrubs of secrets.
//   quiet        nothing.
//
// Observers are called from several worker threads; each one locks. Renderers decide nothing:
// the CLI chooses the mode (TTY, --quiet, --log-format).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "apply/observer.h"
#include "apply/refresh.h"
#include "report/style.h"

namespace report {

enum class ProgressMode { lines, status_line, json, quiet };

// The observer for a run of `total` steps, writing to `out`. json mode writes to `out` too
// (the CLI passes stderr for it).
std::unique_ptr<apply::ApplyObserver> make_progress(std::FILE* out, int total, Style style, ProgressMode mode);

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

// The finished-step line both text modes print (no trailing newline).
std::string finished_line(int done, int total, double elapsed_s, const plan::Change& change,
                          apply::StepOutcome outcome, const std::string& error, const Style& style);

class StatusLineProgress : public apply::ApplyObserver {
 public:
  // width: terminal columns (the status line is cut to fit, or it would wrap and stop being
  // redrawn in place); 0 = ask the terminal behind `out`. tick: redraw interval.
  StatusLineProgress(std::FILE* out, int total, Style style, int width = 0,
                     std::chrono::milliseconds tick = std::chrono::seconds(1));
  ~StatusLineProgress() override;  // stops the ticker and erases the status line
  void started(const plan::Change& change) override;
  void finished(const plan::Change& change, apply::StepOutcome outcome,
                const std::string& error) override;

  std::string status_text();  // what the status line shows now (for tests)

 private:
  std::string status_locked() const;
  void redraw_locked();
  std::FILE* out_;
  int total_;
  int done_ = 0;
  Style style_;
  int width_;
  std::chrono::steady_clock::time_point start_;
  std::vector<std::string> in_flight_;  // in the order they started
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread ticker_;
};

class JsonEventLog : public apply::ApplyObserver {
 public:
  JsonEventLog(std::FILE* out, int total);
  ~JsonEventLog() override;  // writes run.finished with the counts
  void started(const plan::Change& change) override;
  void finished(const plan::Change& change, apply::StepOutcome outcome,
                const std::string& error) override;

 private:
  std::FILE* out_;
  int total_;
  int succeeded_ = 0, failed_ = 0, skipped_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::map<std::string, std::chrono::steady_clock::time_point> step_start_;
  std::mutex mu_;
};

// One event as a JSON line: adds "ts" (UTC, ms) and "level" to `fields`, writes and flushes.
void write_event(std::FILE* out, const std::string& level, const std::string& event, nlohmann::json fields);

// Refresh progress in the chosen mode (lines and quiet print nothing). Pass update() as the
// apply::RefreshProgress callback; calls are serialised by refresh.
class RefreshStatus {
 public:
  RefreshStatus(std::FILE* out, ProgressMode mode, int width = 0);
  void update(const apply::RefreshTick& tick);

 private:
  std::FILE* out_;
  ProgressMode mode_;
  int width_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_json_;
};

// Columns of the terminal behind `out`; 80 when unknown.
int terminal_width(std::FILE* out);

}  // namespace report
