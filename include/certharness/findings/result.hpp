// The one shape of an operational failure (a file that cannot be read, an archive that is not
// a HAR, a request head to refuse): a value, or why there is none. Problems with what was
// judged are findings (finding.hpp), not failures.
//
// A small std::expected (C++23; the compilers this builds with have none in C++20):
//   result<bounded_bytes> read(...) { ...; if (bad) return failure("why"); return bytes; }
//   if (!r) report(r.error()); else use(*r);
// E is std::string (one line a person can act on) unless a failure carries more, as a refused
// request head carries the status to answer.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace certharness {

// Why there is no value: `return failure("cannot open x: No such file or directory");`.
template <class E>
struct failure {
  explicit failure(E e) : error(std::move(e)) {}
  E error;
};
failure(const char*)->failure<std::string>;

template <class T>
inline constexpr bool is_failure_v = false;
template <class E>
inline constexpr bool is_failure_v<failure<E>> = true;

template <class T, class E = std::string>
class [[nodiscard]] result {
 public:
  // A value; implicit so `return value;` reads as it does without failures.
  template <class U = T>
  requires(std::is_constructible_v<T, U&&> && !is_failure_v<std::remove_cvref_t<U>> &&
           !std::is_same_v<std::remove_cvref_t<U>, result>) result(U&& value)
      : v_(std::in_place_index<0>, std::forward<U>(value)) {}

  template <class G>
  requires std::is_constructible_v<E, G&&> result(failure<G> f)
      : v_(std::in_place_index<1>, std::move(f.error)) {}

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  // Precondition has_value(); otherwise they throw std::bad_variant_access.
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Precondition !has_value(); otherwise it throws std::bad_variant_access.
  const E& error() const& { return std::get<1>(v_); }
  E&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, E> v_;
};

// Success carries nothing: `return {};` or `return failure("why");`.
template <class E>
class [[nodiscard]] result<void, E> {
 public:
  result() = default;
  template <class G>
  requires std::is_constructible_v<E, G&&> result(failure<G> f) : error_(std::move(f.error)) {}

  bool has_value() const noexcept { return !error_; }
  explicit operator bool() const noexcept { return has_value(); }

  // Precondition !has_value(); otherwise it throws std::bad_optional_access.
  const E& error() const& { return error_.value(); }
  E&& error() && { return std::move(error_).value(); }

 private:
  std::optional<E> error_;
};

}  // namespace certharness
