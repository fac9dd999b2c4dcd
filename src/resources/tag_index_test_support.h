// Test support for the types that read tags through tag_index.h: GetResources replies and
// request fields for fakes::FakeTransport handlers. Header-only; tests only.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/fake_transport.h"
#include "resources/tags.h"

namespace resources::test {

// How FakeTransport::calls() names a GetResources request.
inline const std::string kGetResources = "POST tagging:ResourceGroupsTaggingAPI_20170126.GetResources";

inline bool is_get_resources(const aws::HttpRequest& r) {
  return fakes::header(r, "X-Amz-Target") == "ResourceGroupsTaggingAPI_20170126.GetResources";
}

// The request's PaginationToken ("" on the first page).
inline std::string pagination_token(const aws::HttpRequest& r) {
  const auto body = nlohmann::json::parse(r.body, nullptr, false);
  return body.is_object() && body.contains("PaginationToken") ? body["PaginationToken"].get<std::string>() : "";
}

// One GetResources page: every ARN carrying `tags`; `next` is the PaginationToken ("" = last).
inline std::string get_resources_reply(const std::vector<std::string>& arns, const TagMap& tags,
                                       const std::string& next = "") {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& arn : arns) {
    nlohmann::json t = nlohmann::json::array();
    for (const auto& [k, v] : tags) t.push_back({{"Key", k}, {"Value", v}});
    list.push_back({{"ResourceARN", arn}, {"Tags", t}});
  }
  return nlohmann::json{{"ResourceTagMappingList", list}, {"PaginationToken", next}}.dump();
}

}  // namespace resources::test
