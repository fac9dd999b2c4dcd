// Helpers shared by the RDS types (rds.replica, rds.global_cluster): query calls, tag
// serialisation in RDS's wire shape, ARN building and parsing, the form in which a live source
// is reported, final snapshot names, and a bounded waiter. Pure functions or calls through the
// given Client; thread-safe.
//
// Wire shapes follow botocore's data/rds/2014-10-31 model: TagList members are named "Tag", so
// Tags go out as Tags.Tag.N.Key / Tags.Tag.N.Value; KeyList has no member name, so tag keys go
// out as TagKeys.member.N. Booleans are "true" / "false".
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <pugixml.hpp>

#include "aws/client.h"
#include "resources/resource_type.h"
#include "resources/tags.h"

namespace resources::rds {

// One RDS query call; returns the <ActionResult> node (kept alive by `keep`).
aws::Result<pugi::xml_node> call(aws::Client& c, const std::string& region, const std::string& action,
                                 const aws::Params& p, aws::XmlDoc& keep);

// Every element named `member_name` under <list_name> of every page of a Marker-paginated
// describe (DescribeDBInstances: "DBInstances"/"DBInstance"). on_item returns false to stop.
model::Status<aws::AwsError> describe_all(aws::Client& c, const std::string& region, const std::string& action,
                                          const std::string& list_name, const std::string& member_name,
                                          const std::function<bool(const pugi::xml_node&)>& on_item);

void add_tags(aws::Params& p, const TagMap& tags);   // Tags.Tag.N.Key / .Value
TagMap read_tags(const pugi::xml_node& tag_list);    // <TagList><Tag><Key/><Value/></Tag>...
inline const char* boolean(bool b) { return b ? "true" : "false"; }
bool xml_bool(const pugi::xml_node& parent, std::string_view name);

// Brings an RDS resource's tags from `have` to `want`: AddTagsToResource, RemoveTagsFromResource.
aws::Result<model::Unit> sync_tags(aws::Client& c, const std::string& region, const std::string& arn,
                                   const TagMap& want, const TagMap& have);

// "aws", "aws-cn" (cn-*), "aws-us-gov" (us-gov-*).
std::string partition_of(std::string_view region);

struct Arn {
  std::string partition, region, account, kind, id;  // kind: "db", "cluster", "global-cluster"
};
// arn:<partition>:rds:<region>:<account>:<kind>:<id>; nullopt when the text is not such an ARN.
std::optional<Arn> parse_arn(std::string_view text);
std::string make_arn(const Arn& a);
bool is_arn(std::string_view text);

// The value of a live source reference (instance or cluster, identifier or ARN) in the form the
// desired value uses, so that an identifier-vs-ARN spelling never shows as a change:
//  - desired is an identifier and live an ARN naming the same id in `source_region`: desired;
//  - desired is an ARN and live an identifier (same-region source) or an ARN naming the same
//    region and id: desired;
//  - otherwise live as AWS gave it (a real difference).
// Identifiers compare case-insensitively (RDS stores them in lower case).
std::string report_source(const std::string& live, const std::string& desired, const std::string& source_region);
bool same_identifier(std::string_view a, std::string_view b);

// "<identifier>-final-<yyyymmddhhmmss>": a DBSnapshotIdentifier for the final snapshot of a
// delete, valid by RDS's rules (letters, digits, single hyphens, at most 255 characters).
std::string final_snapshot_id(const std::string& identifier, std::chrono::system_clock::time_point now);

// A bounded poll. The clock is virtual: time advances by the delays slept, so tests pass a
// no-op sleep and a short timeout. Delays grow from first_delay by x2 up to max_delay.
struct WaitPolicy {
  std::chrono::milliseconds timeout = std::chrono::minutes(40);
  std::chrono::milliseconds first_delay = std::chrono::seconds(5);
  std::chrono::milliseconds max_delay = std::chrono::seconds(60);
  std::function<void(std::chrono::milliseconds)> sleep;  // empty: std::this_thread::sleep_for
};

// What one poll saw: the object's status ("available", "modifying"), or nullopt when it is gone.
using Poll = std::function<aws::Result<std::optional<std::string>>()>;

// Polls until the status is `want` ("available"). Fails at once on a failed poll, on a status
// RDS never leaves by itself ("failed", "incompatible-*", "storage-full",
// "inaccessible-encryption-credentials"), or when the object is gone and `want` is not
// "deleted"; fails with code "WaitTimeout" after policy.timeout. `what` names the object in errors.
aws::Result<model::Unit> wait_for(const Poll& poll, const std::string& want, const WaitPolicy& policy,
                                  const std::string& what);

// The status of one DB instance / DB cluster / global cluster (nullopt when not found).
aws::Result<std::optional<std::string>> instance_status(aws::Client& c, const std::string& region,
                                                        const std::string& id);
aws::Result<std::optional<std::string>> cluster_status(aws::Client& c, const std::string& region,
                                                       const std::string& id);
aws::Result<std::optional<std::string>> global_cluster_status(aws::Client& c, const std::string& region,
                                                              const std::string& id);

// The types with a chosen wait policy (tests); rds_replica_type() / rds_global_cluster_type()
// use the default one.
std::unique_ptr<ResourceType> make_replica_type(WaitPolicy policy);
std::unique_ptr<ResourceType> make_global_cluster_type(WaitPolicy policy);

}  // namespace resources::rds
