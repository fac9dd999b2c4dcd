// Tags of a resource behind a JSON-protocol API (Step Functions, EventBridge): read with
// ListTagsForResource, converged with TagResource / UntagResource. The services agree on the
// operations and differ only in member capitalisation, which JsonTagging names.
// Pure helpers over aws::Client; thread-safe as the client is.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "resources/tags.h"

namespace resources {

struct JsonTagging {
  const aws::Service* service = nullptr;
  std::string arn;     // member naming the resource: "resourceArn" (states), "ResourceARN" (events)
  std::string tags;    // the tag list: "tags" / "Tags"
  std::string key;     // a tag's key and value: "key"/"value", "Key"/"Value"
  std::string value;
  std::string keys;    // UntagResource's key list: "tagKeys" / "TagKeys"
};

// The service's wire list [{key, value}] of `tags`, and back (entries without a key dropped).
nlohmann::json wire_tags(const JsonTagging& api, const TagMap& tags);
TagMap tags_from_wire(const JsonTagging& api, const nlohmann::json& list);

// ListTagsForResource of `arn`. Errors (not found included) are returned as they came.
aws::Result<TagMap> list_tags(aws::Client& c, const JsonTagging& api, const std::string& region,
                              const std::string& arn);

// TagResource for added or changed tags, then UntagResource for tags live but not wanted; no
// call when a side has nothing to do.
aws::Result<model::Unit> sync_tags(aws::Client& c, const JsonTagging& api, const std::string& region,
                                   const std::string& arn, const TagMap& want, const TagMap& have);

}  // namespace resources
