// Every resource the shipped modules produce, for every example stack and every strategy, has
// exactly the attribute keys (and JSON types) src/resources/README.md lists for its type, and
// carries drctl:stack / drctl:address tags wherever the type has tags.
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "config/config.h"
#include "config/test_util.h"

namespace config {
namespace {

using namespace testing_util;
using nlohmann::json;

// Key -> type: s string, i integer, n number, b boolean, o object, a list. A trailing '?'
// marks an optional key. References ("@{...}") are strings wherever they stand.
using Shape = std::map<std::string, std::string>;

const std::map<std::string, Shape>& shapes() {
  static const std::map<std::string, Shape> k = {
      {"s3.bucket", {{"bucket", "s"}, {"versioning", "s"}, {"encryption", "o"}, {"object_lock", "o?"}, {"tags", "o"}}},
      {"s3.replication", {{"bucket", "s"}, {"role", "s"}, {"source_versioning", "s"}, {"rules", "a"}}},
      {"iam.role", {{"name", "s"}, {"description", "s"}, {"assume_role_policy", "o"}, {"policies", "o"}, {"tags", "o"}}},
      {"backup.vault", {{"name", "s"}, {"encryption_key_arn", "s?"}, {"lock", "o?"}, {"tags", "o"}}},
      {"backup.plan", {{"name", "s"}, {"rules", "a"}, {"tags", "o"}}},
      {"backup.selection", {{"plan_id", "s"}, {"name", "s"}, {"iam_role_arn", "s"}, {"tags", "o"}, {"resources", "a"}}},
      {"rds.replica", {{"identifier", "s"}, {"source", "s"}, {"source_region", "s"}, {"instance_class", "s"},
                       {"multi_az", "b"}, {"backup_retention_days", "i"}, {"deletion_protection", "b"},
                       {"kms_key_id", "s?"}, {"parameter_group", "s?"}, {"tags", "o"}}},
      {"rds.global_cluster", {{"global_cluster_id", "s"}, {"source_cluster", "s"}, {"secondary_region", "s"},
                              {"secondary_cluster_id", "s"}, {"secondary_instance_class", "s?"},
                              {"deletion_protection", "b"}, {"tags", "o"}}},
      {"dynamodb.replica", {{"table", "s"}, {"replica_region", "s"}, {"pitr", "b"}, {"kms_key_id", "s?"}}},
      {"efs.replication", {{"file_system_id", "s"}, {"destination_region", "s"}, {"destination_kms_key_id", "s?"},
                           {"destination_file_system_id", "s?"}}},
      {"autoscaling.capacity", {{"group", "s"}, {"min", "i"}, {"desired", "i"}, {"max", "i"}, {"tags", "o"}}},
      {"ecs.capacity", {{"cluster", "s"}, {"service", "s"}, {"desired_count", "i"}, {"tags", "o"}}},
      {"route53.health_check", {{"caller_reference", "s"}, {"type", "s"}, {"fqdn", "s"}, {"ip", "s?"}, {"port", "i"},
                                {"path", "s?"}, {"request_interval", "i"}, {"failure_threshold", "i"}, {"tags", "o"}}},
      {"route53.failover_record", {{"zone_id", "s"}, {"name", "s"}, {"type", "s"}, {"set_identifier", "s"},
                                   {"failover", "s"}, {"ttl", "i?"}, {"records", "a?"}, {"alias", "o?"},
                                   {"health_check_id", "s?"}}},
      {"sns.topic", {{"name", "s"}, {"subscriptions", "a"}, {"tags", "o"}}},
      {"cloudwatch.alarm", {{"name", "s"}, {"description", "s"}, {"namespace", "s"}, {"metric", "s"},
                            {"dimensions", "o"}, {"statistic", "s"}, {"period", "i"}, {"evaluation_periods", "i"},
                            {"threshold", "n"}, {"comparison", "s"}, {"treat_missing_data", "s"},
                            {"alarm_actions", "a"}, {"ok_actions", "a"}, {"tags", "o"}}},
  };
  return k;
}

bool has_type(const json& v, char t) {
  switch (t) {
    case 's': return v.is_string();
    case 'i': return v.is_number_integer();
    case 'n': return v.is_number();
    case 'b': return v.is_boolean();
    case 'o': return v.is_object();
    case 'a': return v.is_array();
  }
  return false;
}

void expect_shape(const model::Resource& r, const std::string& stack, const std::string& context) {
  const std::string where = context + ": " + r.address.str();
  const auto it = shapes().find(r.address.type);
  ASSERT_NE(it, shapes().end()) << where << ": no shape for type " << r.address.type;
  for (const auto& [key, spec] : it->second) {
    const bool optional = spec.size() > 1 && spec.back() == '?';
    if (!r.attrs.contains(key)) {
      EXPECT_TRUE(optional) << where << ": missing " << key << "\n" << r.attrs.dump(2);
      continue;
    }
    EXPECT_TRUE(has_type(r.attrs[key], spec[0])) << where << ": " << key << " should be '" << spec[0] << "', is "
                                                 << r.attrs[key].dump();
  }
  for (const auto& [key, _] : r.attrs.items())
    EXPECT_TRUE(it->second.count(key)) << where << ": unexpected key " << key;
  // Selection tags are conditions, not AWS tags.
  if (it->second.count("tags") && r.address.type != "backup.selection") {
    EXPECT_EQ(r.attrs["tags"].value("drctl:stack", ""), stack) << where;
    EXPECT_EQ(r.attrs["tags"].value("drctl:address", ""), r.address.str()) << where;
  }
  if (r.address.type == "route53.failover_record")  // records and TTL, or an alias
    EXPECT_NE(r.attrs.contains("alias"), r.attrs.contains("records") && r.attrs.contains("ttl")) << where;
  if (r.address.type == "autoscaling.capacity")
    for (const char* t : {"drctl:failover-desired", "drctl:failover-min", "drctl:failover-max"})
      EXPECT_TRUE(r.attrs["tags"].contains(t) && r.attrs["tags"][t].is_string()) << where << ": " << t;
  if (r.address.type == "ecs.capacity")
    EXPECT_TRUE(r.attrs["tags"].contains("drctl:failover-count")) << where;
  if (r.address.type == "route53.health_check") {
    EXPECT_EQ(r.attrs["caller_reference"].get<std::string>().size(), 38u) << where;
    EXPECT_TRUE(r.attrs["request_interval"] == 10 || r.attrs["request_interval"] == 30) << where;
  }
}

void check_stack_dir(const std::string& dir, const std::vector<std::string>& strategies) {
  model::Diagnostics diags;
  auto topo = load_stack(dir, source_paths(), diags);
  ASSERT_TRUE(topo) << dir << "\n" << dump(diags);
  for (const auto& s : strategies) {
    model::Topology t = *topo;
    if (!s.empty()) {
      t.strategy = s;
      t.document["strategy"] = s;
    }
    auto g = expand(t, source_paths(), diags);
    ASSERT_TRUE(g) << dir << " " << s << "\n" << dump(diags);
    ASSERT_FALSE(g->resources.empty()) << dir;
    for (const auto& r : g->resources) expect_shape(r, t.stack, dir + " (" + (s.empty() ? t.strategy : s) + ")");
  }
}

TEST(Shapes, EveryExampleStackProducesTheDocumentedShapes) {
  namespace fs = std::filesystem;
  int examples = 0;
  for (const auto& e : fs::directory_iterator(std::string(DRCTL_SOURCE_DIR) + "/examples")) {
    if (!fs::is_regular_file(e.path() / "stack.dr.yaml")) continue;
    ++examples;
    SCOPED_TRACE(e.path().string());
    check_stack_dir(e.path().string(), {""});
  }
  EXPECT_GE(examples, 4);
}

TEST(Shapes, EveryKindUnderEveryStrategyProducesTheDocumentedShapes) {
  check_stack_dir(data("all_kinds"), {"backup-restore", "pilot-light", "warm-standby", "active-active"});
  check_stack_dir(data("good"), {"backup-restore", "pilot-light", "warm-standby", "active-active"});
}

}  // namespace
}  // namespace config
