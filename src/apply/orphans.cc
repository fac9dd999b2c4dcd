#include "apply/orphans.h"

#include <map>

namespace apply {
namespace {

// Whether `id` is a whole segment of `arn` (after ':' or '/', up to ':' or '/' or the end):
// "shop-assets-dr" names arn:aws:s3:::shop-assets-dr but not arn:aws:s3:::shop-assets-dr-2.
bool arn_names(const std::string& arn, const std::string& id) {
  for (size_t p = arn.find(id); p != std::string::npos; p = arn.find(id, p + 1)) {
    const bool starts = p > 0 && (arn[p - 1] == ':' || arn[p - 1] == '/');
    const size_t end = p + id.size();
    const bool ends = end == arn.size() || arn[end] == ':' || arn[end] == '/';
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

model::Result<std::vector<Orphan>, std::string> find_orphans(resources::Context& ctx,
                                                             state::Store& store,
                                                             const std::vector<std::string>& regions) {
  auto records = store.resources();
  if (!records.ok()) return model::err("reading state: " + records.error().message);
  std::map<std::string, std::string> cloud_id;  // address -> id
  for (const auto& r : records.value()) cloud_id[r.address] = r.cloud_id;

  std::vector<Orphan> out;
  std::set<std::string> seen;
  for (const auto& region : regions) {
    std::string token;
    do {
      nlohmann::json body{{"TagFilters", {{{"Key", "drctl:stack"}, {"Values", {ctx.stack}}}}},
                          {"ResourcesPerPage", 100}};
      if (!token.empty()) body["PaginationToken"] = token;
      auto page = ctx.aws.json(aws::services::tagging, region, "GetResources", body);
      if (!page.ok()) return model::err(page.error().describe());
      const auto& reply = page.value();
      const auto mappings = reply.contains("ResourceTagMappingList") && reply.at("ResourceTagMappingList").is_array()
                                ? reply.at("ResourceTagMappingList") : nlohmann::json::array();
      for (const auto& m : mappings) {
        if (!m.is_object() || !m.contains("ResourceARN") || !m.at("ResourceARN").is_string()) continue;
        const std::string arn = m.at("ResourceARN").get<std::string>();
        if (arn.empty() || !seen.insert(arn).second) continue;
        std::string address;
        const auto tags = m.contains("Tags") && m.at("Tags").is_array() ? m.at("Tags") : nlohmann::json::array();
        for (const auto& t : tags)
          if (t.is_object() && t.value("Key", nlohmann::json()) == "drctl:address" &&
              t.contains("Value") && t.at("Value").is_string())
            address = t.at("Value").get<std::string>();
        auto known = cloud_id.find(address);
        if (known == cloud_id.end()) {
          out.push_back({arn, region, address, address.empty() ? "no drctl:address tag" : "not in state"});
        } else if (!known->second.empty() && !arn_names(arn, known->second)) {
          // Same address, another object: a duplicate left by an interrupted create.
          out.push_back({arn, region, address,
                         "state knows " + address + " as " + known->second + ", not this object"});
        }
      }
      token = reply.contains("PaginationToken") && reply.at("PaginationToken").is_string()
                  ? reply.at("PaginationToken").get<std::string>() : "";
    } while (!token.empty());
  }
  return out;
}

}  // namespace apply
