// op.rds_promote: promotes a cross-region RDS read replica in the DR region to a standalone
// instance. attrs: `identifier` (the replica), `source` (the primary it replicates, for the
// reviewer; never called: the primary region may be gone), `last_replica` (bool, informational).
//
// Read: DescribeDBInstances of the identifier in the DR region. Standalone (no
// ReadReplicaSourceDBInstanceIdentifier) -> found: the promotion is done. Still a replica ->
// absent. No such instance -> failed: promoting something that is not there must stop the plan,
// not look like work to do.
// Create: PromoteReadReplica (InvalidDBInstanceState from a promotion already under way is
// waited on, not an error), then polls DescribeDBInstances until the instance is `available`
// and no longer a replica: a promotion is only done when the instance accepts writes.
#include <optional>

#include "resources/common.h"
#include "resources/op_common.h"
#include "resources/op_failback.h"  // describe_db, shared with the failback steps
#include "resources/types.h"
#include "resources/xml_util.h"

namespace resources::op {
namespace {

aws::AwsError missing(const std::string& id, const std::string& region) {
  return local_error("DBInstanceNotFound", "DB instance " + id + " does not exist in " + region +
                                               ": there is no replica to promote", "rds", "DescribeDBInstances");
}

class RdsPromote final : public ResourceType {
 public:
  explicit RdsPromote(rds::WaitPolicy policy) : policy_(std::move(policy)) {}
  std::string_view name() const override { return "op.rds_promote"; }
  const Schema& schema() const override { return op_schema(); }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    for (const auto& t : targets) {
      const auto id = str_attr(t.attrs, "identifier");
      auto db = describe_db(ctx.aws, region, id);
      if (!db) out[t.address] = failed(db.error());
      else if (!*db) out[t.address] = failed(missing(id, region));
      else if ((*db)->source.empty()) out[t.address] = found(done(t, id));
      else out[t.address] = absent();
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto id = str_attr(want.attrs, "identifier");
    auto db = describe_db(ctx.aws, want.region, id);
    if (!db) return model::err(db.error());
    if (!*db) return model::err(missing(id, want.region));
    if (!(*db)->source.empty()) {
      aws::XmlDoc keep;
      auto r = rds::call(ctx.aws, want.region, "PromoteReadReplica", {{"DBInstanceIdentifier", id}}, keep);
      if (!r && !has_code(r.error(), {"InvalidDBInstanceState", "InvalidDBInstanceStateFault"}))
        return model::err(r.error());
    }
    // "promoted" is not an RDS status: it is available *and* standalone.
    auto poll = [&]() -> aws::Result<std::optional<std::string>> {
      auto now = describe_db(ctx.aws, want.region, id);
      if (!now) return model::err(now.error());
      if (!*now) return std::optional<std::string>{};
      if ((*now)->status == "available" && (*now)->source.empty()) return std::optional<std::string>{"promoted"};
      return std::optional<std::string>{(*now)->source.empty() ? (*now)->status : (*now)->status + " (still a replica)"};
    };
    auto waited = rds::wait_for(poll, "promoted", policy_, "DB instance " + id);
    if (!waited) return model::err(waited.error());
    return done(want, id);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live&) const override { return create(ctx, want); }
  aws::Result<model::Unit> destroy(Context&, const Target&) const override { return model::ok(); }

 private:
  rds::WaitPolicy policy_;
};

}  // namespace

const Schema& op_schema() {
  static const Schema s{{}, false};
  return s;
}

std::unique_ptr<ResourceType> make_rds_promote_type(rds::WaitPolicy policy) {
  return std::make_unique<RdsPromote>(std::move(policy));
}

}  // namespace resources::op

namespace resources {
const ResourceType& op_rds_promote_type() {
  static const op::RdsPromote t{rds::WaitPolicy{}};
  return t;
}
}  // namespace resources
