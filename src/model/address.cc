#include "model/address.h"

namespace model {

std::optional<Address> Address::parse(std::string_view s) {
  const auto first = s.find('.');
  if (first == std::string_view::npos || first == 0) return std::nullopt;
  const auto second = s.find('.', first + 1);
  if (second == std::string_view::npos || second == first + 1 || second + 1 >= s.size())
    return std::nullopt;
  return Address{std::string(s.substr(0, second)), std::string(s.substr(second + 1))};
}

}  // namespace model
