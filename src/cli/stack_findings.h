// What validate and plan report as findings (SARIF) for a stack folder: loading, schema and
// semantic checks, module expansion ("config"), then the RTO/RPO objective check
// ("objectives"). Nothing is printed here; the caller decides where text goes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/common.h"
#include "dr/objectives.h"
#include "report/sarif.h"

namespace cli {

struct StackFindings {
  std::optional<Stack> stack;                  // set when it loaded and expanded without errors
  std::optional<dr::ObjectiveReport> objectives;  // set when stack is
  std::vector<report::SarifFinding> findings;  // every diagnostic, in the order found
  model::Diagnostics diagnostics() const;      // the same, without categories
  bool has_errors() const { return model::has_errors(diagnostics()); }
};

StackFindings check_stack(const std::string& dir);

// The root SARIF URIs are relative to: the nearest folder at or above `dir` holding .git (what
// GitHub code scanning resolves paths against), else the current directory.
std::string sarif_base_dir(const std::string& dir);

// The SARIF input for a stack folder's findings: drctl's version, base dir as above, and the
// stack's first *.dr.yaml file for findings without a position.
report::SarifInput sarif_input(const std::string& dir, std::vector<report::SarifFinding> findings);

}  // namespace cli
