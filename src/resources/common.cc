#include "resources/common.h"

#include "aws/encoding.h"
#include "model/resource.h"

namespace resources {

ReadOutcome found(Live live) {
  ReadOutcome o;
  o.status = ReadStatus::found;
  o.live = std::move(live);
  return o;
}

ReadOutcome absent() { return ReadOutcome{}; }

ReadOutcome failed(aws::AwsError e) {
  ReadOutcome o;
  o.status = ReadStatus::failed;
  o.error = std::move(e);
  return o;
}

aws::AwsError local_error(std::string code, std::string message, std::string_view service,
                          std::string_view operation) {
  aws::AwsError e;
  e.code = std::move(code);
  e.message = std::move(message);
  e.service = std::string(service);
  e.operation = std::string(operation);
  return e;
}

bool has_code(const aws::AwsError& e, std::initializer_list<std::string_view> codes) {
  for (auto c : codes)
    if (e.code == c) return true;
  return false;
}

std::string creator_request_id(std::string_view stack, std::string_view address) {
  std::string input(stack);
  input += "/";
  input += address;
  return "drctl-" + aws::sha256_hex(input).substr(0, 32);
}

bool is_unresolved(const nlohmann::json& v) { return !model::find_references(v).empty(); }

std::string str_attr(const nlohmann::json& attrs, const std::string& key) {
  if (!attrs.is_object()) return "";
  auto it = attrs.find(key);
  return it != attrs.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string get_string(const nlohmann::json& j, const std::string& key, const std::string& def) {
  if (!j.is_object()) return def;
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : def;
}

long long get_int(const nlohmann::json& j, const std::string& key, long long def) {
  if (!j.is_object()) return def;
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<long long>() : def;
}

bool get_bool(const nlohmann::json& j, const std::string& key, bool def) {
  if (!j.is_object()) return def;
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() ? it->get<bool>() : def;
}

std::string json_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string id_or_attr(const Target& t, const std::string& name_key) {
  return t.id.empty() ? str_attr(t.attrs, name_key) : t.id;
}

}  // namespace resources
