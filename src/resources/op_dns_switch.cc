// op.dns_switch: points the PRIMARY record of a Route 53 failover pair at the DR target, so
// the name answers DR whatever the primary's health check says. attrs: the record's identity
// (`zone_id`, `name`, `type`, `set_identifier`, `failover`: PRIMARY), `ttl` and the DR value
// (`records` or `alias`) taken from the SECONDARY record. The health check is left off the
// switched record: a recovered primary endpoint must not pull traffic back before failback.
//
// Only one side of the pair changes in one step: the SECONDARY record already points at DR.
// Calls go through route53.failover_record (one ListResourceRecordSets walk per zone, UPSERT),
// so spelling differences (case, trailing dots) never look like work to do.
// Read: found when the PRIMARY record's value equals the DR value; absent when it differs;
// failed when the record is missing (there is no pair to switch) or the read failed.
#include "resources/common.h"
#include "resources/op_common.h"
#include "resources/types.h"

namespace resources::op {
namespace {

using nlohmann::json;

bool points_at(const json& live, const json& want) {
  if (want.contains("alias")) return live.contains("alias") && live["alias"].value("dns_name", "") == want["alias"].value("dns_name", "");
  return live.contains("records") && live["records"] == want.value("records", json::array());
}

class DnsSwitch final : public ResourceType {
 public:
  std::string_view name() const override { return "op.dns_switch"; }
  const Schema& schema() const override { return op_schema(); }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::vector<Target> base(targets.begin(), targets.end());
    for (auto& b : base) b.id.clear();  // the op's id is not the record's: look up by name
    auto live = route53_failover_record_type().read(ctx, region, base);
    std::map<std::string, ReadOutcome> out;
    for (const auto& t : targets) {
      auto it = live.find(t.address);
      if (it == live.end()) out[t.address] = failed(local_error("MalformedResponse", "no read outcome", "route53"));
      else if (it->second.status == ReadStatus::failed) out[t.address] = it->second;
      else if (it->second.status == ReadStatus::absent)
        out[t.address] = failed(local_error("NotFound", "record " + str_attr(t.attrs, "name") + " (" +
                                                            str_attr(t.attrs, "set_identifier") +
                                                            ") does not exist: there is no failover pair to switch",
                                            "route53"));
      else out[t.address] = points_at(it->second.live.attrs, t.attrs) ? found(done(t, it->second.live.id)) : absent();
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    Target base = want;
    base.id.clear();
    auto r = route53_failover_record_type().create(ctx, base);
    if (!r) return model::err(r.error());
    return done(want, r.value().id);
  }
  aws::Result<Live> update(Context& ctx, const Target& want, const Live&) const override { return create(ctx, want); }
  aws::Result<model::Unit> destroy(Context&, const Target&) const override { return model::ok(); }
};

}  // namespace
}  // namespace resources::op

namespace resources {
const ResourceType& op_dns_switch_type() {
  static const op::DnsSwitch t;
  return t;
}
}  // namespace resources
