#include "resources/backup_common.h"

#include "resources/common.h"

namespace resources::backup {

aws::RestRequest request(std::string operation, std::string method, std::string path,
                         const nlohmann::json& body) {
  aws::RestRequest r;
  r.operation = std::move(operation);
  r.method = std::move(method);
  r.path = std::move(path);
  if (!body.is_null()) {
    r.body = body.dump();
    r.content_type = "application/json";
  }
  return r;
}

aws::Result<nlohmann::json> call(aws::Client& c, const std::string& region, const aws::RestRequest& r) {
  return c.rest_json(aws::services::backup, region, r);
}

aws::Result<TagMap> list_tags(aws::Client& c, const std::string& region, const std::string& arn) {
  TagMap tags;
  std::string token;
  do {
    auto r = request("ListTags", "GET", "/tags/" + arn + "/");
    if (!token.empty()) r.query.push_back({"nextToken", token});
    auto res = call(c, region, r);
    if (!res) return model::err(res.error());
    if (res->contains("Tags") && (*res)["Tags"].is_object())
      for (auto it = (*res)["Tags"].begin(); it != (*res)["Tags"].end(); ++it)
        if (it->is_string()) tags[it.key()] = it->get<std::string>();
    token = get_string(*res, "NextToken", "");
  } while (!token.empty());
  return tags;
}

aws::Result<model::Unit> sync_tags(aws::Client& c, const std::string& region, const std::string& arn,
                                   const TagMap& want, const TagMap& have) {
  const auto d = diff_tags(want, have);
  if (!d.set.empty()) {
    auto res = call(c, region, request("TagResource", "POST", "/tags/" + arn, {{"Tags", tag_json(d.set)}}));
    if (!res) return model::err(res.error());
  }
  if (!d.remove.empty()) {
    auto res = call(c, region, request("UntagResource", "POST", "/untag/" + arn, {{"TagKeyList", d.remove}}));
    if (!res) return model::err(res.error());
  }
  return model::ok();
}

}  // namespace resources::backup
