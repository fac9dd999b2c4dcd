#include "resources/backup_common.h"

#include "aws/pagination.h"
#include "resources/common.h"

namespace resources::backup {

aws::RestRequest request(std::string operation, std::string method, std::string path,
                         const nlohmann::json& body) {
  aws::RestRequest r;
  r.operation = std::move(operation);
  r.method = std::move(method);
  r.path = std::move(path);
  if (!body.is_null()) {
    r.body = json_text(body);
    r.content_type = "application/json";
  }
  return r;
}

aws::Result<nlohmann::json> call(aws::Client& c, const std::string& region, const aws::RestRequest& r) {
  auto res = c.rest_json(aws::services::backup, region, r);
  if (res && !res->is_object())  // every Backup reply is an object; readers rely on it
    return model::err(local_error("MalformedResponse", "the reply is not a JSON object", "backup", r.operation));
  return res;
}

model::Status<aws::AwsError> paginate(aws::Client& c, const std::string& region, aws::RestRequest r,
                                      const std::function<bool(const nlohmann::json&)>& on_page) {
  return aws::paginate_rest_json(c, aws::services::backup, region, std::move(r), on_page);
}

aws::Result<TagMap> list_tags(aws::Client& c, const std::string& region, const std::string& arn) {
  TagMap tags;
  auto st = paginate(c, region, request("ListTags", "GET", "/tags/" + arn + "/"), [&](const nlohmann::json& page) {
    if (page.contains("Tags") && page["Tags"].is_object())
      for (auto it = page["Tags"].begin(); it != page["Tags"].end(); ++it)
        if (it->is_string()) tags[it.key()] = it->get<std::string>();
    return true;
  });
  if (!st) return model::err(st.error());
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
