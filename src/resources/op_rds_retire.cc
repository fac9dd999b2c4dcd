// op.rds_retire (contract in op_failback.h): renames a DB instance out of the way and keeps it.
// Also holds the DescribeDBInstances reader both failback types share.
//
// Why a rename and not a delete: the retired instance holds writes the other side may never
// have received (an unplanned failover loses the replication tail). Deleting it is a human
// decision, taken after someone has looked; drctl only makes room for the configured name.
#include "resources/common.h"
#include "resources/op_common.h"
#include "resources/op_failback.h"
#include "resources/types.h"
#include "resources/xml_util.h"

namespace resources::op {

aws::Result<std::optional<DbFacts>> describe_db(aws::Client& c, const std::string& region, const std::string& id) {
  aws::XmlDoc keep;
  auto res = rds::call(c, region, "DescribeDBInstances", {{"DBInstanceIdentifier", id}}, keep);
  if (!res) {
    if (has_code(res.error(), {"DBInstanceNotFound", "DBInstanceNotFoundFault"})) return std::optional<DbFacts>{};
    return model::err(res.error());
  }
  auto db = xml::child(xml::child(*res, "DBInstances"), "DBInstance");
  if (!db) return std::optional<DbFacts>{};
  DbFacts f;
  f.identifier = xml::text(db, "DBInstanceIdentifier");
  f.arn = xml::text(db, "DBInstanceArn");
  f.status = xml::text(db, "DBInstanceStatus");
  f.instance_class = xml::text(db, "DBInstanceClass");
  f.source = xml::text(db, "ReadReplicaSourceDBInstanceIdentifier");
  f.multi_az = rds::xml_bool(db, "MultiAZ");
  f.encrypted = rds::xml_bool(db, "StorageEncrypted");
  f.kms_key_id = xml::text(db, "KmsKeyId");
  f.subnet_group = xml::text(xml::child(db, "DBSubnetGroup"), "DBSubnetGroupName");
  for (auto g : xml::children(xml::child(db, "VpcSecurityGroups"), "VpcSecurityGroupMembership"))
    if (auto sg = xml::text(g, "VpcSecurityGroupId"); !sg.empty()) f.security_groups.push_back(sg);
  f.tags = rds::read_tags(xml::child(db, "TagList"));
  return std::optional<DbFacts>{std::move(f)};
}

bool replicates(const DbFacts& db, const std::string& region, const std::string& source,
                const std::string& source_region) {
  if (db.source.empty() || source.empty()) return false;
  if (auto arn = rds::parse_arn(db.source)) return arn->region == source_region && rds::same_identifier(arn->id, source);
  return region == source_region && rds::same_identifier(db.source, source);
}

namespace {

aws::AwsError conflict(const std::string& id, const std::string& retired, const std::string& region) {
  return local_error("InvalidDesired",
                     "both " + id + " and " + retired + " exist in " + region + ": " + id +
                         " cannot be retired under a name that is taken. Look at both instances, then rename or "
                         "delete one by hand and plan again",
                     "rds", "ModifyDBInstance");
}

class RdsRetire final : public ResourceType {
 public:
  explicit RdsRetire(rds::WaitPolicy policy) : policy_(std::move(policy)) {}
  std::string_view name() const override { return "op.rds_retire"; }
  const Schema& schema() const override { return op_schema(); }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    for (const auto& t : targets) {
      auto s = situation(ctx, region, t);
      if (!s) out[t.address] = failed(s.error());
      else if (s->in_place) out[t.address] = found(done(t, str_attr(t.attrs, "retired_identifier")));
      else if (s->retired) out[t.address] = failed(conflict(str_attr(t.attrs, "identifier"), str_attr(t.attrs, "retired_identifier"), region));
      else out[t.address] = absent();
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto id = str_attr(want.attrs, "identifier");
    const auto retired = str_attr(want.attrs, "retired_identifier");
    if (id.empty() || retired.empty() || rds::same_identifier(id, retired))
      return model::err(local_error("InvalidDesired", "op.rds_retire needs two different identifiers", "rds"));
    auto s = situation(ctx, want.region, want);
    if (!s) return model::err(s.error());
    if (!s->in_place) {
      if (s->retired) return model::err(conflict(id, retired, want.region));
      aws::XmlDoc keep;
      auto r = rds::call(ctx.aws, want.region, "ModifyDBInstance",
                         {{"DBInstanceIdentifier", id}, {"NewDBInstanceIdentifier", retired}, {"ApplyImmediately", "true"}},
                         keep);
      // An earlier, interrupted run may have started the rename: NotFound then means "moved".
      if (!r && !has_code(r.error(), {"DBInstanceNotFound", "DBInstanceNotFoundFault"})) return model::err(r.error());
    } else if (!s->retired) {
      return done(want, retired);  // nothing to retire
    }
    // The rename is done once the new name answers `available`. Until RDS applies it, the
    // instance still answers under the old name (status `renaming`): that is progress, not gone.
    auto poll = [&]() -> aws::Result<std::optional<std::string>> {
      auto to = rds::instance_status(ctx.aws, want.region, retired);
      if (!to || *to) return to;
      auto from = describe_db(ctx.aws, want.region, id);
      if (!from) return model::err(from.error());
      if (!*from) return std::optional<std::string>{};
      return std::optional<std::string>{(*from)->status + " (still named " + id + ")"};
    };
    auto waited = rds::wait_for(poll, "available", policy_, "DB instance " + retired + " (renamed from " + id + ")");
    if (!waited) return model::err(waited.error());
    auto now = describe_db(ctx.aws, want.region, retired);
    if (!now) return model::err(now.error());
    if (!*now) return model::err(local_error("DBInstanceNotFound", retired + " vanished after the rename", "rds"));
    const TagMap want_tags{{"drctl:retired-by", "failback"}, {"drctl:retired-from", id}};
    TagMap merged = (*now)->tags;
    for (const auto& [k, v] : want_tags) merged[k] = v;
    if (auto r = rds::sync_tags(ctx.aws, want.region, (*now)->arn, merged, (*now)->tags); !r) return model::err(r.error());
    return done(want, retired);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live&) const override { return create(ctx, want); }
  aws::Result<model::Unit> destroy(Context&, const Target&) const override { return model::ok(); }

 private:
  struct Situation {
    bool in_place = false;  // the configured name is free, or held by the successor replica
    bool retired = false;   // the retired name exists
  };

  static aws::Result<Situation> situation(Context& ctx, const std::string& region, const Target& t) {
    const auto id = str_attr(t.attrs, "identifier");
    auto cur = describe_db(ctx.aws, region, id);
    if (!cur) return model::err(cur.error());
    auto old = describe_db(ctx.aws, region, str_attr(t.attrs, "retired_identifier"));
    if (!old) return model::err(old.error());
    Situation s;
    s.retired = old->has_value();
    const auto successor = str_attr(t.attrs, "successor_source");
    s.in_place = !cur->has_value() ||
                 (!successor.empty() &&
                  replicates(**cur, region, successor, get_string(t.attrs, "successor_source_region", region)));
    return s;
  }

  rds::WaitPolicy policy_;
};

}  // namespace

std::unique_ptr<ResourceType> make_rds_retire_type(rds::WaitPolicy policy) {
  return std::make_unique<RdsRetire>(std::move(policy));
}

}  // namespace resources::op

namespace resources {
const ResourceType& op_rds_retire_type() {
  static const op::RdsRetire t{rds::WaitPolicy{}};
  return t;
}
}  // namespace resources
