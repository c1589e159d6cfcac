#include "certharness/findings/finding.hpp"

#include <algorithm>
#include <utility>

namespace certharness {

finding::finding(check_id check, std::string pointer, std::string keyword, std::string message,
                 std::optional<text_position> position)
    : check(check.id()),
      level(check.level()),
      pointer(std::move(pointer)),
      keyword(std::move(keyword)),
      message(std::move(message)),
      position(std::move(position)) {}

bool has_error(const findings& fs) noexcept {
  return std::any_of(fs.begin(), fs.end(),
                     [](const finding& f) { return f.level == severity::error; });
}

finding left_out(check_id check, std::size_t count, bool at_least) {
  return finding{
      check, "", "",
      (at_least ? "at least " : "") + std::to_string(count) + " more like the above, not listed",
      std::nullopt};
}

}  // namespace certharness
