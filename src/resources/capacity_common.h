// Helpers shared by autoscaling.capacity, ecs.capacity, sns.topic and cloudwatch.alarm:
// query-protocol list serialisation, the "tags drctl manages" rule for objects that belong to
// the user, number normalisation, and a one-call query helper that returns <ActionResult>.
// Pure functions (call_query aside, which only calls the client); thread-safe.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "resources/tags.h"

namespace resources::capacity {

// Query protocol, non-flattened list: name.member.1=a, name.member.2=b ...
void add_member_list(aws::Params& p, const std::string& name, const std::vector<std::string>& values);
// name.member.N.Key / name.member.N.Value, keys in order.
void add_tag_list(aws::Params& p, const std::string& name, const TagMap& tags);

// Tags of an object that belongs to the user (an Auto Scaling group, an ECS service), as
// live attrs report them: only keys that start with "drctl:" plus keys the desired `tags`
// name. The user's own tags stay out of plans, and tag sync never removes them.
TagMap managed_tags(const TagMap& live, const nlohmann::json& desired_attrs);

// A number as JSON: integral values become integers (300.0 -> 300) so that "300" written
// by a module and "300.0" answered by AWS compare equal everywhere.
nlohmann::json number(double v);
// Parses a decimal text ("300", "300.0", "1e3"); null when it is not a number.
nlohmann::json number_text(const std::string& text);

// Lists ordered like the desired list: the desired elements that live has, in desired order,
// then live's other elements in their own order. Equal sets give exactly `want`.
nlohmann::json order_like(const nlohmann::json& live, const nlohmann::json& want);

// One query call; on success `keep` holds the document and the <ActionResult> node is
// returned (the root element when the reply has none).
aws::Result<pugi::xml_node> call_query(aws::Client& c, const aws::Service& s, const std::string& region,
                                       const std::string& action, const aws::Params& p, aws::XmlDoc& keep);

// Splits items into chunks of at most n.
std::vector<std::vector<std::string>> chunks(const std::vector<std::string>& items, size_t n);

}  // namespace resources::capacity
