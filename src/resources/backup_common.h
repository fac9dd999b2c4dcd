// Helpers shared by the AWS Backup types (rest-json): request building and the tag calls
// (ListTags / TagResource / UntagResource) that vaults and plans both use.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "resources/tags.h"

namespace resources::backup {

// A request with an optional JSON body (null = no body).
aws::RestRequest request(std::string operation, std::string method, std::string path,
                         const nlohmann::json& body = nullptr);

aws::Result<nlohmann::json> call(aws::Client& c, const std::string& region, const aws::RestRequest& r);

// Every page of a Backup listing (nextToken in, NextToken out); on_page returns false to stop.
model::Status<aws::AwsError> paginate(aws::Client& c, const std::string& region, aws::RestRequest r,
                                      const std::function<bool(const nlohmann::json&)>& on_page);

// Every tag of a vault or plan ARN (ListTags, paginated). Reads of many use tag_index.h; this
// is for the create paths, which adopt one object.
aws::Result<TagMap> list_tags(aws::Client& c, const std::string& region, const std::string& arn);

// Brings the ARN's tags from `have` to `want` with TagResource / UntagResource.
aws::Result<model::Unit> sync_tags(aws::Client& c, const std::string& region, const std::string& arn,
                                   const TagMap& want, const TagMap& have);

}  // namespace resources::backup
