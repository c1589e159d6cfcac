// without_trailing_commas: which commas go (only those before ']' or '}' after a value, never
// inside strings), where each was (as decode_json counts), and that the rest stays as it was.
#include "certharness/json/trailing_commas.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "certharness/json/json_document.hpp"

namespace certharness {
namespace {

struct comma_case {
  std::string name;
  std::string text;
  std::optional<std::string> recovered;  // nullopt: nothing to drop
  std::vector<std::size_t> offsets;      // of the dropped commas
};

const std::vector<comma_case> k_cases = {
    {"array", "[1,]", "[1]", {2}},
    {"object", R"({"a": 1,})", R"({"a": 1})", {7}},
    {"blanks_between", "[1,\n\t \r]", "[1\n\t \r]", {2}},
    {"nested_and_crlf", "[[1,],\r\n]", "[[1]\r\n]", {3, 5}},
    {"after_literals_and_containers",
     R"([true,null ,{} ,[] ,"s",])",
     R"([true,null ,{} ,[] ,"s"])",
     {23}},
    {"two_closers", "{\"a\": [1,],}", "{\"a\": [1]}", {8, 10}},
    {"inside_a_string", R"(["a,]", "b,}",])", R"(["a,]", "b,}"])", {13}},
    {"after_an_escaped_quote", R"(["a\",]",])", R"(["a\",]"])", {8}},
    {"after_an_escaped_backslash", R"(["a\\",])", R"(["a\\"])", {6}},
    {"utf8_columns_count_bytes", "[\"\xC3\xA9\",]", "[\"\xC3\xA9\"]", {5}},
    {"no_trailing_comma", "[1, 2]", std::nullopt, {}},
    {"double_comma", "[1,,]", std::nullopt, {}},
    {"comma_first_in_array", "[,]", std::nullopt, {}},
    {"comma_first_in_object", "{,}", std::nullopt, {}},
    {"comma_after_colon", R"({"a":,})", std::nullopt, {}},
    {"no_closer", "[1,", std::nullopt, {}},
    {"unterminated_string", R"(["a,])", std::nullopt, {}},
    {"empty", "", std::nullopt, {}},
};

class trailing_commas : public ::testing::TestWithParam<comma_case> {};

TEST_P(trailing_commas, drops_exactly_the_trailing_ones_and_says_where) {
  const comma_case& c = GetParam();
  const std::optional<trailing_commas_dropped> got = without_trailing_commas(c.text);
  ASSERT_EQ(got.has_value(), c.recovered.has_value()) << c.name;
  if (!got) return;
  EXPECT_EQ(got->text, *c.recovered) << c.name;
  std::vector<std::size_t> offsets;
  for (const text_position& p : got->dropped) {
    offsets.push_back(p.offset);
    const text_position expected = position_of(c.text, p.offset);
    EXPECT_EQ(p.line, expected.line) << c.name << " at " << p.offset;
    EXPECT_EQ(p.column, expected.column) << c.name << " at " << p.offset;
    EXPECT_EQ(c.text[p.offset], ',') << c.name;
  }
  EXPECT_EQ(offsets, c.offsets) << c.name;
}

INSTANTIATE_TEST_SUITE_P(cases, trailing_commas, ::testing::ValuesIn(k_cases),
                         [](const auto& info) { return info.param.name; });

TEST(trailing_commas_bulk, a_million_arrays_recover_into_json) {
  std::string text = "[";
  for (int i = 0; i < 1'000'000; ++i) text += i ? ",\n[1,]" : "[1,]";
  text += ",]";
  const std::optional<trailing_commas_dropped> got = without_trailing_commas(text);
  ASSERT_TRUE(got);
  ASSERT_EQ(got->dropped.size(), 1'000'001U);
  EXPECT_EQ(got->dropped.back().line, 1'000'000U);
  EXPECT_EQ(got->dropped.back().column, 5U);
  EXPECT_TRUE(decode_json(got->text).ok());
  EXPECT_FALSE(decode_json(text).ok());
}

}  // namespace
}  // namespace certharness
