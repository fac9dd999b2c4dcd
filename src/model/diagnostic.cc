#include "model/diagnostic.h"

namespace model {

std::string format_diagnostic(const Diagnostic& d) {
  std::string out;
  if (d.where) {
    out += d.where->file;
    if (d.where->line > 0) {
      out += ":" + std::to_string(d.where->line);
      if (d.where->column > 0) out += ":" + std::to_string(d.where->column);
    }
    out += ": ";
  }
  out += d.severity == Severity::error ? "error: " : "warning: ";
  if (!d.field.empty()) out += d.field + ": ";
  out += d.summary;
  if (!d.address.empty()) out += " [" + d.address + "]";
  if (!d.detail.empty()) out += "\n  " + d.detail;
  return out;
}

}  // namespace model
