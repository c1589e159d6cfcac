#include "certharness/spec/yaml_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "certharness/json/json_document.hpp"
#include "certharness/spec/openapi_document.hpp"

namespace certharness {
namespace {

std::string show(const result<std::string, spec_error>& r) {
  return r ? "JSON " + *r : "error " + r.error().describe("yaml");
}

struct converts {
  const char* yaml;
  const char* json;
};

void expect_converts(const std::vector<converts>& cases) {
  for (const converts& c : cases) {
    const auto r = yaml_to_json(c.yaml);
    EXPECT_TRUE(r && *r == c.json)
        << "YAML:\n"
        << c.yaml << "\nexpected JSON " << c.json << "\nactual " << show(r);
  }
}

struct refuses {
  std::string yaml;
  const char* message;  // a part of the error's message
  std::size_t line, column;
};

void expect_refuses(const std::vector<refuses>& cases, const spec_limits& limits = {}) {
  for (const refuses& c : cases) {
    const auto r = yaml_to_json(c.yaml, limits);
    if (r) {
      ADD_FAILURE() << "YAML:\n" << c.yaml.substr(0, 200) << "\nexpected an error, got " << show(r);
      continue;
    }
    const spec_error& e = r.error();
    EXPECT_NE(e.message.find(c.message), std::string::npos)
        << "YAML:\n"
        << c.yaml.substr(0, 200) << "\nexpected a message with '" << c.message << "', got "
        << e.describe("yaml");
    ASSERT_TRUE(e.position.has_value()) << c.yaml.substr(0, 200) << ": " << e.describe("yaml");
    EXPECT_EQ(e.position->line, c.line) << c.yaml.substr(0, 200) << ": " << e.describe("yaml");
    EXPECT_EQ(e.position->column, c.column) << c.yaml.substr(0, 200) << ": " << e.describe("yaml");
  }
}

TEST(yaml_to_json, plain_scalars_follow_the_yaml_1_2_core_schema) {
  expect_converts({
      {"a: 20", R"({"a":20})"},
      {"a: 1e3", R"({"a":1e3})"},
      {"a: -0.50", R"({"a":-0.50})"},
      {"a: 1E+05", R"({"a":1E+05})"},
      {"a: -0", R"({"a":-0})"},
      {"a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE",
       R"({"a":true,"b":true,"c":true,"d":false,"e":false,"f":false})"},
      {"a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: ''",
       R"({"a":null,"b":null,"c":null,"d":null,"e":null,"f":""})"},
      // YAML 1.1 spellings and near-numbers are strings.
      {"- yes\n- no\n- on\n- off\n- 0b101\n- 1_000\n- 1:30\n- 2001-12-14\n- tRUE\n- nULL",
       R"(["yes","no","on","off","0b101","1_000","1:30","2001-12-14","tRUE","nULL"])"},
      {"- 0x\n- 0xG\n- -0x1F\n- 0o8\n- 1e\n- e3\n- '-'\n- .\n- 1.2.3\n- 2.3.0\n- -.nan\n- 12abc",
       R"(["0x","0xG","-0x1F","0o8","1e","e3","-",".","1.2.3","2.3.0","-.nan","12abc"])"},
  });
}

TEST(yaml_to_json, yaml_only_number_spellings_become_the_same_json_number) {
  expect_converts({
      {"- +1\n- 007\n- -007\n- .5\n- -.5e-2\n- 5.\n- 1.e3\n- +0\n- 00.5\n- 0.",
       R"([1,7,-7,0.5,-0.5e-2,5.0,1.0e3,0,0.5,0.0])"},
      {"- 0x1F\n- 0xff\n- 0o17\n- 0x0\n- 0xFFFFFFFFFFFFFFFF",
       R"([31,255,15,0,18446744073709551615])"},
  });
}

TEST(yaml_to_json, quoted_and_block_scalars_are_strings) {
  expect_converts({
      {"- '20'\n- \"true\"\n- 'null'\n- \"\"\n- ! 12\n- ! true",
       R"(["20","true","null","","12","true"])"},
      {"a: |\n  x\n   y\nb: >\n  x\n  y\nc: |-\n  z\n", R"({"a":"x\n y\n","b":"x y\n","c":"z"})"},
      // \N and \_ as UTF-8 (yaml-cpp 0.7 gives lone bytes: jbeder/yaml-cpp#803).
      {"a: \"\\N\\_\\L\\P\\x85\"", "{\"a\":\"\xc2\x85\xc2\xa0\xe2\x80\xa8\xe2\x80\xa9\xc2\x85\"}"},
      {"a: \"\\u00e9\\x41\\t\\\"\"\nb: 'it''s'\nc: é",
       "{\"a\":\"\xc3\xa9"
       "A\\t\\\"\",\"b\":\"it's\",\"c\":\"\xc3\xa9\"}"},
  });
}

TEST(yaml_to_json, keys_are_their_text_and_duplicates_are_kept_for_the_decoder) {
  expect_converts({
      {"200: x\n'404': y\ntrue: z\n0x10: 1\n1.50: 2",
       R"({"200":"x","404":"y","true":"z","0x10":1,"1.50":2})"},
      {"a: 1\na: 2", R"({"a":1,"a":2})"},
      {"\"<<\": 1", R"({"<<":1})"},
  });
}

TEST(yaml_to_json, flow_style_documents_and_comments) {
  expect_converts({
      {"{a: [1, 2, {b: c}], d: {}}", R"({"a":[1,2,{"b":"c"}],"d":{}})"},
      {R"({"a":[1,"x",null,true,{"b":-1.5e3}],"":{}})",
       R"({"a":[1,"x",null,true,{"b":-1.5e3}],"":{}})"},
      {"# a comment\n---\na: 1 # another\n...\n", R"({"a":1})"},
      {"[]", "[]"},
      {"x", R"("x")"},
  });
}

TEST(yaml_to_json, aliases_copy_their_anchor) {
  expect_converts({
      {"a: &x {b: 1}\nc: *x", R"({"a":{"b":1},"c":{"b":1}})"},
      {"- &x [1, &y two]\n- *x\n- *y", R"([[1,"two"],[1,"two"],"two"])"},
      {"a: &n 0x10\nb: *n", R"({"a":16,"b":16})"},
      {"a: &k key\n*k : v", R"({"a":"key","key":"v"})"},
      {"a: &n\nb: *n", R"({"a":null,"b":null})"},
      {"a: &x [1]\nb: &x [2]\nc: *x", R"({"a":[1],"b":[2],"c":[2]})"},
  });
}

TEST(yaml_to_json, refuses_what_json_cannot_hold_with_a_position) {
  expect_refuses({
      {"a: .inf", "no JSON spelling", 1, 4},
      {"a:\n  - -.Inf", "no JSON spelling", 2, 5},
      {"a: .NaN", "no JSON spelling", 1, 4},
      {"a: 0x10000000000000000", "beyond 2^64-1", 1, 4},
      {"a: 1\n---\nb: 2", "second document", 2, 1},
      {"? [a]\n: b", "map key must be a scalar", 1, 3},
      {"{{a: 1}: b}", "map key must be a scalar", 1, 2},
      {"a: &s [1]\n*s : b", "map key must be a scalar", 2, 1},
      {"~: x", "null map key", 1, 1},
      {"a: 1\n: x", "null map key", 2, 1},
      {"<<: {a: 1}", "merge key", 1, 1},
      {"a: !!str x", "tag 'tag:yaml.org,2002:str'", 1, 4},
      {"a: !!binary aGk=", "tag", 1, 4},
      {"a: !custom x", "tag '!custom'", 1, 4},
      {"a: !!map {}", "tag", 1, 4},
      {"a: !local [1]", "tag", 1, 4},
  });
}

TEST(yaml_to_json, refuses_an_empty_stream) {
  for (const char* yaml : {"", "# only a comment\n", "\n\n"}) {
    const auto r = yaml_to_json(yaml);
    ASSERT_FALSE(r) << show(r);
    EXPECT_NE(r.error().message.find("no YAML document"), std::string::npos)
        << r.error().describe("yaml");
  }
}

TEST(yaml_to_json, refuses_malformed_yaml_with_yaml_cpps_position) {
  expect_refuses({
      {"a:\n\tb: 1", "YAML: illegal map value", 2, 3},
      {"a: [1, 2", "YAML: end of sequence flow not found", 1, 1},
      {"a: b\n c: d\n", "YAML: ", 2, 3},
      {"a: 'open", "YAML: illegal EOF in scalar", 1, 9},
      {"a: \"\\ud800\"", "YAML: invalid unicode", 1, 11},
      {"a: [1, 2]]", "YAML: ", 1, 10},
      {"\xc3\xa9: [1, 2]]", "YAML: ", 1, 11},  // columns in bytes
  });
}

TEST(yaml_to_json, refuses_bytes_that_are_not_yaml_text_before_parsing) {
  expect_refuses({
      {"a: \xff", "invalid UTF-8: byte 0xFF", 1, 4},
      {"a: b\nc: \xc3\x28", "invalid UTF-8: byte 0xC3", 2, 4},
      {"a: \xed\xa0\x80", "invalid UTF-8", 1, 4},  // a UTF-16 surrogate
      {"\xc3\xa9: \xc3", "invalid UTF-8", 1, 5},   // columns count bytes, as yaml-cpp's do
      {"a: b\x04"
       "c: d",
       "control character 0x04", 1, 5},
      {std::string("a: b\0c", 6), "control character 0x00", 1, 5},
      {"\xff\xfe"
       "a\0:\0",
       "invalid UTF-8", 1, 1},  // UTF-16 is not read
  });
}

// Anchors and aliases that would expand exponentially.
std::string billion_laughs(int levels) {
  std::string yaml = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < levels; ++i) {
    const std::string prev = "*l" + std::to_string(i - 1);
    yaml += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) yaml += (k ? ", " : "") + prev;
    yaml += "]\n";
  }
  return yaml;
}

