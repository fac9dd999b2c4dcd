// Text views of plans, drift and diagnostics, for people at a terminal or in CI logs.
#pragma once

#include <string>

#include "model/diagnostic.h"
#include "plan/drift.h"
#include "plan/plan.h"
#include "report/style.h"

namespace report {

std::string plan_text(const plan::Plan& p, const Style& style);
std::string drift_text(const plan::DriftReport& r, const Style& style);
std::string diagnostics_text(const model::Diagnostics& diags, const Style& style);

// A JSON value as one short line for attribute listings ("(known after apply)" for references).
std::string value_text(const nlohmann::json& v);

}  // namespace report
