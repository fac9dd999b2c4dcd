// expand (config.h): Topology + strategy module -> desired Graph.
#include <algorithm>
#include <filesystem>
#include <set>

#include "config/aws_names.h"
#include "config/config.h"
#include "config/module.h"
#include "config/template.h"

namespace config {

namespace {

using nlohmann::json;

class Expander {
 public:
  Expander(const model::Topology& t, const Module& m, json inputs, model::Diagnostics& diags)
      : topo_(t), module_(m), diags_(diags) {
    ctx_.values["stack"] = t.stack;
    ctx_.values["partition"] = partition_of(t.primary_region);
    ctx_.values["regions"] = {{"primary", t.primary_region}, {"dr", t.dr_region},
                              {"global", global_region_of(t.primary_region)}};
    ctx_.values["inputs"] = std::move(inputs);
    ctx_.values["backups"] = t.backups;
    ctx_.values["notify"] = t.notify;
    ctx_.values["objectives"] = t.document.value("objectives", json());
    ctx_.values["workload"] = nullptr;
    ctx_.values["spec"] = nullptr;
    ctx_.values["address"] = nullptr;
    for (const auto& w : t.workloads) ctx_.kinds.push_back(w.kind);
  }

  void workloads() {
    const json& kinds = module_.doc.value.value("kinds", json::object());
    for (const auto& w : topo_.workloads) {
      if (!kinds.contains(w.kind)) {
        model::Diagnostic d;
        d.summary = "strategy '" + module_.name + "' does not handle workload kind '" + w.kind + "'";
        d.where = topo_.where(w.pointer + "/kind");
        d.field = "workloads." + w.name + ".kind";
        d.detail = "the module (" + module_.file + ") has no kinds." + w.kind + " entry";
        diags_.push_back(std::move(d));
        continue;
      }
      const std::string kp = "/kinds/" + w.kind;
      TemplateContext ctx = ctx_;
      ctx.values["workload"] = {{"name", w.name}, {"kind", w.kind}};
      ctx.values["spec"] = w.spec;
      json spec = w.spec;
      // Defaults may refer to the fields the user wrote (replica_bucket: ${spec.source}-dr).
      const json defaults = kinds[w.kind].value("defaults", json::object());
      for (const auto& [field, tmpl] : defaults.items()) {
        if (spec.contains(field)) continue;
        auto v = render(tmpl, ctx);
        if (!v) { template_error(kp + "/defaults/" + field + v.error().pointer, v.error().message, w.name); continue; }
        if (!v->is_null()) spec[field] = std::move(*v);
      }
      ctx.values["spec"] = spec;
      const json& list = kinds[w.kind].value("resources", json::array());
      for (size_t i = 0; i < list.size(); ++i)
        resource(list[i], kp + "/resources/" + std::to_string(i), ctx, w.name, w.pointer);
    }
  }

  void stack_resources() {
    const json& list = module_.doc.value.value("resources", json::array());
    for (size_t i = 0; i < list.size(); ++i)
      resource(list[i], "/resources/" + std::to_string(i), ctx_, "", "");
  }

  std::optional<model::Graph> finish() {
    std::sort(graph_.resources.begin(), graph_.resources.end(),
              [](const auto& a, const auto& b) { return a.address < b.address; });
    std::set<std::string> addresses;
    for (const auto& r : graph_.resources) addresses.insert(r.address.str());
    for (auto& r : graph_.resources) {
      std::set<std::string> deps(r.depends_on.begin(), r.depends_on.end());
      for (const auto& ref : model::find_references(r.attrs)) deps.insert(ref.address);
      for (const auto& dep : deps)
        if (!addresses.count(dep)) {
          model::Diagnostic d;
          d.summary = "'" + r.address.str() + "' refers to '" + dep + "', which the module does not create";
          d.where = r.where;
          d.address = r.address.str();
          d.detail = "module " + module_.file;
          diags_.push_back(std::move(d));
        }
      deps.erase(r.address.str());
      r.depends_on.assign(deps.begin(), deps.end());
    }
    if (failed_) return std::nullopt;
    graph_.stack = topo_.stack;
    return std::move(graph_);
  }

