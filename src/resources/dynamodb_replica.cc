// dynamodb.replica: one replica region of a DynamoDB global table (version 2019.11.21) and
// point-in-time recovery on both sides. The target's region is the table's primary region;
// the id is "<table>/<replica_region>". Data-bearing: the replica table is a full copy.
//
// Create converges in one bounded loop, so that an interrupted earlier run, or a parallel
// create of another replica of the same table (AWS takes one replica change at a time and
// answers ResourceInUseException meanwhile), settles instead of failing:
//   DescribeTable; replica listed -> adopt it; table not ACTIVE -> wait; streams off ->
//   UpdateTable StreamSpecification NEW_AND_OLD_IMAGES (AWS requires it for replicas) and look
//   again; else UpdateTable ReplicaUpdates [{Create}].
// Then it waits for ReplicaStatus ACTIVE and TableStatus ACTIVE, and with `pitr` enables PITR
// on the table (primary region) and on the replica table (replica region).
//
// `pitr` true enables PITR on both sides; false disables it on the replica table only: the
// primary table is the user's, and another replica's `pitr` may rely on it. Read therefore
// reports `pitr` true only when both sides have it.
// Streams already on with another view type are refused (changing the view type means turning
// the stream off, which would cut off its consumers): the user decides.
#include <map>
#include <vector>

#include "resources/common.h"
#include "resources/dynamodb_replica.h"
#include "resources/dynamodb_table.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;

struct Names {
  std::string table, region;  // table name, replica region
  std::string id() const { return ddb::replica_id(table, region); }
};

// State's id first (the object that exists), else the desired attributes.
Names names_of(const Target& t) {
  if (!t.id.empty()) {
    auto [table, region] = ddb::split_replica_id(t.id);
    if (!table.empty() && !region.empty()) return {table, region};
  }
  return {str_attr(t.attrs, "table"), str_attr(t.attrs, "replica_region")};
}

std::optional<aws::AwsError> check_names(const Target& t, const Names& n) {
  if (n.table.empty() || n.region.empty())
    return local_error("InvalidDesired", t.address + ": `table` and `replica_region` are required");
  if (n.region == t.region)
    return local_error("InvalidDesired", t.address + ": replica_region " + n.region +
                                             " is the table's own region");
  return std::nullopt;
}

bool in_use(const aws::AwsError& e) { return has_code(e, {"ResourceInUseException"}); }

bool replica_failed(const std::string& status) {
  return status == "CREATION_FAILED" || status == "REGION_DISABLED" ||
         status == "INACCESSIBLE_ENCRYPTION_CREDENTIALS" || status == "REPLICATION_NOT_AUTHORIZED";
}

aws::AwsError table_gone(const std::string& table, const std::string& region) {
  return local_error("ResourceNotFoundException", "table " + table + " does not exist in " + region, "dynamodb",
                     "DescribeTable");
}

class DynamodbReplica final : public ResourceType {
 public:
  explicit DynamodbReplica(WaitLimits limits) : limits_(limits) {}

