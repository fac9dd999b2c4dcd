// Where a call goes and how it is signed. Pure: the overrides come from ClientConfig (filled
// from AWS_ENDPOINT_URL_<SUFFIX> / AWS_ENDPOINT_URL by Client::from_environment()).
#pragma once

#include <map>
#include <string>

#include "aws/service.h"

namespace aws {

struct Endpoint {
  std::string base_url;      // scheme://host[:port][/base-path], no trailing slash
  std::string host;          // host[:port] as sent in the Host header
  std::string signing_region;
  bool custom = false;       // an override (moto, LocalStack, a VPC endpoint)
  bool virtual_host = false; // S3 on real AWS: the bucket is in the host, not the path
};

// Resolution order: service_endpoints[s.env_suffix], endpoint_url, else the real endpoint:
// https://<endpoint_prefix>.<region>.amazonaws.com (".amazonaws.com.cn" in cn-* regions),
// global services at https://<endpoint_prefix>.amazonaws.com signed for us-east-1, and S3
// buckets as virtual hosts (https://<bucket>.s3.<region>.amazonaws.com) when the bucket name is
// DNS-compatible without dots; path-style otherwise and on every custom endpoint.
Endpoint resolve_endpoint(const Service& s, const std::string& region,
                          const std::string& endpoint_url,
                          const std::map<std::string, std::string>& service_endpoints,
                          const std::string& s3_bucket = "");

// "host[:port]" of an absolute URL (the port only when the URL names one).
std::string url_authority(const std::string& url);

// True when a bucket name may be used as a DNS label under TLS (no dots, lower-case, 3-63).
bool virtual_host_compatible(const std::string& bucket);

}  // namespace aws
