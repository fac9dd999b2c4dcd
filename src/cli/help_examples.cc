#include "cli/help_examples.h"

#include <sstream>

namespace cli {

const std::map<std::string, std::string>& help_examples() {
  static const std::map<std::string, std::string> table = {
      {"", "drctl validate stacks/shop\n"
           "drctl plan stacks/shop --out shop.plan && drctl apply shop.plan\n"
           "drctl drift stacks/shop --format markdown"},
      {"validate", "drctl validate stacks/shop\n"
                   "drctl validate stacks/shop --format sarif > drctl.sarif"},
      {"plan", "drctl plan stacks/shop\n"
               "drctl plan stacks/shop --out shop.plan --detailed-exitcode\n"
               "drctl plan stacks/shop --format markdown > comment.md"},
      {"apply", "drctl apply shop.plan\n"
                "drctl apply stacks/shop --auto-approve --lock-timeout 5m\n"
                "drctl --log-format json apply shop.plan 2> events.jsonl"},
      {"drift", "drctl drift stacks/shop\n"
                "drctl drift stacks/shop --format html > drift.html"},
      {"state", "drctl state list stacks/shop\n"
                "drctl state show s3.bucket.assets stacks/shop"},
      {"state list", "drctl state list stacks/shop"},
      {"state show", "drctl state show s3.bucket.assets stacks/shop"},
      {"state history", "drctl state history stacks/shop --backend s3://team-drctl-state/shop.db?region=us-west-2"},
      {"state rollback", "drctl state rollback 3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY stacks/shop"},
      {"state migrate", "drctl state migrate stacks/shop --to s3://team-drctl-state/shop.db?region=us-west-2\n"
                        "  drctl state migrate stacks/shop --to local --backend s3://team-drctl-state/shop.db"},
      {"force-unlock", "drctl force-unlock 3f2c9a stacks/shop"},
      {"import", "drctl import s3.bucket.assets shop-assets stacks/shop"},
      {"orphans", "drctl orphans stacks/shop\n"
                  "drctl orphans stacks/shop --format json"},
      {"failover", "drctl failover stacks/shop --to us-west-2 --out failover.plan\n"
                   "drctl failover stacks/shop --to us-west-2 --unplanned --out failover.plan\n"
                   "drctl apply failover.plan"},
      {"failback", "drctl failback stacks/shop --out protect.plan\n"
                   "drctl failback stacks/shop --switch --out switch.plan"},
      {"drill", "drctl drill stacks/shop --auto-approve --report drill.md"},
      {"assess", "drctl assess stacks/shop\n"
                 "drctl assess stacks/shop --format markdown"},
      {"readiness", "drctl readiness stacks/shop\n"
                    "drctl readiness stacks/shop --format json"},
      {"report", "drctl report stacks/shop --format html --out dr-audit.html"},
      {"graph", "drctl graph stacks/shop\n"
                "drctl graph stacks/shop --format dot | dot -Tsvg > shop.svg"},
      {"completion", "source <(drctl completion bash)\n"
                     "drctl completion zsh > \"${fpath[1]}/_drctl\"\n"
                     "drctl completion man | man -l -"},
      {"iam-policy", "drctl iam-policy stacks/shop\n"
                     "drctl iam-policy stacks/shop --for failover"},
      {"automation", "drctl automation show stacks/shop"},
      {"automation show", "drctl automation show stacks/shop\n"
                          "  drctl automation show stacks/shop --format mermaid"},
      {"version", "drctl version"},
  };
  return table;
}

namespace {
std::string examples_footer(const std::string& examples) {
  std::ostringstream footer;
  footer << "\nExamples:\n";
  std::istringstream lines(examples);
  for (std::string line; std::getline(lines, line);) footer << "  " << line << "\n";
  return footer.str();
}
}  // namespace

std::string subcommand_path(const CLI::App& sub) {
  std::string path = sub.get_name();
  for (const CLI::App* p = sub.get_parent(); p && p->get_parent(); p = p->get_parent())
    path = p->get_name() + " " + path;
  return path;
}

std::vector<CLI::App*> all_subcommands(CLI::App& app) {
  std::vector<CLI::App*> out;
  // Option groups are unnamed subcommands in CLI11: not commands.
  for (CLI::App* sub : app.get_subcommands([](CLI::App* s) { return !s->get_name().empty(); })) {
    out.push_back(sub);
    for (CLI::App* child : all_subcommands(*sub)) out.push_back(child);
  }
  return out;
}

std::vector<std::string> apply_help_examples(CLI::App& app) {
  std::vector<std::string> missing;
  const auto& table = help_examples();
  if (auto root = table.find(""); root != table.end())
    app.footer(examples_footer(root->second) + "\nRun `drctl COMMAND --help` for a command's options and examples.\n");
  for (CLI::App* sub : all_subcommands(app)) {
    const auto path = subcommand_path(*sub);
    auto it = table.find(path);
    if (it == table.end()) {
      missing.push_back(path);
      continue;
    }
    sub->footer(examples_footer(it->second));
  }
  return missing;
}

}  // namespace cli
