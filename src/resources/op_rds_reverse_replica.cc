// op.rds_reverse_replica (contract in op_failback.h): replication from the new primary (the
// promoted DR instance) back to the old primary region, under the configured primary name.
//
// Why the name is the configured primary identifier: applications in the primary region keep
// the endpoint they had (RDS endpoints are derived from the identifier), so the switch back
// needs no application change. Why copy placement from the retired instance: a cross-region
// replica created without a subnet group and security groups lands in the default VPC, where
// the applications cannot reach it.
#include "resources/common.h"
#include "resources/op_common.h"
#include "resources/op_failback.h"
#include "resources/types.h"
#include "resources/xml_util.h"

namespace resources::op {
namespace {

class RdsReverseReplica final : public ResourceType {
 public:
  explicit RdsReverseReplica(rds::WaitPolicy policy) : policy_(std::move(policy)) {}
  std::string_view name() const override { return "op.rds_reverse_replica"; }
  const Schema& schema() const override { return op_schema(); }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    for (const auto& t : targets) {
      const auto id = str_attr(t.attrs, "identifier");
      auto db = describe_db(ctx.aws, region, id);
      if (!db) out[t.address] = failed(db.error());
      else if (*db && is_ours(**db, region, t) && (*db)->status == "available") out[t.address] = found(done(t, id));
      else out[t.address] = absent();  // missing, still being created, or the old primary not yet retired
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto id = str_attr(want.attrs, "identifier");
    const auto source = str_attr(want.attrs, "source");
    const auto source_region = str_attr(want.attrs, "source_region");
    if (id.empty() || source.empty() || source_region.empty())
      return model::err(local_error("InvalidDesired", "op.rds_reverse_replica needs identifier, source and source_region",
                                    "rds", "CreateDBInstanceReadReplica"));
    auto cur = describe_db(ctx.aws, want.region, id);
    if (!cur) return model::err(cur.error());
    if (*cur && !is_ours(**cur, want.region, want))
      return model::err(local_error("InvalidDesired",
                                    id + " exists in " + want.region + " and is not a read replica of " + source + " (" +
                                        source_region + "): the old primary must be retired (renamed) first; drctl "
                                        "does not touch it here",
                                    "rds", "CreateDBInstanceReadReplica"));
    if (!*cur) {
      auto p = request(ctx, want);
      if (!p) return model::err(p.error());
      aws::XmlDoc keep;
      auto r = rds::call(ctx.aws, want.region, "CreateDBInstanceReadReplica", *p, keep);
      // A retried create after a crash: adopted below only if it is the replica we want.
      if (!r && !has_code(r.error(), {"DBInstanceAlreadyExists", "DBInstanceAlreadyExistsFault"}))
        return model::err(r.error());
      if (!r) {
        auto again = describe_db(ctx.aws, want.region, id);
        if (!again) return model::err(again.error());
        if (!*again || !is_ours(**again, want.region, want)) return model::err(r.error());
      }
    }
    auto waited = rds::wait_for([&] { return rds::instance_status(ctx.aws, want.region, id); }, "available", policy_,
                                "DB instance " + id + " in " + want.region + " (replica of " + source + ")");
    if (!waited) return model::err(waited.error());
    return done(want, id);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live&) const override { return create(ctx, want); }
  aws::Result<model::Unit> destroy(Context&, const Target&) const override { return model::ok(); }

 private:
  static bool is_ours(const DbFacts& db, const std::string& region, const Target& t) {
    return replicates(db, region, str_attr(t.attrs, "source"), str_attr(t.attrs, "source_region"));
  }

  // CreateDBInstanceReadReplica parameters: the source by ARN (cross-region), sizing and
  // placement from `like` when it exists.
  static aws::Result<aws::Params> request(Context& ctx, const Target& want) {
    const auto source = str_attr(want.attrs, "source");
    const auto source_region = str_attr(want.attrs, "source_region");
    auto src = describe_db(ctx.aws, source_region, source);
    if (!src) return model::err(src.error());
    if (!*src)
      return model::err(local_error("DBInstanceNotFound", "the new primary " + source + " does not exist in " +
                                                              source_region + ": there is nothing to replicate from",
                                    "rds", "DescribeDBInstances"));
    if (!(*src)->source.empty())
      return model::err(local_error("InvalidDesired",
                                    source + " in " + source_region + " is still a read replica of " + (*src)->source +
                                        ": it was never promoted, so there is no failover to come back from",
                                    "rds", "CreateDBInstanceReadReplica"));
    aws::Params p{{"DBInstanceIdentifier", str_attr(want.attrs, "identifier")},
                  {"SourceDBInstanceIdentifier", (*src)->arn}};
    std::string instance_class = str_attr(want.attrs, "instance_class");
    if (const auto like_id = str_attr(want.attrs, "like"); !like_id.empty()) {
      auto like = describe_db(ctx.aws, want.region, like_id);
      if (!like) return model::err(like.error());
      if (*like) {
        const auto& l = **like;
        if (instance_class.empty()) instance_class = l.instance_class;
        if (l.multi_az) p.emplace_back("MultiAZ", "true");
        if (!l.subnet_group.empty() && l.subnet_group != "default") p.emplace_back("DBSubnetGroupName", l.subnet_group);
        for (size_t i = 0; i < l.security_groups.size(); ++i)
          p.emplace_back("VpcSecurityGroupIds.VpcSecurityGroupId." + std::to_string(i + 1), l.security_groups[i]);
        if (l.encrypted && !l.kms_key_id.empty()) p.emplace_back("KmsKeyId", l.kms_key_id);
        TagMap tags;
        for (const auto& [k, v] : l.tags)
          if (k.rfind("drctl:", 0) != 0 && k.rfind("aws:", 0) != 0) tags[k] = v;
        rds::add_tags(p, tags);
      }
    }
    if (!instance_class.empty()) p.emplace_back("DBInstanceClass", instance_class);
    return p;
  }

  rds::WaitPolicy policy_;
};

}  // namespace

std::unique_ptr<ResourceType> make_rds_reverse_replica_type(rds::WaitPolicy policy) {
  return std::make_unique<RdsReverseReplica>(std::move(policy));
}

}  // namespace resources::op

namespace resources {
const ResourceType& op_rds_reverse_replica_type() {
  static const op::RdsReverseReplica t{rds::WaitPolicy{}};
  return t;
}
}  // namespace resources
