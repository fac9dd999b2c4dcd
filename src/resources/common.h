// Small helpers shared by the resource types: read outcomes, local errors, deterministic
// idempotency tokens, unresolved references. Pure functions, thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "aws/error.h"
#include "resources/resource_type.h"

namespace resources {

ReadOutcome found(Live live);
ReadOutcome absent();
ReadOutcome failed(aws::AwsError e);

// An error that did not come from AWS (a malformed reply, an unusable desired value).
// code is "MalformedResponse", "InvalidDesired", "NotUpdatable".
aws::AwsError local_error(std::string code, std::string message, std::string_view service = "",
                          std::string_view operation = "");

bool has_code(const aws::AwsError& e, std::initializer_list<std::string_view> codes);

// "drctl-" + the first 32 hex digits of sha256(stack + "/" + address): Backup's
// CreatorRequestId, stable across runs so a retried create after a crash is deduplicated.
std::string creator_request_id(std::string_view stack, std::string_view address);

// True when the value is (or contains) an unresolved "@{address#attr}" reference.
bool is_unresolved(const nlohmann::json& v);

// attrs[key] as a string, "" when missing or not a string.
std::string str_attr(const nlohmann::json& attrs, const std::string& key);
// Typed reads of desired values that never throw: `def` when missing or of another type
// (the config schema has already rejected wrong types; this keeps a bad value from throwing).
std::string get_string(const nlohmann::json& j, const std::string& key, const std::string& def);
long long get_int(const nlohmann::json& j, const std::string& key, long long def);
bool get_bool(const nlohmann::json& j, const std::string& key, bool def);

// Compact JSON text that never throws (invalid UTF-8 is replaced, not an exception).
std::string json_text(const nlohmann::json& j);

// The cloud id of a target: its id when state knows one, else attrs[name_key].
std::string id_or_attr(const Target& t, const std::string& name_key);

}  // namespace resources
