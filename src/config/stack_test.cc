// load_stack: every error fixture asserts file, line, column, field and summary.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "config/config.h"
#include "config/test_util.h"

namespace config {
namespace {

using namespace testing_util;

struct Loaded {
  std::optional<model::Topology> topology;
  model::Diagnostics diags;
};

Loaded load(const std::string& fixture) {
  Loaded l;
  l.topology = load_stack(data(fixture), source_paths(), l.diags);
  return l;
}

TEST(LoadStack, GoodStackBuildsTheTopology) {
  auto l = load("good");
  ASSERT_TRUE(l.topology) << dump(l.diags);
  EXPECT_TRUE(l.diags.empty()) << dump(l.diags);
  const auto& t = *l.topology;
  EXPECT_EQ(t.stack, "shop");
  EXPECT_EQ(t.primary_region, "us-east-1");
  EXPECT_EQ(t.dr_region, "us-west-2");
  EXPECT_EQ(t.strategy, "backup-restore");
  EXPECT_EQ(t.strategy_inputs, nlohmann::json::parse(R"({"alarms": false, "backup_services": []})"));
  EXPECT_EQ(t.objectives.rto, model::Seconds(4 * 3600));
  ASSERT_EQ(t.workloads.size(), 1u);
  EXPECT_EQ(t.workloads[0].name, "assets");
  EXPECT_EQ(t.workloads[0].kind, "s3");
  EXPECT_EQ(t.workloads[0].pointer, "/workloads/assets");
  EXPECT_EQ(t.workloads[0].objectives.rpo, model::Seconds(15 * 60));  // its own
  EXPECT_EQ(t.workloads[0].objectives.rto, model::Seconds(4 * 3600));  // the stack's
  EXPECT_EQ(t.backups["copy_to_dr"], true);  // the documented default
  EXPECT_EQ(t.notify["topic"], "dr-events");
  ASSERT_EQ(t.files.size(), 1u);
  EXPECT_EQ(t.config_hash.size(), 64u);
  const auto rtc = t.where("/workloads/assets/rtc");
  ASSERT_TRUE(rtc);
  EXPECT_EQ(rtc->line, 12);
  EXPECT_EQ(rtc->column, 5);
  EXPECT_EQ(t.where("/backups/select/tags/dr")->line, 20);
}

TEST(LoadStack, ConfigHashFollowsTheBytes) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("drctl-config-hash-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(data("good/shop.dr.yaml"), dir / "shop.dr.yaml");
  model::Diagnostics diags;
  const auto a = load_stack(dir.string(), source_paths(), diags);
  const auto b = load_stack(dir.string(), source_paths(), diags);
  std::ofstream(dir / "shop.dr.yaml", std::ios::app) << "# a comment changes the hash\n";
  const auto c = load_stack(dir.string(), source_paths(), diags);
  fs::remove_all(dir);
  ASSERT_TRUE(a && b && c) << dump(diags);
  EXPECT_EQ(a->config_hash, b->config_hash);
  EXPECT_NE(a->config_hash, c->config_hash);
}

TEST(LoadStack, MalformedYamlStopsWithFileLineColumn) {
  auto l = load("malformed");
  EXPECT_FALSE(l.topology);
  ASSERT_EQ(l.diags.size(), 1u) << dump(l.diags);  // no schema noise about the broken file
  EXPECT_EQ(l.diags[0].summary, "malformed YAML: end of sequence flow not found");
  // yaml-cpp notices the unclosed list where the next key begins.
  EXPECT_AT(&l.diags[0], "malformed/a.dr.yaml", 5, 8);
  EXPECT_EQ(l.diags[0].field, "");
}

TEST(LoadStack, DuplicateKeyIsAnError) {
  auto l = load("duplicate_key");
  EXPECT_FALSE(l.topology);
  auto d = only_error(l.diags, "stack");
  EXPECT_AT(d, "duplicate_key/s.dr.yaml", 5, 1);
  EXPECT_EQ(d->summary, "duplicate key 'stack'");
}

// Found by the config_stack fuzzer (tests/fuzz/corpus/config_stack/regression-kind-not-a-string.yaml):
// the semantic checks read `kind` as a string even where the schema had already refused it.
TEST(LoadStack, ANonStringKindIsASchemaErrorNotACrash) {
  auto l = load("kind_not_a_string");
  EXPECT_FALSE(l.topology);
  ASSERT_TRUE(model::has_errors(l.diags));
  bool at_kind = false;
  for (const auto& d : l.diags)
    at_kind = at_kind || (d.where && d.where->line == 7 && d.field.find("kind") != std::string::npos);
  EXPECT_TRUE(at_kind) << dump(l.diags);
}

TEST(LoadStack, UnknownKeyIsReportedAtTheKey) {
  auto l = load("unknown_key");
  EXPECT_FALSE(l.topology);
  auto d = only_error(l.diags, "workloads.assets.rtcc");
  EXPECT_AT(d, "unknown_key/s.dr.yaml", 9, 5);
  EXPECT_EQ(d->summary, "unknown key 'rtcc'");
  EXPECT_NE(d->detail.find("rtc"), std::string::npos) << d->detail;  // lists the allowed keys
  EXPECT_EQ(l.diags.size(), 1u) << dump(l.diags);
}

TEST(LoadStack, WrongTypeIsReportedAtTheValue) {
  auto l = load("wrong_type");
  EXPECT_FALSE(l.topology);
  auto d = only_error(l.diags, "workloads.assets.rtc");
  EXPECT_AT(d, "wrong_type/s.dr.yaml", 9, 10);
  EXPECT_EQ(d->summary, "expected boolean, got string");
  EXPECT_EQ(l.diags.size(), 1u) << dump(l.diags);
}

TEST(LoadStack, MissingRequiredFieldIsReportedAtItsParent) {
  auto l = load("missing_required");
  EXPECT_FALSE(l.topology);
  auto d = only_error(l.diags, "workloads.assets.source");
  EXPECT_AT(d, "missing_required/s.dr.yaml", 6, 3);
  EXPECT_EQ(d->summary, "missing required field 'source'");
  EXPECT_EQ(l.diags.size(), 1u) << dump(l.diags);
}

TEST(LoadStack, BadDurationsAreReportedEach) {
  auto l = load("bad_duration");
  EXPECT_FALSE(l.topology);
  auto rto = only_error(l.diags, "objectives.rto");
  EXPECT_AT(rto, "bad_duration/s.dr.yaml", 6, 8);
  EXPECT_EQ(rto->summary, "invalid duration '15 minutes'");
  auto rpo = only_error(l.diags, "objectives.rpo");
  EXPECT_AT(rpo, "bad_duration/s.dr.yaml", 7, 8);
  EXPECT_EQ(rpo->summary, "duration must be positive, got '0m'");
  EXPECT_EQ(l.diags.size(), 2u) << dump(l.diags);
}

TEST(LoadStack, BadCronIsReportedAtTheSchedule) {
  auto l = load("bad_cron");
  EXPECT_FALSE(l.topology);
  auto d = only_error(l.diags, "backups.schedule");
  EXPECT_AT(d, "bad_cron/s.dr.yaml", 6, 13);
  EXPECT_EQ(d->summary, "invalid schedule 'cron(0 * * * * *)': day-of-month and day-of-week: exactly one must be '?'");
}

TEST(LoadStack, ColdStorageNeedsNinetyDaysOfRetention) {
  auto l = load("cold_storage");
  EXPECT_FALSE(l.topology);
  auto d = only_error(l.diags, "backups.retention");
  EXPECT_AT(d, "cold_storage/s.dr.yaml", 7, 14);
  EXPECT_EQ(d->summary, "retention must be at least cold_after + 90d (97d), got 35d");
  EXPECT_EQ(l.diags.size(), 1u) << dump(l.diags);
}

TEST(LoadStack, PrimaryAndDrMustDiffer) {
  auto l = load("same_region");
  EXPECT_FALSE(l.topology);
  auto d = only_error(l.diags, "regions.dr");
  EXPECT_AT(d, "same_region/s.dr.yaml", 5, 7);
  EXPECT_EQ(d->summary, "the DR region must differ from the primary region ('eu-west-1')");
}

TEST(LoadStack, UnknownRegionIsAnError) {
  auto l = load("unknown_region");
  EXPECT_FALSE(l.topology);
  auto d = only_error(l.diags, "regions.dr");
  EXPECT_AT(d, "unknown_region/s.dr.yaml", 5, 7);
  EXPECT_EQ(d->summary, "unknown AWS region 'us-west-9'");
  EXPECT_EQ(l.diags.size(), 1u) << dump(l.diags);
}

TEST(LoadStack, BadBucketNamesAreReportedEach) {
  auto l = load("bad_bucket");
  EXPECT_FALSE(l.topology);
  auto a = only_error(l.diags, "workloads.assets.source");
  EXPECT_AT(a, "bad_bucket/s.dr.yaml", 8, 13);
  EXPECT_EQ(a->summary, "invalid bucket name 'Shop_Assets': may contain only lowercase letters, digits, dots and hyphens");
  auto b = only_error(l.diags, "workloads.logs.source");
  EXPECT_AT(b, "bad_bucket/s.dr.yaml", 11, 13);
  EXPECT_EQ(b->summary, "invalid bucket name '192.168.1.10': must not be formatted as an IP address");
  auto c = only_error(l.diags, "workloads.media.replica_bucket");
  EXPECT_AT(c, "bad_bucket/s.dr.yaml", 15, 21);
  EXPECT_EQ(c->summary, "invalid bucket name '-media-dr': must begin and end with a letter or digit");
  EXPECT_EQ(l.diags.size(), 3u) << dump(l.diags);
}

TEST(LoadStack, UnknownStrategyModuleIsReportedAtTheStrategy) {
  auto l = load("unknown_module");
  EXPECT_FALSE(l.topology);
  auto d = only_error(l.diags, "strategy");
  EXPECT_AT(d, "unknown_module/s.dr.yaml", 4, 11);
  EXPECT_EQ(d->summary, "unknown strategy module 'cold-standby'");
  EXPECT_NE(d->detail.find("backup-restore"), std::string::npos) << d->detail;
}

TEST(LoadStack, UnknownModuleInputIsReportedAtItsKey) {
  auto l = load("unknown_input");
  EXPECT_FALSE(l.topology);
  auto d = only_error(l.diags, "strategy.inputs.flavour");
  EXPECT_AT(d, "unknown_input/s.dr.yaml", 8, 5);
  EXPECT_EQ(d->summary, "unknown input 'flavour' for module 'backup-restore'");
  EXPECT_EQ(d->detail, "declared inputs: alarms, backup_services");
  EXPECT_EQ(l.diags.size(), 1u) << dump(l.diags);
}

TEST(LoadStack, FilesMergeAtTheTopLevelInNameOrder) {
  auto l = load("merge");
  ASSERT_TRUE(l.topology) << dump(l.diags);
  const auto& t = *l.topology;
  ASSERT_EQ(t.files.size(), 2u);  // README.md is not a stack file
  EXPECT_NE(t.files[0].find("10-base.dr.yaml"), std::string::npos);
  EXPECT_NE(t.files[1].find("20-data.dr.yaml"), std::string::npos);
  ASSERT_EQ(t.workloads.size(), 1u);
  const auto src = t.where("/workloads/assets/source");
  ASSERT_TRUE(src);
  EXPECT_NE(src->file.find("20-data.dr.yaml"), std::string::npos);
  EXPECT_EQ(src->line, 5);
  EXPECT_NE(t.where("/regions")->file.find("10-base.dr.yaml"), std::string::npos);
}

TEST(LoadStack, AKeyDefinedInTwoFilesNamesBoth) {
  auto l = load("conflict");
  EXPECT_FALSE(l.topology);
  auto d = only_error(l.diags, "regions");
  EXPECT_AT(d, "conflict/20-more.dr.yaml", 3, 1);
  EXPECT_NE(d->summary.find("10-base.dr.yaml"), std::string::npos) << d->summary;
  EXPECT_NE(d->summary.find("20-more.dr.yaml"), std::string::npos) << d->summary;
  EXPECT_NE(d->detail.find("10-base.dr.yaml:3"), std::string::npos) << d->detail;
}

TEST(LoadStack, EmptyFolderIsAnError) {
  model::Diagnostics diags;
  EXPECT_FALSE(load_stack(data("good/nothing-here"), source_paths(), diags));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "no *.dr.yaml files found");
}

TEST(DefaultPaths, DataDirEnvironmentWins) {
  ::setenv("DRCTL_DATA_DIR", "/opt/drctl", 1);
  const auto p = default_paths();
  ::unsetenv("DRCTL_DATA_DIR");
  EXPECT_EQ(p.schemas_dir, "/opt/drctl/schemas");
  EXPECT_EQ(p.modules_dir, "/opt/drctl/modules");
  EXPECT_EQ(p.migrations_dir, "/opt/drctl/state");
  // Without it, the test binary (under the build tree) falls back to the source tree.
  EXPECT_TRUE(std::filesystem::exists(default_paths().schemas_dir + "/topology.schema.json"));
}

}  // namespace
}  // namespace config
