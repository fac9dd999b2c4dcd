// The pieces of the standard retry mode, kept pure so they are testable without sleeping:
// the jittered backoff and the shared retry quota (token bucket).
// See https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
#pragma once

#include <algorithm>
#include <chrono>
#include <mutex>

#include "aws/error.h"

namespace aws {

// delay = random01 * min(cap, base * 2^attempt); attempt counts from 0 (the first retry).
inline std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds base,
                                               std::chrono::milliseconds cap, double random01) {
  double ceiling = static_cast<double>(base.count());
  for (int i = 0; i < attempt && ceiling < static_cast<double>(cap.count()); ++i) ceiling *= 2;
  ceiling = std::min(ceiling, static_cast<double>(cap.count()));
  return std::chrono::milliseconds(static_cast<long long>(random01 * ceiling));
}

// The retry quota shared by all calls of one client: 500 tokens; a retry costs 5 (10 after a
// timeout); a call that succeeds after retrying refunds what its last retry cost, and a call
// that succeeds at once adds 1 (never above the initial capacity). Thread-safe.
class RetryQuota {
 public:
  static constexpr int kCapacity = 500;
  static constexpr int kRetryCost = 5;
  static constexpr int kTimeoutCost = 10;

  explicit RetryQuota(int capacity = kCapacity) : capacity_(capacity), tokens_(capacity) {}

  // Takes the cost of one retry; returns 0 (and takes nothing) when the quota is exhausted.
  int acquire(bool timeout) {
    std::lock_guard<std::mutex> g(mu_);
    int cost = timeout ? kTimeoutCost : kRetryCost;
    if (tokens_ < cost) return 0;
    tokens_ -= cost;
    return cost;
  }
  // last_cost: what the call's last retry took (0 when it succeeded at the first attempt).
  void on_success(int last_cost) {
    std::lock_guard<std::mutex> g(mu_);
    tokens_ = std::min(capacity_, tokens_ + (last_cost > 0 ? last_cost : 1));
  }
  int available() const {
    std::lock_guard<std::mutex> g(mu_);
    return tokens_;
  }

 private:
  mutable std::mutex mu_;
  int capacity_;
  int tokens_;
};

}  // namespace aws
