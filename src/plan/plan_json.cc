#include "plan/plan_json.h"

namespace plan {
namespace {

std::optional<Action> parse_action(const std::string& s) {
  for (Action a : {Action::noop, Action::create, Action::update, Action::replace, Action::destroy,
                   Action::import_})
    if (s == action_name(a)) return a;
  return std::nullopt;
}

nlohmann::json where_json(const std::optional<model::SourceRange>& w) {
  if (!w) return nullptr;
  return {{"file", w->file}, {"line", w->line}, {"column", w->column}};
}

std::optional<model::SourceRange> where_from(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  return model::SourceRange{j.value("file", ""), j.value("line", 0), j.value("column", 0)};
}

}  // namespace

nlohmann::json to_json(const Plan& p) {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : p.changes) {
    nlohmann::json attrs = nlohmann::json::array();
    for (const auto& a : c.attrs)
      attrs.push_back({{"path", a.path}, {"before", a.before}, {"after", a.after},
                       {"after_unknown", a.after_unknown}, {"forces_replace", a.forces_replace}});
    changes.push_back({{"address", c.address}, {"type", c.type}, {"region", c.region},
                       {"workload", c.workload}, {"action", action_name(c.action)},
                       {"reason", c.reason}, {"cloud_id", c.cloud_id}, {"before", c.before},
                       {"after", c.after}, {"attributes", attrs}, {"depends_on", c.depends_on},
                       {"data_bearing", c.data_bearing}, {"source", where_json(c.where)}});
    if (!c.runbook.empty()) changes.back()["runbook"] = c.runbook;  // only state machines have one
  }
  nlohmann::json diags = nlohmann::json::array();
  for (const auto& d : p.diagnostics)
    diags.push_back({{"severity", d.severity == model::Severity::error ? "error" : "warning"},
                     {"summary", d.summary}, {"detail", d.detail}, {"address", d.address},
                     {"field", d.field}, {"source", where_json(d.where)}});
  const auto s = p.summary();
  return {{"format_version", Plan::kFormatVersion},
          {"stack", p.stack},
          {"config_dir", p.config_dir},
          {"config_hash", p.config_hash},
          {"lineage", p.lineage},
          {"serial", p.serial},
          {"created_at", p.created_at},
          {"refreshed", p.refreshed},
          {"kind", p.kind},
          {"evidence", p.evidence},
          {"summary", {{"create", s.create}, {"update", s.update}, {"replace", s.replace},
                       {"destroy", s.destroy}, {"import", s.import}, {"no_op", s.noop}}},
          {"changes", changes},
          {"diagnostics", diags}};
}

std::optional<Plan> from_json(const nlohmann::json& j, std::string& error) {
  try {
    if (!j.is_object() || !j.contains("format_version")) {
      error = "not a drctl plan (no format_version)";
      return std::nullopt;
    }
    if (j.at("format_version").get<int>() != Plan::kFormatVersion) {
      error = "plan format " + std::to_string(j.at("format_version").get<int>()) +
              " is not supported by this drctl (it reads format " +
              std::to_string(Plan::kFormatVersion) + ")";
      return std::nullopt;
    }
    Plan p;
    p.stack = j.at("stack").get<std::string>();
    p.config_dir = j.at("config_dir").get<std::string>();
    p.config_hash = j.at("config_hash").get<std::string>();
    p.lineage = j.at("lineage").get<std::string>();
    p.serial = j.at("serial").get<long long>();
    p.created_at = j.value("created_at", "");
    p.refreshed = j.value("refreshed", true);
    p.kind = j.value("kind", "apply");
    p.evidence = j.value("evidence", nlohmann::json::object());
    for (const auto& cj : j.at("changes")) {
      Change c;
      c.address = cj.at("address").get<std::string>();
      c.type = cj.at("type").get<std::string>();
      c.region = cj.at("region").get<std::string>();
      c.workload = cj.value("workload", "");
      auto action = parse_action(cj.at("action").get<std::string>());
      if (!action) {
        error = "unknown action '" + cj.at("action").get<std::string>() + "' for " + c.address;
        return std::nullopt;
      }
      c.action = *action;
      c.reason = cj.value("reason", "");
      c.cloud_id = cj.value("cloud_id", "");
      c.before = cj.value("before", nlohmann::json());
      c.after = cj.value("after", nlohmann::json());
      for (const auto& a : cj.value("attributes", nlohmann::json::array()))
        c.attrs.push_back({a.at("path").get<std::string>(), a.value("before", nlohmann::json()),
                           a.value("after", nlohmann::json()), a.value("after_unknown", false),
                           a.value("forces_replace", false)});
      c.runbook = cj.value("runbook", std::vector<std::string>{});
      c.depends_on = cj.value("depends_on", std::vector<std::string>{});
      c.data_bearing = cj.value("data_bearing", false);
      c.where = where_from(cj.value("source", nlohmann::json()));
      p.changes.push_back(std::move(c));
    }
    for (const auto& dj : j.value("diagnostics", nlohmann::json::array())) {
      model::Diagnostic d;
      d.severity = dj.value("severity", "error") == "error" ? model::Severity::error
                                                            : model::Severity::warning;
      d.summary = dj.value("summary", "");
      d.detail = dj.value("detail", "");
      d.address = dj.value("address", "");
      d.field = dj.value("field", "");
      d.where = where_from(dj.value("source", nlohmann::json()));
      p.diagnostics.push_back(std::move(d));
    }
    return p;
  } catch (const nlohmann::json::exception& e) {
    error = std::string("malformed plan: ") + e.what();
    return std::nullopt;
  }
}

}  // namespace plan
