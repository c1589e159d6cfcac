// Untrusted text on its way into a report: utf8_sanitized keeps JSON/XML reports valid whatever
// bytes came in, printable keeps terminal escapes and line breaks out of text reports, excerpt
// cuts on a UTF-8 boundary with the "..." mark the redaction relies on.
#include "certharness/json/text_escaping.hpp"

#include <gtest/gtest.h>

#include <string>

#include "certharness/json/json_document.hpp"

namespace certharness {
namespace {

const std::string k_fffd = "\xEF\xBF\xBD";

struct text_case {
  const char* name;
  std::string in;
  std::string out;
};

TEST(utf8_sanitized, keeps_valid_utf8_and_replaces_each_bad_byte) {
  const text_case cases[] = {
      {"empty", "", ""},
      {"ascii with controls", "a\tb\x01\x7f", "a\tb\x01\x7f"},
      {"two, three and four bytes", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
       "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"},
      {"largest code point U+10FFFF", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"},
      {"NUL is valid UTF-8", std::string("a\0b", 3), std::string("a\0b", 3)},
      {"stray continuation byte", "a\x80z", "a" + k_fffd + "z"},
      {"overlong slash", "\xc0\xaf", k_fffd + k_fffd},
      {"overlong three bytes", "\xe0\x80\xaf", k_fffd + k_fffd + k_fffd},
      {"surrogate U+D800", "\xed\xa0\x80", k_fffd + k_fffd + k_fffd},
      {"beyond U+10FFFF", "\xf4\x90\x80\x80", k_fffd + k_fffd + k_fffd + k_fffd},
      {"truncated at the end", "ok\xe2\x82", "ok" + k_fffd + k_fffd},
      {"lead byte then ascii",
       "\xc3"
       "A",
       k_fffd + "A"},
      {"0xFF never appears", "\xff\xfe", k_fffd + k_fffd},
  };
  for (const text_case& c : cases) EXPECT_EQ(utf8_sanitized(c.in), c.out) << c.name;
}

// What the function is for: any bytes, written as a JSON string, decode strictly.
TEST(utf8_sanitized, any_bytes_make_a_strict_json_string) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  for (const std::string& in : {all, std::string("\xed\xa0\x80\xed\xb0\x80"), all + "\xf0\x9f"}) {
    std::string json;
    append_json_string(json, utf8_sanitized(in));
    EXPECT_TRUE(decode_json(json).ok()) << json;
  }
}

TEST(printable, escapes_c0_del_c1_and_bytes_that_are_not_utf8) {
  const text_case cases[] = {
      {"plain", "GET /v1/x?a=b", "GET /v1/x?a=b"},
      {"newline and tab", "a\nb\tc\r", "a\\x0ab\\x09c\\x0d"},
      {"terminal escape", "\x1b[2J", "\\x1b[2J"},
      {"DEL", "\x7f", "\\x7f"},
      {"NUL", std::string("\0", 1), "\\x00"},
      {"C1 CSI U+009B", "\xc2\x9b", "\\xc2\\x9b"},
      {"first printable after C1 U+00A0", "\xc2\xa0", "\xc2\xa0"},
      {"unicode stays", "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac"},
      {"invalid byte", "a\xffz", "a\\xffz"},
      {"surrogate", "\xed\xa0\x80", "\\xed\\xa0\\x80"},
      {"backslash is not escaped", "a\\x41", "a\\x41"},
  };
  for (const text_case& c : cases) EXPECT_EQ(printable(c.in), c.out) << c.name;
}

TEST(printable, output_is_one_line_of_visible_text) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  const std::string out = printable(all);
  for (const char c : out) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(u >= 0x20 && u != 0x7f) << "byte " << static_cast<int>(u) << " in " << out;
  }
  EXPECT_EQ(utf8_sanitized(out), out);
}

TEST(excerpt, cuts_after_max_bytes_on_a_utf8_boundary_and_marks_the_cut) {
  const struct {
    const char* name;
    std::string in;
    std::size_t max;
    std::string out;
  } cases[] = {
      {"short enough", "abc", 3, "abc"},
      {"empty", "", 0, ""},
      {"cut", "abcdef", 3, "abc..."},
      {"cut to nothing", "abc", 0, "..."},
      // "é" is 2 bytes: a cut in its middle goes back to before it, never half a character.
      {"inside a 2-byte character", "a\xc3\xa9z", 2, "a..."},
      {"after a 2-byte character", "a\xc3\xa9z", 3, "a\xc3\xa9..."},
      {"inside a 4-byte character", "\xf0\x9f\x98\x80!", 3, "..."},
  };
  for (const auto& c : cases) EXPECT_EQ(excerpt(c.in, c.max), c.out) << c.name;
}

TEST(counted, says_singular_for_one_only) {
  EXPECT_EQ(counted(0, "error"), "0 errors");
  EXPECT_EQ(counted(1, "error"), "1 error");
  EXPECT_EQ(counted(2, "subject"), "2 subjects");
}

TEST(severity_colour, gives_each_severity_its_own_sgr_sequence) {
  const std::string_view error = severity_colour(severity::error);
  const std::string_view warning = severity_colour(severity::warning);
  const std::string_view note = severity_colour(severity::note);
  for (const std::string_view c : {error, warning, note}) {
    EXPECT_TRUE(c.starts_with("\x1b[") && c.ends_with("m")) << printable(c);
  }
  EXPECT_EQ(error, "\x1b[1;31m");  // bold red (SGR 1;31), so an error stands out
  EXPECT_NE(error, warning);
  EXPECT_NE(warning, note);
  EXPECT_NE(error, note);
}

}  // namespace
}  // namespace certharness
