// The DynamoDB calls dynamodb.replica makes (json 1.0, DynamoDB_20120810), with their
// not-found codes turned into "absent" and everything else returned as an error, plus the
// mapping of a TableDescription to the replica's live attributes. Stateless, thread-safe.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "aws/client.h"

namespace resources::ddb {

// DescribeTable -> the "Table" object; nullopt on ResourceNotFoundException (no such table).
aws::Result<std::optional<nlohmann::json>> describe_table(aws::Client& c, const std::string& region,
                                                          const std::string& table);

// UpdateTable with `body` (TableName added); returns the TableDescription.
aws::Result<nlohmann::json> update_table(aws::Client& c, const std::string& region, const std::string& table,
                                         nlohmann::json body);

// DescribeContinuousBackups -> whether point-in-time recovery is ENABLED; nullopt on
// TableNotFoundException (a replica table not created yet in its region).
aws::Result<std::optional<bool>> pitr_enabled(aws::Client& c, const std::string& region, const std::string& table);

// UpdateContinuousBackups PointInTimeRecoveryEnabled = enabled.
aws::Result<model::Unit> set_pitr(aws::Client& c, const std::string& region, const std::string& table, bool enabled);

// The Replicas[] entry of `region` in a TableDescription, or nullptr.
const nlohmann::json* find_replica(const nlohmann::json& table, const std::string& region);

// True when streams are on with NEW_AND_OLD_IMAGES, as a 2019.11.21 global table needs.
bool streams_ready(const nlohmann::json& table);
// True when streams are on with another view type (changing it would cut off the stream's
// consumers, so drctl refuses instead).
bool streams_on_other_view(const nlohmann::json& table);

// Live attributes of the replica of `table` (a TableDescription) in `replica_region`:
// table, replica_region, pitr, replica_status, table_arn, kms_key_id (when AWS reports one).
nlohmann::json replica_attrs(const nlohmann::json& table, const nlohmann::json& replica,
                             const std::string& replica_region, bool pitr);

// "<table>/<region>" and back (a missing or malformed id gives empty parts).
std::string replica_id(const std::string& table, const std::string& region);
std::pair<std::string, std::string> split_replica_id(const std::string& id);

}  // namespace resources::ddb
