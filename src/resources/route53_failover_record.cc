// route53.failover_record: one record set of a PRIMARY/SECONDARY failover pair (each half is
// its own resource), with a TTL and values or an alias target, and optionally a health check.
//
// Read groups targets by hosted zone and walks each zone's ListResourceRecordSets once: from
// the targets' record name when they share one (stopping at the first other name), else the
// whole zone (stopping once every target is matched). A record matches on name (normalised:
// case, trailing dot, octal escapes), type and SetIdentifier. Names and values that mean the
// same as the desired ones are reported in the desired spelling so plans stay clean.
// Create and update are one UPSERT. Destroy re-reads the record and DELETEs it with exactly the
// live values, which Route 53 requires. A CNAME at the zone apex is refused before any change
// (GetHostedZone gives the apex), as Route 53 would refuse it.
#include <algorithm>
#include <set>

#include "resources/common.h"
#include "resources/route53_xml.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using r53::RecordSet;

std::string record_id(const std::string& zone, const RecordSet& rs) {
  return zone + "/" + rs.name + "/" + rs.type + "/" + rs.set_identifier;
}

// The record set the desired attributes describe, names as written.
RecordSet desired_record(const json& a) {
  RecordSet rs;
  rs.name = str_attr(a, "name");
  rs.type = str_attr(a, "type");
  rs.set_identifier = str_attr(a, "set_identifier");
  rs.failover = str_attr(a, "failover");
  if (a.contains("alias") && a["alias"].is_object()) {
    const json& al = a["alias"];
    rs.alias = RecordSet::Alias{r53::zone_id(str_attr(al, "zone_id")), str_attr(al, "dns_name"),
                                get_bool(al, "evaluate_target_health", false)};
  } else {
    if (a.contains("ttl")) rs.ttl = get_int(a, "ttl", 300);
    if (a.contains("records") && a["records"].is_array())
      for (const auto& v : a["records"]) rs.records.push_back(v.is_string() ? v.get<std::string>() : json_text(v));
  }
  rs.health_check_id = str_attr(a, "health_check_id");
  return rs;
}

bool matches(const RecordSet& live, const RecordSet& want) {
  return r53::same_name(live.name, want.name) && live.type == want.type && live.set_identifier == want.set_identifier;
}

