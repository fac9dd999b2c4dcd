// Views of an RTO/RPO assessment (dr::Assessment): a text table with the reasoning, JSON
// (format_version 1: the data, for CI and tooling) and Markdown (for PR comments and wikis).
// Views decide nothing: verdicts, bounds and reasoning all come from dr::assess().
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "dr/assess.h"
#include "report/style.h"

namespace report {

nlohmann::json assess_json(const dr::Assessment& a);
std::string assess_text(const dr::Assessment& a, const Style& style);
std::string assess_markdown(const dr::Assessment& a);

}  // namespace report
