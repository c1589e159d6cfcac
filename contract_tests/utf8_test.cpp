// The one UTF-8 validator (utf8.hpp) against what Unicode's table 3-7 allows: exhaustively for
// sequences of up to 3 bytes, every code point for 4 bytes, and the edges of each rule.
#include "certharness/json/utf8.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>

namespace certharness {
namespace {

std::string encode(std::uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | cp >> 6);
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | cp >> 12);
    s += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | cp >> 18);
    s += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    s += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

// Every byte string of 1, 2 and 3 bytes: the ones accepted whole are exactly the code points
// of that length (128, 0x800 - 0x80, 0x10000 - 0x800 less the 2048 surrogates).
TEST(utf8_sequence_length, accepts_exactly_the_code_points_of_up_to_3_bytes) {
  std::array<std::size_t, 4> whole{};
  std::string s(3, '\0');
  for (std::uint32_t v = 0; v < (1u << 24); ++v) {
    s[0] = static_cast<char>(v >> 16);
    s[1] = static_cast<char>(v >> 8);
    s[2] = static_cast<char>(v);
    const std::size_t n = utf8_sequence_length(s, 0);
    ASSERT_LE(n, 3u) << v;
    // Count each prefix once: the sequence of length n, with the bytes after it fixed at 0.
    if (n == 3 || (n == 2 && s[2] == 0) || (n == 1 && s[1] == 0 && s[2] == 0)) ++whole[n];
  }
  EXPECT_EQ(whole[1], 128u);
  EXPECT_EQ(whole[2], 0x800u - 0x80u);
  EXPECT_EQ(whole[3], 0x10000u - 0x800u - 0x800u);
}

TEST(utf8_sequence_length, accepts_every_code_point_and_no_surrogate) {
  for (std::uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    const std::string s = encode(cp);
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    ASSERT_EQ(utf8_sequence_length(s, 0), surrogate ? 0u : s.size()) << std::hex << cp;
    ASSERT_EQ(is_valid_utf8(s), !surrogate) << std::hex << cp;
  }
}

TEST(utf8_sequence_length, rejects_each_rule_at_its_edge) {
  struct case_t {
    const char* name;
    std::string bytes;
    std::size_t length;
  };
  const case_t cases[] = {
      {"C0 overlong", "\xC0\x80", 0},
      {"C1 overlong", "\xC1\xBF", 0},
      {"C2 smallest", "\xC2\x80", 2},
      {"E0 overlong", "\xE0\x9F\xBF", 0},
      {"E0 smallest", "\xE0\xA0\x80", 3},
      {"ED last before surrogates", "\xED\x9F\xBF", 3},
      {"ED surrogate", "\xED\xA0\x80", 0},
      {"F0 overlong", "\xF0\x8F\xBF\xBF", 0},
      {"F0 smallest", "\xF0\x90\x80\x80", 4},
      {"F4 largest", "\xF4\x8F\xBF\xBF", 4},
      {"F4 beyond U+10FFFF", "\xF4\x90\x80\x80", 0},
      {"F5", "\xF5\x80\x80\x80", 0},
      {"FF", "\xFF", 0},
      {"continuation", "\x80", 0},
      {"truncated 2", "\xC3", 0},
      {"truncated 3", "\xE2\x82", 0},
      {"truncated 4", "\xF0\x9F\x94", 0},
      {"bad second", "\xC3\x41", 0},
      {"bad third", "\xE2\x82\x41", 0},
      {"bad fourth", "\xF0\x9F\x94\xC0", 0},
  };
  for (const case_t& c : cases) {
    EXPECT_EQ(utf8_sequence_length(c.bytes, 0), c.length) << c.name;
    EXPECT_EQ(is_valid_utf8(c.bytes), c.length == c.bytes.size()) << c.name;
    if (c.length == 0) EXPECT_FALSE(is_valid_utf8("ok " + c.bytes + " ok")) << c.name;
  }
  EXPECT_EQ(utf8_sequence_length("ab", 2), 0u);  // at the end
  EXPECT_EQ(utf8_sequence_length("a\xC3\xA9", 1), 2u);
  EXPECT_TRUE(is_valid_utf8(""));
}

}  // namespace
}  // namespace certharness
