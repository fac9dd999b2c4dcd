// AWS naming facts the config checks need: known regions, partitions, S3 bucket name rules.
// Pure data and functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace config {

// The built-in list of commercial, GovCloud and China regions.
const std::vector<std::string>& known_regions();
bool is_known_region(std::string_view region);

// "aws", "aws-us-gov" or "aws-cn" for a region name.
std::string partition_of(std::string_view region);
// Where a partition's global services (IAM) are homed: us-east-1, us-gov-west-1, cn-north-1.
std::string global_region_of(std::string_view region);

// Why `name` is not a valid S3 bucket name (general purpose buckets), or nullopt if it is.
std::optional<std::string> bucket_name_problem(std::string_view name);

}  // namespace config
