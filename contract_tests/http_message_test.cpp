// Request targets as the fake server and replay read them.
#include "certharness/http/http_message.hpp"

#include <gtest/gtest.h>

namespace certharness {
namespace {

TEST(parse_request_target, splits_and_decodes) {
  const auto t = parse_request_target(
      "/v1/organization/certificates/cert%20a%2Fb?limit=2&include%5B%5D=content&after=&x=a+b%2B");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->path, "/v1/organization/certificates/cert a/b");
  using kv = std::pair<std::string, std::string>;
  const std::vector<kv> expected{
      {"limit", "2"}, {"include[]", "content"}, {"after", ""}, {"x", "a b+"}};
  EXPECT_EQ(t->query, expected);
}

TEST(parse_request_target, keeps_repeats_and_order) {
  const auto t = parse_request_target("/p?b=1&a=2&b=3&&flag");
  ASSERT_TRUE(t.has_value());
  using kv = std::pair<std::string, std::string>;
  EXPECT_EQ(t->query, (std::vector<kv>{{"b", "1"}, {"a", "2"}, {"b", "3"}, {"flag", ""}}));
}

TEST(parse_request_target, refuses_malformed_targets) {
  for (const char* target :
       {"", "v1/x", "/a%", "/a%2", "/a%zz", "/a?b=%g0", "*", "http://host/path"}) {
    EXPECT_FALSE(parse_request_target(target).has_value()) << target;
  }
  EXPECT_TRUE(parse_request_target("/").has_value());
}

TEST(path_segments, split_at_slashes_before_decoding) {
  using segments = std::vector<std::string>;
  const std::pair<const char*, segments> cases[] = {
      {"/organization/certificates/cert%2Fx", {"organization", "certificates", "cert/x"}},
      {"/a%2F%2Fb/c", {"a//b", "c"}},
      {"/%41%20b+c", {"A b+c"}},  // '+' is a plus in a path
      {"/", {""}},
      {"/a/", {"a", ""}},
      {"//a", {"", "a"}},
      {"/\xff%00", {std::string("\xff\0", 2)}},
  };
  for (const auto& [raw, expected] : cases) {
    const auto got = path_segments(raw);
    ASSERT_TRUE(got.has_value()) << raw;
    EXPECT_EQ(*got, expected) << raw;
  }
  for (const char* raw : {"", "a/b", "/a%2", "/a%zz/b", "/ok/%"}) {
    EXPECT_FALSE(path_segments(raw).has_value()) << raw;
  }
}

TEST(find_header, is_case_insensitive_and_first_wins) {
  const header_list h{{"Content-Type", "a"}, {"content-type", "b"}, {"X", ""}};
  EXPECT_EQ(find_header(h, "CONTENT-TYPE"), std::optional<std::string_view>("a"));
  EXPECT_EQ(find_header(h, "x"), std::optional<std::string_view>(""));
  EXPECT_FALSE(find_header(h, "Content").has_value());
}

}  // namespace
}  // namespace certharness
