// route53.health_check: an endpoint health check (HTTP, HTTPS or TCP) with its tags.
//
// Read lists every health check once (ListHealthChecks, Marker/NextMarker while IsTruncated)
// and matches targets by the id state knows, else by CallerReference; tags of the matches come
// from ListTagsForResources, ten ids per call. Create first looks for a check carrying the
// target's CallerReference and adopts it: AWS deduplicates a retried CreateHealthCheck by
// CallerReference, but only for an identical config (and moto not at all), so a create after a
// crash or a config change must not rely on it. Update sends UpdateHealthCheck with the
// HealthCheckVersion of the read (a check changed meanwhile fails with
// HealthCheckVersionMismatch instead of being overwritten). Destroy fails with HealthCheckInUse
// while a record still names the check; records depend on it, so apply deletes them first.
#include <set>

#include "resources/common.h"
#include "resources/route53_xml.h"
#include "resources/tags.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;

struct HealthCheck {
  std::string id, caller_reference;
  std::optional<long long> version;
  json config = json::object();  // README shape: type, fqdn, ip, port, path, request_interval, failure_threshold
};

HealthCheck parse_health_check(pugi::xml_node n) {
  HealthCheck hc{xml::text(n, "Id"), xml::text(n, "CallerReference"), std::nullopt, json::object()};
  if (auto v = xml::child(n, "HealthCheckVersion")) hc.version = v.text().as_llong();
  const auto cfg = xml::child(n, "HealthCheckConfig");
  hc.config["type"] = xml::text(cfg, "Type");
  for (auto [attr, member] : {std::pair{"fqdn", "FullyQualifiedDomainName"}, {"ip", "IPAddress"}, {"path", "ResourcePath"}})
    if (auto t = xml::text(cfg, member); !t.empty()) hc.config[attr] = t;
  for (auto [attr, member] : {std::pair{"port", "Port"}, {"request_interval", "RequestInterval"}, {"failure_threshold", "FailureThreshold"}})
    if (auto e = xml::child(cfg, member)) hc.config[attr] = e.text().as_llong();
  return hc;
}

std::string caller_reference(const Context& ctx, const Target& t) {
  auto ref = str_attr(t.attrs, "caller_reference");
  return ref.empty() ? creator_request_id(ctx.stack, t.address) : ref;
}

// ListHealthChecks page by page; on_check returns false to stop.
aws::Result<model::Unit> list_checks(aws::Client& c, const std::string& region,
                                     const std::function<bool(const HealthCheck&)>& on_check) {
  std::string marker;
  for (int page = 0; page < 10000; ++page) {
    aws::Params query;
    if (!marker.empty()) query.emplace_back("marker", marker);
    auto doc = r53::call(c, region, r53::request("ListHealthChecks", "GET", "/healthcheck", query));
    if (!doc) return model::err(doc.error());
    auto root = (*doc)->document_element();
    for (auto n : xml::children(xml::child(root, "HealthChecks"), "HealthCheck"))
      if (!on_check(parse_health_check(n))) return model::ok();
    if (xml::text(root, "IsTruncated") != "true") return model::ok();
    auto next = xml::text(root, "NextMarker");
    if (next.empty() || next == marker)
      return model::err(local_error("PaginationLoop", "ListHealthChecks did not move past marker " + marker,
                                    "route53", "ListHealthChecks"));
    marker = std::move(next);
  }
  return model::err(local_error("PaginationLoop", "ListHealthChecks: too many pages", "route53", "ListHealthChecks"));
}

aws::Result<std::optional<HealthCheck>> find_by_reference(aws::Client& c, const std::string& region,
                                                          const std::string& ref) {
  std::optional<HealthCheck> hit;
  auto listed = list_checks(c, region, [&](const HealthCheck& hc) {
    if (hc.caller_reference == ref) hit = hc;
    return !hit;
  });
  if (!listed) return model::err(listed.error());
  return hit;
}

