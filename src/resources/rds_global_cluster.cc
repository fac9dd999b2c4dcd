// rds.global_cluster: an Aurora global database made from an existing primary cluster, with
// one secondary cluster (and optionally one instance in it) in the DR region. Data-bearing.
//
// Read: rds_global_cluster_read.h (DescribeGlobalClusters + DescribeDBClusters per region).
// Create, in order, each step adopting what an interrupted run left behind:
//   DescribeDBClusters (primary region) for the source cluster's ARN, engine and version;
//   CreateGlobalCluster (SourceDBClusterIdentifier = that ARN, DeletionProtection, Tags);
//   wait for the global cluster to be available;
//   CreateDBCluster in the secondary region (GlobalClusterIdentifier, the primary's Engine and
//   EngineVersion, DeletionProtection, Tags); wait for it;
//   CreateDBInstance "<secondary>-1" in it when secondary_instance_class is set; wait for it.
// Update: deletion_protection with ModifyGlobalCluster and ModifyDBCluster (secondary); tags of
// the global cluster with AddTagsToResource / RemoveTagsFromResource; secondary_instance_class
// with ModifyDBInstance (or CreateDBInstance when the instance is missing).
// Destroy: RDS deletes a global cluster only once it has no members, so: RemoveFromGlobalCluster
// for the secondary (called in its region), delete the secondary's instances and the secondary
// cluster with a final snapshot, RemoveFromGlobalCluster for the primary (which stays, as a
// standalone cluster: it is the user's), DeleteGlobalCluster. Deletion protection on either
// is reported before anything changes.
#include "resources/common.h"
#include "resources/rds_common.h"
#include "resources/rds_global_cluster_read.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using rds::ClusterInfo;
using rds::GlobalInfo;

aws::Result<model::Unit> send(aws::Client& c, const std::string& region, const std::string& action,
                              const aws::Params& p, std::initializer_list<std::string_view> fine = {}) {
  aws::XmlDoc keep;
  auto r = rds::call(c, region, action, p, keep);
  if (!r && !has_code(r.error(), fine)) return model::err(r.error());
  return model::ok();
}

class RdsGlobalCluster final : public ResourceType {
 public:
  explicit RdsGlobalCluster(rds::WaitPolicy policy) : policy_(std::move(policy)) {}

