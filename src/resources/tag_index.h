// The tags of every resource of some types in one region, read in pages with the Resource
// Groups Tagging API (GetResources, json 1.1) instead of one ListTags call per object: a
// region's refresh costs ceil(tagged resources / 100) calls per type, whatever N is.
//
// Contract the callers rely on:
// - GetResources lists only resources that have (or once had) a tag. An ARN missing from the
//   index is a resource with no tags, never an absent one: existence comes from the type's
//   own List/Describe call, and a found resource missing here reads as tags {}.
// - Any error (AccessDenied without tag:GetResources, throttling past retries, an expired
//   pagination token) is returned as it came; callers turn it into a failed read of every
//   resource that needed the index, never into "no tags".
// - The Tagging API is eventually consistent on real AWS: a TagResource a moment ago may not
//   show yet. Plans right after an apply can then see a tag drift that the next apply
//   converges again (TagResource is idempotent); nothing is created or destroyed from it.
// Pure over aws::Client; thread-safe as the client is.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "aws/client.h"
#include "resources/tags.h"

namespace resources {

using TagIndex = std::map<std::string, TagMap>;  // resource ARN -> its tags

// GetResources with ResourceTypeFilters = `type_filters` ("sns", "cloudwatch:alarm",
// "backup:backup-vault", ...), ResourcesPerPage 100, following PaginationToken.
aws::Result<TagIndex> tag_index(aws::Client& c, const std::string& region,
                                const std::vector<std::string>& type_filters);

// The tags of `arn` in the index: {} when the index does not list it (untagged).
TagMap tags_in(const TagIndex& index, const std::string& arn);

}  // namespace resources
