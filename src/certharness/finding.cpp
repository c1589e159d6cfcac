#include "certharness/finding.hpp"

#include <algorithm>

namespace certharness {

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

bool has_error(const findings& fs) noexcept {
  return std::any_of(fs.begin(), fs.end(),
                     [](const finding& f) { return f.level == severity::error; });
}

}  // namespace certharness