  std::string_view name() const override { return "dynamodb.replica"; }
  const Schema& schema() const override {
    static const Schema s{{{"table", AttrKind::replace},
                           {"replica_region", AttrKind::replace},
                           {"replica_status", AttrKind::computed},
                           {"table_arn", AttrKind::computed}},
                          true};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    // DynamoDB has no batched describe: one DescribeTable per table serves all its replicas.
    std::map<std::string, std::vector<std::pair<const Target*, Names>>> by_table;
    for (const auto& t : targets) {
      Names n = names_of(t);
      if (n.table.empty() || n.region.empty()) {
        out[t.address] = failed(*check_names(t, n));
        continue;
      }
      by_table[n.table].emplace_back(&t, n);
    }
    for (const auto& [table_name, members] : by_table) {
      auto fail_all = [&](const aws::AwsError& e) {
        for (const auto& [t, n] : members) out[t->address] = failed(e);
      };
      auto desc = ddb::describe_table(ctx.aws, region, table_name);
      if (!desc) { fail_all(desc.error()); continue; }
      if (!*desc) {  // the table is gone, and its replicas with it
        for (const auto& [t, n] : members) out[t->address] = absent();
        continue;
      }
      const json& table = **desc;
      std::optional<std::optional<bool>> primary_pitr;  // fetched once, when a replica is found
      for (const auto& [t, n] : members) {
        const json* rep = ddb::find_replica(table, n.region);
        if (!rep) {
          out[t->address] = absent();
          continue;
        }
        if (!primary_pitr) {
          auto p = ddb::pitr_enabled(ctx.aws, region, table_name);
          if (!p) { out[t->address] = failed(p.error()); continue; }
          primary_pitr = *p;
        }
        if (!*primary_pitr) {  // deleted between the two calls
          out[t->address] = absent();
          continue;
        }
        bool pitr = false;
        if (**primary_pitr) {  // both sides needed: skip the replica call when the primary is off
          auto r = ddb::pitr_enabled(ctx.aws, n.region, table_name);
          if (!r) { out[t->address] = failed(r.error()); continue; }
          pitr = r->value_or(false);  // replica table not there yet: no PITR
        }
        out[t->address] = found(Live{n.id(), ddb::replica_attrs(table, *rep, n.region, pitr)});
      }
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const Names n = names_of(want);
    if (auto bad = check_names(want, n)) return model::err(*bad);
    const std::string kms = str_attr(want.attrs, "kms_key_id");
    auto& c = ctx.aws;
    auto started = poll_until(limits_, "dynamodb replica " + n.id() + " (table busy)", [&]() -> aws::Result<Poll> {
      auto desc = ddb::describe_table(c, want.region, n.table);
      if (!desc) return model::err(desc.error());
      if (!*desc) return model::err(table_gone(n.table, want.region));
      const json& table = **desc;
      if (ddb::find_replica(table, n.region)) return Poll::done;  // left by an earlier run: adopt
      if (get_string(table, "TableStatus", "") != "ACTIVE") return Poll::wait;
      if (ddb::streams_on_other_view(table))
        return model::err(local_error("InvalidDesired", "table " + n.table + " streams " +
                                      get_string(table.value("StreamSpecification", json::object()), "StreamViewType", "") +
                                      ": global table replicas need NEW_AND_OLD_IMAGES; change the stream first"));
      json body;
      if (!ddb::streams_ready(table)) {
        body = {{"StreamSpecification", {{"StreamEnabled", true}, {"StreamViewType", "NEW_AND_OLD_IMAGES"}}}};
      } else {
        json action = {{"RegionName", n.region}};
        if (!kms.empty()) action["KMSMasterKeyId"] = kms;
        body = {{"ReplicaUpdates", json::array({{{"Create", action}}})}};
      }
      auto res = ddb::update_table(c, want.region, n.table, body);
      if (!res) return in_use(res.error()) ? aws::Result<Poll>(Poll::wait) : model::err(res.error());
      return body.contains("ReplicaUpdates") ? Poll::done : Poll::now;
    });
    if (!started) return model::err(started.error());
    auto table = wait_active(c, want.region, n);
    if (!table) return model::err(table.error());
    const bool pitr = get_bool(want.attrs, "pitr", false);
    if (pitr)
      if (auto r = set_pitr(c, want.region, n, true); !r) return model::err(r.error());
    return Live{n.id(), ddb::replica_attrs(*table, *ddb::find_replica(*table, n.region), n.region, pitr)};
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    const Names n = names_of(want);
    if (auto bad = check_names(want, n)) return model::err(*bad);
    auto& c = ctx.aws;
    Live live{n.id(), have.attrs};
    const std::string kms = str_attr(want.attrs, "kms_key_id");
    if (!kms.empty() && kms != str_attr(have.attrs, "kms_key_id")) {
      json action = {{"RegionName", n.region}, {"KMSMasterKeyId", kms}};
      if (auto r = update_when_idle(c, want.region, n, {{"ReplicaUpdates", json::array({{{"Update", action}}})}}); !r)
        return model::err(r.error());
      auto table = wait_active(c, want.region, n);
      if (!table) return model::err(table.error());
      live.attrs = ddb::replica_attrs(*table, *ddb::find_replica(*table, n.region), n.region,
                                      get_bool(have.attrs, "pitr", false));
    }
    if (want.attrs.contains("pitr")) {
      const bool pitr = get_bool(want.attrs, "pitr", false);
      if (pitr != get_bool(have.attrs, "pitr", false))
        if (auto r = set_pitr(c, want.region, n, pitr); !r) return model::err(r.error());
      live.attrs["pitr"] = pitr;
    }
    return live;
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    const Names n = names_of(have);
    if (auto bad = check_names(have, n)) return model::err(*bad);
    auto& c = ctx.aws;
    bool deleting = false;
    return poll_until(limits_, "dynamodb replica " + n.id() + " (delete)", [&]() -> aws::Result<Poll> {
      auto desc = ddb::describe_table(c, have.region, n.table);
      if (!desc) return model::err(desc.error());
      if (!*desc) return Poll::done;  // the table is gone: so is the replica
      const json* rep = ddb::find_replica(**desc, n.region);
      if (!rep) return Poll::done;
      if (deleting || get_string(*rep, "ReplicaStatus", "") == "DELETING") return Poll::wait;
      if (get_string(**desc, "TableStatus", "") != "ACTIVE") return Poll::wait;
      auto res = ddb::update_table(c, have.region, n.table,
                                   {{"ReplicaUpdates", json::array({{{"Delete", {{"RegionName", n.region}}}}})}});
      if (!res) {
        if (in_use(res.error())) return Poll::wait;
        if (has_code(res.error(), {"ResourceNotFoundException"})) return Poll::done;
        return model::err(res.error());
      }
      deleting = true;
      return Poll::now;  // AWS may drop it at once (moto does): look before sleeping
    });
  }

 private:
  // Waits until the replica is ACTIVE and the table too (the table is UPDATING while a replica
  // is added); returns the last TableDescription, which lists the replica.
  aws::Result<json> wait_active(aws::Client& c, const std::string& region, const Names& n) const {
    json table;
    auto done = poll_until(limits_, "dynamodb replica " + n.id() + " to become ACTIVE", [&]() -> aws::Result<Poll> {
      auto desc = ddb::describe_table(c, region, n.table);
      if (!desc) return model::err(desc.error());
      if (!*desc) return model::err(table_gone(n.table, region));
      table = **desc;
      const json* rep = ddb::find_replica(table, n.region);
      if (!rep) return Poll::wait;
      const auto status = get_string(*rep, "ReplicaStatus", "");
      if (replica_failed(status))
        return model::err(local_error("ReplicaFailed", "replica " + n.id() + " is " + status + ": " +
                                      get_string(*rep, "ReplicaStatusDescription", ""), "dynamodb", "DescribeTable"));
      return status == "ACTIVE" && get_string(table, "TableStatus", "") == "ACTIVE" ? Poll::done : Poll::wait;
    });
    if (!done) return model::err(done.error());
    return table;
  }

  // UpdateTable, waiting while another change of the table is in progress.
  aws::Result<model::Unit> update_when_idle(aws::Client& c, const std::string& region, const Names& n,
                                            const json& body) const {
    return poll_until(limits_, "dynamodb table " + n.table + " (busy)", [&]() -> aws::Result<Poll> {
      auto res = ddb::update_table(c, region, n.table, body);
      if (!res) return in_use(res.error()) ? aws::Result<Poll>(Poll::wait) : model::err(res.error());
      return Poll::done;
    });
  }

  // pitr true: the table and the replica table; false: the replica table only (see above).
  static aws::Result<model::Unit> set_pitr(aws::Client& c, const std::string& region, const Names& n, bool on) {
    if (on)
      if (auto r = ddb::set_pitr(c, region, n.table, true); !r) return r;
    return ddb::set_pitr(c, n.region, n.table, on);
  }

  WaitLimits limits_;
};

}  // namespace

std::unique_ptr<ResourceType> make_dynamodb_replica_type(WaitLimits limits) {
  return std::make_unique<DynamodbReplica>(limits);
}

const ResourceType& dynamodb_replica_type() {
  static const DynamodbReplica type{WaitLimits{}};
  return type;
}

}  // namespace resources
