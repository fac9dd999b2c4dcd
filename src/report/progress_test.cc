#include "report/progress.h"

#include <algorithm>
#include <cstdio>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

namespace report {
namespace {

using nlohmann::json;

// Captures what an observer writes to a FILE*.
class Capture {
 public:
  Capture() : f_(std::tmpfile()) {}
  ~Capture() { std::fclose(f_); }
  std::FILE* file() { return f_; }
  std::string text() {
    std::fflush(f_);
    std::rewind(f_);
    std::string s;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f_)) > 0;) s.append(buf, n);
    return s;
  }

 private:
  std::FILE* f_;
};

plan::Change change(const std::string& address, plan::Action action = plan::Action::create) {
  plan::Change c;
  c.address = address;
  c.action = action;
  return c;
}

// Elapsed times depend on the machine's load: "[1/2 0.0s]" -> "[1/2 Ts]".
std::string timeless(const std::string& s) { return std::regex_replace(s, std::regex(R"(\d+\.\ds\])"), "Ts]"); }

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

TEST(LineProgress, KeepsTheOneLinePerEventFormatThatLogsAndTestsParse) {
  Capture out;
  {
    LineProgress p(out.file(), 2, Style{});
    p.started(change("s3.bucket.a"));
    p.finished(change("s3.bucket.a"), apply::StepOutcome::succeeded, "");
    p.finished(change("iam.role.b", plan::Action::update), apply::StepOutcome::failed, "AccessDenied");
  }
  EXPECT_EQ(timeless(out.text()),
            "s3.bucket.a: create...\n"
            "[1/2 Ts] s3.bucket.a: create done\n"
            "[2/2 Ts] iam.role.b: update FAILED: AccessDenied\n");
}

TEST(StatusLineProgress, RedrawsOneStatusLineInPlaceBelowTheFinishedSteps) {
  Capture out;
  {
    StatusLineProgress p(out.file(), 3, Style{}, 200, std::chrono::hours(1));
    p.started(change("s3.bucket.a"));
    p.started(change("s3.bucket.b"));
    EXPECT_EQ(timeless(p.status_text()), "[0/3 Ts] 2 in flight: s3.bucket.a, s3.bucket.b");
    p.finished(change("s3.bucket.a"), apply::StepOutcome::succeeded, "");
    EXPECT_EQ(timeless(p.status_text()), "[1/3 Ts] 1 in flight: s3.bucket.b");
  }
  const std::string text = timeless(out.text());
  // Every redraw returns to the start of the line and erases it; only finished steps end a line.
  EXPECT_NE(text.find("\r\x1b[K[0/3 Ts] 1 in flight: s3.bucket.a"), std::string::npos) << text;
  EXPECT_NE(text.find("\r\x1b[K[1/3 Ts] s3.bucket.a: create done\n\r\x1b[K[1/3 Ts] 1 in flight: s3.bucket.b"),
            std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  EXPECT_TRUE(text.ends_with("\r\x1b[K")) << "the status line is erased at the end";
}

TEST(StatusLineProgress, CutsTheStatusLineToTheTerminalWidthSoItNeverWraps) {
  Capture out;
  StatusLineProgress p(out.file(), 1, Style{}, 30, std::chrono::hours(1));
  p.started(change("s3.bucket.a-very-long-bucket-address-name"));
  EXPECT_EQ(p.status_text().size(), 29u);
  EXPECT_TRUE(p.status_text().ends_with("...")) << p.status_text();
}

TEST(StatusLineProgress, TicksTheElapsedTimeWhileAStepRuns) {
  Capture out;
  {
    StatusLineProgress p(out.file(), 1, Style{}, 200, std::chrono::milliseconds(20));
    p.started(change("rds.replica.orders"));
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  const std::string text = out.text();
  size_t redraws = 0;
  for (size_t at = 0; (at = text.find("1 in flight", at)) != std::string::npos; ++at) ++redraws;
  EXPECT_GE(redraws, 3u) << text;
}

TEST(JsonEventLog, OneParsableObjectPerEventWithStartAndFinishForEachStep) {
  Capture out;
  {
    JsonEventLog log(out.file(), 3);
    log.started(change("s3.bucket.a"));
    log.finished(change("s3.bucket.a"), apply::StepOutcome::succeeded, "");
    log.started(change("rds.replica.b"));
    log.finished(change("rds.replica.b"), apply::StepOutcome::failed, "InvalidParameterValue: no");
    log.finished(change("route53.record.c"), apply::StepOutcome::skipped, "skipped: rds.replica.b failed");
  }
  const auto lines = json_lines(out.text());
  ASSERT_EQ(lines.size(), 7u);
  std::vector<std::string> events;
  for (const auto& l : lines) {
    events.push_back(l["event"]);
    EXPECT_TRUE(l["ts"].get<std::string>().ends_with("Z")) << l;
  }
  EXPECT_EQ(events, (std::vector<std::string>{"run.started", "step.started", "step.finished", "step.started",
                                              "step.finished", "step.finished", "run.finished"}));
  EXPECT_EQ(lines[2]["outcome"], "succeeded");
  EXPECT_EQ(lines[2]["action"], "create");
  EXPECT_EQ(lines[2]["level"], "info");
  EXPECT_EQ(lines[4]["outcome"], "failed");
  EXPECT_EQ(lines[4]["level"], "error");
  EXPECT_EQ(lines[4]["error"], "InvalidParameterValue: no");
  EXPECT_EQ(lines[5]["level"], "warn");
  EXPECT_EQ(lines[5]["elapsed_s"], 0.0);
  EXPECT_EQ(lines[6]["failed"], 1);
  EXPECT_EQ(lines[6]["succeeded"], 1);
  EXPECT_EQ(lines[6]["skipped"], 1);
}

TEST(MakeProgress, QuietPrintsNothing) {
  Capture out;
  {
    auto p = make_progress(out.file(), 1, Style{}, ProgressMode::quiet);
    p->started(change("s3.bucket.a"));
    p->finished(change("s3.bucket.a"), apply::StepOutcome::failed, "boom");
  }
  EXPECT_EQ(out.text(), "");
}

TEST(RefreshStatus, DrawsCountsInPlaceOnATerminalAndErasesThemWhenDone) {
  Capture out;
  RefreshStatus s(out.file(), ProgressMode::status_line, 200);
  s.update({0, 40, 0});
  s.update({12, 40, 3});
  s.update({40, 40, 0});
  const std::string text = out.text();
  EXPECT_NE(text.find("\r\x1b[Krefreshing 12/40 (3 reads in flight,"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("\r\x1b[K")) << text;
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

TEST(RefreshStatus, LinesModePrintsNothingAndJsonModeOneEventPerTick) {
  Capture lines, events;
  RefreshStatus quiet_one(lines.file(), ProgressMode::lines);
  quiet_one.update({0, 2, 0});
  quiet_one.update({2, 2, 0});
  EXPECT_EQ(lines.text(), "");
  RefreshStatus json_one(events.file(), ProgressMode::json);
  json_one.update({0, 2, 0});
  json_one.update({2, 2, 0});
  const auto parsed = json_lines(events.text());
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[1]["event"], "refresh.progress");
  EXPECT_EQ(parsed[1]["done"], 2);
  EXPECT_EQ(parsed[1]["total"], 2);
}

}  // namespace
}  // namespace report
