#include "aws/endpoint.h"

#include <cctype>
#include <cstdlib>

namespace aws {

std::string url_authority(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = url.find_first_of("/?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool virtual_host_compatible(const std::string& b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return b.front() != '-' && b.back() != '-';
}

Endpoint resolve_endpoint(const Service& s, const std::string& region,
                          const std::string& endpoint_url,
                          const std::map<std::string, std::string>& service_endpoints,
                          const std::string& s3_bucket) {
  Endpoint e;
  e.signing_region = s.global ? "us-east-1" : region;
  std::string custom;
  // DRCTL_ENDPOINT_URL_<REGION> (US_EAST_1) sends every regional call of one region elsewhere:
  // tests point a "failed" primary region at a dead port to prove failover never needs it.
  std::string region_var = "DRCTL_ENDPOINT_URL_";
  for (char ch : region) region_var += ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const char* region_url = s.global ? nullptr : std::getenv(region_var.c_str());
  if (region_url && *region_url)
    custom = region_url;
  else if (auto it = service_endpoints.find(s.env_suffix); it != service_endpoints.end() && !it->second.empty())
    custom = it->second;
  else
    custom = endpoint_url;
  if (!custom.empty()) {
    while (!custom.empty() && custom.back() == '/') custom.pop_back();
    e.base_url = custom;
    e.host = url_authority(custom);
    e.custom = true;
    return e;
  }
  const bool china = region.rfind("cn-", 0) == 0;
  const std::string suffix = china ? ".amazonaws.com.cn" : ".amazonaws.com";
  std::string host = s.global ? s.endpoint_prefix + suffix : s.endpoint_prefix + "." + region + suffix;
  if (s.global && china) e.signing_region = "cn-north-1";
  if (s.id == "s3" && !s3_bucket.empty() && virtual_host_compatible(s3_bucket)) {
    host = s3_bucket + "." + host;
    e.virtual_host = true;
  }
  e.host = host;
  e.base_url = "https://" + host;
  return e;
}

}  // namespace aws
