#include "certharness/io/ascii_text.hpp"

#include <algorithm>
#include <random>

namespace certharness {

bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

std::string ascii_lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string_view trim_blanks(std::string_view text) noexcept {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

std::uint64_t random_u64() {
  std::random_device device;
  // random_device yields 32 bits a call.
  return std::uint64_t{device()} << 32 | device();
}

std::string hex_u64(std::uint64_t value) {
  std::string out(16, '0');
  for (auto it = out.rbegin(); it != out.rend(); ++it, value >>= 4)
    *it = hex_digit(static_cast<unsigned>(value & 15));
  return out;
}

std::string random_hex() { return hex_u64(random_u64()); }

}  // namespace certharness
