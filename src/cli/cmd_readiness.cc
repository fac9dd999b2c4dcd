// drctl readiness DIR [--format text|json|markdown] [--state PATH] [--parallelism N]: can this
// stack fail over right now, read from live AWS, per workload with evidence.
// Exit 0 ready, 2 not ready (a critical finding failed), 1 when a read failed outright.
#include <filesystem>

#include <fmt/format.h>

#include "apply/planner.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/state_session.h"
#include "dr/readiness.h"
#include "dr/timing_model.h"
#include "report/readiness_view.h"
#include "report/text.h"

namespace cli {

void add_readiness(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("readiness", "Check against live AWS that every workload can fail over now, with evidence");
  struct Options {
    std::string dir;
    std::string format = "text";
    std::string state;
    std::string backend;
    int parallelism = 10;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("DIR", o->dir, "Stack folder holding *.dr.yaml files")->required();
  cmd->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"text", "json", "markdown"}));
  cmd->add_option("--state", o->state, "State file whose ids help find objects (default DIR/.drctl/state.db, when it exists)");
  cmd->add_option("--backend", o->backend, "Shared state: s3://BUCKET/KEY?region=REGION (default: the stack's backend:, or DRCTL_BACKEND)");
  cmd->add_option("--parallelism", o->parallelism, "Concurrent AWS reads")->check(CLI::Range(1, 64));
  cmd->callback([&exit_code, o] {
    auto stack = load_stack(o->dir);
    if (!stack) {
      exit_code = kError;
      return;
    }
    model::Diagnostics diags;
    const auto timings = dr::load_timings(config::default_paths(), stack->topology, diags);
    if (model::has_errors(diags)) {
      std::fputs(report::diagnostics_text(diags, style_for(stderr)).c_str(), stderr);
      exit_code = kError;
      return;
    }
    dr::ReadinessOptions options;
    options.parallelism = o->parallelism;
    // State only helps find objects by the ids it remembers (wherever it lives:
    // cli/state_session.h); readiness never creates one.
    if (!o->state.empty() && o->backend.empty() && !std::filesystem::exists(o->state)) {
      exit_code = fail("state file " + o->state + " does not exist");
      return;
    }
    auto store = open_existing_state_readonly(o->dir, o->state, o->backend, stack->topology, "readiness");
    if (!store) {
      exit_code = kError;
      return;
    }
    if (*store) {
      auto prior = apply::load_prior(**store);
      if (!prior) {
        exit_code = fail(prior.error());
        return;
      }
      options.prior = std::move(*prior);
    }
    auto session = open_session(stack->topology.stack);
    const auto result = dr::check_readiness(*session.ctx, stack->topology, stack->graph, timings, options);
    if (o->format == "json")
      fmt::print("{}\n", report::readiness_json(result).dump(2));
    else if (o->format == "markdown")
      fmt::print("{}", report::readiness_markdown(result));
    else
      fmt::print("{}", report::readiness_text(result, style_for(stdout)));
    if (!result.diagnostics.empty()) {
      std::fputs(report::diagnostics_text(result.diagnostics, style_for(stderr)).c_str(), stderr);
      exit_code = kError;
      return;
    }
    exit_code = result.ready() ? kOk : kChanges;
  });
}

}  // namespace cli
