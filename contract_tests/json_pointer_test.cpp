// RFC 6901 JSON Pointer building: every finding's pointer is made here, so a key with '~' or '/'
// must come out escaped ("~0", "~1", in that order of decoding) and an index as its decimal.
#include "certharness/json/json_pointer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "certharness/json/json_document.hpp"

namespace certharness {
namespace {

struct token_case {
  const char* name;
  std::string token;
  std::string pointer;  // appended to ""
};

TEST(append_pointer_token, escapes_tilde_and_slash_and_nothing_else) {
  const token_case cases[] = {
      {"plain", "data", "/data"},
      {"empty key", "", "/"},
      {"slash", "a/b", "/a~1b"},
      {"tilde", "m~n", "/m~0n"},
      // RFC 6901's own example: "~1" as a key is "~01", not "~1" read back as "/".
      {"tilde then one", "~1", "/~01"},
      {"slash then zero", "/0", "/~10"},
      {"only escapes", "~/~/", "/~0~1~0~1"},
      {"other punctuation stays", "a.b[0]%20\"q\"", "/a.b[0]%20\"q\""},
      {"unicode stays", "caf\xc3\xa9", "/caf\xc3\xa9"},
      {"a NUL byte stays", std::string("a\0b", 3), std::string("/a\0b", 4)},
  };
  for (const token_case& c : cases) {
    std::string pointer;
    append_pointer_token(pointer, c.token);
    EXPECT_EQ(pointer, c.pointer) << c.name;
  }
}

TEST(append_pointer_token, appends_to_what_is_there) {
  std::string pointer = "/data";
  append_pointer_index(pointer, 12);
  append_pointer_token(pointer, "certificate_details");
  append_pointer_token(pointer, "a/b");
  EXPECT_EQ(pointer, "/data/12/certificate_details/a~1b");
}

TEST(append_pointer_index, is_the_decimal_index) {
  const struct {
    std::size_t index;
    const char* pointer;
  } cases[] = {{0, "/0"}, {7, "/7"}, {1000, "/1000"}, {SIZE_MAX, "/18446744073709551615"}};
  for (const auto& c : cases) {
    std::string pointer;
    append_pointer_index(pointer, c.index);
    EXPECT_EQ(pointer, c.pointer) << c.index;
  }
}

// Decodes the escaped tokens of `pointer` back (RFC 6901 section 4: "~1" then "~0").
std::string unescaped(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size()) {
      out += token[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

// The round trip a reader of a report makes: a pointer built from keys resolves to the value.
TEST(append_pointer_token, resolves_back_to_the_member_it_names) {
  const decode_result d = decode_json(R"({"a/b":{"~1":{"":[10,20,{"x~y/z":"here"}]}}})");
  ASSERT_TRUE(d.ok());
  std::string pointer;
  for (const char* key : {"a/b", "~1", ""}) append_pointer_token(pointer, key);
  append_pointer_index(pointer, 2);
  append_pointer_token(pointer, "x~y/z");
  EXPECT_EQ(pointer, "/a~1b/~01//2/x~0y~1z");

  std::optional<json_value> v = d.document->root();
  for (std::size_t at = 1; v.has_value() && at <= pointer.size();) {
    const std::size_t end = std::min(pointer.find('/', at), pointer.size());
    const std::string token = unescaped(std::string_view(pointer).substr(at, end - at));
    v = v->is_array() ? (*v)[std::stoul(token)] : v->find(token);
    at = end + 1;
  }
  ASSERT_NE(v, std::nullopt);
  EXPECT_EQ(v->as_string(), "here");
}

TEST(resolve_pointer, finds_what_rfc_6901_names) {
  const decode_result d = decode_json(R"({"a/b":{"~1":{"":[10,20,{"x~y/z":"here"}]}},"m~n":1})");
  ASSERT_TRUE(d.ok());
  const json_value root = d.document->root();
  EXPECT_EQ(resolve_pointer(root, ""), root);
  std::optional<json_value> v = resolve_pointer(root, "/a~1b/~01//2/x~0y~1z");
  ASSERT_NE(v, std::nullopt);
  EXPECT_EQ(v->as_string(), "here");
  ASSERT_NE(resolve_pointer(root, "/a~1b/~01//1"), std::nullopt);
  EXPECT_EQ(resolve_pointer(root, "/a~1b/~01//1")->number_text(), "20");
  ASSERT_NE(resolve_pointer(root, "/m~0n"), std::nullopt);
}

TEST(resolve_pointer, refuses_what_does_not_point_anywhere) {
  const decode_result d = decode_json(R"({"a":[1,2,3],"s":"x"})");
  ASSERT_TRUE(d.ok());
  const json_value root = d.document->root();
  for (const char* p : {"a", "/b", "/a/3", "/a/01", "/a/-1", "/a/+1", "/a/", "/a/1x", "/s/0",
                        "/a~2", "/a~", "/a/99999999999999999999999"}) {
    EXPECT_EQ(resolve_pointer(root, p), std::nullopt) << "pointer " << p;
  }
}

}  // namespace
}  // namespace certharness
