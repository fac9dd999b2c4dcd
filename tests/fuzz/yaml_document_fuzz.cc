// libFuzzer target: the YAML document reader with positions (config::load_yaml_text) and the
// topology schema's validation of what it read (config::SchemaValidator).
// Invariants checked: a document is returned exactly when no error was reported; every
// recorded position is inside the text (1-based line within its line count); every pointer of
// the position maps resolves in the document's value; field_of never throws.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config/document.h"
#include "config/schema_validator.h"

namespace {

const config::SchemaValidator& validator() {
  static const config::SchemaValidator v = [] {
    model::Diagnostics diags;
    auto loaded = config::SchemaValidator::load(DRCTL_SOURCE_DIR "/schemas/topology.schema.json", diags);
    if (!loaded) std::abort();
    return *loaded;
  }();
  return v;
}

void check_positions(const config::Document& doc, const model::SourceMap& map, int lines) {
  for (const auto& [pointer, where] : map) {
    if (where.line < 1 || where.line > lines || where.column < 1) std::abort();
    if (!doc.value.contains(nlohmann::json::json_pointer(pointer))) std::abort();
    (void)config::field_of(doc.value, pointer);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  int lines = 1;
  for (char c : text) lines += c == '\n';

  model::Diagnostics diags;
  auto doc = config::load_yaml_text(text, "fuzz.dr.yaml", diags);
  bool has_error = false;
  for (const auto& d : diags) has_error |= d.severity == model::Severity::error;
  if (doc.has_value() == has_error) std::abort();
  if (!doc) return 0;
  check_positions(*doc, doc->keys, lines);
  check_positions(*doc, doc->values, lines);
  model::Diagnostics schema_diags;
  (void)validator().validate(*doc, schema_diags);
  return 0;
}
