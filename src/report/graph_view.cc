#include "report/graph_view.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

namespace report {
namespace {

using nlohmann::json;

std::string str_of(const json& attrs, const char* key) {
  auto it = attrs.find(key);
  return it != attrs.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The address a value refers to ("@{s3.bucket.assets#arn}" -> "s3.bucket.assets"), else "".
std::string referenced_address(const json& v) {
  const auto refs = model::find_references(v);
  return refs.size() == 1 ? refs.front().address : std::string();
}

// "arn:aws:rds:us-east-1:123:db:orders" -> {"us-east-1", "orders"}; other strings are names.
std::pair<std::string, std::string> arn_region_and_name(const std::string& s) {
  if (s.rfind("arn:", 0) != 0) return {"", s};
  std::vector<std::string> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const size_t colon = s.find(':', start);
    if (colon == std::string::npos) return {"", s};
    parts.push_back(s.substr(start, colon - start));
    start = colon + 1;
  }
  std::string rest = s.substr(start);  // "db:orders", ":::bucket" leftovers, "cluster:x"
  const size_t last = rest.find_last_of(":/");
  return {parts[3], last == std::string::npos ? rest : rest.substr(last + 1)};
}

bool is_global_type(const std::string& type) {
  return type.rfind("iam.", 0) == 0 || type.rfind("route53.", 0) == 0;
}

class Builder {
 public:
  Builder(const model::Graph& g, std::string primary, std::string dr)
      : graph_(g), primary_(std::move(primary)), dr_(std::move(dr)) {}

  GraphView build() {
    for (const auto& r : graph_.resources) {
      const bool global = r.region == "global" || is_global_type(r.address.type);
      add_node({r.address.str(), r.address.str(), global ? "" : r.region, "", 0, r.workload, true});
    }
    for (const auto& r : graph_.resources) typed_edges(r);
    for (const auto& r : graph_.resources)
      for (const auto& dep : r.depends_on)
        if (nodes_.count(dep) && dep != r.address.str()) add_edge(r.address.str(), dep, EdgeKind::depends_on, "");
    return finish();
  }

 private:
  void add_node(GraphNode n) {
    if (nodes_.count(n.id)) return;
    if (n.region.empty()) {
      n.group = "global", n.group_order = 2;
    } else if (n.region == primary_) {
      n.group = "primary " + n.region, n.group_order = 0;
    } else if (n.region == dr_) {
      n.group = "dr " + n.region, n.group_order = 1;
    } else {
      n.group = n.region, n.group_order = 3;
    }
    nodes_.emplace(n.id, std::move(n));
  }

  // A data object drctl replicates from or to but does not manage.
  std::string data_node(const std::string& service, const std::string& region, const std::string& name,
                        const std::string& role) {
    const std::string id = fmt::format("data:{}:{}:{}", service, region, name);
    add_node({id, fmt::format("{} ({})", name, role), region, "", 0, "", false});
    return id;
  }

  // A typed edge wins over depends_on between the same two nodes; the first typed one stays.
  void add_edge(const std::string& from, const std::string& to, EdgeKind kind, const std::string& label) {
    auto [it, inserted] = edges_.try_emplace({from, to}, GraphEdge{from, to, kind, label});
    if (!inserted && it->second.kind == EdgeKind::depends_on && kind != EdgeKind::depends_on)
      it->second = GraphEdge{from, to, kind, label};
  }

  // A destination named by reference or ARN: the graph's own resource when it is one.
  std::string bucket_node(const json& destination) {
    const std::string ref = referenced_address(destination);
    if (!ref.empty() && nodes_.count(ref)) return ref;
    const std::string name = destination.is_string() ? arn_region_and_name(destination.get<std::string>()).second : "";
    for (const auto& r : graph_.resources)
      if (r.address.type == "s3.bucket" && str_of(r.attrs, "bucket") == name && !name.empty()) return r.address.str();
    return data_node("s3", dr_, name.empty() ? destination.dump() : name, "destination bucket");
  }

