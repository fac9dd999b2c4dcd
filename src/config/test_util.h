// Helpers shared by the config tests.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "config/config.h"
#include "model/diagnostic.h"

namespace config::testing_util {

inline std::string data(const std::string& rel) { return std::string(DRCTL_SOURCE_DIR) + "/tests/data/config/" + rel; }

inline Paths source_paths() {
  const std::string root = DRCTL_SOURCE_DIR;
  return {root + "/schemas", root + "/modules", root + "/state"};
}

inline std::string dump(const model::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += model::format_diagnostic(d) + "\n";
  return out;
}

// The single error whose field is `field`; fails the test if there is not exactly one.
inline const model::Diagnostic* only_error(const model::Diagnostics& diags, const std::string& field) {
  const model::Diagnostic* found = nullptr;
  int n = 0;
  for (const auto& d : diags)
    if (d.field == field && d.severity == model::Severity::error) { found = &d; ++n; }
  EXPECT_EQ(n, 1) << "errors for field '" << field << "' in:\n" << dump(diags);
  return n == 1 ? found : nullptr;
}

// Asserts file (suffix), line and column of a diagnostic.
#define EXPECT_AT(diag, file_suffix, line_, col_)                                          \
  do {                                                                                     \
    ASSERT_NE((diag), nullptr);                                                            \
    ASSERT_TRUE((diag)->where.has_value()) << (diag)->summary;                             \
    const std::string f_ = (diag)->where->file;                                            \
    const std::string s_ = (file_suffix);                                                  \
    EXPECT_TRUE(f_.size() >= s_.size() && f_.compare(f_.size() - s_.size(), s_.size(), s_) == 0) \
        << f_ << " does not end with " << s_;                                              \
    EXPECT_EQ((diag)->where->line, (line_)) << (diag)->summary;                            \
    EXPECT_EQ((diag)->where->column, (col_)) << (diag)->summary;                           \
  } while (0)

}  // namespace config::testing_util
