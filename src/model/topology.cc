#include "model/topology.h"

namespace model {

std::optional<SourceRange> Topology::where(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    if (auto it = positions.find(p); it != positions.end()) return it->second;
    if (p.empty()) return std::nullopt;
    const auto slash = p.rfind('/');
    p = slash == std::string::npos ? std::string() : p.substr(0, slash);
  }
}

}  // namespace model
