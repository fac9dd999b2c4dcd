// Views of the audit pack (dr::AuditPack): JSON (schemas/audit.schema.json), Markdown and a
// self-contained HTML page (inline CSS, no scripts, every value escaped) for reviewers.
// Decide nothing: compliance, verdicts and readiness come from dr/.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "dr/audit.h"

namespace report {

nlohmann::json audit_json(const dr::AuditPack& pack);
std::string audit_markdown(const dr::AuditPack& pack);
std::string audit_html(const dr::AuditPack& pack);

}  // namespace report
