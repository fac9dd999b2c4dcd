#include "config/aws_names.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace config {

const std::vector<std::string>& known_regions() {
  static const std::vector<std::string> regions = {
      // aws
      "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
      "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
      "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1",
      "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1",
      "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
      "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
      // aws-us-gov
      "us-gov-east-1", "us-gov-west-1",
      // aws-cn
      "cn-north-1", "cn-northwest-1"};
  return regions;
}

bool is_known_region(std::string_view region) {
  const auto& r = known_regions();
  return std::find(r.begin(), r.end(), region) != r.end();
}

std::string partition_of(std::string_view region) {
  if (region.rfind("us-gov-", 0) == 0) return "aws-us-gov";
  if (region.rfind("cn-", 0) == 0) return "aws-cn";
  return "aws";
}

std::string global_region_of(std::string_view region) {
  const std::string p = partition_of(region);
  if (p == "aws-us-gov") return "us-gov-west-1";
  if (p == "aws-cn") return "cn-north-1";
  return "us-east-1";
}

std::optional<std::string> bucket_name_problem(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return "must be 3 to 63 characters long";
  for (char c : name)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '.' || c == '-'))
      return "may contain only lowercase letters, digits, dots and hyphens";
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(name.front()) || !alnum(name.back())) return "must begin and end with a letter or digit";
  if (name.find("..") != std::string_view::npos) return "must not contain two adjacent dots";
  if (name.find(".-") != std::string_view::npos || name.find("-.") != std::string_view::npos)
    return "must not contain a dot next to a hyphen";
  static const std::regex ip(R"([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})");
  const std::string s(name);
  if (std::regex_match(s, ip)) return "must not be formatted as an IP address";
  if (s.rfind("xn--", 0) == 0 || s.rfind("sthree-", 0) == 0)
    return "must not start with the reserved prefix 'xn--' or 'sthree-'";
  for (const char* suffix : {"-s3alias", "--ol-s3", "--x-s3"})
    if (s.size() >= std::char_traits<char>::length(suffix) &&
        s.compare(s.size() - std::char_traits<char>::length(suffix), std::string::npos, suffix) == 0)
      return std::string("must not end with the reserved suffix '") + suffix + "'";
  return std::nullopt;
}

}  // namespace config