  std::string_view name() const override { return "rds.global_cluster"; }
  const Schema& schema() const override {
    static const Schema s{{{"global_cluster_id", AttrKind::replace},
                           {"source_cluster", AttrKind::replace},
                           {"secondary_region", AttrKind::replace},
                           {"secondary_cluster_id", AttrKind::replace},
                           {"arn", AttrKind::computed},
                           {"status", AttrKind::computed},
                           {"members", AttrKind::computed},
                           {"engine", AttrKind::computed},
                           {"engine_version", AttrKind::computed}},
                          true};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    return rds::read_global_clusters(ctx.aws, region, targets);
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const json& w = want.attrs;
    const auto id = str_attr(w, "global_cluster_id");
    const auto source = str_attr(w, "source_cluster");
    const auto dr = str_attr(w, "secondary_region");
    const auto secondary = str_attr(w, "secondary_cluster_id");
    if (id.empty() || source.empty() || dr.empty() || secondary.empty())
      return model::err(local_error("InvalidDesired",
                                    "rds.global_cluster needs global_cluster_id, source_cluster, secondary_region "
                                    "and secondary_cluster_id",
                                    "rds", "CreateGlobalCluster"));
    const bool dp = get_bool(w, "deletion_protection", false);
    const auto tags = tag_map(w.value("tags", json::object()));

    auto primary = rds::describe_cluster(ctx.aws, want.region, source);
    if (!primary) return model::err(primary.error());
    if (!*primary)
      return model::err(local_error("DBClusterNotFoundFault",
                                    "the source cluster " + source + " does not exist in " + want.region, "rds",
                                    "DescribeDBClusters"));
    const ClusterInfo src = **primary;

    aws::Params gp{{"GlobalClusterIdentifier", id},
                   {"SourceDBClusterIdentifier", src.arn},
                   {"DeletionProtection", rds::boolean(dp)}};
    rds::add_tags(gp, tags);
    if (auto r = send(ctx.aws, want.region, "CreateGlobalCluster", gp); !r) {
      if (!has_code(r.error(), {"GlobalClusterAlreadyExistsFault"})) return model::err(r.error());
      // Left by an interrupted run, or someone else's: adopt it only if it holds our source.
      auto existing = rds::describe_global(ctx.aws, want.region, id);
      if (!existing) return model::err(existing.error());
      if (!*existing || !has_member(**existing, src.arn))
        return model::err(local_error("AlreadyExists",
                                      "global cluster " + id + " exists but " + src.arn + " is not one of its members",
                                      "rds", "CreateGlobalCluster"));
    }
    if (auto r = wait(ctx, "global", want.region, id); !r) return model::err(r.error());

    aws::Params cp{{"DBClusterIdentifier", secondary},
                   {"Engine", src.engine},
                   {"EngineVersion", src.engine_version},
                   {"GlobalClusterIdentifier", id},
                   {"DeletionProtection", rds::boolean(dp)}};
    rds::add_tags(cp, tags);
    if (auto r = send(ctx.aws, dr, "CreateDBCluster", cp); !r) {
      if (!has_code(r.error(), {"DBClusterAlreadyExistsFault"})) return model::err(r.error());
      auto sec = rds::describe_cluster(ctx.aws, dr, secondary);
      if (!sec) return model::err(sec.error());
      if (!*sec || !rds::same_identifier(tail((*sec)->global_id), id))
        return model::err(local_error("AlreadyExists",
                                      "DB cluster " + secondary + " exists in " + dr + " but is not part of " + id,
                                      "rds", "CreateDBCluster"));
    }
    if (auto r = wait(ctx, "cluster", dr, secondary); !r) return model::err(r.error());

    if (auto cls = str_attr(w, "secondary_instance_class"); !cls.empty())
      if (auto r = create_instance(ctx, dr, secondary, src.engine, cls, tags); !r) return model::err(r.error());
    return reread(ctx, want);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    const json& w = want.attrs;
    const json& h = have.attrs;
    const auto id = have.id.empty() ? str_attr(w, "global_cluster_id") : have.id;
    const auto dr = str_attr(w, "secondary_region");
    const auto secondary = str_attr(w, "secondary_cluster_id");
    if (w.contains("deletion_protection") && w["deletion_protection"] != h.value("deletion_protection", json())) {
      const char* dp = rds::boolean(get_bool(w, "deletion_protection", false));
      if (auto r = send(ctx.aws, want.region, "ModifyGlobalCluster", {{"GlobalClusterIdentifier", id}, {"DeletionProtection", dp}}); !r)
        return model::err(r.error());
      aws::Params p{{"DBClusterIdentifier", secondary}, {"ApplyImmediately", "true"}, {"DeletionProtection", dp}};
      if (auto r = send(ctx.aws, dr, "ModifyDBCluster", p); !r) return model::err(r.error());
    }
    if (w.contains("tags"))
      if (auto r = rds::sync_tags(ctx.aws, want.region, str_attr(h, "arn"), tag_map(w["tags"]),
                                  tag_map(h.value("tags", json::object())));
          !r)
        return model::err(r.error());
    const auto cls = str_attr(w, "secondary_instance_class");
    if (!cls.empty() && cls != str_attr(h, "secondary_instance_class")) {
      const auto instance = rds::secondary_instance_id(secondary);
      if (str_attr(h, "secondary_instance_class").empty()) {
        auto engine = str_attr(h, "engine");
        if (auto r = create_instance(ctx, dr, secondary, engine, cls, tag_map(w.value("tags", json::object()))); !r)
          return model::err(r.error());
      } else {
        aws::Params p{{"DBInstanceIdentifier", instance}, {"DBInstanceClass", cls}, {"ApplyImmediately", "true"}};
        if (auto r = send(ctx.aws, dr, "ModifyDBInstance", p); !r) return model::err(r.error());
        if (auto r = wait(ctx, "instance", dr, instance); !r) return model::err(r.error());
      }
    }
    return reread(ctx, want);
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    const auto id = id_or_attr(have, "global_cluster_id");
    const auto dr = str_attr(have.attrs, "secondary_region");
    const auto secondary = str_attr(have.attrs, "secondary_cluster_id");
    auto g = rds::describe_global(ctx.aws, have.region, id);
    if (!g) return model::err(g.error());
    std::optional<ClusterInfo> sec;
    if (!dr.empty() && !secondary.empty()) {
      auto s = rds::describe_cluster(ctx.aws, dr, secondary);
      if (!s) return model::err(s.error());
      sec = *s;
    }
    // Nothing is changed while either side is protected.
    if ((*g && (*g)->deletion_protection) || (sec && sec->deletion_protection))
      return model::err(local_error("DeletionProtectionEnabled",
                                    "global cluster " + id + " or its secondary cluster " + secondary +
                                        " has deletion protection on: apply deletion_protection: false first, then "
                                        "destroy it",
                                    "rds", "DeleteGlobalCluster"));
    if (sec) {
      if (*g && has_member(**g, sec->arn)) {
        if (auto r = send(ctx.aws, dr, "RemoveFromGlobalCluster",
                          {{"GlobalClusterIdentifier", id}, {"DbClusterIdentifier", sec->arn}});
            !r)
          return model::err(r.error());
        if (auto r = wait_detached(ctx, have.region, id, sec->arn); !r) return model::err(r.error());
      }
      for (const auto& instance : sec->instances)
        if (auto r = send(ctx.aws, dr, "DeleteDBInstance", {{"DBInstanceIdentifier", instance}, {"SkipFinalSnapshot", "true"}},
                          {"DBInstanceNotFound", "InvalidDBInstanceState"});
            !r)
          return model::err(r.error());
      aws::Params p{{"DBClusterIdentifier", secondary},
                    {"SkipFinalSnapshot", "false"},
                    {"FinalDBSnapshotIdentifier", rds::final_snapshot_id(secondary, std::chrono::system_clock::now())}};
      if (auto r = send(ctx.aws, dr, "DeleteDBCluster", p, {"DBClusterNotFoundFault"}); !r) return model::err(r.error());
      if (auto r = wait(ctx, "cluster", dr, secondary, "deleted"); !r) return model::err(r.error());
    }
    if (!*g) return model::ok();
    for (const auto& m : (*g)->members) {
      if (sec && m.cluster_arn == sec->arn) continue;
      const auto arn = rds::parse_arn(m.cluster_arn);
      if (auto r = send(ctx.aws, arn ? arn->region : have.region, "RemoveFromGlobalCluster",
                        {{"GlobalClusterIdentifier", id}, {"DbClusterIdentifier", m.cluster_arn}});
          !r)
        return model::err(r.error());
      if (auto r = wait_detached(ctx, have.region, id, m.cluster_arn); !r) return model::err(r.error());
    }
    return send(ctx.aws, have.region, "DeleteGlobalCluster", {{"GlobalClusterIdentifier", id}},
                {"GlobalClusterNotFoundFault"});
  }

