// Pagination helpers for the common token patterns, so resource types write one paginate_*()
// call instead of a loop. Each helper calls on_page for every page, in order, and stops when
// the reply has no next token, when on_page returns false, or on the first error (returned).
// A service that repeats the token it was given would loop forever: that is reported as an
// error ("PaginationLoop"), as is running past max_pages.
#pragma once

#include <functional>
#include <string>

#include "aws/client.h"

namespace aws {

struct TokenNames {
  std::string input = "NextToken";   // request member / query parameter carrying the token
  std::string output = "NextToken";  // reply member carrying the next token
};

struct PageLimits {
  int max_pages = 10000;
};

// json 1.0/1.1: the token is a top-level member of the request and the reply
// (DynamoDB ListTables: {"ExclusiveStartTableName", "LastEvaluatedTableName"}).
model::Status<AwsError> paginate_json(Client& client, const Service& s, const std::string& region,
                                      const std::string& operation, nlohmann::json body,
                                      const std::function<bool(const nlohmann::json& page)>& on_page,
                                      const TokenNames& names = {}, PageLimits limits = {});

// rest-json: the token goes out as a query parameter (Backup: "nextToken") and comes back as a
// top-level reply member ("NextToken").
model::Status<AwsError> paginate_rest_json(Client& client, const Service& s, const std::string& region,
                                           RestRequest request,
                                           const std::function<bool(const nlohmann::json& page)>& on_page,
                                           const TokenNames& names = {"nextToken", "NextToken"},
                                           PageLimits limits = {});

// query / ec2: the token is a form parameter ("Marker" for RDS/IAM/Auto Scaling, "NextToken"
// for EC2/SNS/CloudWatch) and comes back inside <ActionResult> (or directly under the root for
// ec2). on_page gets that result node. IAM also signals the end with <IsTruncated>false.
model::Status<AwsError> paginate_query(Client& client, const Service& s, const std::string& region,
                                       const std::string& action, Params params,
                                       const std::function<bool(const pugi::xml_node& result)>& on_page,
                                       const TokenNames& names = {"Marker", "Marker"},
                                       PageLimits limits = {});

// The <ActionResult> node of a query reply, or the root element for ec2 replies.
pugi::xml_node query_result(const XmlDoc& doc, const std::string& action);

}  // namespace aws