TEST(yaml_to_json, alias_expansion_stops_at_the_byte_limit) {
  // 10^9 "lol"s: ~6 GB of JSON. Refused where the copy would pass the limit.
  const std::string yaml = billion_laughs(9);
  spec_limits limits;
  limits.max_bytes = 1 << 20;
  const auto r = yaml_to_json(yaml, limits);
  ASSERT_FALSE(r) << "JSON of " << r->size() << " bytes";
  EXPECT_NE(r.error().message.find("expanding this alias takes the document's JSON form over the "
                                   "limit of 1048576 bytes"),
            std::string::npos)
      << r.error().describe("yaml");
  ASSERT_TRUE(r.error().position);
  EXPECT_EQ(r.error().position->line, 6u) << r.error().describe("yaml");  // 10^6 * ~6 bytes
  // Scalar anchors too.
  std::string scalars = "a: &a " + std::string(100, 'x') + "\nb: [";
  for (int i = 0; i < 100; ++i) scalars += "*a, ";
  scalars += "]\n";
  limits.max_bytes = 4096;
  expect_refuses({{scalars, "expanding this alias", 2, 157}}, limits);
  // The default limit (64 MB) refuses it too.
  const auto by_default = yaml_to_json(yaml);
  EXPECT_FALSE(by_default) << "JSON of " << by_default->size() << " bytes";
  // Below the limit the same shape is expanded exactly.
  const auto small = yaml_to_json(billion_laughs(2));
  ASSERT_TRUE(small) << show(small);
  auto decoded = decode_json(*small);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded.document->root().find("l1")->size(), 10u);
  EXPECT_EQ((*decoded.document->root().find("l1"))[9].size(), 10u);
}

