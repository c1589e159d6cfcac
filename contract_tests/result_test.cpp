// result<T>: a value or why there is none, the one shape of an operational failure.
#include "certharness/findings/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <variant>

namespace certharness {
namespace {

result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return failure(std::string("not a digit: ") + c);
  return c - '0';
}

TEST(result, holds_a_value_or_the_reason_there_is_none) {
  const result<int> seven = parse_digit('7');
  ASSERT_TRUE(seven.has_value());
  EXPECT_TRUE(static_cast<bool>(seven));
  EXPECT_EQ(seven.value(), 7);
  EXPECT_EQ(*seven, 7);

  const result<int> letter = parse_digit('x');
  ASSERT_FALSE(letter.has_value());
  EXPECT_FALSE(static_cast<bool>(letter));
  EXPECT_EQ(letter.error(), "not a digit: x");
}

// A string value and a string error are told apart by how they are made, not by their type.
TEST(result, a_string_value_is_not_an_error) {
  const result<std::string> value = std::string("text");
  const result<std::string> error = failure("why");
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(*value, "text");
  EXPECT_EQ(value->size(), 4U);
  ASSERT_FALSE(error.has_value());
  EXPECT_EQ(error.error(), "why");
}

TEST(result, moves_out_a_move_only_value_and_the_error) {
  result<std::unique_ptr<int>> owned = std::make_unique<int>(5);
  ASSERT_TRUE(owned);
  const std::unique_ptr<int> taken = *std::move(owned);
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(*taken, 5);

  result<std::unique_ptr<int>> refused = failure("no");
  const std::string why = std::move(refused).error();
  EXPECT_EQ(why, "no");
}

// Asking for the side that is not there throws, as std::expected does (never undefined).
TEST(result, the_wrong_side_throws) {
  const result<int> ok = 1;
  const result<int> bad = failure("x");
  EXPECT_THROW((void)ok.error(), std::bad_variant_access);
  EXPECT_THROW((void)bad.value(), std::bad_variant_access);
}

struct refusal {
  int status = 0;
  std::string message;
};

TEST(result, an_error_may_carry_more_than_a_line) {
  const result<int, refusal> r = failure(refusal{413, "too large"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 413);
  EXPECT_EQ(r.error().message, "too large");
}

result<void> check_positive(int n) {
  if (n <= 0) return failure("not positive: " + std::to_string(n));
  return {};
}

TEST(result, void_is_success_or_the_reason) {
  EXPECT_TRUE(check_positive(3).has_value());
  const result<void> bad = check_positive(-1);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error(), "not positive: -1");
  EXPECT_THROW((void)check_positive(1).error(), std::bad_optional_access);
}

}  // namespace
}  // namespace certharness
