#include "resources/rds_common.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <thread>
#include <vector>

#include "aws/pagination.h"
#include "resources/common.h"
#include "resources/xml_util.h"

namespace resources::rds {

aws::Result<pugi::xml_node> call(aws::Client& c, const std::string& region, const std::string& action,
                                 const aws::Params& p, aws::XmlDoc& keep) {
  auto doc = c.query(aws::services::rds, region, action, p);
  if (!doc) return model::err(doc.error());
  keep = *doc;
  if (!keep) return model::err(local_error("MalformedResponse", "the reply is not XML", "rds", action));
  return aws::query_result(keep, action);
}

model::Status<aws::AwsError> describe_all(aws::Client& c, const std::string& region, const std::string& action,
                                          const std::string& list_name, const std::string& member_name,
                                          const std::function<bool(const pugi::xml_node&)>& on_item) {
  return aws::paginate_query(c, aws::services::rds, region, action, {}, [&](const pugi::xml_node& res) {
    for (auto item : xml::children(xml::child(res, list_name), member_name))
      if (!on_item(item)) return false;
    return true;
  });
}

void add_tags(aws::Params& p, const TagMap& tags) {
  int i = 1;
  for (const auto& [k, v] : tags) {
    const std::string prefix = "Tags.Tag." + std::to_string(i++);
    p.emplace_back(prefix + ".Key", k);
    p.emplace_back(prefix + ".Value", v);
  }
}

TagMap read_tags(const pugi::xml_node& tag_list) {
  TagMap tags;
  for (auto t : xml::children(tag_list, "Tag")) tags[xml::text(t, "Key")] = xml::text(t, "Value");
  return tags;
}

bool xml_bool(const pugi::xml_node& parent, std::string_view name) { return xml::text(parent, name) == "true"; }

aws::Result<model::Unit> sync_tags(aws::Client& c, const std::string& region, const std::string& arn,
                                   const TagMap& want, const TagMap& have) {
  const auto d = diff_tags(want, have);
  aws::XmlDoc keep;
  if (!d.set.empty()) {
    aws::Params p{{"ResourceName", arn}};
    add_tags(p, d.set);
    if (auto r = call(c, region, "AddTagsToResource", p, keep); !r) return model::err(r.error());
  }
  if (!d.remove.empty()) {
    aws::Params p{{"ResourceName", arn}};
    for (size_t i = 0; i < d.remove.size(); ++i) p.emplace_back("TagKeys.member." + std::to_string(i + 1), d.remove[i]);
    if (auto r = call(c, region, "RemoveTagsFromResource", p, keep); !r) return model::err(r.error());
  }
  return model::ok();
}

std::string partition_of(std::string_view region) {
  if (region.rfind("cn-", 0) == 0) return "aws-cn";
  if (region.rfind("us-gov-", 0) == 0) return "aws-us-gov";
  return "aws";
}

std::optional<Arn> parse_arn(std::string_view text) {
  // arn:partition:rds:region:account:kind:id (the id holds no ':' for instances and clusters).
  std::vector<std::string> parts;
  size_t start = 0;
  for (int i = 0; i < 6; ++i) {
    auto colon = text.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    parts.emplace_back(text.substr(start, colon - start));
    start = colon + 1;
  }
  parts.emplace_back(text.substr(start));
  if (parts[0] != "arn" || parts[2] != "rds" || parts[5].empty() || parts[6].empty()) return std::nullopt;
  return Arn{parts[1], parts[3], parts[4], parts[5], parts[6]};
}

std::string make_arn(const Arn& a) {
  return "arn:" + a.partition + ":rds:" + a.region + ":" + a.account + ":" + a.kind + ":" + a.id;
}

bool is_arn(std::string_view text) { return text.rfind("arn:", 0) == 0; }

bool same_identifier(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string report_source(const std::string& live, const std::string& desired, const std::string& source_region) {
  if (live.empty() || desired.empty()) return live;
  const auto live_arn = parse_arn(live);
  const auto want_arn = parse_arn(desired);
  if (!want_arn) {  // desired is an identifier
    if (!live_arn) return same_identifier(live, desired) ? desired : live;
    const bool same = same_identifier(live_arn->id, desired) && (source_region.empty() || live_arn->region == source_region);
    return same ? desired : live;
  }
  if (!live_arn) return same_identifier(live, want_arn->id) ? desired : live;
  const bool same = same_identifier(live_arn->id, want_arn->id) && live_arn->region == want_arn->region &&
                    live_arn->account == want_arn->account && live_arn->kind == want_arn->kind;
  return same ? desired : live;
}

std::string final_snapshot_id(const std::string& identifier, std::chrono::system_clock::time_point now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[16];
  std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
  return identifier.substr(0, 230) + "-final-" + stamp;
}

namespace {

bool is_stuck(const std::string& status) {
  return status == "failed" || status == "storage-full" || status == "inaccessible-encryption-credentials" ||
         status.rfind("incompatible-", 0) == 0;
}

}  // namespace

aws::Result<model::Unit> wait_for(const Poll& poll, const std::string& want, const WaitPolicy& policy,
                                  const std::string& what) {
  std::chrono::milliseconds waited{0};
  auto delay = policy.first_delay;
  std::string last = "unknown";
  for (;;) {
    auto seen = poll();
    if (!seen) return model::err(seen.error());
    if (!*seen) {
      if (want == "deleted") return model::ok();
      return model::err(local_error("WaitFailed", what + " disappeared while waiting for it to be " + want, "rds"));
    }
    last = **seen;
    if (last == want) return model::ok();
    if (is_stuck(last))
      return model::err(local_error("WaitFailed", what + " is " + last + "; it will not become " + want + " by itself", "rds"));
    if (waited >= policy.timeout) break;
    const auto step = std::min(delay, policy.timeout - waited);
    if (policy.sleep) policy.sleep(step);
    else std::this_thread::sleep_for(step);
    waited += step;
    delay = std::min(delay * 2, policy.max_delay);
  }
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(policy.timeout).count();
  return model::err(local_error("WaitTimeout",
                                what + " is still " + last + " after " +
                                    (minutes > 0 ? std::to_string(minutes) + " min"
                                                 : std::to_string(policy.timeout.count()) + " ms") +
                                    "; it was left as is: run apply again to wait for it",
                                "rds"));
}

namespace {

aws::Result<std::optional<std::string>> status_of(aws::Client& c, const std::string& region, const std::string& action,
                                                  const aws::Params& p, const std::string& list, const std::string& member,
                                                  const std::string& status_field, const char* not_found) {
  aws::XmlDoc keep;
  auto res = call(c, region, action, p, keep);
  if (!res) {
    if (has_code(res.error(), {not_found})) return std::optional<std::string>();
    return model::err(res.error());
  }
  auto item = xml::child(xml::child(*res, list), member);
  if (!item) return std::optional<std::string>();
  return std::optional<std::string>(xml::text(item, status_field));
}

}  // namespace

aws::Result<std::optional<std::string>> instance_status(aws::Client& c, const std::string& region,
                                                        const std::string& id) {
  return status_of(c, region, "DescribeDBInstances", {{"DBInstanceIdentifier", id}}, "DBInstances", "DBInstance",
                   "DBInstanceStatus", "DBInstanceNotFound");
}

aws::Result<std::optional<std::string>> cluster_status(aws::Client& c, const std::string& region,
                                                       const std::string& id) {
  return status_of(c, region, "DescribeDBClusters", {{"DBClusterIdentifier", id}}, "DBClusters", "DBCluster", "Status",
                   "DBClusterNotFoundFault");
}

aws::Result<std::optional<std::string>> global_cluster_status(aws::Client& c, const std::string& region,
                                                              const std::string& id) {
  return status_of(c, region, "DescribeGlobalClusters", {{"GlobalClusterIdentifier", id}}, "GlobalClusters",
                   "GlobalClusterMember", "Status", "GlobalClusterNotFoundFault");
}

}  // namespace resources::rds
