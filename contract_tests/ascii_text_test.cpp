// ASCII case folding, blanks, hex digits and random hex names.
#include "certharness/io/ascii_text.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace certharness {
namespace {

TEST(ascii_iequals, folds_ascii_letters_only) {
  const std::vector<std::tuple<std::string, std::string, bool>> cases{
      {"Content-Type", "content-type", true},
      {"BEARER", "bearer", true},
      {"", "", true},
      {"abc", "abcd", false},
      {"abcd", "abc", false},
      {"a-b", "a_b", false},
      // '@' and '`' sit beside 'A' and 'a'; '[' beside 'Z': none of them folds.
      {"@", "`", false},
      {"[", "{", false},
      // UTF-8 is compared byte for byte: no locale folds "\xC3\x89" (E acute) to "\xC3\xA9".
      {"\xC3\x89", "\xC3\xA9", false},
      {"\xC3\xA9", "\xC3\xA9", true},
  };
  for (const auto& [a, b, expected] : cases) {
    EXPECT_EQ(ascii_iequals(a, b), expected) << "\"" << a << "\" vs \"" << b << "\"";
  }
}

TEST(ascii_lowercase, lowers_only_a_to_z) {
  EXPECT_EQ(ascii_lowercase("API-Key_X9"), "api-key_x9");
  EXPECT_EQ(ascii_lowercase("\xC3\x89@[`{"), "\xC3\x89@[`{");
  EXPECT_EQ(ascii_lowercase(""), "");
}

TEST(trim_blanks, drops_spaces_and_tabs_at_both_ends_only) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"  a b \t", "a b"},
      {"\t\t", ""},
      {"", ""},
      {"x", "x"},
      // CR, LF and other whitespace are not HTTP's OWS: they stay.
      {"\r\nx\n", "\r\nx\n"},
      {" \vx\f ", "\vx\f"}};
  for (const auto& [in, expected] : cases) {
    EXPECT_EQ(trim_blanks(in), expected) << "\"" << in << "\"";
  }
}

TEST(hex_digit, round_trips_every_value_and_refuses_every_other_byte) {
  for (unsigned v = 0; v < 16; ++v) {
    EXPECT_EQ(hex_digit_value(static_cast<unsigned char>(hex_digit(v))), static_cast<int>(v));
    EXPECT_EQ(hex_digit_value(static_cast<unsigned char>(hex_digit(v, true))), static_cast<int>(v));
  }
  EXPECT_EQ(hex_digit(10), 'a');
  EXPECT_EQ(hex_digit(15, true), 'F');
  int digits = 0;
  for (unsigned c = 0; c < 256; ++c) digits += hex_digit_value(static_cast<unsigned char>(c)) >= 0;
  EXPECT_EQ(digits, 22);  // 0-9, a-f, A-F
  for (const unsigned char c : {'/', ':', '@', 'G', '`', 'g', '\0', '\xFF'}) {
    EXPECT_EQ(hex_digit_value(c), -1) << int{c};
  }
  // A code point (secret_redaction reads \uhhhh) is not a digit because its low byte is one.
  for (const unsigned c : {0x130u, 0x161u, 0x141u, 0xFF10u}) EXPECT_EQ(hex_digit_value(c), -1) << c;
}

TEST(hex_u64, writes_sixteen_digits_most_significant_first) {
  EXPECT_EQ(hex_u64(0), "0000000000000000");
  EXPECT_EQ(hex_u64(255), "00000000000000ff");
  EXPECT_EQ(hex_u64(0x0123456789abcdefULL), "0123456789abcdef");
  EXPECT_EQ(hex_u64(~0ULL), "ffffffffffffffff");
}

TEST(random_hex, is_sixteen_lowercase_digits_and_does_not_repeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 64; ++i) {
    const std::string h = random_hex();
    EXPECT_EQ(h.size(), 16u) << h;
    EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos) << h;
    seen.insert(h);
  }
  // 64 draws of 64 bits: a repeat means the generator is not random (p < 2^-52).
  EXPECT_EQ(seen.size(), 64u);
}

}  // namespace
}  // namespace certharness
