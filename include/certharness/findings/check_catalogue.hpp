// Every check id a conformance run can report, with its severity and meaning: the README's
// check table and the reports' per-check table come from here.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "certharness/findings/finding.hpp"

namespace certharness {

struct check_info {
  std::string_view id;        // e.g. "list.cursor_stall"
  severity level;             // the severity its findings carry
  std::string_view meaning;   // one line
};

const std::vector<check_info>& check_catalogue();
std::optional<check_info> find_check(std::string_view id);

}  // namespace certharness
