// Address: how a resource is named everywhere (state, plans, diagnostics): "<type>.<name>".
// A type is always "<service>.<kind>" (one dot), so "s3.bucket.assets-dr" splits as
// type "s3.bucket", name "assets-dr"; names may contain further dots.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace model {

struct Address {
  std::string type;  // "s3.bucket"
  std::string name;  // "assets-dr"

  std::string str() const { return type + "." + name; }
  static std::optional<Address> parse(std::string_view s);
  auto operator<=>(const Address&) const = default;
};

}  // namespace model