// ListTagsForResources for ids, ten per call (the model's maximum). NoSuchHealthCheck on a
// batch (a check deleted since the listing) is retried id by id to tell which ones are gone.
struct TagSets {
  std::map<std::string, TagMap> tags;  // id -> tags; an id without a tag set has none
  std::set<std::string> gone;          // NoSuchHealthCheck
};
aws::Result<TagSets> list_tags(aws::Client& c, const std::string& region, const std::vector<std::string>& ids) {
  TagSets out;
  for (size_t i = 0; i < ids.size(); i += 10) {
    const std::vector<std::string> batch(ids.begin() + static_cast<long>(i),
                                         ids.begin() + static_cast<long>(std::min(ids.size(), i + 10)));
    auto doc_for = [&](const std::vector<std::string>& some) {
      auto doc = r53::make("ListTagsForResourcesRequest");
      auto list = doc.document_element().append_child("ResourceIds");
      for (const auto& id : some) r53::add(list, "ResourceId", id);
      return r53::call(c, region, r53::request("ListTagsForResources", "POST", "/tags/healthcheck", {}, r53::to_string(doc)));
    };
    auto collect = [&](const aws::XmlDoc& doc) {
      for (auto set : xml::children(xml::child(doc->document_element(), "ResourceTagSets"), "ResourceTagSet")) {
        TagMap& tags = out.tags[xml::text(set, "ResourceId")];
        for (auto tag : xml::children(xml::child(set, "Tags"), "Tag")) tags[xml::text(tag, "Key")] = xml::text(tag, "Value");
      }
    };
    auto doc = doc_for(batch);
    if (doc) {
      collect(*doc);
      continue;
    }
    if (!has_code(doc.error(), {"NoSuchHealthCheck"})) return model::err(doc.error());
    for (const auto& id : batch) {
      auto one = doc_for({id});
      if (one) collect(*one);
      else if (has_code(one.error(), {"NoSuchHealthCheck"})) out.gone.insert(id);
      else return model::err(one.error());
    }
  }
  return out;
}

// ChangeTagsForResource, at most ten additions and ten removals per call.
aws::Result<model::Unit> change_tags(aws::Client& c, const std::string& region, const std::string& id,
                                     const TagDiff& diff) {
  auto set = diff.set.begin();
  auto remove = diff.remove.begin();
  while (set != diff.set.end() || remove != diff.remove.end()) {
    auto doc = r53::make("ChangeTagsForResourceRequest");
    if (set != diff.set.end()) {
      auto add = doc.document_element().append_child("AddTags");
      for (int n = 0; n < 10 && set != diff.set.end(); ++n, ++set) {
        auto tag = add.append_child("Tag");
        r53::add(tag, "Key", set->first);
        r53::add(tag, "Value", set->second);
      }
    }
    if (remove != diff.remove.end()) {
      auto keys = doc.document_element().append_child("RemoveTagKeys");
      for (int n = 0; n < 10 && remove != diff.remove.end(); ++n, ++remove) r53::add(keys, "Key", *remove);
    }
    auto r = r53::call(c, region, r53::request("ChangeTagsForResource", "POST", "/tags/healthcheck/" + id, {},
                                               r53::to_string(doc)));
    if (!r) return model::err(r.error());
  }
  return model::ok();
}

// Desired values drctl can send; the first problem found, else "".
std::string check_desired(const json& a) {
  if (is_unresolved(a)) return "a referenced value is not known yet";
  static const std::set<std::string> kTypes = {"HTTP", "HTTPS", "TCP"};
  const auto type = str_attr(a, "type");
  if (!kTypes.count(type)) return "type must be HTTP, HTTPS or TCP, not '" + type + "'";
  if (str_attr(a, "fqdn").empty() && str_attr(a, "ip").empty()) return "fqdn or ip is required";
  if (type == "TCP" && a.contains("path")) return "path applies to HTTP and HTTPS checks only";
  for (const char* key : {"port", "request_interval", "failure_threshold"})
    if (a.contains(key) && !a[key].is_number_integer()) return std::string(key) + " must be an integer";
  if (auto i = get_int(a, "request_interval", 30); i != 10 && i != 30) return "request_interval must be 10 or 30";
  if (auto f = get_int(a, "failure_threshold", 3); f < 1 || f > 10) return "failure_threshold must be 1 to 10";
  return "";
}

aws::Result<Live> invalid(const Target& t, const std::string& why, const char* op) {
  return model::err(local_error("InvalidDesired", t.address + ": " + why, "route53", op));
}

Live live_of(const HealthCheck& hc, const TagMap& tags) {
  Live live{hc.id, hc.config};
  live.attrs["caller_reference"] = hc.caller_reference;
  live.attrs["id"] = hc.id;
  if (hc.version) live.attrs["version"] = *hc.version;
  live.attrs["tags"] = tag_json(tags);
  return live;
}

