// drift: what changed in AWS behind drctl's back. Compares each remembered resource's last
// applied attributes with what refresh observed now. Pure: no I/O.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/diff.h"

namespace plan {

struct DriftAttr {
  std::string path;
  nlohmann::json expected;  // as drctl last applied it
  nlohmann::json actual;    // as AWS has it now (null: gone)
};

struct DriftEntry {
  enum class Kind { changed, deleted, unreadable };
  std::string address;
  std::string type;
  std::string region;
  std::string workload;
  Kind kind = Kind::changed;
  std::vector<DriftAttr> attrs;
  std::string detail;  // unreadable: the error
};
const char* drift_kind_name(DriftEntry::Kind k);  // "changed", "deleted", "unreadable"

struct DriftReport {
  std::string stack;
  int checked = 0;
  std::vector<DriftEntry> entries;
  std::vector<std::string> not_applied;  // desired but never applied: pending, not drift
  bool drifted() const;
  bool unreadable() const;
};

DriftReport detect_drift(const std::string& stack, const std::map<std::string, Prior>& prior,
                         const std::map<std::string, Observed>& observed,
                         const std::vector<std::string>& desired_addresses);

nlohmann::json to_json(const DriftReport& r);

}  // namespace plan
