#include "plan/drift.h"

#include <algorithm>

#include "resources/resource_type.h"

namespace plan {

const char* drift_kind_name(DriftEntry::Kind k) {
  switch (k) {
    case DriftEntry::Kind::changed: return "changed";
    case DriftEntry::Kind::deleted: return "deleted";
    case DriftEntry::Kind::unreadable: return "unreadable";
  }
  return "?";
}

bool DriftReport::drifted() const {
  return std::any_of(entries.begin(), entries.end(),
                     [](const DriftEntry& e) { return e.kind != DriftEntry::Kind::unreadable; });
}

bool DriftReport::unreadable() const {
  return std::any_of(entries.begin(), entries.end(),
                     [](const DriftEntry& e) { return e.kind == DriftEntry::Kind::unreadable; });
}

DriftReport detect_drift(const std::string& stack, const std::map<std::string, Prior>& prior,
                         const std::map<std::string, Observed>& observed,
                         const std::vector<std::string>& desired_addresses) {
  DriftReport report;
  report.stack = stack;
  for (const auto& [address, p] : prior) {
    ++report.checked;
    DriftEntry e{address, p.type, p.region, p.workload};
    auto it = observed.find(address);
    if (it == observed.end() || it->second.status == Observed::Status::absent) {
      e.kind = DriftEntry::Kind::deleted;
      e.detail = "deleted outside drctl";
      report.entries.push_back(std::move(e));
      continue;
    }
    if (it->second.status == Observed::Status::failed) {
      e.kind = DriftEntry::Kind::unreadable;
      e.detail = it->second.error;
      report.entries.push_back(std::move(e));
      continue;
    }
    const auto* type = resources::find_type(p.type);
    nlohmann::json expected = nlohmann::json::object();
    if (p.last_applied.is_object())
      for (auto a = p.last_applied.begin(); a != p.last_applied.end(); ++a)
        if (!type || type->schema().kind_of(a.key()) != resources::AttrKind::computed)
          expected[a.key()] = a.value();
    for (const auto& c : diff_attrs(expected, it->second.attrs))
      e.attrs.push_back({c.path, c.after, c.before});
    if (!e.attrs.empty()) {
      e.kind = DriftEntry::Kind::changed;
      report.entries.push_back(std::move(e));
    }
  }
  for (const auto& a : desired_addresses)
    if (!prior.count(a)) report.not_applied.push_back(a);
  return report;
}

nlohmann::json to_json(const DriftReport& r) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& e : r.entries) {
    nlohmann::json attrs = nlohmann::json::array();
    for (const auto& a : e.attrs)
      attrs.push_back({{"path", a.path}, {"expected", a.expected}, {"actual", a.actual}});
    entries.push_back({{"address", e.address}, {"type", e.type}, {"region", e.region},
                       {"workload", e.workload}, {"kind", drift_kind_name(e.kind)},
                       {"detail", e.detail}, {"attributes", attrs}});
  }
  return {{"stack", r.stack},
          {"checked", r.checked},
          {"drifted", r.drifted()},
          {"entries", entries},
          {"not_applied", r.not_applied}};
}

}  // namespace plan
