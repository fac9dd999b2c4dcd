// expand (config.h): Topology + strategy module -> desired Graph.
#include <algorithm>
#include <filesystem>
#include <set>
#include <unordered_set>

#include "config/aws_names.h"
#include "config/config.h"
#include "config/module.h"
#include "config/template.h"

namespace config {

namespace {

using nlohmann::json;

// "secondary.instance_class" -> "/secondary/instance_class" under `base`.
std::string dotted_pointer(const std::string& base, const std::string& dotted) {
  std::string out = base;
  size_t pos = 0;
  while (pos < dotted.size()) {
    size_t next = dotted.find('.', pos);
    if (next == std::string::npos) next = dotted.size();
    if (next > pos) out = pointer_append(out, dotted.substr(pos, next - pos));
    pos = next + 1;
  }
  return out;
}

class Expander {
 public:
  Expander(const model::Topology& t, const Module& m, json inputs, model::Diagnostics& diags)
      : topo_(t), module_(m), diags_(diags) {
    ctx_.values["stack"] = t.stack;
    ctx_.values["partition"] = partition_of(t.primary_region);
    ctx_.values["regions"] = {{"primary", t.primary_region}, {"dr", t.dr_region},
                              {"global", global_region_of(t.primary_region)}};
    ctx_.values["inputs"] = std::move(inputs);
    ctx_.values["settings"] = m.settings;
    ctx_.values["backups"] = t.backups;
    ctx_.values["notify"] = t.notify;
    ctx_.values["objectives"] = t.document.value("objectives", json());
    ctx_.values["protect"] = t.document.value("protect", json());
    ctx_.values["workload"] = nullptr;
    ctx_.values["spec"] = nullptr;
    ctx_.values["address"] = nullptr;
    ctx_.values["local"] = json::object();
    // Distinct kinds only: the context is copied for every resource, so a list with one entry
    // per workload made expansion quadratic.
    for (const auto& w : t.workloads)
      if (std::find(ctx_.kinds.begin(), ctx_.kinds.end(), w.kind) == ctx_.kinds.end()) ctx_.kinds.push_back(w.kind);
    ctx_.values["local"] = locals(m.locals, ctx_, "");
    for (const auto& c : m.checks) check(c, ctx_, "", "");
  }

  void workloads() {
    for (const auto& w : topo_.workloads) {
      const auto kind = module_.kinds.find(w.kind);
      if (kind == module_.kinds.end()) {
        model::Diagnostic d;
        d.summary = "strategy '" + module_.name + "' does not handle workload kind '" + w.kind + "'";
        d.where = topo_.where(w.pointer + "/kind");
        d.field = "workloads." + w.name + ".kind";
        d.detail = "the module (" + module_.file + ") has no kinds." + w.kind + " entry";
        diags_.push_back(std::move(d));
        continue;
      }
      const KindSpec& k = kind->second;
      TemplateContext ctx = ctx_;
      ctx.values["workload"] = {{"name", w.name}, {"kind", w.kind}};
      ctx.values["spec"] = w.spec;
      json spec = w.spec;
      // Defaults may refer to the fields the user wrote (replica_bucket: ${spec.source}-dr).
      for (const auto& [field, tmpl] : k.defaults) {
        if (spec.contains(field)) continue;
        auto v = render(tmpl.value, ctx);
        if (!v) { template_error(tmpl, v.error().pointer, v.error().message, w.name); continue; }
        if (!v->is_null()) spec[field] = std::move(*v);
      }
      ctx.values["spec"] = spec;
      json local = ctx.values["local"];
      const json own = locals(k.locals, ctx, w.name);
      for (const auto& [name, value] : own.items()) local[name] = value;
      ctx.values["local"] = std::move(local);
      for (const auto& c : k.checks) check(c, ctx, w.pointer, w.name);
      for (const auto& r : k.resources) resource(r, ctx, w.name, w.pointer);
    }
  }

