// drctl report DIR [--format html|json|markdown] [--out FILE] [--no-readiness] [--state PATH]
//
// The audit pack (dr/audit.h): objectives and what the configuration achieves, readiness read
// live (skipped with --no-readiness, e.g. where there are no AWS credentials), observed RPO,
// the last drill from the state's run history, backup controls, and the configuration's git
// revision. Exit 0 when everything is compliant, 2 when something is not, 1 on errors.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/state_session.h"
#include "config/config.h"
#include "dr/audit.h"
#include "dr/objectives.h"
#include "report/audit_view.h"
#include "report/text.h"

namespace cli {
namespace {

struct ReportOptions {
  std::string dir;
  std::string format = "markdown";
  std::string out;
  std::string state;
  std::string backend;  // --backend s3://bucket/key?region=R (state/backend.h)
  bool no_readiness = false;
  int parallelism = 10;
};

// stdout of a command, or nullopt when it fails. Arguments are quoted for the shell.
std::optional<std::string> capture(const std::vector<std::string>& argv) {
  std::string cmd;
  for (const auto& a : argv) {
    std::string q = "'";
    for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    cmd += q + "' ";
  }
  cmd += "2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return std::nullopt;
  std::string out;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = ::pclose(p);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

dr::Revision revision_of(const std::string& dir, const std::string& config_hash) {
  dr::Revision r;
  r.config_hash = config_hash;
  if (auto head = capture({"git", "-C", dir, "rev-parse", "HEAD"})) {
    r.commit = *head;
    auto status = capture({"git", "-C", dir, "status", "--porcelain", "--", "."});
    r.dirty = !status || !status->empty();
  }
  return r;
}

int run_report(const ReportOptions& o) {
  auto stack = load_stack(o.dir);
  if (!stack) return kError;
  const auto objectives = dr::check_objectives(stack->topology, stack->graph, config::default_paths());
  model::Diagnostics diags;
  const auto timings = dr::load_timings(config::default_paths(), stack->topology, diags);

  // The run history is read only if a state exists (wherever it lives: cli/state_session.h):
  // a report never creates one.
  std::optional<dr::DrillRecord> drill;
  auto store = open_existing_state_readonly(o.dir, o.state, o.backend, stack->topology, "report");
  if (!store) return kError;
  if (*store) {
    auto runs = (*store)->runs(200);
    if (!runs.ok()) return fail("reading the run history: " + runs.error().message);
    drill = dr::last_drill(runs.value());
  }

  std::optional<dr::Readiness> readiness;
  if (!o.no_readiness) {
    auto session = open_session(stack->topology.stack);
    readiness = dr::check_readiness(*session.ctx, stack->topology, stack->graph, timings, {o.parallelism});
    if (!readiness->diagnostics.empty())
      std::fputs(report::diagnostics_text(readiness->diagnostics, style_for(stderr)).c_str(), stderr);
    if (model::has_errors(readiness->diagnostics)) return fail("readiness could not be read; the report would be incomplete",
                                                               "fix the AWS access, or report without it: --no-readiness");
  }
  const auto pack = dr::build_audit(stack->topology, objectives.assessment, readiness ? &*readiness : nullptr,
                                    std::move(drill), revision_of(o.dir, stack->topology.config_hash),
                                    state::now_iso8601());
  const std::string text = o.format == "json"   ? report::audit_json(pack).dump(2) + "\n"
                           : o.format == "html" ? report::audit_html(pack)
                                                : report::audit_markdown(pack);
  if (o.out.empty()) {
    fmt::print("{}", text);
  } else {
    std::ofstream f(o.out, std::ios::trunc);
    f << text;
    if (!f) return fail("cannot write the report to " + o.out);
    fmt::print("Audit pack for stack {} written to {} ({}).\n", pack.stack, o.out,
               pack.compliant() ? "compliant" : "not compliant");
  }
  return pack.compliant() ? kOk : kChanges;
}

}  // namespace

void add_report(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ReportOptions>();
  auto* cmd = app.add_subcommand("report", "The DR audit pack: objectives, readiness, drills, backup controls");
  cmd->add_option("DIR", o->dir, "Stack folder")->required();
  cmd->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"html", "json", "markdown"}));
  cmd->add_option("--out", o->out, "Write the report to this file instead of stdout");
  cmd->add_option("--state", o->state, "State file (default DIR/.drctl/state.db)");
  cmd->add_option("--backend", o->backend, "Shared state: s3://BUCKET/KEY?region=REGION (default: the stack's backend:, or DRCTL_BACKEND)");
  cmd->add_flag("--no-readiness", o->no_readiness, "Do not read AWS (readiness and observed RPO left out)");
  cmd->add_option("--parallelism", o->parallelism, "Concurrent AWS reads")->check(CLI::Range(1, 64));
  cmd->callback([&exit_code, o] { exit_code = run_report(*o); });
}

}  // namespace cli
