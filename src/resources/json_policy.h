// IAM policy documents: parsing what IAM returns (URL-encoded JSON) and comparing documents
// by meaning rather than by spelling, so a read reports no drift when IAM hands back the
// same policy written differently (a one-element list as a bare string, reordered lists,
// a single Statement object instead of an array).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace resources {

// Parses a policy document as IAM returns it: URL-encoded JSON (or plain JSON). nullopt when
// it is not JSON.
std::optional<nlohmann::json> parse_policy_document(const std::string& text);

// The canonical form: Statement always an array; Action/NotAction/Resource/NotResource,
// principal values and condition values always sorted, de-duplicated string arrays.
// Statement order is kept (it carries no meaning, but a reorder is rare and harmless to show).
nlohmann::json canonical_policy(const nlohmann::json& doc);

bool same_policy(const nlohmann::json& a, const nlohmann::json& b);

// What a read reports for a live document: the desired document verbatim when they mean the
// same (so the diff is clean), else the live one.
nlohmann::json report_policy(const nlohmann::json& live, const nlohmann::json* desired);

}  // namespace resources
