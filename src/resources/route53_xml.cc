#include "resources/route53_xml.h"

#include <sstream>
#include <tuple>

#include "aws/encoding.h"
#include "resources/common.h"

namespace resources::r53 {

pugi::xml_document make(const char* root) { return xml::document(root, kNamespace); }

aws::RestRequest request(const std::string& operation, const std::string& method,
                         const std::string& path, aws::Params query, std::string body) {
  aws::RestRequest r;
  r.operation = operation;
  r.method = method;
  r.path = std::string(kApi) + path;
  r.query = std::move(query);
  if (!body.empty()) {
    r.body = std::move(body);
    r.content_type = "application/xml";
  }
  return r;
}

aws::Result<aws::XmlDoc> call(aws::Client& c, const std::string& region, const aws::RestRequest& r) {
  auto resp = c.rest(aws::services::route53, region, r);
  if (!resp) return model::err(resp.error());
  if (aws::trim(resp->body).empty()) return std::make_shared<pugi::xml_document>();
  auto doc = aws::parse_xml(resp->body);
  if (!doc) return model::err(local_error("MalformedResponse", "the reply is not XML", "route53", r.operation));
  return doc;
}

std::string zone_id(std::string_view id) {
  constexpr std::string_view prefix = "/hostedzone/";
  if (id.substr(0, prefix.size()) == prefix) id.remove_prefix(prefix.size());
  return std::string(id);
}

std::string normalize_name(std::string_view name) {
  // Route 53 answers names in lower case with characters outside [a-z0-9-_.] as three-digit
  // octal escapes ("\052.example.com." for "*.example.com").
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    const char ch = name[i];
    if (ch == '\\' && i + 3 < name.size() && name[i + 1] >= '0' && name[i + 1] <= '3' &&
        name[i + 2] >= '0' && name[i + 2] <= '7' && name[i + 3] >= '0' && name[i + 3] <= '7') {
      out += static_cast<char>((name[i + 1] - '0') * 64 + (name[i + 2] - '0') * 8 + (name[i + 3] - '0'));
      i += 3;
      continue;
    }
    out += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out + ".";
}

bool same_name(std::string_view a, std::string_view b) { return normalize_name(a) == normalize_name(b); }

RecordSet parse_record_set(pugi::xml_node n) {
  RecordSet rs;
  rs.name = xml::text(n, "Name");
  rs.type = xml::text(n, "Type");
  rs.set_identifier = xml::text(n, "SetIdentifier");
  rs.failover = xml::text(n, "Failover");
  if (auto ttl = xml::child(n, "TTL")) rs.ttl = ttl.text().as_llong();
  for (auto r : xml::children(xml::child(n, "ResourceRecords"), "ResourceRecord"))
    rs.records.push_back(xml::text(r, "Value"));
  if (auto a = xml::child(n, "AliasTarget")) {
    rs.alias = RecordSet::Alias{xml::text(a, "HostedZoneId"), xml::text(a, "DNSName"),
                                xml::text(a, "EvaluateTargetHealth") == "true"};
    rs.ttl.reset();  // an alias has no TTL of its own (moto answers TTL 0 for it)
  }
  rs.health_check_id = xml::text(n, "HealthCheckId");
  return rs;
}

void append_record_set(pugi::xml_node change, const RecordSet& rs) {
  auto n = change.append_child("ResourceRecordSet");
  add(n, "Name", rs.name);
  add(n, "Type", rs.type);
  if (!rs.set_identifier.empty()) add(n, "SetIdentifier", rs.set_identifier);
  if (!rs.failover.empty()) add(n, "Failover", rs.failover);
  if (rs.alias) {
    auto a = n.append_child("AliasTarget");
    add(a, "HostedZoneId", rs.alias->zone_id);
    add(a, "DNSName", rs.alias->dns_name);
    add(a, "EvaluateTargetHealth", rs.alias->evaluate_target_health ? "true" : "false");
  } else {
    if (rs.ttl) add(n, "TTL", std::to_string(*rs.ttl));
    auto records = n.append_child("ResourceRecords");
    for (const auto& v : rs.records) add(records.append_child("ResourceRecord"), "Value", v);
  }
  if (!rs.health_check_id.empty()) add(n, "HealthCheckId", rs.health_check_id);
}

aws::RestRequest change_request(const std::string& zone, const std::string& action,
                                const RecordSet& rs, const std::string& comment) {
  auto doc = make("ChangeResourceRecordSetsRequest");
  auto batch = doc.document_element().append_child("ChangeBatch");
  if (!comment.empty()) add(batch, "Comment", comment);
  auto change = batch.append_child("Changes").append_child("Change");
  add(change, "Action", action);
  append_record_set(change, rs);
  return request("ChangeResourceRecordSets", "POST", "/hostedzone/" + zone + "/rrset/", {}, to_string(doc));
}

aws::Result<model::Unit> list_record_sets(aws::Client& c, const std::string& region,
                                          const std::string& zone, const std::string& start_name,
                                          const std::function<bool(const RecordSet&)>& on_record) {
  using Position = std::tuple<std::string, std::string, std::string>;  // name, type, identifier
  Position at{start_name, "", ""};
  for (int page = 0; page < 10000; ++page) {
    aws::Params query;
    if (!std::get<0>(at).empty()) query.emplace_back("name", std::get<0>(at));
    if (!std::get<1>(at).empty()) query.emplace_back("type", std::get<1>(at));
    if (!std::get<2>(at).empty()) query.emplace_back("identifier", std::get<2>(at));
    auto doc = call(c, region, request("ListResourceRecordSets", "GET", "/hostedzone/" + zone + "/rrset", query));
    if (!doc) return model::err(doc.error());
    auto root = (*doc)->document_element();
    for (auto n : xml::children(xml::child(root, "ResourceRecordSets"), "ResourceRecordSet"))
      if (!on_record(parse_record_set(n))) return model::ok();
    if (xml::text(root, "IsTruncated") != "true") return model::ok();
    Position next{xml::text(root, "NextRecordName"), xml::text(root, "NextRecordType"),
                  xml::text(root, "NextRecordIdentifier")};
    if (std::get<0>(next).empty() || next == at)
      return model::err(local_error("PaginationLoop", "ListResourceRecordSets did not move past " +
                                    std::get<0>(at) + " " + std::get<1>(at), "route53",
                                    "ListResourceRecordSets"));
    at = std::move(next);
  }
  return model::err(local_error("PaginationLoop", "ListResourceRecordSets: too many pages", "route53",
                                "ListResourceRecordSets"));
}

}  // namespace resources::r53
