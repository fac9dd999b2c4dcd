#include "dr/timing_model.h"

#include <filesystem>

#include "config/document.h"

namespace dr {

namespace {

using nlohmann::json;

model::Diagnostic error(std::optional<model::SourceRange> where, std::string field, std::string summary) {
  model::Diagnostic d;
  d.summary = std::move(summary);
  d.where = std::move(where);
  d.field = std::move(field);
  return d;
}

void read_defaults(const config::Document& doc, const std::string& file, TimingModel& model,
                   model::Diagnostics& diags) {
  const json& root = doc.value;
  if (!root.is_object() || !root.contains("timings") || !root["timings"].is_object()) {
    diags.push_back(error(model::SourceRange{file, 1, 1}, "timings", "a timings: map is required"));
    return;
  }
  for (const auto& [name, entry] : root["timings"].items()) {
    const std::string p = config::pointer_append("/timings", name);
    const auto at = doc.key_at(p);
    if (!entry.is_object() || !entry.contains("default") || !entry["default"].is_string() ||
        !entry.contains("source") || !entry["source"].is_string()) {
      diags.push_back(error(at, "timings." + name, "each timing needs a default duration and a source"));
      continue;
    }
    const auto value = model::parse_duration(entry["default"].get<std::string>());
    if (!value) {
      diags.push_back(error(doc.value_at(p + "/default"), "timings." + name + ".default",
                            "not a duration (90s, 15m, 1h30m)"));
      continue;
    }
    model.entries[name] = Timing{name, *value, entry.value("what", ""), entry["source"].get<std::string>(),
                                 doc.value_at(p + "/default"), false};
  }
  for (const auto& name : required_timings())
    if (!model.entries.count(name))
      diags.push_back(error(model::SourceRange{file, 1, 1}, "timings." + name,
                            "timing '" + name + "' is missing: the assessment needs it"));
}

// The stack's overrides were schema-checked as durations; names are checked here because the
// list of names is data (timings.yaml), not schema.
void apply_overrides(const model::Topology& topology, TimingModel& model, model::Diagnostics& diags) {
  if (!topology.document.is_object() || !topology.document.contains("timings")) return;
  const json& overrides = topology.document["timings"];
  if (!overrides.is_object()) return;
  for (const auto& [name, value] : overrides.items()) {
    const std::string p = config::pointer_append("/timings", name);
    auto it = model.entries.find(name);
    if (it == model.entries.end()) {
      std::string known;
      for (const auto& [k, _] : model.entries) known += (known.empty() ? "" : ", ") + k;
      auto d = error(topology.where(p), "timings." + name, "unknown timing '" + name + "'");
      d.detail = "known timings: " + known;
      diags.push_back(std::move(d));
      continue;
    }
    const auto seconds = value.is_string() ? model::parse_duration(value.get<std::string>()) : std::nullopt;
    if (!seconds) {
      diags.push_back(error(topology.where(p), "timings." + name, "not a duration (90s, 15m, 1h30m)"));
      continue;
    }
    it->second.source = "stack override (default " + model::format_duration(it->second.value) + ")";
    it->second.value = *seconds;
    it->second.where = topology.where(p);
    it->second.overridden = true;
  }
}

}  // namespace

Timing TimingModel::get(const std::string& name) const {
  if (auto it = entries.find(name); it != entries.end()) return it->second;
  return Timing{name, model::Seconds{0}, "", "missing from timings.yaml", std::nullopt, false};
}

const std::vector<std::string>& required_timings() {
  static const std::vector<std::string> names = {
      "health_check_interval", "detection_without_health_check", "dns_ttl", "s3_rtc",
      "rds_replica_lag", "aurora_global_lag", "dynamodb_global_lag", "efs_replication_rpo",
      "backup_copy", "rds_replica_promotion", "aurora_global_failover", "aurora_add_instance",
      "efs_failover", "asg_scale_out", "asg_scale_from_zero", "ecs_scale_out", "ecs_scale_from_zero",
      "compute_rebuild", "rds_restore", "aurora_restore", "dynamodb_restore", "efs_restore",
      "s3_restore", "ebs_restore", "ec2_restore"};
  return names;
}

TimingModel load_timings_text(const std::string& text, const std::string& file,
                              const model::Topology& topology, model::Diagnostics& diags) {
  TimingModel model;
  if (auto doc = config::load_yaml_text(text, file, diags)) read_defaults(*doc, file, model, diags);
  apply_overrides(topology, model, diags);
  return model;
}

TimingModel load_timings(const config::Paths& paths, const model::Topology& topology,
                         model::Diagnostics& diags) {
  const std::string file = (std::filesystem::path(paths.modules_dir) / "timings.yaml").string();
  TimingModel model;
  if (auto doc = config::load_yaml_file(file, diags)) read_defaults(*doc, file, model, diags);
  apply_overrides(topology, model, diags);
  return model;
}

}  // namespace dr