  void typed_edges(const model::Resource& r) {
    const std::string self = r.address.str();
    const json& a = r.attrs;
    const std::string& type = r.address.type;
    if (type == "s3.replication") {
      add_edge(data_node("s3", r.region, str_of(a, "bucket"), "source bucket"), self, EdgeKind::replication,
               "replicates");
      if (a.contains("rules") && a["rules"].is_array())
        for (const auto& rule : a["rules"]) {
          if (!rule.is_object() || !rule.contains("destination_bucket")) continue;
          const bool rtc = rule.value("rtc", false) == true;
          add_edge(self, bucket_node(rule["destination_bucket"]), EdgeKind::replication,
                   rtc ? "replicates (RTC)" : "replicates");
        }
    } else if (type == "rds.replica") {
      auto [arn_region, name] = arn_region_and_name(str_of(a, "source"));
      std::string region = str_of(a, "source_region");
      if (region.empty()) region = arn_region.empty() ? primary_ : arn_region;
      add_edge(data_node("rds", region, name, "source DB"), self, EdgeKind::replication, "read replica");
    } else if (type == "rds.global_cluster") {
      const std::string source = arn_region_and_name(str_of(a, "source_cluster")).second;
      add_edge(data_node("rds", r.region, source, "primary cluster"), self, EdgeKind::replication,
               "global database");
      const std::string secondary_region = str_of(a, "secondary_region");
      if (!secondary_region.empty())
        add_edge(self, data_node("rds", secondary_region, str_of(a, "secondary_cluster_id"), "secondary cluster"),
                 EdgeKind::replication, "global database");
    } else if (type == "dynamodb.replica") {
      const std::string table = str_of(a, "table");
      add_edge(data_node("dynamodb", r.region, table, "table"), self, EdgeKind::replication, "global table");
      const std::string replica_region = str_of(a, "replica_region");
      if (!replica_region.empty())
        add_edge(self, data_node("dynamodb", replica_region, table, "replica"), EdgeKind::replication,
                 "global table");
    } else if (type == "efs.replication") {
      const std::string fs = str_of(a, "file_system_id");
      add_edge(data_node("efs", r.region, fs, "file system"), self, EdgeKind::replication, "EFS replication");
      const std::string region = str_of(a, "destination_region");
      std::string dest = str_of(a, "destination_file_system_id");
      if (dest.empty()) dest = "replica of " + fs;
      if (!region.empty())
        add_edge(self, data_node("efs", region, dest, "file system"), EdgeKind::replication, "EFS replication");
    } else if (type == "backup.plan") {
      // Backups copied to another region's vault are the data path of backup-restore.
      if (a.contains("rules") && a["rules"].is_array())
        for (const auto& rule : a["rules"]) {
          if (!rule.is_object() || !rule.contains("copy_to") || !rule["copy_to"].is_array()) continue;
          for (const auto& copy : rule["copy_to"]) {
            if (!copy.is_object() || !copy.contains("vault_arn")) continue;
            const std::string vault = referenced_address(copy["vault_arn"]);
            if (!vault.empty() && nodes_.count(vault)) add_edge(self, vault, EdgeKind::replication, "copies backups");
          }
        }
    } else if (type == "route53.failover_record") {
      const std::string failover = str_of(a, "failover");
      std::string target;
      if (a.contains("records") && a["records"].is_array() && !a["records"].empty() && a["records"][0].is_string())
        target = a["records"][0].get<std::string>();
      else if (a.contains("alias") && a["alias"].is_object())
        target = str_of(a["alias"], "dns_name");
      if (!target.empty()) {
        const std::string id = "endpoint:" + target;
        add_node({id, target, failover == "SECONDARY" ? dr_ : primary_, "", 0, "", false});
        add_edge(self, id, EdgeKind::dns_failover, failover.empty() ? "routes to" : failover);
      }
      if (a.contains("health_check_id") && !a["health_check_id"].is_null()) {
        std::string check = referenced_address(a["health_check_id"]);
        if (check.empty() || !nodes_.count(check))
          check = data_node("route53", "", a["health_check_id"].is_string() ? a["health_check_id"].get<std::string>()
                                                                             : a["health_check_id"].dump(),
                            "health check");
        add_edge(self, check, EdgeKind::dns_failover, "health check");
      }
    }
  }

  GraphView finish() {
    GraphView v;
    for (auto& [id, n] : nodes_) v.nodes.push_back(std::move(n));
    std::sort(v.nodes.begin(), v.nodes.end(), [](const GraphNode& x, const GraphNode& y) {
      return std::tie(x.group_order, x.group, x.id) < std::tie(y.group_order, y.group, y.id);
    });
    for (auto& [key, e] : edges_) v.edges.push_back(std::move(e));  // map order: (from, to)
    return v;
  }

