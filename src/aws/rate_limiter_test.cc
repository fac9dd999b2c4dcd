#include "aws/rate_limiter.h"

#include <gtest/gtest.h>

namespace aws {
namespace {

// A fake clock that sleeping advances: the limiter's waits become exact numbers.
struct FakeTime {
  RateLimiter::Clock::time_point t{};
  std::chrono::nanoseconds slept{0};
  RateLimiter make() {
    return RateLimiter([this] { return t; }, [this](std::chrono::nanoseconds d) { t += d; slept += d; });
  }
};

TEST(RateLimiter, FamiliesAndDocumentedLimits) {
  EXPECT_EQ(api_family("DescribeDBInstances"), "read");
  EXPECT_EQ(api_family("ListTopics"), "read");
  EXPECT_EQ(api_family("GetBucketReplication"), "read");
  EXPECT_EQ(api_family("PutBucketReplication"), "write");
  EXPECT_EQ(limits_for("route53", "read").per_second, 5);
  EXPECT_EQ(limits_for("ec2", "read").burst, 100);
  EXPECT_EQ(limits_for("ec2", "write").per_second, 5);
  EXPECT_GT(limits_for("rds", "read").per_second, 0);
}

TEST(RateLimiter, BurstIsFreeThenCallsArePacedAtTheRate) {
  FakeTime time;
  auto limiter = time.make();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.acquire("us-east-1", "route53", "ListHealthChecks").count(), 0);
  // The bucket (5) is empty: 10 more calls take 2 s at 5 per second.
  for (int i = 0; i < 10; ++i) limiter.acquire("us-east-1", "route53", "ListHealthChecks");
  EXPECT_NEAR(std::chrono::duration<double>(time.slept).count(), 2.0, 0.01);
}

TEST(RateLimiter, BucketsAreSeparateByRegionServiceAndFamily) {
  FakeTime time;
  auto limiter = time.make();
  for (int i = 0; i < 5; ++i) limiter.acquire("us-east-1", "route53", "ListHealthChecks");
  EXPECT_EQ(limiter.acquire("us-east-1", "route53", "ChangeResourceRecordSets").count(), 0);  // write bucket
  EXPECT_EQ(limiter.acquire("us-west-2", "route53", "ListHealthChecks").count(), 0);           // other region
  EXPECT_EQ(limiter.acquire("us-east-1", "rds", "DescribeDBInstances").count(), 0);            // other service
  EXPECT_GT(limiter.acquire("us-east-1", "route53", "ListHealthChecks").count(), 0);
}

TEST(RateLimiter, ThrottlingHalvesTheRateAndSuccessWinsItBack) {
  FakeTime time;
  auto limiter = time.make();
  limiter.acquire("us-east-1", "rds", "DescribeDBInstances");
  const double documented = limits_for("rds", "read").per_second;
  EXPECT_EQ(limiter.rate("us-east-1", "rds", "read"), documented);
  limiter.on_throttled("us-east-1", "rds", "DescribeDBInstances");
  EXPECT_EQ(limiter.rate("us-east-1", "rds", "read"), documented / 2);
  // The burst is gone after a throttle: the next call waits for a token at the halved rate.
  EXPECT_NEAR(std::chrono::duration<double>(limiter.acquire("us-east-1", "rds", "DescribeDBInstances")).count(),
              1 / (documented / 2), 1e-6);
  for (int i = 0; i < 100; ++i) limiter.on_throttled("us-east-1", "rds", "DescribeDBInstances");
  EXPECT_EQ(limiter.rate("us-east-1", "rds", "read"), 0.5);  // the floor
  for (int i = 0; i < 100; ++i) limiter.on_success("us-east-1", "rds", "DescribeDBInstances");
  EXPECT_EQ(limiter.rate("us-east-1", "rds", "read"), documented);  // never above what AWS documents
}

}  // namespace
}  // namespace aws
