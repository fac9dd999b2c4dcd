// libFuzzer target: the whole stack loader on a fuzzed stack file. The input is written to
// stack.dr.yaml in a private temporary folder and read by config::load_stack (YAML with
// positions, schema validation, semantic checks, the strategy module and its inputs); a stack
// that loads is also expanded through its module (config::expand).
// Invariants checked: load_stack returns a topology exactly when it reports no error; every
// error diagnostic names a position inside the file when it has one.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/config.h"

namespace {

const std::string& stack_file() {
  static const std::string path = [] {
    std::string dir = (std::filesystem::temp_directory_path() / "drctl-fuzz-XXXXXX").string();
    if (!mkdtemp(dir.data())) std::abort();
    return dir + "/stack.dr.yaml";
  }();
  return path;
}

const config::Paths& source_paths() {
  static const config::Paths paths{DRCTL_SOURCE_DIR "/schemas", DRCTL_SOURCE_DIR "/modules",
                                   DRCTL_SOURCE_DIR "/state"};
  return paths;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream out(stack_file(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  int lines = 1;
  for (size_t i = 0; i < size; ++i) lines += data[i] == '\n';

  model::Diagnostics diags;
  auto topology = config::load_stack(stack_file(), source_paths(), diags);
  bool has_error = false;
  for (const auto& d : diags) {
    if (d.severity != model::Severity::error) continue;
    has_error = true;
    if (d.where && d.where->file == stack_file() && (d.where->line < 1 || d.where->line > lines))
      std::abort();
  }
  if (topology.has_value() == has_error) std::abort();
  if (topology) {
    model::Diagnostics expand_diags;
    (void)config::expand(*topology, source_paths(), expand_diags);
  }
  return 0;
}
