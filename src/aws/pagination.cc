#include "aws/pagination.h"

#include <set>

namespace aws {

namespace {

AwsError loop_error(const Service& s, const std::string& region, const std::string& op, const std::string& why) {
  AwsError e;
  e.code = "PaginationLoop";
  e.message = why;
  e.service = s.id;
  e.operation = op;
  e.region = region;
  return e;
}

std::string json_token(const nlohmann::json& page, const std::string& name) {
  auto it = page.find(name);
  if (it == page.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// Shared loop: fetch(token) returns the next token ("" = done) or an error.
template <typename Fetch>
model::Status<AwsError> drive(const Service& s, const std::string& region, const std::string& op,
                              PageLimits limits, Fetch fetch) {
  std::set<std::string> seen;
  std::string token;
  for (int page = 0;; ++page) {
    if (page >= limits.max_pages)
      return model::err(loop_error(s, region, op, "more than " + std::to_string(limits.max_pages) + " pages"));
    bool more = true;
    auto next = fetch(token, more);
    if (!next.ok()) return model::err(next.error());
    if (!more || next->empty()) return model::ok();
    if (!seen.insert(*next).second)
      return model::err(loop_error(s, region, op, "the service repeated a pagination token"));
    token = *next;
  }
}

}  // namespace

model::Status<AwsError> paginate_json(Client& client, const Service& s, const std::string& region,
                                      const std::string& operation, nlohmann::json body,
                                      const std::function<bool(const nlohmann::json&)>& on_page,
                                      const TokenNames& names, PageLimits limits) {
  if (!body.is_object()) body = nlohmann::json::object();
  return drive(s, region, operation, limits, [&](const std::string& token, bool& more) -> Result<std::string> {
    if (!token.empty()) {
      // Most tokens are strings; DynamoDB's LastEvaluatedKey is an object (kept as JSON text).
      auto parsed = nlohmann::json::parse(token, nullptr, /*allow_exceptions=*/false);
      body[names.input] = parsed.is_object() ? parsed : nlohmann::json(token);
    }
    auto page = client.json(s, region, operation, body);
    if (!page.ok()) return model::err(page.error());
    more = on_page(*page);
    return json_token(*page, names.output);
  });
}

model::Status<AwsError> paginate_rest_json(Client& client, const Service& s, const std::string& region,
                                           RestRequest request,
                                           const std::function<bool(const nlohmann::json&)>& on_page,
                                           const TokenNames& names, PageLimits limits) {
  const Params base_query = request.query;
  return drive(s, region, request.operation, limits, [&](const std::string& token, bool& more) -> Result<std::string> {
    request.query = base_query;
    if (!token.empty()) request.query.emplace_back(names.input, token);
    auto page = client.rest_json(s, region, request);
    if (!page.ok()) return model::err(page.error());
    more = on_page(*page);
    return json_token(*page, names.output);
  });
}

pugi::xml_node query_result(const XmlDoc& doc, const std::string& action) {
  if (!doc) return {};
  pugi::xml_node root = doc->document_element();
  pugi::xml_node result = root.child((action + "Result").c_str());
  return result ? result : root;
}

model::Status<AwsError> paginate_query(Client& client, const Service& s, const std::string& region,
                                       const std::string& action, Params params,
                                       const std::function<bool(const pugi::xml_node&)>& on_page,
                                       const TokenNames& names, PageLimits limits) {
  const Params base = params;
  return drive(s, region, action, limits, [&](const std::string& token, bool& more) -> Result<std::string> {
    params = base;
    if (!token.empty()) params.emplace_back(names.input, token);
    auto doc = client.query(s, region, action, params);
    if (!doc.ok()) return model::err(doc.error());
    pugi::xml_node result = query_result(*doc, action);
    more = on_page(result);
    if (pugi::xml_node t = result.child("IsTruncated"); t && std::string(t.text().as_string()) == "false")
      return std::string();
    return std::string(result.child(names.output.c_str()).text().as_string());
  });
}

}  // namespace aws