  bool failed() const { return failed_; }

 private:
  void template_error(const std::string& pointer, const std::string& message, const std::string& workload,
                      const std::string& address = "") {
    auto d = error_at(module_.doc, pointer, message, true);
    if (!workload.empty()) d.detail = "while expanding workload '" + workload + "'";
    d.address = address;
    diags_.push_back(std::move(d));
    failed_ = true;
  }

  void resource(const json& tmpl, const std::string& pointer, TemplateContext ctx, const std::string& workload,
                const std::string& workload_pointer) {
    if (tmpl.contains("when")) {
      auto w = render(tmpl["when"], ctx);
      if (!w) return template_error(pointer + "/when" + w.error().pointer, w.error().message, workload);
      if (!truthy(*w)) return;
    }
    auto addr_text = render(tmpl["address"], ctx);
    if (!addr_text) return template_error(pointer + "/address", addr_text.error().message, workload);
    const auto address = addr_text->is_string() ? model::Address::parse(addr_text->get<std::string>()) : std::nullopt;
    if (!address) return template_error(pointer + "/address", "invalid resource address " + addr_text->dump(), workload);
    const std::string region_role = tmpl["region"].get<std::string>();
    const json& regions = ctx.values["regions"];
    model::Resource r;
    r.address = *address;
    r.region = regions[region_role].get<std::string>();
    r.workload = workload;
    ctx.values["address"] = address->str();
    auto attrs = render(tmpl["attrs"], ctx);
    if (!attrs) return template_error(pointer + "/attrs" + attrs.error().pointer, attrs.error().message, workload, address->str());
    r.attrs = attrs->is_null() ? json::object() : std::move(*attrs);
    if (tmpl.contains("depends_on"))
      for (const auto& dep : tmpl["depends_on"]) {
        auto v = render(dep, ctx);
        if (!v || !v->is_string()) return template_error(pointer + "/depends_on", "depends_on entries must render to addresses", workload);
        r.depends_on.push_back(v->get<std::string>());
      }
    const std::string source = tmpl.contains("source") ? tmpl["source"].get<std::string>()
                               : !workload_pointer.empty() ? workload_pointer : "/strategy";
    r.where = topo_.where(source);
    if (graph_.find(r.address.str())) {
      auto d = error_at(module_.doc, pointer + "/address", "resource '" + r.address.str() + "' is generated twice", true);
      d.address = r.address.str();
      diags_.push_back(std::move(d));
      failed_ = true;
      return;
    }
    graph_.resources.push_back(std::move(r));
  }

  const model::Topology& topo_;
  const Module& module_;
  model::Diagnostics& diags_;
  TemplateContext ctx_;
  model::Graph graph_;
  bool failed_ = false;
};

// The stack document, as far as Topology keeps it, for the module loader's positions.
Document document_of(const model::Topology& t) { return Document{t.document, t.positions, {}}; }

}  // namespace

std::optional<model::Graph> expand(const model::Topology& topology, const Paths& paths, model::Diagnostics& diags) {
  const size_t before = diags.size();
  const Document doc = document_of(topology);
  auto module = load_module(topology.strategy, doc, paths, diags);
  if (!module) return std::nullopt;
  auto inputs = resolve_inputs(*module, doc, diags);
  if (!inputs) return std::nullopt;
  Expander e(topology, *module, std::move(*inputs), diags);
  e.workloads();
  e.stack_resources();
  auto graph = e.finish();
  if (diags.size() != before && model::has_errors({diags.begin() + static_cast<long>(before), diags.end()}))
    return std::nullopt;
  return graph;
}

}  // namespace config
