#include "model/resource.h"

#include <algorithm>

namespace model {

const Resource* Graph::find(const std::string& address) const {
  if (index_.size() == resources.size()) {
    auto it = index_.find(address);
    if (it == index_.end()) return nullptr;
    if (it->second < resources.size() && resources[it->second].address.str() == address)
      return &resources[it->second];
  }
  for (const auto& r : resources)
    if (r.address.str() == address) return &r;
  return nullptr;
}

void Graph::reindex() {
  index_.clear();
  index_.reserve(resources.size());
  for (size_t i = 0; i < resources.size(); ++i) index_.emplace(resources[i].address.str(), i);
  // Duplicate addresses would make the index smaller than the graph: then find() scans.
}

namespace {

// Calls f(start, end, ref) for each "@{addr#attr}" in s.
template <typename F>
void scan(const std::string& s, F&& f) {
  size_t pos = 0;
  while ((pos = s.find("@{", pos)) != std::string::npos) {
    const auto close = s.find('}', pos + 2);
    if (close == std::string::npos) return;
    const std::string body = s.substr(pos + 2, close - pos - 2);
    const auto hash = body.find('#');
    if (hash != std::string::npos && hash > 0 && hash + 1 < body.size())
      f(pos, close + 1, Reference{body.substr(0, hash), body.substr(hash + 1)});
    pos = close + 1;
  }
}

void collect(const nlohmann::json& v, std::vector<Reference>& out) {
  if (v.is_string()) {
    scan(v.get_ref<const std::string&>(), [&](size_t, size_t, Reference r) { out.push_back(std::move(r)); });
  } else if (v.is_structured()) {
    for (const auto& child : v) collect(child, out);
  }
}

}  // namespace

std::vector<Reference> find_references(const nlohmann::json& value) {
  std::vector<Reference> out;
  collect(value, out);
  return out;
}

std::vector<std::string> resolve_references(nlohmann::json& value, const ReferenceLookup& lookup) {
  std::vector<std::string> unresolved;
  if (value.is_structured()) {
    for (auto& child : value) {
      auto more = resolve_references(child, lookup);
      unresolved.insert(unresolved.end(), more.begin(), more.end());
    }
    return unresolved;
  }
  if (!value.is_string()) return unresolved;
  const std::string s = value.get<std::string>();
  std::vector<std::tuple<size_t, size_t, Reference>> refs;
  scan(s, [&](size_t a, size_t b, Reference r) { refs.emplace_back(a, b, std::move(r)); });
  if (refs.empty()) return unresolved;
  // A whole-string reference keeps the referenced value's JSON type.
  if (refs.size() == 1 && std::get<0>(refs[0]) == 0 && std::get<1>(refs[0]) == s.size()) {
    if (auto v = lookup(std::get<2>(refs[0]))) value = *v;
    else unresolved.push_back(std::get<2>(refs[0]).address);
    return unresolved;
  }
  std::string out;
  size_t last = 0;
  for (const auto& [a, b, ref] : refs) {
    out += s.substr(last, a - last);
    auto v = lookup(ref);
    if (!v) {
      unresolved.push_back(ref.address);
      out += s.substr(a, b - a);
    } else {
      out += v->is_string() ? v->get<std::string>() : v->dump();
    }
    last = b;
  }
  out += s.substr(last);
  value = out;
  return unresolved;
}

}  // namespace model
