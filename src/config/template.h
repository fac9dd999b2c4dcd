// Module templates: JSON values whose strings may hold ${expr}, rendered against a context.
//
//   "${spec.source}"               whole-string expression: keeps the JSON type (bool, number,
//                                  object, list, null); an object member rendering to null is
//                                  dropped, so optional attributes simply disappear
//   "drctl-${stack}-${workload.name}"   embedded expressions splice text (null is an error)
//   "$${literal}"                  an escaped "${literal}"
//   "@{s3.bucket.x#arn}"           apply-time reference, passed through untouched
//   {$when: expr, ...}             an object (in a list or as a member) is kept only when expr
//                                  is truthy; the $when key itself is removed
//   [{$for: expr, ...}]            a list item repeated once per element of the list expr,
//                                  the element bound to `item` (null renders nothing)
//
// Expressions: names (stack, partition, regions.primary, regions.dr, regions.global,
// workload.name, workload.kind, spec.<field>, inputs.<name>, settings.<name>, local.<name>,
// backups.<field>, notify.<field>, objectives.<field>, protect, address, item), 'string'
// literals, integers, true/false/null and calls:
//   default(a, b) if(c, a, b) not(a) and(a, b...) or(a, b...) eq(a, b) contains(list, x)
//   has_kind(k) lower(s) upper(s) map() (empty) list(a, b...) get(map, key) get(list, i)
//   duration_days(d) duration_minutes(d) duration_seconds(d) duration_milliseconds(d)
//   string(x) concat(a, b...) sha256(s) truncate(s, n) fqdn(name) ip_version(s) length(x)
//   max(a, b...) min(a, b...) (nulls skipped) gt(a, b) lt(a, b)
// A call may be followed by field accessors: get(spec, item).target.
// A missing field under a known root is null; an unknown root name is an error.
// Falsy: null, false, 0, "", [] and {}. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/result.h"

namespace config {

struct TemplateContext {
  nlohmann::json values = nlohmann::json::object();  // root name -> value
  std::vector<std::string> kinds;                    // distinct workload kinds in the stack (has_kind)
};

struct TemplateError {
  std::string pointer;  // JSON pointer inside the rendered template where it failed
  std::string message;
};

bool truthy(const nlohmann::json& v);

model::Result<nlohmann::json, std::string> evaluate_expression(std::string_view expr,
                                                              const TemplateContext& ctx);
// Renders one string (whole-expression strings keep their type).
model::Result<nlohmann::json, std::string> render_string(const std::string& text,
                                                        const TemplateContext& ctx);
// Renders a whole value. A dropped root ($when false) renders as null.
model::Result<nlohmann::json, TemplateError> render(const nlohmann::json& tmpl,
                                                   const TemplateContext& ctx);

}  // namespace config
