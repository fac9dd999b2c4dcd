#include "resources/tag_index.h"

#include "aws/pagination.h"

namespace resources {

aws::Result<TagIndex> tag_index(aws::Client& c, const std::string& region,
                                const std::vector<std::string>& type_filters) {
  TagIndex index;
  // 100 is the largest page GetResources allows. TagsPerPage is left out, as the model advises
  // (moto then still ends a page at 100 tags: more pages there than on AWS, never fewer tags).
  nlohmann::json body{{"ResourceTypeFilters", type_filters}, {"ResourcesPerPage", 100}};
  auto st = aws::paginate_json(
      c, aws::services::tagging, region, "GetResources", body,
      [&](const nlohmann::json& page) {
        if (!page.contains("ResourceTagMappingList") || !page["ResourceTagMappingList"].is_array()) return true;
        for (const auto& m : page["ResourceTagMappingList"]) {
          if (!m.is_object() || !m.contains("ResourceARN") || !m["ResourceARN"].is_string()) continue;
          TagMap& tags = index[m["ResourceARN"].get<std::string>()];  // "Tags": [] stays an entry: untagged
          if (!m.contains("Tags") || !m["Tags"].is_array()) continue;
          for (const auto& t : m["Tags"])
            if (t.is_object() && t.contains("Key") && t["Key"].is_string())
              tags[t["Key"].get<std::string>()] = t.contains("Value") && t["Value"].is_string()
                                                      ? t["Value"].get<std::string>() : "";
        }
        return true;
      },
      {"PaginationToken", "PaginationToken"});
  if (!st) return model::err(st.error());
  return index;
}

TagMap tags_in(const TagIndex& index, const std::string& arn) {
  auto it = index.find(arn);
  return it == index.end() ? TagMap{} : it->second;
}

}  // namespace resources