// UpdateHealthCheck for the in-place config members that differ, then the tags.
aws::Result<Live> converge(aws::Client& c, const Target& want, const Live& have) {
  const json& w = want.attrs;
  const json& h = have.attrs;
  const std::string id = have.id.empty() ? str_attr(h, "id") : have.id;
  auto differs = [&](const char* key) { return w.contains(key) && (!h.contains(key) || h[key] != w[key]); };
  std::optional<long long> version;
  if (h.contains("version") && h["version"].is_number_integer()) version = h["version"].get<long long>();

  auto doc = r53::make("UpdateHealthCheckRequest");
  auto root = doc.document_element();
  if (version) r53::add(root, "HealthCheckVersion", std::to_string(*version));
  bool changed = false;
  // Members in the model's order: IPAddress, Port, ResourcePath, FullyQualifiedDomainName,
  // FailureThreshold, ResetElements.
  const std::pair<const char*, const char*> members[] = {{"ip", "IPAddress"}, {"port", "Port"}, {"path", "ResourcePath"},
                                                         {"fqdn", "FullyQualifiedDomainName"}, {"failure_threshold", "FailureThreshold"}};
  for (auto [attr, member] : members)
    if (differs(attr)) {
      r53::add(root, member, w[attr].is_string() ? w[attr].get<std::string>() : w[attr].dump());
      changed = true;
    }
  std::vector<const char*> reset;  // set live, left out of desired: back to AWS's default
  if (changed) {
    if (!w.contains("path") && h.contains("path")) reset.push_back("ResourcePath");
    if (!w.contains("fqdn") && h.contains("fqdn")) reset.push_back("FullyQualifiedDomainName");
  }
  if (!reset.empty()) {
    auto list = root.append_child("ResetElements");
    for (auto r : reset) r53::add(list, "ResettableElementName", r);
  }
  Live live{id, h};
  if (changed) {
    auto res = r53::call(c, want.region, r53::request("UpdateHealthCheck", "POST", "/healthcheck/" + id, {}, r53::to_string(doc)));
    if (!res) return model::err(res.error());
    const auto hc = parse_health_check(xml::child((*res)->document_element(), "HealthCheck"));
    if (!hc.id.empty()) live = live_of(hc, {});
  }
  const TagMap have_tags = tag_map(h.value("tags", json::object()));
  if (w.contains("tags")) {
    const auto diff = diff_tags(tag_map(w["tags"]), have_tags);
    if (!diff.empty())
      if (auto r = change_tags(c, want.region, id, diff); !r) return model::err(r.error());
  }
  json attrs = w;
  for (const char* computed : {"id", "version", "caller_reference"})
    if (live.attrs.contains(computed)) attrs[computed] = live.attrs[computed];
  if (!attrs.contains("tags")) attrs["tags"] = tag_json(have_tags);
  return Live{id, std::move(attrs)};
}

