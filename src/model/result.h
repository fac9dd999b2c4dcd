// Result<T, E>: a value or an error, for operational failures (g++ 12 has no std::expected).
// User-facing problems are Diagnostics (diagnostic.h), not Results.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

namespace model {

template <typename E>
struct Err {
  E error;
};
template <typename E>
Err<std::decay_t<E>> err(E&& e) {
  return {std::forward<E>(e)};
}

template <typename T, typename E>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  template <typename F>
  Result(Err<F> e) : v_(std::in_place_index<1>, E(std::move(e.error))) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const E& error() const { assert(!ok()); return std::get<1>(v_); }
  E& error() { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

// Result<void, E>: success carries nothing.
struct Unit {
  bool operator==(const Unit&) const = default;
};
template <typename E>
using Status = Result<Unit, E>;
inline Unit ok() { return {}; }

}  // namespace model
