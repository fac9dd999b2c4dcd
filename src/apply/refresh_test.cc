#include "apply/refresh.h"

#include <gtest/gtest.h>

#include <mutex>

namespace apply {
namespace {

using nlohmann::json;

// A type whose read fails for the addresses in `failing`, finds the rest, and records what it
// was asked to read.
class ReadOnlyType : public resources::ResourceType {
 public:
  explicit ReadOnlyType(std::set<std::string> failing) : failing_(std::move(failing)) {}
  std::string_view name() const override { return "fake.thing"; }
  const resources::Schema& schema() const override { return schema_; }
  std::map<std::string, resources::ReadOutcome> read(resources::Context&, const std::string&,
                                                     std::span<const resources::Target> targets) const override {
    std::lock_guard lock(mu_);
    std::map<std::string, resources::ReadOutcome> out;
    for (const auto& t : targets) {
      asked.push_back(t.address);
      if (failing_.count(t.address))
        out[t.address] = {resources::ReadStatus::failed, {}, aws::AwsError{"AccessDenied", "no tag:GetResources"}};
      else
        out[t.address] = {resources::ReadStatus::found, {t.address + "-id", json::object()}, std::nullopt};
    }
    return out;
  }
  aws::Result<resources::Live> create(resources::Context&, const resources::Target&) const override { return resources::Live{}; }
  aws::Result<resources::Live> update(resources::Context&, const resources::Target&, const resources::Live&) const override {
    return resources::Live{};
  }
  aws::Result<model::Unit> destroy(resources::Context&, const resources::Target&) const override { return model::ok(); }

  mutable std::vector<std::string> asked;

 private:
  std::set<std::string> failing_;
  resources::Schema schema_;
  mutable std::mutex mu_;
};

model::Resource thing(const std::string& name, std::vector<std::string> depends_on, json attrs = json::object()) {
  return model::Resource{{"fake.thing", name}, "us-east-1", std::move(attrs), std::move(depends_on), "", std::nullopt};
}

TEST(Refresh, ADependentOfAFailedReadIsFailedNotAbsent) {
  model::Graph g;
  g.stack = "shop";
  g.resources = {thing("plan", {}), thing("selection", {"fake.thing.plan"}, {{"plan_id", "@{fake.thing.plan#id}"}}),
                 thing("vault", {})};
  g.reindex();
  ReadOnlyType type({"fake.thing.plan"});
  aws::Client client{aws::ClientConfig{}};
  resources::Context ctx{client, "shop"};
  RefreshRequest req;
  req.desired = &g;
  req.find_type = [&](std::string_view) { return &type; };
  req.progress = {};
  const auto observed = refresh(ctx, req);

  EXPECT_EQ(observed.at("fake.thing.plan").status, plan::Observed::Status::failed);
  const auto& sel = observed.at("fake.thing.selection");
  EXPECT_EQ(sel.status, plan::Observed::Status::failed);
  EXPECT_EQ(sel.error, "not read: it depends on fake.thing.plan, which could not be read");
  EXPECT_EQ(observed.at("fake.thing.vault").status, plan::Observed::Status::found);
  EXPECT_EQ(std::count(type.asked.begin(), type.asked.end(), "fake.thing.selection"), 0);  // never asked
}

}  // namespace
}  // namespace apply
