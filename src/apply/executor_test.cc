#include "apply/executor.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>

namespace apply {
namespace {

using nlohmann::json;

// An in-memory resource type that records every call in order.
class FakeType : public resources::ResourceType {
 public:
  std::string_view name() const override { return "fake.thing"; }
  const resources::Schema& schema() const override { return schema_; }

  std::map<std::string, resources::ReadOutcome> read(resources::Context&, const std::string&,
                                                     std::span<const resources::Target> targets) const override {
    std::lock_guard lock(mu_);
    std::map<std::string, resources::ReadOutcome> out;
    for (const auto& t : targets) {
      calls_.push_back("read " + t.address);
      auto it = objects_.find(t.address);
      out[t.address] = it == objects_.end()
          ? resources::ReadOutcome{resources::ReadStatus::absent, {}, std::nullopt}
          : resources::ReadOutcome{resources::ReadStatus::found, it->second, std::nullopt};
    }
    return out;
  }
  aws::Result<resources::Live> create(resources::Context&, const resources::Target& t) const override {
    std::lock_guard lock(mu_);
    calls_.push_back("create " + t.address);
    if (fail_.count(t.address)) return model::err(aws::AwsError{"Boom", "injected", "req-1", 400});
    auto attrs = t.attrs;
    attrs["id"] = "id-" + t.address;
    return objects_[t.address] = resources::Live{"id-" + t.address, attrs};
  }
  aws::Result<resources::Live> update(resources::Context&, const resources::Target& t,
                                      const resources::Live& have) const override {
    std::lock_guard lock(mu_);
    calls_.push_back("update " + t.address);
    auto attrs = t.attrs;
    attrs["id"] = have.id;
    return objects_[t.address] = resources::Live{have.id, attrs};
  }
  aws::Result<model::Unit> destroy(resources::Context&, const resources::Target& t) const override {
    std::lock_guard lock(mu_);
    calls_.push_back("destroy " + t.address);
    objects_.erase(t.address);
    return model::ok();
  }

  mutable std::mutex mu_;
  mutable std::vector<std::string> calls_;
  mutable std::map<std::string, resources::Live> objects_;
  std::set<std::string> fail_;
  resources::Schema schema_;
};

class ExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("drctl-exec-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = state::open_sqlite((dir_ / "state.db").string(), std::string(DRCTL_SOURCE_DIR) + "/state");
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s.value());
    options_.find_type = [this](std::string_view) { return &type_; };
    options_.parallelism = 4;
    auto run = store_->begin_run("apply", "");
    ASSERT_TRUE(run.ok());
    options_.run_id = run.value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  plan::Change change(const std::string& address, plan::Action action, json after,
                      std::vector<std::string> deps = {}) {
    plan::Change c;
    c.address = address;
    c.type = "fake.thing";
    c.region = "us-east-1";
    c.action = action;
    c.after = std::move(after);
    c.depends_on = std::move(deps);
    return c;
  }

  ExecuteResult run(const plan::Plan& p) { return execute(p, ctx_, *store_, observer_, options_); }

  std::filesystem::path dir_;
  std::unique_ptr<state::Store> store_;
  FakeType type_;
  aws::Client client_{aws::ClientConfig{}};
  resources::Context ctx_{client_, "test"};
  NullObserver observer_;
  ExecuteOptions options_;
};

TEST_F(ExecutorTest, CreatesInDependencyOrderAndResolvesReferences) {
  plan::Plan p;
  p.changes.push_back(change("fake.thing.child", plan::Action::create,
                             {{"parent", "@{fake.thing.parent#id}"}}, {"fake.thing.parent"}));
  p.changes.push_back(change("fake.thing.parent", plan::Action::create, {{"n", 1}}));
  auto r = run(p);
  EXPECT_EQ(r.succeeded, 2);
  EXPECT_EQ(type_.calls_, (std::vector<std::string>{"create fake.thing.parent", "create fake.thing.child"}));
  EXPECT_EQ(type_.objects_["fake.thing.child"].attrs["parent"], "id-fake.thing.parent");
  auto rec = store_->resource("fake.thing.child");
  ASSERT_TRUE(rec.ok() && rec.value());
  EXPECT_EQ(rec.value()->cloud_id, "id-fake.thing.child");
  EXPECT_EQ(rec.value()->last_applied["parent"], "id-fake.thing.parent");
  auto journal = store_->journal(options_.run_id);
  ASSERT_TRUE(journal.ok());
  EXPECT_TRUE(store_->unsettled().value().empty());
}

TEST_F(ExecutorTest, FailureSkipsDependentsWithoutCallingThem) {
  type_.fail_.insert("fake.thing.parent");
  plan::Plan p;
  p.changes.push_back(change("fake.thing.parent", plan::Action::create, {{"n", 1}}));
  p.changes.push_back(change("fake.thing.child", plan::Action::create,
                             {{"parent", "@{fake.thing.parent#id}"}}, {"fake.thing.parent"}));
  p.changes.push_back(change("fake.thing.grandchild", plan::Action::create, {{"n", 3}}, {"fake.thing.child"}));
  p.changes.push_back(change("fake.thing.other", plan::Action::create, {{"n", 2}}));
  auto r = run(p);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.skipped, 2);
  EXPECT_EQ(r.succeeded, 1);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].address, "fake.thing.parent");
  for (const auto& c : type_.calls_) EXPECT_EQ(c.find("child"), std::string::npos) << c;
}

TEST_F(ExecutorTest, DestroysDependentsBeforeWhatTheyDependOn) {
  type_.objects_["fake.thing.parent"] = {"p", {}};
  type_.objects_["fake.thing.child"] = {"c", {}};
  plan::Plan p;
  p.changes.push_back(change("fake.thing.parent", plan::Action::destroy, {}));
  p.changes.push_back(change("fake.thing.child", plan::Action::destroy, {}, {"fake.thing.parent"}));
  auto r = run(p);
  EXPECT_EQ(r.succeeded, 2);
  EXPECT_EQ(type_.calls_, (std::vector<std::string>{"destroy fake.thing.child", "destroy fake.thing.parent"}));
}

TEST_F(ExecutorTest, UnsettledCreateReadsFirstAndDoesNotCreateTwice) {
  type_.objects_["fake.thing.a"] = {"id-a", {{"n", 1}}};
  options_.unsettled.insert("fake.thing.a");
  plan::Plan p;
  p.changes.push_back(change("fake.thing.a", plan::Action::create, {{"n", 1}}));
  auto r = run(p);
  EXPECT_EQ(r.succeeded, 1);
  EXPECT_EQ(type_.calls_, std::vector<std::string>{"read fake.thing.a"});
  EXPECT_EQ(store_->resource("fake.thing.a").value()->cloud_id, "id-a");
}

TEST_F(ExecutorTest, UnchangedObjectUnknownToStateIsAdoptedWithoutCalls) {
  plan::Plan p;
  auto c = change("fake.thing.a", plan::Action::noop, {{"n", 1}});
  c.before = {{"n", 1}};
  c.cloud_id = "id-a";
  p.changes.push_back(c);
  auto r = run(p);
  EXPECT_TRUE(type_.calls_.empty());
  auto rec = store_->resource("fake.thing.a");
  ASSERT_TRUE(rec.ok() && rec.value());
  EXPECT_EQ(rec.value()->cloud_id, "id-a");
}

}  // namespace
}  // namespace apply
