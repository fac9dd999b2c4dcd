// Resource: one desired AWS object produced by expanding a Topology through a strategy module.
// Graph: every desired resource of a stack, with dependency edges.
//
// Attribute values may hold references to another resource's attributes that are only known
// once it exists, written "@{<address>#<attribute>}" (e.g. "@{backup.vault.dr#arn}"). Such a
// reference is also a dependency edge. plan/ resolves them from state; apply/ from results.
#pragma once

#include <functional>
#include <map>
#include <unordered_map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/address.h"
#include "model/diagnostic.h"

namespace model {

struct Resource {
  Address address;
  std::string region;              // where the object lives ("us-east-1" for global IAM)
  nlohmann::json attrs;            // desired attributes, an object
  std::vector<std::string> depends_on;  // addresses, references included
  std::string workload;            // originating workload; "" for stack-level resources
  std::optional<SourceRange> where;  // the config node it came from
};

struct Graph {
  std::string stack;
  std::vector<Resource> resources;  // in a stable order (sorted by address)

  // By address. Constant time once reindex() has run over the current resources (expansion
  // does it; analyses look resources up per workload, which is quadratic with a scan); a
  // linear scan otherwise, so a graph changed after indexing still answers correctly.
  const Resource* find(const std::string& address) const;
  void reindex();

 private:
  std::unordered_map<std::string, size_t> index_;
};

struct Reference {
  std::string address;
  std::string attribute;
};

// Every "@{addr#attr}" inside a value, in order of appearance.
std::vector<Reference> find_references(const nlohmann::json& value);

// Replaces references for which lookup() yields a value. A string that is exactly one
// reference takes the looked-up JSON value; references embedded in longer strings are
// spliced in as text. Returns the addresses of references left unresolved.
using ReferenceLookup = std::function<std::optional<nlohmann::json>(const Reference&)>;
std::vector<std::string> resolve_references(nlohmann::json& value, const ReferenceLookup& lookup);

}  // namespace model
