// Runs and the apply journal: intents survive a crash and are listed until settled.
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "state/test_util.h"

namespace {

using namespace state_test;
using state::JournalPhase;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    path_ = tmp_.file("stack.drstate");
    store_ = open_ok(path_);
    ASSERT_TRUE(store_);
  }
  long long run(const std::string& kind = "apply") {
    auto r = store_->begin_run(kind, "hash-" + kind);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : -1;
  }
  long long intent(long long run_id, const std::string& address) {
    auto r = store_->journal_intent(run_id, address, "create", "CreateBucket " + address);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : -1;
  }

  TempDir tmp_;
  std::string path_;
  std::unique_ptr<state::Store> store_;
};

TEST_F(JournalTest, SeqIncreasesPerRun) {
  const long long a = run(), b = run();
  EXPECT_EQ(intent(a, "x"), 1);
  EXPECT_EQ(intent(a, "y"), 2);
  EXPECT_EQ(intent(b, "x"), 1);
  EXPECT_EQ(intent(a, "z"), 3);
  auto bad = store_->journal_intent(a + b + 100, "x", "create", "");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("no run"), std::string::npos) << bad.error().message;
}

TEST_F(JournalTest, IntentWithoutOutcomeSurvivesReopenUntilSettled) {
  const long long r = run();
  const long long done = intent(r, "s3.bucket.dr");
  const long long crashed = intent(r, "rds.replica.orders");
  ASSERT_TRUE(store_->journal_outcome(r, done, JournalPhase::done, "REQ-1", "created").ok());
  // The process dies here: no outcome for `crashed`.
  store_.reset();
  store_ = open_ok(path_);
  ASSERT_TRUE(store_);

  auto u = store_->unsettled();
  ASSERT_TRUE(u.ok()) << u.error().message;
  ASSERT_EQ(u->size(), 1u);
  const state::JournalEntry& e = (*u)[0];
  EXPECT_EQ(e.run_id, r);
  EXPECT_EQ(e.seq, crashed);
  EXPECT_EQ(e.address, "rds.replica.orders");
  EXPECT_EQ(e.action, "create");
  EXPECT_EQ(e.phase, JournalPhase::intent);
  EXPECT_EQ(e.detail, "CreateBucket rds.replica.orders");
  EXPECT_FALSE(e.at.empty());

  ASSERT_TRUE(store_->settle(r, crashed, "found live: replica exists").ok());
  EXPECT_TRUE(store_->unsettled()->empty());
  EXPECT_FALSE(store_->settle(r, crashed, "again").ok()) << "settled twice";
  EXPECT_FALSE(store_->journal_outcome(r, crashed, JournalPhase::failed, "", "").ok());

  auto j = store_->journal(r);
  ASSERT_TRUE(j.ok());
  ASSERT_EQ(j->size(), 4u);  // two intents, two outcomes, ordered by seq
  EXPECT_EQ((*j)[0].phase, JournalPhase::intent);
  EXPECT_EQ((*j)[1].phase, JournalPhase::done);
  EXPECT_EQ((*j)[1].request_id, "REQ-1");
  EXPECT_EQ((*j)[1].detail, "created");
  EXPECT_EQ((*j)[1].address, "s3.bucket.dr");
  EXPECT_EQ((*j)[2].detail, "CreateBucket rds.replica.orders");  // intent detail kept
  EXPECT_EQ((*j)[3].phase, JournalPhase::done);
  EXPECT_EQ((*j)[3].detail, "found live: replica exists");
  EXPECT_EQ((*j)[3].request_id, "");
  EXPECT_EQ(query_one(path_, "SELECT phase FROM journal ORDER BY id DESC LIMIT 1"), "settled");
}

TEST_F(JournalTest, OutcomesAreCheckedAgainstIntents) {
  const long long r = run();
  const long long s = intent(r, "x");
  EXPECT_FALSE(store_->journal_outcome(r, s + 1, JournalPhase::done, "", "").ok());
  EXPECT_FALSE(store_->journal_outcome(r, s, JournalPhase::intent, "", "").ok());
  EXPECT_FALSE(store_->settle(r + 1, s, "").ok());
  ASSERT_TRUE(store_->journal_outcome(r, s, JournalPhase::failed, "REQ-9", "AccessDenied").ok());
  auto twice = store_->journal_outcome(r, s, JournalPhase::done, "", "");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("failed"), std::string::npos) << twice.error().message;
  EXPECT_TRUE(store_->unsettled()->empty());
  EXPECT_EQ(store_->journal(r)->back().phase, JournalPhase::failed);
}

TEST_F(JournalTest, UnsettledSpansRunsOldestFirst) {
  const long long a = run(), b = run();
  intent(b, "b1");
  intent(a, "a1");
  intent(a, "a2");
  auto u = store_->unsettled();
  ASSERT_TRUE(u.ok());
  ASSERT_EQ(u->size(), 3u);
  EXPECT_EQ((*u)[0].address, "a1");
  EXPECT_EQ((*u)[1].address, "a2");
  EXPECT_EQ((*u)[2].address, "b1");
}

TEST_F(JournalTest, ConcurrentIntentsGetDistinctSeqs) {
  const long long r = run();
  std::vector<std::thread> workers;
  std::mutex mu;
  std::set<long long> seqs;
  for (int t = 0; t < 4; ++t)
    workers.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        auto s = store_->journal_intent(r, "w" + std::to_string(t), "update", "");
        ASSERT_TRUE(s.ok());
        std::lock_guard<std::mutex> g(mu);
        seqs.insert(*s);
      }
    });
  for (auto& w : workers) w.join();
  ASSERT_EQ(seqs.size(), 80u);
  EXPECT_EQ(*seqs.begin(), 1);
  EXPECT_EQ(*seqs.rbegin(), 80);
}

TEST_F(JournalTest, RunsNewestFirstWithOutcome) {
  const long long a = run("plan"), b = run("apply"), c = run("drift");
  ASSERT_TRUE(store_->finish_run(b, "failed", {{"errors", 2}, {"failed", {"x"}}}).ok());
  auto all = store_->runs(0);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, c);
  EXPECT_EQ((*all)[1].id, b);
  EXPECT_EQ((*all)[2].id, a);
  EXPECT_EQ((*all)[0].outcome, "running");
  EXPECT_EQ((*all)[0].finished_at, "");
  EXPECT_EQ((*all)[0].kind, "drift");
  EXPECT_EQ((*all)[1].outcome, "failed");
  EXPECT_EQ((*all)[1].plan_hash, "hash-apply");
  EXPECT_EQ((*all)[1].detail["errors"], 2);
  EXPECT_FALSE((*all)[1].finished_at.empty());
  EXPECT_FALSE((*all)[1].started_at.empty());
  auto two = store_->runs(2);
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].id, b);
  EXPECT_FALSE(store_->finish_run(c + 100, "succeeded", {}).ok());
}

}  // namespace
