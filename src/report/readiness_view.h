// Renders a dr::Readiness: text for a terminal, JSON (schemas/readiness.schema.json) for
// machines, Markdown for pull requests and audit packs. Decides nothing: the verdicts and
// grades come from dr/readiness.h.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "dr/readiness.h"
#include "report/style.h"

namespace report {

std::string readiness_text(const dr::Readiness& r, const Style& style);
nlohmann::json readiness_json(const dr::Readiness& r);
std::string readiness_markdown(const dr::Readiness& r);

}  // namespace report
