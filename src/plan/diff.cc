#include "plan/diff.h"

#include <algorithm>

#include "plan/runbook_diff.h"
#include "resources/resource_type.h"

namespace plan {
namespace {

bool is_unresolved(const nlohmann::json& v) {
  return !model::find_references(v).empty();
}

void diff_value(const std::string& path, const nlohmann::json& want, const nlohmann::json& have,
                std::vector<AttrChange>& out) {
  if (want == have) return;
  if (is_unresolved(want)) {
    out.push_back({path, have, want, true, false});
    return;
  }
  if (want.is_object() && have.is_object()) {
    std::set<std::string> keys;
    for (auto it = want.begin(); it != want.end(); ++it) keys.insert(it.key());
    for (auto it = have.begin(); it != have.end(); ++it) keys.insert(it.key());
    for (const auto& k : keys) {
      const auto w = want.contains(k) ? want[k] : nlohmann::json();
      const auto h = have.contains(k) ? have[k] : nlohmann::json();
      diff_value(path + "." + k, w, h, out);
    }
    return;
  }
  if (want.is_array() && have.is_array() && want.size() == have.size()) {
    for (size_t i = 0; i < want.size(); ++i)
      diff_value(path + "[" + std::to_string(i) + "]", want[i], have[i], out);
    return;
  }
  out.push_back({path, have, want, false, false});
}

std::string describe_changes(const std::vector<AttrChange>& attrs) {
  std::string s;
  for (size_t i = 0; i < attrs.size() && i < 3; ++i) {
    if (i) s += ", ";
    s += attrs[i].path;
  }
  if (attrs.size() > 3) s += " and " + std::to_string(attrs.size() - 3) + " more";
  return s;
}

bool destroy_allowed(const DiffInput& in, const std::string& address) {
  return in.allow_destroy.count("*") || in.allow_destroy.count(address);
}

}  // namespace

std::vector<AttrChange> diff_attrs(const nlohmann::json& desired, const nlohmann::json& live) {
  std::vector<AttrChange> out;
  for (auto it = desired.begin(); it != desired.end(); ++it) {
    const auto have = live.contains(it.key()) ? live[it.key()] : nlohmann::json();
    diff_value(it.key(), it.value(), have, out);
  }
  return out;
}

std::vector<std::string> resolve_from(nlohmann::json& attrs,
                                      const std::map<std::string, Observed>& observed) {
  return model::resolve_references(attrs, [&](const model::Reference& r) -> std::optional<nlohmann::json> {
    auto it = observed.find(r.address);
    if (it == observed.end() || it->second.status != Observed::Status::found) return std::nullopt;
    const auto& o = it->second;
    if (o.attrs.contains(r.attribute)) return o.attrs[r.attribute];
    if (r.attribute == "id" && !o.id.empty()) return nlohmann::json(o.id);
    return std::nullopt;
  });
}

Plan diff(const DiffInput& in) {
  Plan p;
  p.stack = in.desired->stack;
  std::set<std::string> desired_addresses;

  for (const auto& r : in.desired->resources) {
    const std::string address = r.address.str();
    desired_addresses.insert(address);
    const auto* type = resources::find_type(r.address.type);
    Change c;
    c.address = address;
    c.type = r.address.type;
    c.region = r.region;
    c.workload = r.workload;
    c.depends_on = r.depends_on;
    c.where = r.where;
    c.after = r.attrs;
    resolve_from(c.after, in.observed);
    if (!type) {
      p.diagnostics.push_back({model::Severity::error, "unknown resource type '" + c.type + "'",
                               "", r.where, address});
      continue;
    }
    c.data_bearing = type->schema().data_bearing;

    const auto obs_it = in.observed.find(address);
    const bool in_state = in.prior.count(address) > 0;
    if (in_state) c.cloud_id = in.prior.at(address).cloud_id;
    if (obs_it == in.observed.end() || obs_it->second.status == Observed::Status::absent) {
      c.action = Action::create;
      c.reason = in_state ? "deleted outside drctl; will be created again" : "does not exist yet";
    } else if (obs_it->second.status == Observed::Status::failed) {
      c.action = Action::noop;
      c.reason = "could not be read: " + obs_it->second.error;
      p.diagnostics.push_back({model::Severity::error, "cannot read " + address,
                               obs_it->second.error, r.where, address});
    } else {
      const auto& obs = obs_it->second;
      c.before = obs.attrs;
      if (!obs.id.empty()) c.cloud_id = obs.id;
      nlohmann::json comparable = nlohmann::json::object();
      for (auto it = c.after.begin(); it != c.after.end(); ++it)
        if (type->schema().kind_of(it.key()) != resources::AttrKind::computed)
          comparable[it.key()] = it.value();
      c.attrs = diff_attrs(comparable, obs.attrs);
      bool replace = false;
      for (auto& a : c.attrs) {
        const auto top = a.path.substr(0, a.path.find_first_of(".["));
        a.forces_replace = type->schema().kind_of(top) == resources::AttrKind::replace;
        replace = replace || a.forces_replace;
      }
      if (!in_state && !replace) {
        // Found by its deterministic name but unknown to state: adopt it rather than create.
        c.action = Action::import_;
        c.reason = c.attrs.empty() ? "exists in AWS with the desired settings; will be imported"
                                   : "exists in AWS; will be imported and updated: " + describe_changes(c.attrs);
      } else if (c.attrs.empty()) {
        c.action = Action::noop;
        c.reason = "up to date";
      } else {
        c.action = replace ? Action::replace : Action::update;
        c.reason = (replace ? "must be replaced: " : "differs: ") + describe_changes(c.attrs);
        if (!in_state) c.reason += " (exists in AWS but not in state)";
      }
    }
    if (c.action == Action::replace && c.data_bearing && !destroy_allowed(in, address)) {
      p.diagnostics.push_back(
          {model::Severity::error, "replacing " + address + " would destroy the data it holds",
           "review the change, then pass --allow-destroy=" + address + " to allow it", r.where,
           address});
    }
    p.changes.push_back(std::move(c));
  }

  // Remembered but no longer desired: destroy, in reverse dependency order at apply time.
  for (const auto& [address, prior] : in.prior) {
    if (desired_addresses.count(address)) continue;
    const auto* type = resources::find_type(prior.type);
    Change c;
    c.address = address;
    c.type = prior.type;
    c.region = prior.region;
    c.workload = prior.workload;
    c.cloud_id = prior.cloud_id;
    c.depends_on = prior.depends_on;
    c.action = Action::destroy;
    c.data_bearing = type && type->schema().data_bearing;
    const auto obs_it = in.observed.find(address);
    if (obs_it != in.observed.end() && obs_it->second.status == Observed::Status::found) {
      c.before = obs_it->second.attrs;
      c.reason = "no longer in the configuration";
    } else if (obs_it != in.observed.end() && obs_it->second.status == Observed::Status::failed) {
      c.action = Action::noop;
      c.reason = "could not be read: " + obs_it->second.error;
      p.diagnostics.push_back({model::Severity::error, "cannot read " + address,
                               obs_it->second.error, std::nullopt, address});
    } else {
      c.before = prior.last_applied;
      c.reason = "no longer in the configuration and already gone from AWS; forgotten";
    }
    if (c.action == Action::destroy && c.data_bearing && !destroy_allowed(in, address) &&
        !c.reason.ends_with("forgotten")) {
      p.diagnostics.push_back(
          {model::Severity::error, "destroying " + address + " would delete the data it holds",
           "review the change, then pass --allow-destroy=" + address + " to allow it",
           std::nullopt, address});
    }
    p.changes.push_back(std::move(c));
  }
  for (auto& c : p.changes)
    if (c.action != Action::noop) c.runbook = runbook_diff(c.before, c.after);
  std::sort(p.changes.begin(), p.changes.end(),
            [](const Change& a, const Change& b) { return a.address < b.address; });
  return p;
}

}  // namespace plan
