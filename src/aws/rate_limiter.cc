#include "aws/rate_limiter.h"

#include <algorithm>
#include <thread>

namespace aws {
namespace {

constexpr double kFloor = 0.5;         // requests per second a bucket never drops below
constexpr double kRecoverShare = 0.05;  // of the documented rate, won back per success

std::string key(const std::string& region, std::string_view service, std::string_view family) {
  return region + "/" + std::string(service) + "/" + std::string(family);
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

std::string_view api_family(std::string_view op) {
  return starts_with(op, "Describe") || starts_with(op, "List") || starts_with(op, "Get") ? "read" : "write";
}

RateLimit limits_for(std::string_view service, std::string_view family) {
  const bool read = family == "read";
  if (service == "ec2")  // EC2 API request throttling: token buckets per account and Region
    return read ? RateLimit{20, 100, "EC2 API throttling: non-mutating actions, bucket 100, refill 20/s"}
                : RateLimit{5, 50, "EC2 API throttling: mutating actions, bucket 50, refill 5/s"};
  if (service == "route53")
    return {5, 5, "Route 53 quotas: five requests per second per account for the Route 53 API"};
  if (service == "monitoring")
    return read ? RateLimit{9, 9, "CloudWatch quotas: DescribeAlarms 9 TPS (the tightest read drctl makes)"}
                : RateLimit{3, 3, "CloudWatch quotas: PutMetricAlarm 3 TPS"};
  if (service == "sns")
    return read ? RateLimit{30, 30, "SNS quotas: ListTopics 30 TPS"} : RateLimit{30, 30, "SNS quotas: CreateTopic 30 TPS"};
  if (service == "sts") return {600, 600, "STS quotas: 600 requests per second per account and Region"};
  // AWS publishes no per-API figure for the rest; a cautious default that keeps a 10-thread
  // refresh busy without tripping the account-wide limits.
  return read ? RateLimit{25, 50, "no published limit: cautious default"}
              : RateLimit{10, 20, "no published limit: cautious default"};
}

RateLimiter::RateLimiter()
    : RateLimiter([] { return Clock::now(); }, [](std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); }) {}

RateLimiter::RateLimiter(std::function<Clock::time_point()> now, Sleep sleep)
    : now_(std::move(now)), sleep_(std::move(sleep)) {}

RateLimiter::Bucket& RateLimiter::bucket(const std::string& region, std::string_view service,
                                         std::string_view operation) {
  const auto family = api_family(operation);
  auto [it, inserted] = buckets_.try_emplace(key(region, service, family));
  if (inserted) {
    it->second.documented = limits_for(service, family);
    it->second.rate = it->second.documented.per_second;
    it->second.tokens = it->second.documented.burst;
    it->second.refilled = now_();
  }
  return it->second;
}

void RateLimiter::refill(Bucket& b, Clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - b.refilled).count();
  if (elapsed > 0) b.tokens = std::min(b.documented.burst, b.tokens + elapsed * b.rate);
  b.refilled = now;
}

std::chrono::nanoseconds RateLimiter::acquire(const std::string& region, std::string_view service,
                                              std::string_view operation) {
  std::chrono::nanoseconds waited{0};
  for (;;) {
    std::chrono::nanoseconds wait{0};
    {
      std::lock_guard g(mu_);
      auto& b = bucket(region, service, operation);
      refill(b, now_());
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return waited;
      }
      wait = std::chrono::nanoseconds(static_cast<long long>((1 - b.tokens) / b.rate * 1e9)) + std::chrono::nanoseconds(1);
    }
    // Sleep outside the lock: other buckets (regions, services) keep flowing meanwhile.
    sleep_(wait);
    waited += wait;
  }
}

void RateLimiter::on_throttled(const std::string& region, std::string_view service, std::string_view operation) {
  std::lock_guard g(mu_);
  auto& b = bucket(region, service, operation);
  refill(b, now_());
  b.rate = std::max(kFloor, b.rate / 2);
  b.tokens = std::min(b.tokens, 0.0);  // AWS said slow down: the burst is spent
}

void RateLimiter::on_success(const std::string& region, std::string_view service, std::string_view operation) {
  std::lock_guard g(mu_);
  auto& b = bucket(region, service, operation);
  b.rate = std::min(b.documented.per_second, b.rate + kRecoverShare * b.documented.per_second);
}

double RateLimiter::rate(const std::string& region, std::string_view service, std::string_view family) const {
  std::lock_guard g(mu_);
  auto it = buckets_.find(key(region, service, family));
  return it == buckets_.end() ? 0 : it->second.rate;
}

}  // namespace aws
