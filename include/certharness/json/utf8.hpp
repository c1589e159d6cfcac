// The one UTF-8 validator: well-formed sequences as Unicode's table 3-7 defines them (no
// overlongs, no UTF-16 surrogates, nothing beyond U+10FFFF, nothing truncated).
#pragma once

#include <cstddef>
#include <string_view>

namespace certharness {

// Length (1..4) of the well-formed UTF-8 sequence starting at s[i], or 0 when there is none
// there (also when i is at or past the end).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept;

bool is_valid_utf8(std::string_view s) noexcept;

}  // namespace certharness
