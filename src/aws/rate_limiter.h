// Client-side rate limiting: one token bucket per (region, service, API family), so a refresh
// of thousands of resources stays under AWS's request rates instead of provoking throttling
// and paying for it in retries and backoff.
//
// Families: "read" (Describe*, List*, Get*) and "write" (everything else). Buckets start from
// the limits AWS documents where it documents them (limits_for), else a cautious default.
// Adaptive, like the SDKs' adaptive retry mode: a throttling answer halves the bucket's rate
// (never below a floor), each success then wins back 5% of the documented rate.
// Thread-safe. Time and sleeping are injectable for tests.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace aws {

struct RateLimit {
  double per_second = 0;  // refill rate
  double burst = 0;       // bucket size
  const char* source = "";  // where the figure comes from
};

// "read" or "write" for an operation name.
std::string_view api_family(std::string_view operation);

// The starting limit of a service's family (service ids as in services.cc: "ec2", "route53"...).
RateLimit limits_for(std::string_view service, std::string_view family);

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  using Sleep = std::function<void(std::chrono::nanoseconds)>;

  RateLimiter();
  RateLimiter(std::function<Clock::time_point()> now, Sleep sleep);

  // Takes one token for the call, waiting for it if needed; returns how long it waited.
  std::chrono::nanoseconds acquire(const std::string& region, std::string_view service, std::string_view operation);
  void on_throttled(const std::string& region, std::string_view service, std::string_view operation);
  void on_success(const std::string& region, std::string_view service, std::string_view operation);

  // The current refill rate of a bucket (tests, benchmarks); 0 when it does not exist yet.
  double rate(const std::string& region, std::string_view service, std::string_view family) const;

 private:
  struct Bucket {
    RateLimit documented;
    double rate = 0;
    double tokens = 0;
    Clock::time_point refilled{};
  };
  Bucket& bucket(const std::string& region, std::string_view service, std::string_view operation);
  void refill(Bucket& b, Clock::time_point now) const;

  std::function<Clock::time_point()> now_;
  Sleep sleep_;
  mutable std::mutex mu_;
  std::map<std::string, Bucket> buckets_;  // "region/service/family"
};

}  // namespace aws
