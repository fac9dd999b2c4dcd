// SARIF 2.1.0 view of drctl's findings (`validate --format sarif`, `plan --format sarif`), so
// GitHub code scanning (and any SARIF viewer) annotates the YAML lines of a pull request.
//
// One run, tool.driver "drctl" with its version and one rule per kind of finding. Rule ids are
// "<category>/<shape>": the category says which stage found it ("config": schema and semantic
// checks and module expansion, "objectives": the RTO/RPO objective check, "plan": the plan's
// checks); the shape is the diagnostic's field with workload names and list indices replaced
// by "*" ("config/workloads.*.rtc", "objectives/objectives.rpo"), else the resource type of its
// address ("plan/s3.replication"), else "general". Stable across runs and stacks.
//
// Locations: artifactLocation.uri is the file's path relative to `base_dir` (the CLI passes the
// git repository root, which code scanning expects), percent-encoded, with uriBaseId
// "%SRCROOT%"; a file outside base_dir becomes an absolute file:// URI. region carries
// startLine/startColumn (endLine = startLine; SourceRange has no end, so endColumn is left out
// and means "to the end of the line"). A finding without a position points at
// `fallback_file` (the stack's first file) with no region.
// Pure apart from resolving relative paths against the current directory; thread-safe.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/diagnostic.h"

namespace report {

struct SarifFinding {
  std::string category;  // "config" | "objectives" | "plan"
  model::Diagnostic diagnostic;
};

struct SarifInput {
  std::string tool_version;
  std::vector<SarifFinding> findings;  // in the order found
  std::string base_dir;                // uris are relative to it
  std::string fallback_file;           // for findings without a position ("" = no location)
};

inline constexpr const char* kSarifSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

nlohmann::json sarif_log(const SarifInput& in);

// The rule id of a finding (see above), exposed for tests.
std::string sarif_rule_id(const std::string& category, const model::Diagnostic& d);

// `file` as a URI relative to `base_dir` (both made absolute against the current directory).
std::string sarif_uri(const std::string& file, const std::string& base_dir);

}  // namespace report
