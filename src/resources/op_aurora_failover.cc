// op.aurora_failover: makes the DR secondary cluster of an Aurora global database its writer.
// attrs: `global_cluster_id`; `target_cluster_id` (the DR secondary cluster) and, when the
// config names the account (an ARN source cluster), `target_cluster_arn`; `mode`:
//   "switchover"  SwitchoverGlobalCluster: planned, no data loss; needs the primary region
//                 healthy (Aurora demotes the old writer and waits until both are in sync);
//   "failover"    FailoverGlobalCluster with AllowDataLoss=true: the managed failover for an
//                 outage; writes not yet replicated to the DR region are lost.
// Every call goes to the step's region (the DR region): the primary region may be gone.
//
// Read: DescribeGlobalClusters in the DR region. The target member is the writer -> found (the
// step is done); it is a reader -> absent. No such global cluster, or the target is not one of
// its members -> failed: failing over to something that is not there must stop the plan, not
// look like work to do. The member is matched by its ARN's region and cluster id (or by the
// whole ARN when given), so the op needs no account id and no call to STS.
// Create: the same describe; when the target is still a reader, the switchover or failover
// with the member's ARN as TargetDbClusterIdentifier (an InvalidGlobalClusterStateFault from an
// operation already under way is waited on, not an error); then polls DescribeGlobalClusters
// until the target is the writer and the global cluster is `available` again.
#include <optional>

#include "resources/common.h"
#include "resources/op_common.h"
#include "resources/rds_global_cluster_read.h"
#include "resources/types.h"

namespace resources::op {
namespace {

struct Step {
  std::string global_id, target_id, target_arn, mode;
};

Step step_of(const Target& t) {
  return {str_attr(t.attrs, "global_cluster_id"), str_attr(t.attrs, "target_cluster_id"),
          str_attr(t.attrs, "target_cluster_arn"), get_string(t.attrs, "mode", "switchover")};
}

// Whether a member's ARN names the target cluster in `region`.
bool is_target(const std::string& member_arn, const Step& s, const std::string& region) {
  const auto m = rds::parse_arn(member_arn);
  if (!m || m->kind != "cluster") return false;
  if (const auto want = rds::parse_arn(s.target_arn))
    return m->region == want->region && m->account == want->account && rds::same_identifier(m->id, want->id);
  return m->region == region && rds::same_identifier(m->id, s.target_id);
}

struct Seen {
  std::string status;      // of the global cluster
  std::string target_arn;  // "" when the target is not a member
  bool target_writer = false;
};

// nullopt: the global cluster does not exist.
aws::Result<std::optional<Seen>> observe(aws::Client& c, const std::string& region, const Step& s) {
  auto g = rds::describe_global(c, region, s.global_id);
  if (!g) return model::err(g.error());
  if (!*g) return std::optional<Seen>{};
  Seen seen{(*g)->status, "", false};
  for (const auto& m : (*g)->members)
    if (is_target(m.cluster_arn, s, region)) seen = {(*g)->status, m.cluster_arn, m.writer};
  return std::optional<Seen>{seen};
}

aws::AwsError missing(const Step& s, const std::string& region, bool global_missing) {
  const std::string target = s.target_arn.empty() ? s.target_id + " in " + region : s.target_arn;
  return local_error(global_missing ? "GlobalClusterNotFoundFault" : "DBClusterNotFoundFault",
                     global_missing ? "global cluster " + s.global_id + " does not exist (seen from " + region +
                                          "): there is no Aurora global database to fail over"
                                    : "cluster " + target + " is not a member of global cluster " + s.global_id +
                                          ": there is no DR cluster to fail over to",
                     "rds", "DescribeGlobalClusters");
}

class AuroraFailover final : public ResourceType {
 public:
  explicit AuroraFailover(rds::WaitPolicy policy) : policy_(std::move(policy)) {}
  std::string_view name() const override { return "op.aurora_failover"; }
  const Schema& schema() const override { return op_schema(); }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    for (const auto& t : targets) {
      const auto s = step_of(t);
      auto seen = observe(ctx.aws, region, s);
      if (!seen) out[t.address] = failed(seen.error());
      else if (!*seen) out[t.address] = failed(missing(s, region, true));
      else if ((*seen)->target_arn.empty()) out[t.address] = failed(missing(s, region, false));
      else if ((*seen)->target_writer) out[t.address] = found(done(t, s.global_id));
      else out[t.address] = absent();
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto s = step_of(want);
    const auto& region = want.region;
    auto seen = observe(ctx.aws, region, s);
    if (!seen) return model::err(seen.error());
    if (!*seen) return model::err(missing(s, region, true));
    if ((*seen)->target_arn.empty()) return model::err(missing(s, region, false));
    if (!(*seen)->target_writer) {
      aws::Params p{{"GlobalClusterIdentifier", s.global_id}, {"TargetDbClusterIdentifier", (*seen)->target_arn}};
      const bool failover = s.mode == "failover";
      if (failover) p.emplace_back("AllowDataLoss", "true");
      aws::XmlDoc keep;
      auto r = rds::call(ctx.aws, region, failover ? "FailoverGlobalCluster" : "SwitchoverGlobalCluster", p, keep);
      // A switchover or failover already under way (an interrupted run): wait for it.
      if (!r && !has_code(r.error(), {"InvalidGlobalClusterStateFault"})) return model::err(r.error());
    }
    // Done means writable: the target is the writer and Aurora has finished (status available).
    auto poll = [&]() -> aws::Result<std::optional<std::string>> {
      auto now = observe(ctx.aws, region, s);
      if (!now) return model::err(now.error());
      if (!*now || (*now)->target_arn.empty()) return std::optional<std::string>{};
      if ((*now)->target_writer && (*now)->status == "available") return std::optional<std::string>{"writer"};
      return std::optional<std::string>{(*now)->status + ((*now)->target_writer ? "" : " (target still a reader)")};
    };
    auto waited = rds::wait_for(poll, "writer", policy_, "global cluster " + s.global_id);
    if (!waited) return model::err(waited.error());
    return done(want, s.global_id);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live&) const override { return create(ctx, want); }
  aws::Result<model::Unit> destroy(Context&, const Target&) const override { return model::ok(); }

 private:
  rds::WaitPolicy policy_;
};

}  // namespace

std::unique_ptr<ResourceType> make_aurora_failover_type(rds::WaitPolicy policy) {
  return std::make_unique<AuroraFailover>(std::move(policy));
}

}  // namespace resources::op

namespace resources {
const ResourceType& op_aurora_failover_type() {
  static const op::AuroraFailover t{rds::WaitPolicy{}};
  return t;
}
}  // namespace resources
