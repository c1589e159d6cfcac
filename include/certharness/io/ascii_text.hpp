// ASCII text as protocols spell it: case folding, blanks, hex digits and random hex names,
// independent of the locale. One copy for the HTTP, URL, HAR, fake API and file code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace certharness {

// 'A'-'Z' to 'a'-'z'; every other byte (UTF-8 included) unchanged.
constexpr char ascii_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Equal bytes after ascii_lower: header names, media types, URL schemes, "Bearer", "base64".
bool ascii_iequals(std::string_view a, std::string_view b) noexcept;

std::string ascii_lowercase(std::string_view text);

// `text` without leading and trailing spaces and tabs (HTTP's OWS, RFC 9110 section 5.6.3).
std::string_view trim_blanks(std::string_view text) noexcept;

// 0-15 for '0'-'9', 'a'-'f' and 'A'-'F'; -1 for any other byte or code point.
constexpr int hex_digit_value(unsigned c) noexcept {
  return c >= '0' && c <= '9'   ? static_cast<int>(c - '0')
         : c >= 'a' && c <= 'f' ? static_cast<int>(c - 'a' + 10)
         : c >= 'A' && c <= 'F' ? static_cast<int>(c - 'A' + 10)
                                : -1;
}

// The digit for `value` & 15: '0'-'9', then 'a'-'f' (or 'A'-'F' when `upper`).
constexpr char hex_digit(unsigned value, bool upper = false) noexcept {
  const unsigned v = value & 15u;
  return static_cast<char>(v < 10 ? '0' + v : (upper ? 'A' : 'a') + v - 10);
}

// 64 bits from std::random_device (the OS's entropy), for names that must not collide across
// processes: temporary files, the write checks' certificate name.
std::uint64_t random_u64();

// `value` as 16 lowercase hex digits, most significant first: "00000000000000ff".
std::string hex_u64(std::uint64_t value);

// hex_u64(random_u64()).
std::string random_hex();

}  // namespace certharness
