#include "dr/drill.h"

#include <cmath>
#include <ctime>

namespace dr {
namespace {

using nlohmann::json;

std::optional<std::time_t> parse_iso(const std::string& s) {
  std::tm tm{};
  if (!strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return std::nullopt;
  return timegm(&tm);
}

}  // namespace

bool DrillRecord::ok() const {
  if (!phase("failover")) return false;
  for (const auto& p : phases)
    if (!p.ok) return false;
  return true;
}

const DrillPhase* DrillRecord::phase(const std::string& name) const {
  for (const auto& p : phases)
    if (p.name == name) return &p;
  return nullptr;
}

std::optional<model::Seconds> DrillRecord::achieved_rto() const {
  const auto* f = phase("failover");
  if (!f || !f->ok) return std::nullopt;
  return detection + model::Seconds{static_cast<long long>(std::ceil(f->seconds))};
}

void set_objective(DrillRecord& record, const Assessment& assessment) {
  for (const auto& w : assessment.workloads) {
    if (w.rto.objective && (!record.rto_objective || *w.rto.objective < *record.rto_objective)) {
      record.rto_objective = w.rto.objective;
      record.rto_objective_of = w.rto.declared_field.empty() ? w.name : w.rto.declared_field;
    }
    // Detection is stack-wide: every workload's RTO starts with the same step.
    const auto& steps = w.rto.achievable.steps;
    if (!steps.empty() && record.detection_source.empty()) {
      record.detection = steps.front().duration;
      record.detection_source = steps.front().what;
    }
  }
}

json drill_json(const DrillRecord& r) {
  json phases = json::array();
  for (const auto& p : r.phases) {
    json steps = json::array();
    for (const auto& s : p.steps) steps.push_back({{"address", s.address}, {"seconds", s.seconds}, {"outcome", s.outcome}});
    phases.push_back({{"name", p.name}, {"ok", p.ok}, {"seconds", p.seconds}, {"run_id", p.run_id},
                      {"steps", steps}, {"note", p.note}});
  }
  const auto achieved = r.achieved_rto();
  return {{"stack", r.stack},
          {"started_at", r.started_at},
          {"finished_at", r.finished_at},
          {"from_region", r.from_region},
          {"to_region", r.to_region},
          {"ok", r.ok()},
          {"phases", phases},
          {"detection_seconds", r.detection.count()},
          {"detection_source", r.detection_source},
          {"rto_objective_seconds", r.rto_objective ? json(r.rto_objective->count()) : json(nullptr)},
          {"rto_objective_of", r.rto_objective_of},
          {"achieved_rto_seconds", achieved ? json(achieved->count()) : json(nullptr)},
          {"meets_rto", r.meets_rto()}};
}

std::optional<DrillRecord> drill_from_json(const json& j) {
  try {
    DrillRecord r;
    r.stack = j.value("stack", "");
    r.started_at = j.value("started_at", "");
    r.finished_at = j.value("finished_at", "");
    r.from_region = j.value("from_region", "");
    r.to_region = j.value("to_region", "");
    for (const auto& pj : j.at("phases")) {
      DrillPhase p;
      p.name = pj.at("name").get<std::string>();
      p.ok = pj.value("ok", false);
      p.seconds = pj.value("seconds", 0.0);
      p.run_id = pj.value("run_id", 0LL);
      p.note = pj.value("note", "");
      for (const auto& sj : pj.value("steps", json::array()))
        p.steps.push_back({sj.value("address", ""), sj.value("seconds", 0.0), sj.value("outcome", "")});
      r.phases.push_back(std::move(p));
    }
    r.detection = model::Seconds{j.value("detection_seconds", 0LL)};
    r.detection_source = j.value("detection_source", "");
    if (j.contains("rto_objective_seconds") && j["rto_objective_seconds"].is_number())
      r.rto_objective = model::Seconds{j["rto_objective_seconds"].get<long long>()};
    r.rto_objective_of = j.value("rto_objective_of", "");
    return r;
  } catch (const json::exception&) {
    return std::nullopt;  // a record written by another version: not a drill we can show
  }
}

std::optional<DrillRecord> last_drill(const std::vector<state::RunRecord>& runs) {
  for (const auto& run : runs) {
    if (run.kind != "drill" || run.outcome == "running") continue;
    if (auto r = drill_from_json(run.detail)) {
      if (r->finished_at.empty()) r->finished_at = run.finished_at;
      return r;
    }
  }
  return std::nullopt;
}

std::string age_text(const std::string& then_iso, const std::string& now_iso) {
  const auto then = parse_iso(then_iso), now = parse_iso(now_iso);
  if (!then || !now) return then_iso;
  const long days = static_cast<long>((*now - *then) / 86400);
  if (days <= 0) return "today";
  return days == 1 ? "1 day ago" : std::to_string(days) + " days ago";
}

}  // namespace dr
