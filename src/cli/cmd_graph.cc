// drctl graph DIR [--format mermaid|dot] [--summary]: the stack's topology picture, offline:
// resources grouped by region, replication and DNS failover edges (report/graph_view.h).
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "report/graph_view.h"

namespace cli {

void add_graph(CLI::App& app, int& exit_code) {
  struct Options {
    std::string dir;
    std::string format = "mermaid";
    bool summary = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("graph", "Draw the stack's topology (Mermaid or Graphviz dot)");
  cmd->add_option("DIR", o->dir, "Stack folder holding *.dr.yaml files")->required();
  cmd->add_option("--format", o->format, "mermaid (default; GitHub renders it) or dot (Graphviz)")
      ->check(CLI::IsMember({"mermaid", "dot"}));
  cmd->add_flag("--summary", o->summary, "One node per workload and region instead of per resource");
  cmd->footer("Examples:\n  drctl graph stacks/shop > shop.mmd\n  drctl graph stacks/shop --format dot | dot -Tsvg > shop.svg");
  cmd->callback([&exit_code, o] {
    auto stack = load_stack(o->dir);
    if (!stack) {
      exit_code = kError;
      return;
    }
    auto view = report::graph_view(stack->graph, stack->topology.primary_region, stack->topology.dr_region);
    if (o->summary) view = report::workload_summary(view);
    fmt::print("{}", o->format == "dot" ? report::graph_dot(view) : report::graph_mermaid(view));
    exit_code = kOk;
  });
}

}  // namespace cli