TEST(yaml_to_json, refuses_an_alias_to_an_open_anchor_and_an_undefined_one) {
  expect_refuses({
      {"&a [*a]", "not finished", 1, 5},
      {"a: &a\n  b: *a", "not finished", 2, 6},
      {"&a {k: [1, {j: *a}]}", "not finished", 1, 16},
      {"a: *nope", "YAML: ", 1, 4},
      {"a: *a\nb: &a 1", "YAML: ", 1, 4},
  });
}

TEST(yaml_to_json, nesting_stops_at_the_depth_limit_without_recursion) {
  const std::string flow = std::string(100000, '[') + std::string(100000, ']');
  std::string block;
  for (int i = 0; i < 100000; ++i) block += "- ";
  block += "x\n";
  std::string maps;
  for (int i = 0; i < 100000; ++i) maps += "{a: ";
  maps += std::string(100000, '}');
  expect_refuses({
      {flow, "nesting deeper than the limit of 256 levels", 1, 257},
      {block, "nesting deeper than the limit of 256 levels", 1, 513},
      {maps, "nesting deeper than the limit of 256 levels", 1, 1025},
  });
  // Unclosed: yaml-cpp reads the line as a map key that never ends; refused all the same.
  for (const std::string& unclosed : {std::string(100000, '['), std::string(100000, '{')}) {
    const auto r = yaml_to_json(unclosed);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().position) << r.error().describe("yaml");
  }
  // With our limit above yaml-cpp's recursion guard (2000 levels), yaml-cpp's guard refuses.
  spec_limits deep;
  deep.max_depth = 1000000;
  const auto r = yaml_to_json(flow, deep);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().position) << r.error().describe("yaml");
}