 private:
  static bool has_member(const GlobalInfo& g, const std::string& arn) {
    for (const auto& m : g.members)
      if (m.cluster_arn == arn) return true;
    return false;
  }
  // A DB cluster's GlobalClusterIdentifier may be an id or (moto) an ARN: its last segment.
  static std::string tail(const std::string& s) { return s.substr(s.rfind(':') == std::string::npos ? 0 : s.rfind(':') + 1); }

  aws::Result<model::Unit> create_instance(Context& ctx, const std::string& dr, const std::string& cluster,
                                           const std::string& engine, const std::string& cls, const TagMap& tags) const {
    const auto instance = rds::secondary_instance_id(cluster);
    aws::Params p{{"DBInstanceIdentifier", instance},
                  {"DBInstanceClass", cls},
                  {"Engine", engine},
                  {"DBClusterIdentifier", cluster}};
    rds::add_tags(p, tags);
    if (auto r = send(ctx.aws, dr, "CreateDBInstance", p, {"DBInstanceAlreadyExists"}); !r) return model::err(r.error());
    return wait(ctx, "instance", dr, instance);
  }

  aws::Result<model::Unit> wait(Context& ctx, const std::string& kind, const std::string& region, const std::string& id,
                                const std::string& want = "available") const {
    rds::Poll poll = [&] {
      if (kind == "global") return rds::global_cluster_status(ctx.aws, region, id);
      if (kind == "cluster") return rds::cluster_status(ctx.aws, region, id);
      return rds::instance_status(ctx.aws, region, id);
    };
    const std::string what = (kind == "global" ? "global cluster " : kind == "cluster" ? "DB cluster " : "DB instance ") + id;
    return rds::wait_for(poll, want, policy_, what + " in " + region);
  }

  // Detaching is asynchronous: wait until the global cluster no longer lists the member.
  aws::Result<model::Unit> wait_detached(Context& ctx, const std::string& region, const std::string& id,
                                         const std::string& member_arn) const {
    rds::Poll poll = [&]() -> aws::Result<std::optional<std::string>> {
      auto g = rds::describe_global(ctx.aws, region, id);
      if (!g) return model::err(g.error());
      if (!*g) return std::optional<std::string>("detached");
      return std::optional<std::string>(has_member(**g, member_arn) ? "member" : "detached");
    };
    return rds::wait_for(poll, "detached", policy_, member_arn + " leaving global cluster " + id);
  }

  aws::Result<Live> reread(Context& ctx, const Target& want) const {
    auto out = read(ctx, want.region, std::span(&want, 1));
    const auto& o = out[want.address];
    if (o.status == ReadStatus::failed) return model::err(*o.error);
    if (o.status == ReadStatus::absent)
      return model::err(local_error("NotFound", "global cluster " + str_attr(want.attrs, "global_cluster_id") +
                                                    " is not there after its creation", "rds"));
    return o.live;
  }

  rds::WaitPolicy policy_;
};

}  // namespace

std::unique_ptr<ResourceType> rds::make_global_cluster_type(WaitPolicy policy) {
  return std::make_unique<RdsGlobalCluster>(std::move(policy));
}

const ResourceType& rds_global_cluster_type() {
  static const RdsGlobalCluster type{rds::WaitPolicy{}};
  return type;
}

}  // namespace resources