// Values compared as DNS names for CNAME (case, trailing dot), exactly otherwise; order-free.
bool same_values(const std::string& type, std::vector<std::string> a, std::vector<std::string> b) {
  if (type == "CNAME")
    for (auto* v : {&a, &b})
      for (auto& s : *v) s = r53::normalize_name(s);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// The README shape of a live record, in the desired spelling where both mean the same.
json live_attrs(const RecordSet& rs, const json& want_attrs) {
  const RecordSet want = desired_record(want_attrs);
  json a = {{"zone_id", want_attrs.value("zone_id", json(""))},
            {"name", r53::same_name(rs.name, want.name) ? want.name : r53::normalize_name(rs.name)},
            {"type", rs.type},
            {"set_identifier", rs.set_identifier}};
  if (!rs.failover.empty()) a["failover"] = rs.failover;
  if (rs.alias) {
    const bool same_target = want.alias && r53::same_name(rs.alias->dns_name, want.alias->dns_name);
    a["alias"] = {{"dns_name", same_target ? want.alias->dns_name : rs.alias->dns_name},
                  {"zone_id", want.alias && want.alias->zone_id == rs.alias->zone_id
                                  ? str_attr(want_attrs["alias"], "zone_id") : rs.alias->zone_id},
                  {"evaluate_target_health", rs.alias->evaluate_target_health}};
  } else {
    if (rs.ttl) a["ttl"] = *rs.ttl;
    const bool same = want_attrs.contains("records") && same_values(rs.type, rs.records, want.records);
    a["records"] = same ? want_attrs["records"] : json(rs.records);
  }
  if (!rs.health_check_id.empty()) a["health_check_id"] = rs.health_check_id;
  return a;
}

// What drctl can send; the first problem found, else "".
std::string check_desired(const json& a) {
  if (is_unresolved(a)) return "a referenced value is not known yet";
  const RecordSet rs = desired_record(a);
  if (r53::zone_id(str_attr(a, "zone_id")).empty()) return "zone_id is required";
  if (rs.name.empty()) return "name is required";
  if (rs.type != "A" && rs.type != "AAAA" && rs.type != "CNAME") return "type must be A, AAAA or CNAME, not '" + rs.type + "'";
  if (rs.set_identifier.empty()) return "set_identifier is required";
  if (rs.failover != "PRIMARY" && rs.failover != "SECONDARY") return "failover must be PRIMARY or SECONDARY";
  const bool has_alias = a.contains("alias");
  if (has_alias == (a.contains("records") || a.contains("ttl"))) return "give either ttl and records, or alias";
  if (has_alias) {
    if (!a["alias"].is_object() || rs.alias->dns_name.empty() || rs.alias->zone_id.empty())
      return "alias needs dns_name and zone_id";
  } else {
    if (!a.contains("ttl") || !a["ttl"].is_number_integer() || *rs.ttl < 0) return "ttl must be a non-negative integer";
    if (rs.records.empty()) return "records must not be empty";
    if (rs.type == "CNAME" && rs.records.size() != 1) return "a CNAME record has exactly one value";
  }
  return "";
}

aws::AwsError invalid(const Target& t, const std::string& why) {
  return local_error("InvalidDesired", t.address + ": " + why, "route53", "ChangeResourceRecordSets");
}

// Route 53 refuses a CNAME at the zone apex (RFC 1034: a CNAME cannot coexist with the apex's
// SOA and NS); say so before trying, naming the resource.
aws::Result<model::Unit> apex_allows(const Target& want, const std::string& apex) {
  if (r53::same_name(apex, str_attr(want.attrs, "name")))
    return model::err(invalid(want, "a CNAME record cannot be at the zone apex " + r53::normalize_name(apex) +
                                        " (Route 53 refuses it); use an alias A/AAAA record there"));
  return model::ok();
}

// The zone's name is asked once per run (RunMemo): an apply of 500 records in one zone would
// otherwise spend 500 calls of Route 53's 5 requests/s on the same answer.
aws::Result<model::Unit> check_apex(Context& ctx, const Target& want, const std::string& zone) {
  if (str_attr(want.attrs, "type") != "CNAME") return model::ok();
  const std::string key = "route53 apex " + zone;
  auto apex = ctx.memo->get(key);
  if (!apex) {
    auto doc = r53::call(ctx.aws, want.region, r53::request("GetHostedZone", "GET", "/hostedzone/" + zone));
    if (!doc) return model::err(doc.error());
    apex = xml::text(xml::child((*doc)->document_element(), "HostedZone"), "Name");
    ctx.memo->put(key, *apex);
  }
  return apex_allows(want, *apex);
}

using Outcomes = std::map<std::string, ReadOutcome>;

// Reads the targets of one zone into `out`; records matched go to `raw` (address -> record).
void read_zone(aws::Client& c, const std::string& region, const std::string& zone,
               const std::vector<const Target*>& targets, Outcomes& out, std::map<std::string, RecordSet>* raw) {
  std::vector<RecordSet> wanted;
  std::set<std::string> names;
  for (const auto* t : targets) {
    wanted.push_back(desired_record(t->attrs));
    names.insert(r53::normalize_name(wanted.back().name));
  }
  const bool one_name = names.size() == 1;
  std::map<size_t, RecordSet> hits;
  auto listed = r53::list_record_sets(c, region, zone, one_name ? *names.begin() : "", [&](const RecordSet& rs) {
    if (one_name && !r53::same_name(rs.name, *names.begin())) return false;  // past the name
    for (size_t i = 0; i < wanted.size(); ++i)
      if (!hits.count(i) && matches(rs, wanted[i])) hits.emplace(i, rs);
    return hits.size() < wanted.size();
  });
  for (size_t i = 0; i < targets.size(); ++i) {
    const Target& t = *targets[i];
    if (!listed) {
      out[t.address] = has_code(listed.error(), {"NoSuchHostedZone"}) ? absent() : failed(listed.error());
      continue;
    }
    auto h = hits.find(i);
    if (h == hits.end()) {
      out[t.address] = absent();
      continue;
    }
    out[t.address] = found(Live{record_id(zone, h->second), live_attrs(h->second, t.attrs)});
    if (raw) (*raw)[t.address] = h->second;
  }
}

Outcomes read_all(aws::Client& c, const std::string& region, std::span<const Target> targets,
                  std::map<std::string, RecordSet>* raw) {
  Outcomes out;
  std::map<std::string, std::vector<const Target*>> by_zone;
  for (const auto& t : targets) {
    const auto zone = r53::zone_id(str_attr(t.attrs, "zone_id"));
    if (zone.empty() || is_unresolved(t.attrs.value("zone_id", json())) || str_attr(t.attrs, "name").empty()) {
      out[t.address] = absent();  // a zone made by this same apply does not exist yet
      continue;
    }
    by_zone[zone].push_back(&t);
  }
  for (const auto& [zone, list] : by_zone) read_zone(c, region, zone, list, out, raw);
  return out;
}

class FailoverRecord final : public ResourceType {
 public:
  std::string_view name() const override { return "route53.failover_record"; }
  const Schema& schema() const override {
    static const Schema s{{{"zone_id", AttrKind::replace},
                           {"name", AttrKind::replace},
                           {"type", AttrKind::replace},
                           {"set_identifier", AttrKind::replace},
                           {"failover", AttrKind::replace}},
                          false};
    return s;
  }

  Outcomes read(Context& ctx, const std::string& region, std::span<const Target> targets) const override {
    return read_all(ctx.aws, region, targets, nullptr);
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override { return upsert(ctx, want); }
  aws::Result<Live> update(Context& ctx, const Target& want, const Live&) const override { return upsert(ctx, want); }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    // Route 53 deletes a record set only when given all of its current values: read them now
    // rather than trusting a plan made earlier.
    std::map<std::string, RecordSet> raw;
    const auto out = read_all(ctx.aws, have.region, std::span(&have, 1), &raw);
    const auto& o = out.at(have.address);
    if (o.status == ReadStatus::failed) return model::err(*o.error);
    if (o.status == ReadStatus::absent) return model::ok();
    const auto zone = r53::zone_id(str_attr(have.attrs, "zone_id"));
    auto res = r53::call(ctx.aws, have.region, r53::change_request(zone, "DELETE", raw.at(have.address), "drctl: destroy " + have.address));
    // Gone meanwhile: Route 53 answers InvalidChangeBatch "not found"; a re-read settles it.
    if (!res && has_code(res.error(), {"InvalidChangeBatch"})) {
      const auto again = read_all(ctx.aws, have.region, std::span(&have, 1), nullptr);
      if (again.at(have.address).status == ReadStatus::absent) return model::ok();
    }
    if (!res && !has_code(res.error(), {"NoSuchHostedZone"})) return model::err(res.error());
    return model::ok();
  }

 private:
  static aws::Result<Live> upsert(Context& ctx, const Target& want) {
    if (auto why = check_desired(want.attrs); !why.empty()) return model::err(invalid(want, why));
    const auto zone = r53::zone_id(str_attr(want.attrs, "zone_id"));
    if (auto ok = check_apex(ctx, want, zone); !ok) return model::err(ok.error());
    RecordSet rs = desired_record(want.attrs);
    while (!rs.name.empty() && rs.name.back() == '.') rs.name.pop_back();
    rs.name += ".";  // fully qualified, whether or not the module wrote the final dot
    auto res = r53::call(ctx.aws, want.region, r53::change_request(zone, "UPSERT", rs, "drctl: " + want.address));
    if (!res) return model::err(res.error());
    rs.name = r53::normalize_name(rs.name);
    return Live{record_id(zone, rs), want.attrs};
  }
};

}  // namespace

const ResourceType& route53_failover_record_type() {
  static const FailoverRecord t;
  return t;
}

}  // namespace resources