TEST(yaml_to_json, the_depth_limit_is_the_strict_decoders) {
  spec_limits limits;
  limits.max_depth = 3;
  const auto at_limit = yaml_to_json("[[[1]]]", limits);
  ASSERT_TRUE(at_limit) << show(at_limit);
  EXPECT_TRUE(decode_json(*at_limit, decode_limits{limits.max_bytes, limits.max_depth}).ok());
  expect_refuses({{"[[[[1]]]]", "deeper than the limit of 3", 1, 4},
                  // An alias counts with the depth of its copy.
                  {"a: &x [[1]]\nb: [*x]", "deeper than the limit of 3", 2, 5},
                  {"- &x [[1]]\n- [*x]", "deeper than the limit of 3", 2, 4}},
                 limits);
  EXPECT_TRUE(yaml_to_json("a: &x [[1]]\nb: *x", limits));
}

TEST(yaml_to_json, refuses_a_document_over_the_byte_limit) {
  spec_limits limits;
  limits.max_bytes = 16;
  const auto over = yaml_to_json("a: [1, 2, 3, 4, 5, 6]", limits);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().message, "the document is 21 bytes, over the limit of 16 bytes");
  EXPECT_FALSE(over.error().position);
  // Within the limit as YAML, over it as JSON: refused too.
  limits.max_bytes = 20;
  const auto json_over = yaml_to_json("{a: b, c: d, e: f}", limits);
  ASSERT_FALSE(json_over) << show(json_over);
  EXPECT_EQ(json_over.error().describe("yaml"),
            "yaml: line 1, column 14: the document's JSON form is over the limit of 20 bytes");
}

TEST(yaml_to_json, json_text_reads_back_to_itself) {
  // What the fuzz target holds on every accepted input, on a few that matter.
  for (const char* yaml : {"a: \"\\x7f\\u2028\\u0085\\ufeff x\"", "a: \"\\0\\a\\b\\f\\v\\e\"",
                           "{\"\": [\"\", {}]}", "a: |\n  x\n\n  y\n", "a: 'x  \n\n  y'",
                           "- -0.0e-0\n- 1e400\n- 123456789012345678901234"}) {
    const auto first = yaml_to_json(yaml);
    ASSERT_TRUE(first) << yaml << ": " << show(first);
    EXPECT_TRUE(decode_json(*first).ok()) << *first;
    const auto second = yaml_to_json(*first);
    EXPECT_TRUE(second && *second == *first)
        << "YAML " << yaml << "\nfirst  " << *first << "\nsecond " << show(second);
  }
}

}  // namespace
}  // namespace certharness
