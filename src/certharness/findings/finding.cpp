#include "certharness/findings/finding.hpp"

#include <algorithm>
#include <utility>

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

finding left_out(std::string check, severity level, std::size_t count, bool at_least) {
  return finding{
      std::move(check),
      level,
      "",
      "",
      (at_least ? "at least " : "") + std::to_string(count) + " more like the above, not listed",
      std::nullopt};
}

}  // namespace certharness