  const model::Graph& graph_;
  std::string primary_, dr_;
  std::map<std::string, GraphNode> nodes_;
  std::map<std::pair<std::string, std::string>, GraphEdge> edges_;
};

// Mermaid ids: letters, digits and '_' only, never a keyword ("end"), unique.
std::map<std::string, std::string> mermaid_ids(const GraphView& v) {
  std::map<std::string, std::string> ids;
  std::set<std::string> used;
  for (const auto& n : v.nodes) {
    std::string id = "n_";
    for (char c : n.id) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    std::string unique = id;
    for (int i = 2; used.count(unique); ++i) unique = fmt::format("{}_{}", id, i);
    used.insert(unique);
    ids[n.id] = unique;
  }
  return ids;
}

// Mermaid labels are quoted; quotes and the characters Mermaid reads as markup become entities.
std::string mermaid_text(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "#quot;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '#': out += "#35;"; break;
      case '\n': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

std::string dot_text(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

GraphView graph_view(const model::Graph& graph, const std::string& primary_region, const std::string& dr_region) {
  return Builder(graph, primary_region, dr_region).build();
}

GraphView workload_summary(const GraphView& full) {
  std::map<std::string, std::string> to_summary;  // node id -> summary node id
  std::map<std::string, GraphNode> nodes;
  std::map<std::string, int> counts;
  for (const auto& n : full.nodes) {
    if (!n.managed) {
      to_summary[n.id] = n.id;
      nodes.emplace(n.id, n);
      continue;
    }
    const std::string workload = n.workload.empty() ? "stack" : n.workload;
    const std::string id = fmt::format("workload:{}@{}", workload, n.group);
    to_summary[n.id] = id;
    ++counts[id];
    nodes.emplace(id, GraphNode{id, workload, n.region, n.group, n.group_order, n.workload, true});
  }
  GraphView v;
  v.summarised = true;
  for (auto& [id, n] : nodes) {
    if (counts.count(id)) n.label = fmt::format("{} ({} resource{})", n.label, counts[id], counts[id] == 1 ? "" : "s");
    v.nodes.push_back(std::move(n));
  }
  std::sort(v.nodes.begin(), v.nodes.end(), [](const GraphNode& x, const GraphNode& y) {
    return std::tie(x.group_order, x.group, x.id) < std::tie(y.group_order, y.group, y.id);
  });
  std::map<std::pair<std::string, std::string>, GraphEdge> edges;
  for (const auto& e : full.edges) {
    const std::string from = to_summary[e.from], to = to_summary[e.to];
    if (from == to) continue;
    auto [it, inserted] = edges.try_emplace({from, to}, GraphEdge{from, to, e.kind, e.label});
    if (!inserted && it->second.kind == EdgeKind::depends_on && e.kind != EdgeKind::depends_on)
      it->second = GraphEdge{from, to, e.kind, e.label};
  }
  for (auto& [key, e] : edges) v.edges.push_back(std::move(e));
  return v;
}

std::string graph_mermaid(const GraphView& v) {
  const auto ids = mermaid_ids(v);
  std::string out = "flowchart LR\n";
  std::string group;
  int group_index = 0;
  std::vector<std::string> external;
  for (const auto& n : v.nodes) {
    if (n.group != group) {
      if (!group.empty()) out += "  end\n";
      group = n.group;
      out += fmt::format("  subgraph g{}[\"{}\"]\n", group_index++, mermaid_text(group));
    }
    const std::string& id = ids.at(n.id);
    const std::string label = mermaid_text(n.label);
    if (n.id.rfind("endpoint:", 0) == 0) out += fmt::format("    {}([\"{}\"])\n", id, label);
    else if (!n.managed) out += fmt::format("    {}[(\"{}\")]\n", id, label);
    else out += fmt::format("    {}[\"{}\"]\n", id, label);
    if (!n.managed) external.push_back(id);
  }
  if (!group.empty()) out += "  end\n";
  for (const auto& e : v.edges) {
    const std::string& from = ids.at(e.from);
    const std::string& to = ids.at(e.to);
    switch (e.kind) {
      case EdgeKind::depends_on: out += fmt::format("  {} -.-> {}\n", from, to); break;
      case EdgeKind::replication: out += fmt::format("  {} ==>|\"{}\"| {}\n", from, mermaid_text(e.label), to); break;
      case EdgeKind::dns_failover: out += fmt::format("  {} -->|\"{}\"| {}\n", from, mermaid_text(e.label), to); break;
    }
  }
  if (!external.empty()) {
    out += "  classDef external stroke-dasharray: 4 4\n";
    std::string list;
    for (const auto& id : external) list += (list.empty() ? "" : ",") + id;
    out += "  class " + list + " external\n";
  }
  return out;
}

std::string graph_dot(const GraphView& v) {
  std::string out = "digraph drctl {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n";
  std::string group;
  int group_index = 0;
  for (const auto& n : v.nodes) {
    if (n.group != group) {
      if (!group.empty()) out += "  }\n";
      group = n.group;
      out += fmt::format("  subgraph cluster_{} {{\n    label={};\n", group_index++, dot_text(group));
    }
    std::string attrs = "label=" + dot_text(n.label);
    if (n.id.rfind("endpoint:", 0) == 0) attrs += ", shape=ellipse, style=dashed";
    else if (!n.managed) attrs += ", shape=cylinder, style=dashed";
    out += fmt::format("    {} [{}];\n", dot_text(n.id), attrs);
  }
  if (!group.empty()) out += "  }\n";
  for (const auto& e : v.edges) {
    std::string attrs;
    switch (e.kind) {
      case EdgeKind::depends_on: attrs = "style=dashed, color=gray50"; break;
      case EdgeKind::replication: attrs = "label=" + dot_text(e.label) + ", style=bold, color=blue"; break;
      case EdgeKind::dns_failover: attrs = "label=" + dot_text(e.label) + ", color=darkgreen"; break;
    }
    out += fmt::format("  {} -> {} [{}];\n", dot_text(e.from), dot_text(e.to), attrs);
  }
  return out + "}\n";
}

}  // namespace report
