// Test helper: writes a stack file to a fresh temporary folder and loads + expands it with
// the source tree's schemas and modules.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "config/config.h"

namespace dr::testing_util {

inline config::Paths source_paths() {
  const std::string root = DRCTL_SOURCE_DIR;
  return {root + "/schemas", root + "/modules", root + "/state"};
}

inline std::string dump(const model::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += model::format_diagnostic(d) + "\n";
  return out;
}

struct LoadedStack {
  model::Topology topology;
  model::Graph graph;
  std::string file;
};

inline LoadedStack load(const std::string& yaml) {
  static int n = 0;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("drctl-dr-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "stack.dr.yaml").string();
  std::ofstream(file) << yaml;
  model::Diagnostics diags;
  auto t = config::load_stack(dir.string(), source_paths(), diags);
  EXPECT_TRUE(t) << dump(diags);
  if (!t) return {};
  auto g = config::expand(*t, source_paths(), diags);
  EXPECT_TRUE(g) << dump(diags);
  EXPECT_FALSE(model::has_errors(diags)) << dump(diags);
  return {std::move(*t), g ? std::move(*g) : model::Graph{}, file};
}

}  // namespace dr::testing_util
