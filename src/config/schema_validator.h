// SchemaValidator: a JSON Schema (draft-07, via valijson) whose failures become Diagnostics
// in plain English at the offending node's position. Immutable after load; validate() may be
// called from several threads.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "config/document.h"
#include "model/diagnostic.h"

namespace valijson {
class Schema;
}

namespace config {

class SchemaValidator {
 public:
  // Reads and compiles the schema at `path`; problems (unreadable, not a schema) go to diags.
  static std::optional<SchemaValidator> load(const std::string& path, model::Diagnostics& diags);
  static std::optional<SchemaValidator> from_json(nlohmann::json schema, const std::string& name,
                                                  model::Diagnostics& diags);

  // Appends one error per problem, all at once:
  //   unknown key       -> at the key:      "unknown key 'rtcc'"
  //   missing field     -> at the object:   "missing required field 'source'"
  //   wrong type/value  -> at the value:    "expected boolean, got string", "invalid duration '5 min'"
  // Returns the JSON pointers that failed, so later checks can skip them.
  std::set<std::string> validate(const Document& doc, model::Diagnostics& diags) const;

 private:
  nlohmann::json schema_json_;
  std::shared_ptr<const valijson::Schema> schema_;
};

}  // namespace config
