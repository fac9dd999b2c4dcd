// Diagnostic: a user-facing problem with where it was found. Collected, never thrown.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace model {

enum class Severity { error, warning };

struct SourceRange {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
  bool operator==(const SourceRange&) const = default;
};

struct Diagnostic {
  Severity severity = Severity::error;
  std::string summary;  // one line
  std::string detail;   // may span lines
  std::optional<SourceRange> where;
  std::string address;  // resource address, when the problem belongs to one
  std::string field;    // dotted path of the field in the document, when known
};
using Diagnostics = std::vector<Diagnostic>;

inline bool has_errors(const Diagnostics& d) {
  for (const auto& x : d)
    if (x.severity == Severity::error) return true;
  return false;
}

// "file:line:col: error: summary" — the compiler-style line editors and CI understand.
std::string format_diagnostic(const Diagnostic& d);

}  // namespace model
