// Route 53 (rest-xml, API 2013-04-01) plumbing shared by route53.health_check and
// route53.failover_record: request bodies in the Route 53 namespace, calls that parse the XML
// reply, DNS name normalisation, and the ListResourceRecordSets walk.
//
// Route 53 is global: the client signs every call for us-east-1 whatever region is passed.
// Pure functions over the given Client; thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "aws/client.h"
#include "resources/xml_util.h"

namespace resources::r53 {

inline constexpr std::string_view kNamespace = "https://route53.amazonaws.com/doc/2013-04-01/";
inline constexpr std::string_view kApi = "/2013-04-01";

// A document whose root element is `root` carrying the Route 53 namespace.
pugi::xml_document make(const char* root);
// Appends <name>text</name> to parent.
using xml::add;
// The document without declaration or indentation.
using xml::to_string;

// A call to kApi + path; an XML body is sent as application/xml.
aws::RestRequest request(const std::string& operation, const std::string& method,
                         const std::string& path, aws::Params query = {}, std::string body = "");
// Sends it and parses the reply; an empty 2xx body gives an empty document, a non-XML one is a
// MalformedResponse error.
aws::Result<aws::XmlDoc> call(aws::Client& c, const std::string& region, const aws::RestRequest& r);

// "Z123" from "Z123" or "/hostedzone/Z123".
std::string zone_id(std::string_view id);

// A DNS name as Route 53 compares it: lower case, octal escapes ("\052" for '*') decoded,
// with exactly one trailing dot.
std::string normalize_name(std::string_view name);
bool same_name(std::string_view a, std::string_view b);

// One resource record set as ListResourceRecordSets returns it (only the members drctl uses;
// a weighted or latency record reads with an empty failover).
struct RecordSet {
  std::string name;  // as returned (normalised by Route 53: lower case, trailing dot)
  std::string type;
  std::string set_identifier;
  std::string failover;  // PRIMARY | SECONDARY | ""
  std::optional<long long> ttl;
  std::vector<std::string> records;
  struct Alias {
    std::string zone_id, dns_name;
    bool evaluate_target_health = false;
  };
  std::optional<Alias> alias;
  std::string health_check_id;
};

RecordSet parse_record_set(pugi::xml_node rrset);
// The <ResourceRecordSet> element for a Change, members in the model's order.
void append_record_set(pugi::xml_node change, const RecordSet& rs);
// A ChangeResourceRecordSets request with one change (UPSERT or DELETE) for `zone`.
aws::RestRequest change_request(const std::string& zone, const std::string& action,
                                const RecordSet& rs, const std::string& comment);

// Walks ListResourceRecordSets of a zone from (start_name, start_type), following
// NextRecordName/NextRecordType/NextRecordIdentifier while IsTruncated. on_record returns false
// to stop. A reply naming the position it was asked for is a PaginationLoop error.
aws::Result<model::Unit> list_record_sets(aws::Client& c, const std::string& region,
                                          const std::string& zone, const std::string& start_name,
                                          const std::function<bool(const RecordSet&)>& on_record);

}  // namespace resources::r53
