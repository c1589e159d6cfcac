// Headers as plain data.
#include "certharness/http/http_message.hpp"

#include <gtest/gtest.h>

namespace certharness {
namespace {

TEST(is_http_token, takes_tchars_only) {
  for (const char* token : {"GET", "X-Api-Key", "!#$%&'*+-.^_`|~", "a1"}) {
    EXPECT_TRUE(is_http_token(token)) << token;
  }
  for (const std::string& text :
       {std::string(""), std::string("a b"), std::string("a:b"), std::string("a\r\nX: y"),
        std::string("a\0", 2), std::string("\xC3\xA9"), std::string("(a)"), std::string("a/b")}) {
    EXPECT_FALSE(is_http_token(text)) << text;
  }
}

TEST(find_header, is_case_insensitive_and_first_wins) {
  const header_list h{{"Content-Type", "a"}, {"content-type", "b"}, {"X", ""}};
  EXPECT_EQ(find_header(h, "CONTENT-TYPE"), std::optional<std::string_view>("a"));
  EXPECT_EQ(find_header(h, "x"), std::optional<std::string_view>(""));
  EXPECT_FALSE(find_header(h, "Content").has_value());
  EXPECT_FALSE(find_header(h, "Content-Typ\xC5").has_value());
  EXPECT_FALSE(find_header({}, "X").has_value());
}

}  // namespace
}  // namespace certharness
