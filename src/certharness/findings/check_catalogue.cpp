#include "certharness/findings/check_catalogue.hpp"

#include <algorithm>

namespace certharness {

namespace {

// Each row has exactly one constant in checks::all, in catalogue order, and no id repeats
// (a second row with the same id would make checks name the first one only).
consteval bool constants_match_rows() {
  if (std::size(checks::all) != std::size(k_check_catalogue)) return false;
  for (std::size_t i = 0; i < std::size(k_check_catalogue); ++i) {
    if (checks::all[i].id() != k_check_catalogue[i].id) return false;
    for (std::size_t j = 0; j < i; ++j) {
      if (k_check_catalogue[j].id == k_check_catalogue[i].id) return false;
    }
  }
  return true;
}
static_assert(constants_match_rows(), "checks::all must hold one constant per catalogue row");

}  // namespace

std::string_view to_string(severity s) noexcept {
  switch (s) {
    case severity::note:
      return "note";
    case severity::warning:
      return "warning";
    case severity::error:
      return "error";
  }
  return "error";
}

std::span<const check_info> check_catalogue() noexcept { return k_check_catalogue; }

std::optional<check_info> find_check(std::string_view id) noexcept {
  const auto it = std::find_if(std::begin(k_check_catalogue), std::end(k_check_catalogue),
                               [id](const check_info& c) { return c.id == id; });
  if (it == std::end(k_check_catalogue)) return std::nullopt;
  return *it;
}

}  // namespace certharness
