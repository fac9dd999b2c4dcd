// A bounded poll loop for the waiters of dynamodb.replica and efs.replication: creating a
// global-table replica or an EFS replication takes minutes on AWS, and the next step (PITR on
// the replica table, a dependent resource) needs the object ready.
//
// poll_until(limits, what, check) calls check() at most limits.max_polls times, sleeping
// limits.interval before a call unless it is the first or the previous check answered
// Poll::now (it has just changed something and wants to look again at once). check returns
// Poll::done, Poll::wait (not ready: sleep, then poll again), Poll::now, or an error, which
// ends the wait with that error. Giving up returns a
// "WaitTimeout" error naming `what`; the object is left as it is, and the next run's read
// reports its state (a still-CREATING replica reads as found, with its status).
// Header-only, stateless, thread-safe (each call sleeps only its own thread).
#pragma once

#include <chrono>
#include <string>
#include <thread>

#include "aws/client.h"
#include "resources/common.h"

namespace resources {

struct WaitLimits {
  int max_polls = 90;                      // 90 x 20 s = 30 min
  std::chrono::milliseconds interval{20000};
};

enum class Poll { done, wait, now };

template <typename Check>
aws::Result<model::Unit> poll_until(const WaitLimits& limits, const std::string& what, Check check) {
  bool sleep = false;
  for (int i = 0; i < limits.max_polls; ++i) {
    if (sleep && limits.interval.count() > 0) std::this_thread::sleep_for(limits.interval);
    aws::Result<Poll> step = check();
    if (!step) return model::err(step.error());
    if (*step == Poll::done) return model::ok();
    sleep = *step == Poll::wait;
  }
  const auto total_s = std::chrono::duration_cast<std::chrono::seconds>(limits.interval * limits.max_polls);
  return model::err(local_error("WaitTimeout", what + ": not ready after " + std::to_string(limits.max_polls) +
                                                   " polls (~" + std::to_string(total_s.count()) + " s)"));
}

}  // namespace resources
