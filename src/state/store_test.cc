// Store behaviour on a real SQLite file: permissions, meta, resources, locking.
#include <limits.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include <gtest/gtest.h>

#include "state/lock_info.h"
#include "state/test_util.h"

namespace {

using namespace state_test;
using nlohmann::json;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    path_ = tmp_.file("stack.drstate");
  }
  TempDir tmp_;
  std::string path_;
};

state::ResourceRecord bucket(const std::string& address) {
  state::ResourceRecord r;
  r.address = address;
  r.type = "s3.bucket";
  r.region = "us-west-2";
  r.cloud_id = "arn:aws:s3:::" + address;
  r.desired = json{{"versioning", true}, {"tags", {{"dr", "protected"}}}};
  return r;
}

TEST_F(StoreTest, NewFileAndWalAre0600WhateverTheUmask) {
  const mode_t old = ::umask(0);  // would give 0644/0666 if we relied on the umask
  auto s = state::open_sqlite(path_, kMigrations);
  ::umask(old);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_TRUE((*s)->put_resource(bucket("a")).ok());
  EXPECT_EQ(mode_of(path_), 0600);
  EXPECT_EQ(mode_of(path_ + "-wal"), 0600);  // exists while the connection is open
  EXPECT_EQ(mode_of(path_ + "-shm"), 0600);
}

TEST_F(StoreTest, LooseModesOfAnExistingStateAreFixed) {
  { ASSERT_TRUE(open_ok(path_)); }
  ASSERT_EQ(::chmod(path_.c_str(), 0644), 0);
  write_file(path_ + "-wal", "");  // an empty WAL left behind, world-readable
  ASSERT_EQ(::chmod((path_ + "-wal").c_str(), 0666), 0);
  auto s = open_ok(path_);
  ASSERT_TRUE(s);
  EXPECT_EQ(mode_of(path_), 0600);
  EXPECT_EQ(mode_of(path_ + "-wal"), 0600);
}

TEST_F(StoreTest, PragmasAreSet) {
  auto s = open_ok(path_);
  ASSERT_TRUE(s);
  EXPECT_EQ(query_one(path_, "PRAGMA journal_mode"), "wal");  // persistent in the file
}

TEST_F(StoreTest, LineageIsStableAndSerialCountsResourceChanges) {
  std::string lineage;
  {
    auto s = open_ok(path_);
    ASSERT_TRUE(s);
    auto m = s->meta();
    ASSERT_TRUE(m.ok()) << m.error().message;
    lineage = m->lineage;
    EXPECT_EQ(lineage.size(), 36u);
    EXPECT_EQ(m->serial, 0);
    EXPECT_EQ(m->format_version, 1);
    ASSERT_TRUE(s->put_resource(bucket("a")).ok());
    ASSERT_TRUE(s->put_resource(bucket("b")).ok());
    auto updated = bucket("a");
    updated.desired["versioning"] = false;
    ASSERT_TRUE(s->put_resource(updated).ok());
    EXPECT_EQ(s->meta()->serial, 3);
    ASSERT_TRUE(s->record_live("a", json{{"versioning", "Enabled"}}, "").ok());
    EXPECT_EQ(s->meta()->serial, 3);
    ASSERT_TRUE(s->remove_resource("b").ok());
    EXPECT_EQ(s->meta()->serial, 4);
    ASSERT_TRUE(s->remove_resource("b").ok());  // already gone: no change, no bump
    EXPECT_EQ(s->meta()->serial, 4);
  }
  auto s = open_ok(path_);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->meta()->lineage, lineage);
  EXPECT_EQ(s->meta()->serial, 4);

  TempDir other;
  auto t = open_ok(other.file("other.drstate"));
  ASSERT_TRUE(t);
  EXPECT_NE(t->meta()->lineage, lineage);
}

