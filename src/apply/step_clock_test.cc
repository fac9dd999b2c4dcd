#include "apply/step_clock.h"

#include <gtest/gtest.h>

#include <thread>

namespace apply {
namespace {

class Recorder : public ApplyObserver {
 public:
  void started(const plan::Change& c) override { events.push_back("start " + c.address); }
  void finished(const plan::Change& c, StepOutcome, const std::string&) override { events.push_back("end " + c.address); }
  std::vector<std::string> events;
};

plan::Change change(const std::string& address) {
  plan::Change c;
  c.address = address;
  c.type = address.substr(0, address.rfind('.'));
  return c;
}

TEST(StepClock, MeasuresEachStepAndPassesEventsOn) {
  Recorder next;
  StepClock clock(next);
  clock.started(change("op.rds_promote.orders"));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  clock.finished(change("op.rds_promote.orders"), StepOutcome::succeeded, "");
  clock.started(change("op.dns_switch.dns"));
  clock.finished(change("op.dns_switch.dns"), StepOutcome::failed, "boom");
  // A step skipped because its dependency failed never started.
  clock.finished(change("op.sns_notify.failover"), StepOutcome::skipped, "op.dns_switch.dns");

  EXPECT_EQ(next.events, (std::vector<std::string>{"start op.rds_promote.orders", "end op.rds_promote.orders",
                                                   "start op.dns_switch.dns", "end op.dns_switch.dns",
                                                   "end op.sns_notify.failover"}));
  const auto steps = clock.steps();
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].address, "op.rds_promote.orders");
  EXPECT_GE(steps[0].seconds, 0.025);
  EXPECT_LT(steps[1].seconds, steps[0].seconds);
  EXPECT_GE(steps[1].started_s, steps[0].seconds);
  EXPECT_EQ(steps[1].outcome, "failed");
  EXPECT_EQ(steps[2].outcome, "skipped");
  EXPECT_EQ(steps[2].seconds, 0);
  const auto j = clock.steps_json();
  EXPECT_EQ(j[0]["type"], "op.rds_promote");
  EXPECT_GE(clock.elapsed_seconds(), steps[0].seconds);
}

}  // namespace
}  // namespace apply
