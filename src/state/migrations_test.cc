#include "state/migrations.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "state/test_util.h"

namespace {

using namespace state_test;
namespace fs = std::filesystem;

// A migrations folder: the real 0001 plus whatever a test adds.
class Migrations : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    dir_ = tmp_.file("migrations");
    fs::create_directory(dir_);
    fs::copy_file(kMigrations + "/0001_initial.sql", dir_ + "/0001_initial.sql");
    db_ = tmp_.file("stack.drstate");
  }
  void add(const std::string& name, const std::string& sql) { write_file(dir_ + "/" + name, sql); }

  TempDir tmp_;
  std::string dir_, db_;
};

TEST_F(Migrations, AppliedOnceAndRecorded) {
  { ASSERT_TRUE(open_ok(db_, dir_)); }
  const std::string first = query_one(db_, "SELECT applied_at FROM schema_migrations");
  { ASSERT_TRUE(open_ok(db_, dir_)); }
  EXPECT_EQ(query_one(db_, "SELECT COUNT(*) FROM schema_migrations"), "1");
  EXPECT_EQ(query_one(db_, "SELECT name FROM schema_migrations WHERE version = 1"),
            "0001_initial.sql");
  EXPECT_EQ(query_one(db_, "SELECT applied_at FROM schema_migrations"), first);
}

TEST_F(Migrations, ReopenAppliesOnlyNewOnesAndKeepsData) {
  {
    auto s = open_ok(db_, dir_);
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->put_resource(named("s3.bucket.a")).ok());
    EXPECT_EQ(s->meta()->format_version, 1);
  }
  add("0002_notes.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                        "INSERT INTO notes (body) VALUES ('from 0002');");
  auto s = open_ok(db_, dir_);
  ASSERT_TRUE(s);
  EXPECT_EQ(query_one(db_, "SELECT group_concat(version) FROM schema_migrations"), "1,2");
  EXPECT_EQ(query_one(db_, "SELECT COUNT(*) FROM notes"), "1");
  EXPECT_EQ(s->meta()->format_version, 2);
  EXPECT_EQ(s->meta()->serial, 1);
  EXPECT_TRUE(s->resource("s3.bucket.a")->has_value());
}

TEST_F(Migrations, StateFromTheFutureIsRefusedUntouched) {
  add("0002_notes.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY);");
  { ASSERT_TRUE(open_ok(db_, dir_)); }
  fs::remove(dir_ + "/0002_notes.sql");  // an older binary: knows only 0001

  auto r = state::open_sqlite(db_, dir_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("newer drctl"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("0002"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(db_), std::string::npos) << r.error().message;
  EXPECT_EQ(query_one(db_, "SELECT COUNT(*) FROM schema_migrations"), "2");
}

TEST_F(Migrations, FailingMigrationRollsBackWhole) {
  { ASSERT_TRUE(open_ok(db_, dir_)); }
  add("0002_broken.sql", "CREATE TABLE half (id INTEGER); THIS IS NOT SQL;");
  auto r = state::open_sqlite(db_, dir_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("0002_broken.sql"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("syntax error"), std::string::npos) << r.error().message;
  EXPECT_EQ(query_one(db_, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'"), "0");
  EXPECT_EQ(query_one(db_, "SELECT COUNT(*) FROM schema_migrations"), "1");

  fs::remove(dir_ + "/0002_broken.sql");
  EXPECT_TRUE(open_ok(db_, dir_));
}

TEST_F(Migrations, MigrationAddedOutOfOrderIsRefused) {
  add("0003_c.sql", "CREATE TABLE c (id INTEGER);");
  { ASSERT_TRUE(open_ok(db_, dir_)); }
  add("0002_b.sql", "CREATE TABLE b (id INTEGER);");
  auto r = state::open_sqlite(db_, dir_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("0002_b.sql"), std::string::npos) << r.error().message;
}

TEST_F(Migrations, ListingSortsIgnoresOtherFilesAndRefusesDuplicates) {
  add("0010_ten.sql", "");
  add("0002_two.sql", "");
  add("README.md", "");
  add("0003_three.sql.bak", "");
  add("3_short.sql", "");
  auto l = state::list_migrations(dir_);
  ASSERT_TRUE(l.ok()) << l.error().message;
  ASSERT_EQ(l->size(), 3u);
  EXPECT_EQ((*l)[0].version, 1);
  EXPECT_EQ((*l)[1].name, "0002_two.sql");
  EXPECT_EQ((*l)[2].version, 10);

  add("0002_again.sql", "");
  auto d = state::list_migrations(dir_);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("0002"), std::string::npos) << d.error().message;
}

TEST_F(Migrations, MissingFolderIsAnError) {
  auto r = state::open_sqlite(db_, tmp_.file("nowhere"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nowhere"), std::string::npos) << r.error().message;
}

}  // namespace
