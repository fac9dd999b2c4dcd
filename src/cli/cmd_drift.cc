#include <fmt/format.h>

#include "apply/planner.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/state_session.h"
#include "report/drift_view.h"
#include "report/text.h"

namespace cli {
namespace {

struct DriftOptions {
  std::string dir;
  std::string state;
  std::string backend;  // --backend s3://bucket/key?region=R (state/backend.h)
  std::string format = "text";
  int parallelism = 10;
};

int run_drift(const DriftOptions& o) {
  auto stack = load_stack(o.dir);
  if (!stack) return kError;
  auto store = open_state_readonly(o.dir, o.state, stack->topology, "drift", o.backend);
  if (!store) return kError;
  auto session = open_session(stack->topology.stack);
  auto report = apply::make_drift(*session.ctx, *store, stack->graph, o.parallelism);
  if (!report.ok()) return fail(report.error());
  const auto& r = report.value();
  // Every format prints the report even when it then exits 2 (drift) or 1 (unreadable), so CI
  // can keep the report as an artifact of the failing job.
  if (o.format == "text") {
    fmt::print("{}", report::drift_text(r, style_for(stdout)));
  } else {
    const auto view = report::make_drift_view(r, stack->topology.primary_region, stack->topology.dr_region);
    if (o.format == "json") fmt::print("{}\n", report::drift_json(view).dump(2));
    else if (o.format == "markdown") fmt::print("{}", report::drift_markdown(view));
    else fmt::print("{}", report::drift_html(view));
  }
  if (r.unreadable()) return kError;
  return r.drifted() ? kChanges : kOk;
}

}  // namespace

void add_drift(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<DriftOptions>();
  auto* cmd = app.add_subcommand("drift", "Report what changed in AWS outside drctl (exit 2 on drift)");
  cmd->add_option("DIR", o->dir, "Stack folder")->required();
  cmd->add_option("--state", o->state, "State file (default DIR/.drctl/state.db)");
  cmd->add_option("--backend", o->backend, "Shared state: s3://BUCKET/KEY?region=REGION (default: the stack's backend:, or DRCTL_BACKEND)");
  cmd->add_option("--format", o->format,
                  "Output format: text, json (schemas/drift.schema.json), markdown, html (self-contained)")
      ->check(CLI::IsMember({"text", "json", "markdown", "html"}));
  cmd->add_option("--parallelism", o->parallelism, "Concurrent AWS reads")->check(CLI::Range(1, 64));
  cmd->callback([&exit_code, o] { exit_code = run_drift(*o); });
}

}  // namespace cli