TEST_F(StoreTest, ResourcesRoundTripWithJsonFields) {
  auto s = open_ok(path_);
  ASSERT_TRUE(s);
  state::ResourceRecord r = bucket("module.east.s3_replication.assets");
  r.type = "s3.replication";
  r.desired = json::parse(R"({"rules":[{"id":"r1","priority":1,"rtc":true,
      "filter":{"prefix":""},"storage_class":null}],"ratio":0.25,"name":"caf\u00e9 \u2713"})");
  r.last_applied = json::array({1, "two", json::object()});
  r.live = nullptr;
  r.read_at = "2024-05-01T12:00:00Z";
  r.workload = "assets";
  r.depends_on_json = R"(["iam.role.replication"])";
  ASSERT_TRUE(s->put_resource(r).ok());
  ASSERT_TRUE(s->put_resource(bucket("a.first")).ok());

  s.reset();
  s = open_ok(path_);
  ASSERT_TRUE(s);
  auto got = s->resource(r.address);
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_TRUE(got->has_value());
  const state::ResourceRecord& g = **got;
  EXPECT_EQ(g.address, r.address);
  EXPECT_EQ(g.type, "s3.replication");
  EXPECT_EQ(g.region, "us-west-2");
  EXPECT_EQ(g.cloud_id, r.cloud_id);
  EXPECT_EQ(g.desired, r.desired);
  EXPECT_EQ(g.desired["name"], "caf\u00e9 \u2713");
  EXPECT_EQ(g.last_applied, r.last_applied);
  EXPECT_TRUE(g.live.is_null());
  EXPECT_EQ(g.read_at, r.read_at);
  EXPECT_EQ(g.workload, "assets");
  EXPECT_EQ(g.depends_on_json, r.depends_on_json);

  auto all = s->resources();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].address, "a.first");  // sorted by address
  EXPECT_FALSE(s->resource("nope")->has_value());
}

TEST_F(StoreTest, RecordLiveUpdatesLiveAndKeepsOrSetsCloudId) {
  auto s = open_ok(path_);
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->put_resource(bucket("a")).ok());
  ASSERT_TRUE(s->record_live("a", json{{"status", "Enabled"}}, "").ok());
  auto r = **s->resource("a");
  EXPECT_EQ(r.live, (json{{"status", "Enabled"}}));
  EXPECT_EQ(r.cloud_id, "arn:aws:s3:::a");
  EXPECT_FALSE(r.read_at.empty());
  EXPECT_EQ(r.desired, bucket("a").desired);  // untouched
  ASSERT_TRUE(s->record_live("a", json::object(), "new-id").ok());
  EXPECT_EQ((**s->resource("a")).cloud_id, "new-id");

  auto missing = s->record_live("ghost", json::object(), "");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("ghost"), std::string::npos);
}

TEST_F(StoreTest, UnserialisableJsonIsAnErrorAndChangesNothing) {
  auto s = open_ok(path_);
  ASSERT_TRUE(s);
  auto r = bucket("bad");
  r.desired = json{{"name", std::string("\xff\xfe")}};  // invalid UTF-8
  auto w = s->put_resource(r);
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().message.find("bad"), std::string::npos) << w.error().message;
  EXPECT_EQ(s->meta()->serial, 0);
  EXPECT_FALSE(s->resource("bad")->has_value());
}

TEST_F(StoreTest, SecondStoreCannotTakeTheLock) {
  auto a = open_ok(path_);
  auto b = open_ok(path_);
  ASSERT_TRUE(a && b);
  state::LockInfo mine = state::new_lock_info("apply");
  auto got = a->try_lock(mine);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_FALSE(got->has_value());

  auto other = b->try_lock(state::new_lock_info("plan -refresh"));
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(other->has_value());
  const state::LockInfo& h = (*other)->holder;
  EXPECT_EQ(h.id, mine.id);
  EXPECT_EQ(h.pid, static_cast<long long>(getpid()));
  EXPECT_EQ(h.host, mine.host);
  EXPECT_EQ(h.holder, mine.holder);
  EXPECT_EQ(h.operation, "apply");
  EXPECT_EQ(h.since, mine.since);
  EXPECT_TRUE(a->try_lock(mine)->has_value());  // not re-entrant

  auto wrong = b->unlock("0123");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find(mine.holder), std::string::npos) << wrong.error().message;
  EXPECT_NE(wrong.error().message.find("apply"), std::string::npos) << wrong.error().message;
  ASSERT_TRUE(b->lock_info()->has_value());

  ASSERT_TRUE(b->unlock(mine.id).ok()) << "force-unlock from another store with the id";
  EXPECT_FALSE(a->lock_info()->has_value());
  EXPECT_FALSE(b->try_lock(state::new_lock_info("drift"))->has_value());
  EXPECT_EQ((*a->lock_info())->operation, "drift");
}

TEST_F(StoreTest, UnlockWhenNotLockedIsAnError) {
  auto s = open_ok(path_);
  ASSERT_TRUE(s);
  auto r = s->unlock("abc");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not locked"), std::string::npos);
  EXPECT_FALSE(s->try_lock(state::LockInfo{}).ok()) << "an empty lock id is refused";
}

