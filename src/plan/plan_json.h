// The JSON form of a Plan: what `plan --format json` prints and what `plan --out` saves.
// Described by schemas/plan.schema.json; format_version guards against reading a plan made
// by an incompatible drctl.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "plan/plan.h"

namespace plan {

nlohmann::json to_json(const Plan& p);

// nullopt with `error` set when the document is not a plan this drctl can apply.
std::optional<Plan> from_json(const nlohmann::json& j, std::string& error);

}  // namespace plan