  void stack_resources() {
    for (const auto& r : module_.resources) resource(r, ctx_, "", "");
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

 private:
  void template_error(const Template& t, const std::string& sub, const std::string& message,
                      const std::string& workload, const std::string& address = "") {
    auto d = error_at(module_.parts[t.part], t.pointer + sub, message, true);
    if (!workload.empty()) d.detail = "while expanding workload '" + workload + "'";
    d.address = address;
    diags_.push_back(std::move(d));
    failed_ = true;
  }

  // Renders named locals; they see everything but each other.
  json locals(const NamedTemplates& list, const TemplateContext& ctx, const std::string& workload) {
    json out = json::object();
    for (const auto& [name, tmpl] : list) {
      auto v = render(tmpl.value, ctx);
      if (!v) template_error(tmpl, v.error().pointer, v.error().message, workload);
      else out[name] = std::move(*v);
    }
    return out;
  }

  // A module check: {when, message, field?, severity?}. When `when` is truthy, the message is
  // reported at the stack node `field` names (relative to the workload, or to the document).
  void check(const Template& t, const TemplateContext& ctx, const std::string& workload_pointer,
             const std::string& workload) {
    auto when = render(t.value["when"], ctx);
    if (!when) return template_error(t, "/when" + when.error().pointer, when.error().message, workload);
    if (!truthy(*when)) return;
    auto message = render(t.value["message"], ctx);
    if (!message) return template_error(t, "/message", message.error().message, workload);
    const std::string field = t.value.value("field", "");
    const std::string pointer = field.empty() ? (workload.empty() ? "/strategy" : workload_pointer)
                                              : dotted_pointer(workload_pointer, field);
    model::Diagnostic d;
    d.severity = t.value.value("severity", "error") == "warning" ? model::Severity::warning : model::Severity::error;
    d.summary = message->is_string() ? message->get<std::string>() : message->dump();
    d.where = topo_.where(pointer);
    d.field = field_of(topo_.document, pointer);
    const auto at = module_.parts[t.part].key_at(t.pointer);
    d.detail = "a check of strategy '" + module_.name + "'" +
               (at ? " (" + at->file + ":" + std::to_string(at->line) + ")" : "");
    if (d.severity == model::Severity::error) failed_ = true;
    diags_.push_back(std::move(d));
  }

  void resource(const Template& t, const TemplateContext& ctx, const std::string& workload,
                const std::string& workload_pointer) {
    const json& tmpl = t.value;
    if (!tmpl.contains("for_each")) return one_resource(t, ctx, workload, workload_pointer);
    auto list = render(tmpl["for_each"], ctx);
    if (!list) return template_error(t, "/for_each" + list.error().pointer, list.error().message, workload);
    if (list->is_null()) return;
    if (!list->is_array()) return template_error(t, "/for_each", "for_each needs a list, got " + list->dump(), workload);
    for (const auto& element : *list) {
      TemplateContext each = ctx;
      each.values["item"] = element;
      one_resource(t, each, workload, workload_pointer);
    }
  }

  void one_resource(const Template& t, TemplateContext ctx, const std::string& workload,
                    const std::string& workload_pointer) {
    const json& tmpl = t.value;
    if (tmpl.contains("when")) {
      auto w = render(tmpl["when"], ctx);
      if (!w) return template_error(t, "/when" + w.error().pointer, w.error().message, workload);
      if (!truthy(*w)) return;
    }
    auto addr_text = render(tmpl["address"], ctx);
    if (!addr_text) return template_error(t, "/address", addr_text.error().message, workload);
    const auto address = addr_text->is_string() ? model::Address::parse(addr_text->get<std::string>()) : std::nullopt;
    if (!address) return template_error(t, "/address", "invalid resource address " + addr_text->dump(), workload);
    // A region role (primary, dr, global) or an expression naming a region.
    const std::string region_text = tmpl["region"].get<std::string>();
    const json& regions = ctx.values["regions"];
    std::string region;
    if (regions.contains(region_text)) {
      region = regions[region_text].get<std::string>();
    } else {
      auto r = render_string(region_text, ctx);
      if (!r) return template_error(t, "/region", r.error(), workload, address->str());
      if (!r->is_string() || !is_known_region(r->get<std::string>()))
        return template_error(t, "/region", "region renders to " + r->dump() + ", not a known AWS region", workload, address->str());
      region = r->get<std::string>();
    }
    model::Resource r;
    r.address = *address;
    r.region = region;
    r.workload = workload;
    ctx.values["address"] = address->str();
    auto attrs = render(tmpl["attrs"], ctx);
    if (!attrs) return template_error(t, "/attrs" + attrs.error().pointer, attrs.error().message, workload, address->str());
    r.attrs = attrs->is_null() ? json::object() : std::move(*attrs);
    if (tmpl.contains("depends_on"))
      for (const auto& dep : tmpl["depends_on"]) {
        auto v = render(dep, ctx);
        if (!v || !v->is_string()) return template_error(t, "/depends_on", "depends_on entries must render to addresses", workload);
        r.depends_on.push_back(v->get<std::string>());
      }
    const std::string source = tmpl.contains("source") ? tmpl["source"].get<std::string>()
                               : !workload_pointer.empty() ? workload_pointer : "/strategy";
    r.where = topo_.where(source);
    if (!addresses_.insert(r.address.str()).second) {
      auto d = error_at(module_.parts[t.part], t.pointer + "/address", "resource '" + r.address.str() + "' is generated twice", true);
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
  std::unordered_set<std::string> addresses_;  // what graph_ holds, for the duplicate check
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
  if (graph) graph->reindex();
  if (diags.size() != before && model::has_errors({diags.begin() + static_cast<long>(before), diags.end()}))
    return std::nullopt;
  return graph;
}

}  // namespace config
