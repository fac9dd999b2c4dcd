#include "resources/dynamodb_table.h"

#include "resources/common.h"

namespace resources::ddb {

using nlohmann::json;

namespace {
// j[key] when j is an object holding an object there, else {} (json::value() would throw on a
// reply that is not an object).
json obj(const json& j, const char* key) {
  if (!j.is_object()) return json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : json::object();
}
}  // namespace

aws::Result<std::optional<json>> describe_table(aws::Client& c, const std::string& region, const std::string& table) {
  auto res = c.json(aws::services::dynamodb, region, "DescribeTable", {{"TableName", table}});
  if (!res) {
    if (has_code(res.error(), {"ResourceNotFoundException"})) return std::optional<json>{};
    return model::err(res.error());
  }
  json t = obj(*res, "Table");
  if (t.empty())
    return model::err(local_error("MalformedResponse", "DescribeTable reply has no Table", "dynamodb", "DescribeTable"));
  return std::optional<json>{std::move(t)};
}

aws::Result<json> update_table(aws::Client& c, const std::string& region, const std::string& table, json body) {
  body["TableName"] = table;
  auto res = c.json(aws::services::dynamodb, region, "UpdateTable", body);
  if (!res) return model::err(res.error());
  return obj(*res, "TableDescription");
}

aws::Result<std::optional<bool>> pitr_enabled(aws::Client& c, const std::string& region, const std::string& table) {
  auto res = c.json(aws::services::dynamodb, region, "DescribeContinuousBackups", {{"TableName", table}});
  if (!res) {
    if (has_code(res.error(), {"TableNotFoundException"})) return std::optional<bool>{};
    return model::err(res.error());
  }
  const json pitr = obj(obj(*res, "ContinuousBackupsDescription"), "PointInTimeRecoveryDescription");
  return std::optional<bool>{get_string(pitr, "PointInTimeRecoveryStatus", "") == "ENABLED"};
}

aws::Result<model::Unit> set_pitr(aws::Client& c, const std::string& region, const std::string& table, bool enabled) {
  auto res = c.json(aws::services::dynamodb, region, "UpdateContinuousBackups",
                    {{"TableName", table},
                     {"PointInTimeRecoverySpecification", {{"PointInTimeRecoveryEnabled", enabled}}}});
  if (!res) return model::err(res.error());
  return model::ok();
}

const json* find_replica(const json& table, const std::string& region) {
  auto it = table.find("Replicas");
  if (it == table.end() || !it->is_array()) return nullptr;
  for (const auto& r : *it)
    if (get_string(r, "RegionName", "") == region) return &r;
  return nullptr;
}

bool streams_ready(const json& table) {
  const json spec = obj(table, "StreamSpecification");
  return get_bool(spec, "StreamEnabled", false) && get_string(spec, "StreamViewType", "") == "NEW_AND_OLD_IMAGES";
}

bool streams_on_other_view(const json& table) {
  const json spec = obj(table, "StreamSpecification");
  return get_bool(spec, "StreamEnabled", false) && get_string(spec, "StreamViewType", "") != "NEW_AND_OLD_IMAGES";
}

json replica_attrs(const json& table, const json& replica, const std::string& replica_region, bool pitr) {
  json a = {{"table", get_string(table, "TableName", "")},
            {"replica_region", replica_region},
            {"pitr", pitr},
            {"replica_status", get_string(replica, "ReplicaStatus", "")},
            {"table_arn", get_string(table, "TableArn", "")}};
  if (auto k = get_string(replica, "KMSMasterKeyId", ""); !k.empty()) a["kms_key_id"] = k;
  return a;
}

std::string replica_id(const std::string& table, const std::string& region) { return table + "/" + region; }

std::pair<std::string, std::string> split_replica_id(const std::string& id) {
  // Table names cannot hold '/', region names neither: the last '/' separates them.
  const auto slash = id.rfind('/');
  if (slash == std::string::npos) return {"", ""};
  return {id.substr(0, slash), id.substr(slash + 1)};
}

}  // namespace resources::ddb
