// op.asg_scale and op.ecs_scale: raise DR compute to its failover capacity.
//   op.asg_scale attrs: `group`, `min`, `desired`, `max` (the drctl:failover-* values)
//   op.ecs_scale attrs: `cluster`, `service`, `desired_count` (drctl:failover-count)
//
// Both delegate the AWS calls to the capacity types (autoscaling.capacity, ecs.capacity), so
// reads stay batched (one DescribeAutoScalingGroups per 100 groups, one DescribeServices per
// 10 services) and writes are the same UpdateAutoScalingGroup / UpdateService.
// Read: found when live capacity is at least the failover values (a group someone already
// scaled further is not scaled down by a failover); absent when below; failed when the group
// or service does not exist (a failover cannot scale what is not there) or the read failed.
// Create: each value becomes max(live, failover), tags untouched.
#include <algorithm>
#include <vector>

#include "resources/common.h"
#include "resources/op_common.h"
#include "resources/types.h"

namespace resources::op {
namespace {

using nlohmann::json;

struct Shape {
  std::string_view name;
  const ResourceType& (*base)();
  std::vector<std::string> keys;   // identity attributes passed through
  std::vector<std::string> counts; // capacity attributes compared as "at least"
  std::string what;                // for errors
};

class Scale final : public ResourceType {
 public:
  explicit Scale(Shape s) : s_(std::move(s)) {}
  std::string_view name() const override { return s_.name; }
  const Schema& schema() const override { return op_schema(); }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::vector<Target> base;
    for (const auto& t : targets) base.push_back(base_target(t));
    auto live = s_.base().read(ctx, region, base);
    std::map<std::string, ReadOutcome> out;
    for (const auto& t : targets) {
      auto it = live.find(t.address);
      if (it == live.end() || it->second.status == ReadStatus::failed) {
        out[t.address] = it == live.end() ? failed(local_error("MalformedResponse", "no read outcome", "op"))
                                          : it->second;
        continue;
      }
      if (it->second.status == ReadStatus::absent) {
        out[t.address] = failed(not_there(t));
        continue;
      }
      out[t.address] = at_least(it->second.live.attrs, t.attrs) ? found(done(t, it->second.live.id)) : absent();
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    Target base = base_target(want);
    auto live = s_.base().read(ctx, want.region, std::span(&base, 1));
    auto it = live.find(want.address);
    if (it == live.end() || it->second.status == ReadStatus::absent) return model::err(not_there(want));
    if (it->second.status == ReadStatus::failed && it->second.error) return model::err(*it->second.error);
    for (const auto& k : s_.counts)
      base.attrs[k] = std::max(get_int(want.attrs, k, 0), get_int(it->second.live.attrs, k, 0));
    auto r = s_.base().update(ctx, base, it->second.live);
    if (!r) return model::err(r.error());
    return done(want, r.value().id);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live&) const override { return create(ctx, want); }
  aws::Result<model::Unit> destroy(Context&, const Target&) const override { return model::ok(); }

 private:
  Target base_target(const Target& t) const {
    Target b{t.address, t.region, json::object(), ""};
    for (const auto& k : s_.keys) b.attrs[k] = t.attrs.value(k, json());
    for (const auto& k : s_.counts)
      if (t.attrs.contains(k)) b.attrs[k] = t.attrs[k];
    return b;
  }
  bool at_least(const json& live, const json& want) const {
    for (const auto& k : s_.counts)
      if (want.contains(k) && get_int(live, k, -1) < get_int(want, k, 0)) return false;
    return true;
  }
  aws::AwsError not_there(const Target& t) const {
    std::string id;
    for (const auto& k : s_.keys) id += (id.empty() ? "" : "/") + str_attr(t.attrs, k);
    return local_error("NotFound", s_.what + " " + id + " does not exist in " + t.region + ": nothing to scale", "op");
  }
  Shape s_;
};

}  // namespace
}  // namespace resources::op

namespace resources {
const ResourceType& op_asg_scale_type() {
  static const op::Scale t{{"op.asg_scale", &autoscaling_capacity_type, {"group"}, {"min", "desired", "max"},
                            "Auto Scaling group"}};
  return t;
}
const ResourceType& op_ecs_scale_type() {
  static const op::Scale t{{"op.ecs_scale", &ecs_capacity_type, {"cluster", "service"}, {"desired_count"},
                            "ECS service"}};
  return t;
}
}  // namespace resources