// The child opens its own connection; no Store is open in the parent across fork().
TEST_F(StoreTest, LockTakenByAnotherProcessNamesIt) {
  { ASSERT_TRUE(open_ok(path_)); }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto s = state::open_sqlite(path_, kMigrations);
    if (!s.ok()) _exit(2);
    auto r = (*s)->try_lock(state::new_lock_info("failover"));
    _exit(!r.ok() ? 2 : r->has_value() ? 1 : 0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "child could not take the lock";

  auto s = open_ok(path_);
  ASSERT_TRUE(s);
  auto r = s->try_lock(state::new_lock_info("apply"));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->holder.pid, static_cast<long long>(child));
  EXPECT_EQ((*r)->holder.host, state::new_lock_info("x").host);
  EXPECT_EQ((*r)->holder.operation, "failover");
}

TEST_F(StoreTest, ChildProcessCannotTakeAHeldLock) {
  {
    auto s = open_ok(path_);
    ASSERT_TRUE(s);
    ASSERT_FALSE(s->try_lock(state::new_lock_info("apply"))->has_value());
  }
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    auto s = state::open_sqlite(path_, kMigrations);
    if (!s.ok()) _exit(2);
    auto r = (*s)->try_lock(state::new_lock_info("apply"));
    if (!r.ok()) _exit(2);
    if (!r->has_value()) _exit(0);
    const long long pid = (*r)->holder.pid;
    _exit(write(fds[1], &pid, sizeof pid) == sizeof pid ? 1 : 2);
  }
  close(fds[1]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 1) << "child should have been refused";
  long long holder_pid = 0;
  ASSERT_EQ(read(fds[0], &holder_pid, sizeof holder_pid), (ssize_t)sizeof holder_pid);
  close(fds[0]);
  EXPECT_EQ(holder_pid, static_cast<long long>(getpid()));
}

// Several processes race for the lock at once: exactly one wins, the others are told who
// holds it (none fails with "database is locked").
TEST_F(StoreTest, LockRaceBetweenProcessesHasOneWinner) {
  { ASSERT_TRUE(open_ok(path_)); }
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  std::vector<pid_t> children;
  for (int c = 0; c < 4; ++c) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(go[1]);
      auto s = state::open_sqlite(path_, kMigrations);
      char byte;
      if (read(go[0], &byte, 1) != 0) _exit(3);  // wait for the start (EOF)
      if (!s.ok()) _exit(2);
      auto r = (*s)->try_lock(state::new_lock_info("apply"));
      _exit(!r.ok() ? 2 : r->has_value() ? 1 : 0);
    }
    children.push_back(child);
  }
  close(go[0]);
  close(go[1]);  // start them all
  int winners = 0, refused = 0;
  for (pid_t c : children) {
    int status = 0;
    ASSERT_EQ(waitpid(c, &status, 0), c);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 0) ++winners;
    if (WEXITSTATUS(status) == 1) ++refused;
  }
  EXPECT_EQ(winners, 1);
  EXPECT_EQ(refused, 3);
  auto s = open_ok(path_);
  ASSERT_TRUE(s);
  auto held = s->lock_info();
  ASSERT_TRUE(held.ok() && held->has_value());
  EXPECT_NE(std::find(children.begin(), children.end(), (*held)->pid), children.end());
}

TEST_F(StoreTest, ConcurrentWritersOnOneStore) {
  auto s = open_ok(path_);
  ASSERT_TRUE(s);
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t)
    workers.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i)
        EXPECT_TRUE(s->put_resource(bucket("t" + std::to_string(t) + "." + std::to_string(i))).ok());
    });
  for (auto& w : workers) w.join();
  EXPECT_EQ(s->meta()->serial, 100);
  EXPECT_EQ(s->resources()->size(), 100u);
}

TEST_F(StoreTest, OpenErrorsNameTheProblem) {
  auto nodir = state::open_sqlite(tmp_.file("missing/dir/x.drstate"), kMigrations);
  ASSERT_FALSE(nodir.ok());
  EXPECT_NE(nodir.error().message.find("missing/dir"), std::string::npos);

  write_file(path_, std::string(4096, 'x'));
  auto garbage = state::open_sqlite(path_, kMigrations);
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().message.find("not a database"), std::string::npos)
      << garbage.error().message;

  auto dir = state::open_sqlite(tmp_.path(), kMigrations);
  ASSERT_FALSE(dir.ok());
}

}  // namespace