class HealthCheckType final : public ResourceType {
 public:
  std::string_view name() const override { return "route53.health_check"; }
  const Schema& schema() const override {
    static const Schema s{{{"caller_reference", AttrKind::replace},
                           {"type", AttrKind::replace},
                           {"request_interval", AttrKind::replace},
                           {"id", AttrKind::computed},
                           {"version", AttrKind::computed}},
                          false};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    std::map<std::string, HealthCheck> by_id, by_ref;
    std::set<std::string> pending_ids, pending_refs;  // not yet seen in the listing
    for (const auto& t : targets) {
      if (t.id.empty()) pending_refs.insert(caller_reference(ctx, t));
      else pending_ids.insert(t.id);
    }
    auto listed = list_checks(ctx.aws, region, [&](const HealthCheck& hc) {
      by_id.emplace(hc.id, hc);
      by_ref.emplace(hc.caller_reference, hc);  // the first one listed wins among duplicates
      pending_ids.erase(hc.id);
      pending_refs.erase(hc.caller_reference);
      return !pending_ids.empty() || !pending_refs.empty();  // stop once every target is matched
    });
    if (!listed) {
      for (const auto& t : targets) out[t.address] = failed(listed.error());
      return out;
    }
    std::map<std::string, const HealthCheck*> match;  // address -> check
    std::vector<std::string> ids;
    for (const auto& t : targets) {
      // An id state knows wins; when it is gone, a check carrying our CallerReference is ours.
      const HealthCheck* hc = nullptr;
      if (auto it = by_id.find(t.id); !t.id.empty() && it != by_id.end()) hc = &it->second;
      else if (auto r = by_ref.find(caller_reference(ctx, t)); r != by_ref.end()) hc = &r->second;
      if (!hc) continue;
      match[t.address] = hc;
      ids.push_back(hc->id);
    }
    auto tags = list_tags(ctx.aws, region, ids);
    for (const auto& t : targets) {
      auto m = match.find(t.address);
      if (m == match.end()) out[t.address] = absent();
      else if (!tags) out[t.address] = failed(tags.error());
      else if (tags->gone.count(m->second->id)) out[t.address] = absent();  // deleted since the listing
      else out[t.address] = found(live_of(*m->second, tags->tags[m->second->id]));
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    if (auto why = check_desired(want.attrs); !why.empty()) return invalid(want, why, "CreateHealthCheck");
    const auto ref = caller_reference(ctx, want);
    auto adopt = [&](const HealthCheck& hc) -> aws::Result<Live> {
      auto tags = list_tags(ctx.aws, want.region, {hc.id});
      if (!tags) return model::err(tags.error());
      return converge(ctx.aws, want, live_of(hc, tags->tags[hc.id]));
    };
    // moto ignores CallerReference and AWS honours it only for an identical config: look first.
    auto existing = find_by_reference(ctx.aws, want.region, ref);
    if (!existing) return model::err(existing.error());
    if (*existing) return adopt(**existing);

    const json& a = want.attrs;
    auto doc = r53::make("CreateHealthCheckRequest");
    r53::add(doc.document_element(), "CallerReference", ref);
    auto cfg = doc.document_element().append_child("HealthCheckConfig");
    // Members in the model's order.
    if (auto ip = str_attr(a, "ip"); !ip.empty()) r53::add(cfg, "IPAddress", ip);
    if (a.contains("port")) r53::add(cfg, "Port", std::to_string(get_int(a, "port", 0)));
    r53::add(cfg, "Type", str_attr(a, "type"));
    if (auto p = str_attr(a, "path"); !p.empty()) r53::add(cfg, "ResourcePath", p);
    if (auto f = str_attr(a, "fqdn"); !f.empty()) r53::add(cfg, "FullyQualifiedDomainName", f);
    if (a.contains("request_interval")) r53::add(cfg, "RequestInterval", std::to_string(get_int(a, "request_interval", 30)));
    if (a.contains("failure_threshold")) r53::add(cfg, "FailureThreshold", std::to_string(get_int(a, "failure_threshold", 3)));
    auto res = r53::call(ctx.aws, want.region, r53::request("CreateHealthCheck", "POST", "/healthcheck", {}, r53::to_string(doc)));
    if (!res) {
      // Another writer created it between our look and our call: adopt it.
      if (!has_code(res.error(), {"HealthCheckAlreadyExists"})) return model::err(res.error());
      auto raced = find_by_reference(ctx.aws, want.region, ref);
      if (!raced) return model::err(raced.error());
      if (!*raced) return model::err(res.error());
      return adopt(**raced);
    }
    const auto hc = parse_health_check(xml::child((*res)->document_element(), "HealthCheck"));
    if (hc.id.empty()) return model::err(local_error("MalformedResponse", "CreateHealthCheck returned no Id", "route53", "CreateHealthCheck"));
    return converge(ctx.aws, want, live_of(hc, {}));
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    if (auto why = check_desired(want.attrs); !why.empty()) return invalid(want, why, "UpdateHealthCheck");
    if (have.id.empty() && str_attr(have.attrs, "id").empty())
      return model::err(local_error("NotFound", want.address + ": no health check id to update", "route53", "UpdateHealthCheck"));
    return converge(ctx.aws, want, have);
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    std::string id = id_or_attr(have, "id");
    if (id.empty()) {  // state lost the id: a check with our CallerReference is ours
      auto hit = find_by_reference(ctx.aws, have.region, caller_reference(ctx, have));
      if (!hit) return model::err(hit.error());
      if (!*hit) return model::ok();
      id = (*hit)->id;
    }
    auto res = r53::call(ctx.aws, have.region, r53::request("DeleteHealthCheck", "DELETE", "/healthcheck/" + id));
    if (!res && !has_code(res.error(), {"NoSuchHealthCheck"})) return model::err(res.error());
    return model::ok();
  }
};

}  // namespace

const ResourceType& route53_health_check_type() {
  static const HealthCheckType t;
  return t;
}

}  // namespace resources
