// Headers as plain data.
#include "certharness/http/http_message.hpp"

#include <gtest/gtest.h>

namespace certharness {
namespace {

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
