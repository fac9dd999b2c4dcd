// Endpoint resolution: overrides from the environment, real regional/global endpoints, S3.
#include "aws/endpoint.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "aws/client.h"

namespace {

TEST(Endpoint, RealRegionalAndGlobal) {
  auto e = aws::resolve_endpoint(aws::services::dynamodb, "eu-west-1", "", {});
  EXPECT_EQ(e.base_url, "https://dynamodb.eu-west-1.amazonaws.com");
  EXPECT_EQ(e.signing_region, "eu-west-1");
  EXPECT_FALSE(e.custom);
  e = aws::resolve_endpoint(aws::services::cloudwatch, "us-west-2", "", {});
  EXPECT_EQ(e.host, "monitoring.us-west-2.amazonaws.com");
  e = aws::resolve_endpoint(aws::services::efs, "us-west-2", "", {});
  EXPECT_EQ(e.host, "elasticfilesystem.us-west-2.amazonaws.com");
  e = aws::resolve_endpoint(aws::services::iam, "eu-west-1", "", {});
  EXPECT_EQ(e.base_url, "https://iam.amazonaws.com");
  EXPECT_EQ(e.signing_region, "us-east-1");
  e = aws::resolve_endpoint(aws::services::route53, "ap-southeast-2", "", {});
  EXPECT_EQ(e.base_url, "https://route53.amazonaws.com");
  EXPECT_EQ(e.signing_region, "us-east-1");
  e = aws::resolve_endpoint(aws::services::sts, "eu-west-1", "", {});
  EXPECT_EQ(e.host, "sts.eu-west-1.amazonaws.com");
  e = aws::resolve_endpoint(aws::services::ec2, "cn-north-1", "", {});
  EXPECT_EQ(e.host, "ec2.cn-north-1.amazonaws.com.cn");
}

TEST(Endpoint, S3VirtualHostOnlyForDnsSafeBucketsOnRealAws) {
  auto e = aws::resolve_endpoint(aws::services::s3, "us-west-2", "", {}, "shop-assets");
  EXPECT_TRUE(e.virtual_host);
  EXPECT_EQ(e.host, "shop-assets.s3.us-west-2.amazonaws.com");
  e = aws::resolve_endpoint(aws::services::s3, "us-west-2", "", {}, "my.dotted.bucket");
  EXPECT_FALSE(e.virtual_host);
  EXPECT_EQ(e.host, "s3.us-west-2.amazonaws.com");
  e = aws::resolve_endpoint(aws::services::s3, "us-west-2", "http://127.0.0.1:5000", {}, "shop-assets");
  EXPECT_FALSE(e.virtual_host);
  EXPECT_EQ(e.host, "127.0.0.1:5000");
}

TEST(Endpoint, ServiceOverrideBeatsGlobalOverride) {
  std::map<std::string, std::string> per_service{{"ROUTE_53", "http://127.0.0.1:7000/"}, {"S3", ""}};
  auto e = aws::resolve_endpoint(aws::services::route53, "us-east-1", "http://127.0.0.1:5000", per_service);
  EXPECT_EQ(e.base_url, "http://127.0.0.1:7000");
  EXPECT_EQ(e.signing_region, "us-east-1");
  EXPECT_TRUE(e.custom);
  e = aws::resolve_endpoint(aws::services::backup, "us-west-2", "http://127.0.0.1:5000", per_service);
  EXPECT_EQ(e.base_url, "http://127.0.0.1:5000");
  EXPECT_EQ(e.signing_region, "us-west-2");
  e = aws::resolve_endpoint(aws::services::s3, "us-west-2", "http://127.0.0.1:5000", per_service);  // empty: ignored
  EXPECT_EQ(e.base_url, "http://127.0.0.1:5000");
}

TEST(Endpoint, EnvSuffixesFollowTheServiceId) {
  EXPECT_EQ(aws::services::autoscaling.env_suffix, "AUTO_SCALING");
  EXPECT_EQ(aws::services::route53.env_suffix, "ROUTE_53");
  EXPECT_EQ(aws::services::efs.env_suffix, "EFS");
  EXPECT_EQ(aws::services::states.env_suffix, "SFN");
  EXPECT_EQ(aws::services::events.env_suffix, "EVENTBRIDGE");
  EXPECT_EQ(aws::services::cloudwatch.signing_name, "monitoring");
  EXPECT_EQ(aws::services::states.target_prefix, "AWSStepFunctions");
  EXPECT_EQ(aws::services::states.json_version, "1.0");
  EXPECT_EQ(aws::services::events.json_version, "1.1");
}

TEST(Endpoint, FromEnvironmentReadsOverridesRegionAndAttempts) {
  setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000", 1);
  setenv("AWS_ENDPOINT_URL_BACKUP", "http://127.0.0.1:6000", 1);
  setenv("AWS_ENDPOINT_URL_AUTO_SCALING", "http://127.0.0.1:6001", 1);
  setenv("AWS_REGION", "eu-central-1", 1);
  setenv("AWS_MAX_ATTEMPTS", "7", 1);
  aws::ClientConfig c = aws::Client::from_environment();
  EXPECT_EQ(c.endpoint_url, "http://127.0.0.1:5000");
  EXPECT_EQ(c.service_endpoints["BACKUP"], "http://127.0.0.1:6000");
  EXPECT_EQ(c.service_endpoints["AUTO_SCALING"], "http://127.0.0.1:6001");
  EXPECT_EQ(c.default_region, "eu-central-1");
  EXPECT_EQ(c.max_attempts, 7);
  EXPECT_TRUE(c.transport);
  EXPECT_TRUE(c.credentials);
  for (const char* n : {"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BACKUP", "AWS_ENDPOINT_URL_AUTO_SCALING",
                        "AWS_REGION", "AWS_MAX_ATTEMPTS"})
    unsetenv(n);
}

TEST(Endpoint, RegionOverrideSendsOneRegionsRegionalCallsElsewhere) {
  setenv("DRCTL_ENDPOINT_URL_US_EAST_1", "http://127.0.0.1:9/", 1);
  const std::map<std::string, std::string> per_service{{"RDS", "http://127.0.0.1:7000"}};
  auto e = aws::resolve_endpoint(aws::services::rds, "us-east-1", "http://127.0.0.1:5000", per_service);
  EXPECT_EQ(e.base_url, "http://127.0.0.1:9");
  EXPECT_EQ(e.signing_region, "us-east-1");
  e = aws::resolve_endpoint(aws::services::rds, "us-west-2", "http://127.0.0.1:5000", per_service);
  EXPECT_EQ(e.base_url, "http://127.0.0.1:7000");  // other regions: unchanged
  e = aws::resolve_endpoint(aws::services::route53, "us-east-1", "http://127.0.0.1:5000", {});
  EXPECT_EQ(e.base_url, "http://127.0.0.1:5000");  // global services have no region to fail
  unsetenv("DRCTL_ENDPOINT_URL_US_EAST_1");
}

TEST(Endpoint, UrlAuthority) {
  EXPECT_EQ(aws::url_authority("http://127.0.0.1:5000/x?y"), "127.0.0.1:5000");
  EXPECT_EQ(aws::url_authority("https://s3.amazonaws.com"), "s3.amazonaws.com");
}

}  // namespace
