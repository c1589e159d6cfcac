// Strict decoding: every RFC 8259 rule, the limits, number semantics and hostile inputs.
#include "certharness/json/json_document.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace certharness {
namespace {

using namespace std::string_literals;

std::string describe(const findings& fs) {
  std::string s;
  for (const finding& f : fs) {
    s += std::string(to_string(f.level)) + " " + f.check + " at '" + f.pointer + "': " + f.message +
         "\n";
  }
  return s.empty() ? "(no findings)" : s;
}

const finding* first_with(const findings& fs, std::string_view check) {
  for (const finding& f : fs) {
    if (f.check == check) return &f;
  }
  return nullptr;
}

struct rejected_case {
  const char* name;
  std::string input;
  const char* check;
};

void PrintTo(const rejected_case& c, std::ostream* os) { *os << c.name; }

class rejects : public ::testing::TestWithParam<rejected_case> {};

TEST_P(rejects, with_its_check) {
  const rejected_case& c = GetParam();
  const decode_result r = decode_json(c.input);
  EXPECT_FALSE(r.ok()) << c.name << ": expected rejection, got " << describe(r.problems);
  const finding* f = first_with(r.problems, c.check);
  ASSERT_NE(f, nullptr) << c.name << ": expected " << c.check << ", got " << describe(r.problems);
  EXPECT_EQ(f->level, severity::error) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    rfc8259, rejects,
    ::testing::Values(
        rejected_case{"empty", "", "json.syntax"},
        rejected_case{"only_whitespace", " \n\t ", "json.syntax"},
        rejected_case{"trailing_comma_array", "[1,2,]", "json.syntax"},
        rejected_case{"trailing_comma_object", R"({"a":1,})", "json.syntax"},
        rejected_case{"line_comment", "[1]// c", "json.syntax"},
        rejected_case{"block_comment", "/* c */[1]", "json.syntax"},
        rejected_case{"nan", "[NaN]", "json.syntax"},
        rejected_case{"infinity", "[Infinity]", "json.syntax"},
        rejected_case{"minus_infinity", "[-Infinity]", "json.syntax"},
        rejected_case{"leading_zero", "[01]", "json.syntax"},
        rejected_case{"leading_zero_root", "01", "json.syntax"},
        rejected_case{"plus_sign", "[+1]", "json.syntax"},
        rejected_case{"bare_fraction", "[.5]", "json.syntax"},
        rejected_case{"missing_fraction", "[1.]", "json.syntax"},
        rejected_case{"missing_exponent", "[1e]", "json.syntax"},
        rejected_case{"hex", "[0x10]", "json.syntax"},
        rejected_case{"single_quotes", "['a']", "json.syntax"},
        rejected_case{"unquoted_key", "{a:1}", "json.syntax"},
        rejected_case{"invalid_utf8_byte", "[\"\xff\"]", "json.syntax"},
        rejected_case{"truncated_utf8", "[\"\xe2\x82\"]", "json.syntax"},
        rejected_case{"overlong_utf8", "[\"\xc0\xaf\"]", "json.syntax"},
        rejected_case{"utf8_encoded_surrogate", "[\"\xed\xa0\x80\"]", "json.syntax"},
        rejected_case{"above_u10ffff", "[\"\xf4\x90\x80\x80\"]", "json.syntax"},
        rejected_case{"invalid_utf8_in_key", "{\"\xff\":1}", "json.syntax"},
        rejected_case{"lone_high_surrogate", R"(["\ud800"])", "json.syntax"},
        rejected_case{"high_then_non_low", R"(["\ud800\u0041"])", "json.syntax"},
        rejected_case{"lone_low_surrogate", R"(["\udc00"])", "json.syntax"},
        rejected_case{"lone_low_surrogate_in_key", R"({"\udfff":1})", "json.syntax"},
        rejected_case{"reversed_surrogates", R"(["\udc00\ud800"])", "json.syntax"},
        rejected_case{"raw_tab_in_string", "[\"a\tb\"]", "json.syntax"},
        rejected_case{"raw_newline_in_string", "[\"a\nb\"]", "json.syntax"},
        rejected_case{"raw_nul_in_string", "[\"a\0b\"]"s, "json.syntax"},
        rejected_case{"nul_after_value", "{}\0"s, "json.syntax"},
        rejected_case{"nul_then_garbage", "[1]\0[2]"s, "json.syntax"},
        rejected_case{"bad_escape", R"(["\x41"])", "json.syntax"},
        rejected_case{"short_unicode_escape", R"(["\u12"])", "json.syntax"},
        rejected_case{"trailing_garbage", "{} x", "json.syntax"},
        rejected_case{"two_values", "{}{}", "json.syntax"},
        rejected_case{"utf8_bom", "\xef\xbb\xbf{}", "json.syntax"},
        rejected_case{"true_prefix", "[tru]", "json.syntax"},
        rejected_case{"capital_true", "[True]", "json.syntax"},
        rejected_case{"unclosed_array", "[1", "json.syntax"},
        rejected_case{"unclosed_string", "[\"abc", "json.syntax"},
        rejected_case{"duplicate_key", R"({"a":1,"a":2})", "json.duplicate_key"},
        rejected_case{"nested_duplicate_key", R"({"x":[{"id":"a","id":"b"}]})",
                      "json.duplicate_key"},
        // A lead byte at the very end announces continuation bytes past the input.
        rejected_case{"truncated_utf8_at_end", "\"\xe1", "json.syntax"},
        rejected_case{"truncated_4_byte_utf8_at_end", "{\"name\":\"\xf0", "json.syntax"},
        rejected_case{"truncated_utf8_then_nul", "\"\xe1\0"s, "json.syntax"},
        // Garbage right after a number beyond double range (re-parsed as a same-length stand-in).
        rejected_case{"huge_number_minus_garbage", "[1e400-5]", "json.syntax"},
        rejected_case{"huge_number_second_fraction", "[1e400.5]", "json.syntax"},
        rejected_case{"huge_number_second_exponent", "[1e400e5]", "json.syntax"},
        rejected_case{"huge_number_dangling_plus", "[1e400+]", "json.syntax"},
        rejected_case{"huge_number_double_minus", "[-1e400--]", "json.syntax"},
        rejected_case{"huge_integer_then_fraction", "[18446E744073709551616.5]", "json.syntax"}),
    [](const ::testing::TestParamInfo<rejected_case>& info) { return info.param.name; });

TEST(decode_json, accepts_rfc8259_documents) {
  for (const char* text :
       {"{}", "[]", "0", "-0", "\"\"", "null", "true", "false", " [1, -2.5e-3, 1E+2] ",
        R"({"a":{"b":[null,true,"\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t"]}})",
        "{\"emoji\":\"\xf0\x9f\x98\x80\",\"cjk\":\"\xe8\xaf\x81\xe4\xb9\xa6\"}"}) {
    const decode_result r = decode_json(text);
    EXPECT_TRUE(r.ok()) << text << ": " << describe(r.problems);
  }
}

TEST(decode_json, syntax_findings_carry_offset_line_and_column) {
  const decode_result r = decode_json("{\n  \"a\": 1,\n}");
  ASSERT_EQ(r.problems.size(), 1u) << describe(r.problems);
  const finding& f = r.problems[0];
  EXPECT_EQ(f.check, "json.syntax");
  ASSERT_TRUE(f.position.has_value());
  EXPECT_EQ(f.position->offset, 12u);
  EXPECT_EQ(f.position->line, 3u);
  EXPECT_EQ(f.position->column, 1u);
}

TEST(decode_json, syntax_messages_name_the_usual_culprits) {
  const std::pair<std::string, std::string> cases[] = {
      {"[1,2,\n]", "trailing comma before ']'"},
      {"{\"a\":1 , }", "trailing comma before '}'"},
      {"\xef\xbb\xbf{}", "byte order mark"},
      {"[1] // note", "comment"},
      {"{\"a\":#x\n1}", "comment"},
      {"['a']", "single-quoted"},
      {"[NaN]", "NaN and Infinity"},
      {"[-Infinity]", "NaN and Infinity"},
      {"[01]", "leading zero"},
      {"{\"a\":-007}", "leading zero"},
      {"[\"\\x\"]", "invalid escape"},
      {"[\"\xff\"]", "invalid UTF-8"},
      {"{} []", "more after the JSON value"},
  };
  for (const auto& [input, expected] : cases) {
    const decode_result r = decode_json(input);
    ASSERT_FALSE(r.problems.empty()) << input;
    EXPECT_NE(r.problems[0].message.find(expected), std::string::npos)
        << input << ": expected a message with '" << expected << "', got '" << r.problems[0].message
        << "'";
  }
}

TEST(decode_json, nul_byte_position_is_reported) {
  const decode_result r = decode_json("[1,\0 2]"s);
  ASSERT_FALSE(r.problems.empty());
  ASSERT_TRUE(r.problems[0].position.has_value());
  EXPECT_EQ(r.problems[0].position->offset, 3u) << describe(r.problems);
}

TEST(decode_json, integer_semantics_follow_the_text) {
  struct number_case {
    const char* text;
    bool integer;
    bool fits;
    std::int64_t value;
  };
  for (const number_case& c : {
           number_case{"0", true, true, 0},
           number_case{"-0", true, true, 0},
           number_case{"1.0", true, true, 1},
           number_case{"1e3", true, true, 1000},
           number_case{"1E+2", true, true, 100},
           number_case{"100e-2", true, true, 1},
           number_case{"1.50e1", true, true, 15},
           number_case{"0.0e-5", true, true, 0},
           number_case{"-1", true, true, -1},
           number_case{"9223372036854775807", true, true, INT64_MAX},
           number_case{"-9223372036854775808", true, true, INT64_MIN},
           number_case{"9223372036854775808", true, false, 0},
           number_case{"18446744073709551616", true, false, 0},
           number_case{"1e100", true, false, 0},
           number_case{"1.5", false, false, 0},
           number_case{"1e-1", false, false, 0},
           number_case{"1e-400", false, false, 0},
           number_case{"1.0000000000000000000001", false, false, 0},
           number_case{"9007199254740993.5", false, false, 0},
       }) {
    const decode_result r = decode_json(std::string("[") + c.text + "]");
    ASSERT_TRUE(r.document.has_value()) << c.text << ": " << describe(r.problems);
    const json_value& v = r.document->root()[0];
    ASSERT_TRUE(v.is_number()) << c.text;
    EXPECT_EQ(v.number_text(), c.text);
    EXPECT_EQ(v.is_integer(), c.integer) << c.text;
    EXPECT_EQ(v.fits_int64(), c.fits) << c.text;
    if (c.fits) {
      EXPECT_EQ(v.as_int64(), c.value) << c.text;
    }
  }
}

TEST(decode_json, integers_beyond_2_pow_53_warn_but_stay_valid) {
  for (const char* text : {"9007199254740993", "-9007199254740993", "9223372036854775807",
                           "18446744073709551616", "1e20"}) {
    const decode_result r = decode_json(std::string(R"({"created_at":)") + text + "}");
    EXPECT_TRUE(r.ok()) << text << describe(r.problems);
    const finding* f = first_with(r.problems, "json.number_range");
    ASSERT_NE(f, nullptr) << text;
    EXPECT_EQ(f->level, severity::warning);
    EXPECT_EQ(f->pointer, "/created_at");
  }
  for (const char* text : {"9007199254740992", "-9007199254740992", "123456789012345678.5"}) {
    const decode_result r = decode_json(std::string("[") + text + "]");
    EXPECT_TRUE(r.problems.empty()) << text << describe(r.problems);
  }
}

TEST(decode_json, numbers_beyond_double_range_are_exact_integers_with_a_warning) {
  for (const std::string& text :
       {"1e309"s, "-1e400"s, "10e308"s, std::string(400, '9'), "1.5e99999999999"s}) {
    const decode_result r = decode_json(R"({"a":[)" + text + "]}");
    ASSERT_TRUE(r.ok()) << text << describe(r.problems);
    const json_value& v = r.document->root()[0][0];
    EXPECT_EQ(v.number_text(), text);
    EXPECT_TRUE(v.is_integer()) << text;
    EXPECT_FALSE(v.fits_int64()) << text;
    EXPECT_TRUE(std::isinf(v.as_double())) << text;
    const finding* f = first_with(r.problems, "json.number_range");
    ASSERT_NE(f, nullptr) << text;
    EXPECT_EQ(f->level, severity::warning);
    EXPECT_EQ(f->pointer, "/a/0");
  }
  const decode_result zero = decode_json("[0e99999999999, -0.0e999]");
  ASSERT_TRUE(zero.ok()) << describe(zero.problems);
  EXPECT_TRUE(zero.problems.empty()) << describe(zero.problems);
  EXPECT_EQ(zero.document->root()[0].as_int64(), 0);
  EXPECT_EQ(zero.document->root()[1].number_text(), "-0.0e999");

  std::string many = "[";
  for (int i = 0; i < 16; ++i) many += "1e999,";
  EXPECT_TRUE(decode_json(many + "1]").ok());
  const decode_result too_many = decode_json(many + "1e999]");
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.problems.at(0).check, "json.limits") << describe(too_many.problems);
}

TEST(decode_json, findings_per_check_are_capped_and_positions_stay_linear) {
  // 200,000 warnings once took minutes (a rescan from byte 0 per finding).
  std::string text = "[";
  for (int i = 0; i < 200'000; ++i) text += "9007199254740993,\n";
  text += "1]";
  const decode_result r = decode_json(text);
  ASSERT_TRUE(r.ok()) << describe({r.problems.begin(), r.problems.begin() + 3});
  ASSERT_EQ(r.problems.size(), 101u);
  EXPECT_EQ(r.problems[99].position->line, 100u);
  EXPECT_EQ(r.problems[100].message, "199900 more like the above, not listed");
  EXPECT_EQ(r.problems[100].level, severity::warning);
}

TEST(decode_json, duplicate_keys_are_reported_once_with_their_pointer) {
  const decode_result r =
      decode_json(R"({"data":[{},{"id":"a","x~/":1,"id":"b","x~/":2,"id":"c"}]})");
  ASSERT_TRUE(r.document.has_value());
  ASSERT_EQ(r.problems.size(), 2u) << describe(r.problems);
  EXPECT_EQ(r.problems[0].pointer, "/data/1/id");
  EXPECT_EQ(r.problems[1].pointer, "/data/1/x~0~1");
  EXPECT_FALSE(r.ok());
}

TEST(decode_json, duplicate_keys_in_large_objects) {
  std::string text = "{";
  for (int i = 0; i < 100; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  text += "\"k42\":0}";
  const decode_result r = decode_json(text);
  ASSERT_EQ(r.problems.size(), 1u) << describe(r.problems);
  EXPECT_EQ(r.problems[0].pointer, "/k42");
}

TEST(decode_json, dom_keeps_order_keys_and_strings) {
  const decode_result r = decode_json(R"({"b":"x\u0000y","a":[1,{"c":null}]})");
  ASSERT_TRUE(r.ok()) << describe(r.problems);
  const json_value& root = r.document->root();
  ASSERT_TRUE(root.is_object());
  ASSERT_EQ(root.size(), 2u);
  EXPECT_EQ(root[0].key(), "b");
  EXPECT_EQ(root[0].as_string(), std::string_view("x\0y", 3));
  EXPECT_EQ(root[1].key(), "a");
  const std::optional<json_value> a = root.find("a");
  ASSERT_NE(a, std::nullopt);
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].as_int64(), 1);
  EXPECT_TRUE((*a)[1].find("c")->is_null());
  EXPECT_EQ(root.find("zz"), std::nullopt);
}

TEST(decode_json, depth_limit_is_a_limits_finding) {
  decode_limits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(decode_json("[[[1]]]", limits).ok());
  const decode_result r = decode_json(R"({"a":[[1]]})", limits);
  EXPECT_TRUE(r.ok()) << describe(r.problems);
  const decode_result deep = decode_json("[[[[1]]]]", limits);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.problems.at(0).check, "json.limits");
  EXPECT_EQ(deep.problems.at(0).pointer, "/0/0");
}

TEST(decode_json, hundred_thousand_deep_array_is_refused_without_recursion) {
  const std::string text = std::string(100'000, '[') + std::string(100'000, ']');
  const decode_result r = decode_json(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems.at(0).check, "json.limits") << describe(r.problems);
  // Raised past it, the iterative parser builds it without touching the call stack.
  decode_limits limits;
  limits.max_depth = 200'000;
  const decode_result raised = decode_json(text, limits);
  EXPECT_TRUE(raised.ok()) << describe(raised.problems);
}

TEST(decode_json, deep_unclosed_nesting_is_a_syntax_error) {
  decode_limits limits;
  limits.max_depth = 200'000;
  const decode_result r = decode_json(std::string(100'000, '{'), limits);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.problems.at(0).check, "json.syntax");
}

TEST(decode_json, body_size_limit_is_a_limits_finding) {
  decode_limits limits;
  limits.max_bytes = 10;
  const decode_result r = decode_json(R"({"a":"0123456789"})", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems.at(0).check, "json.limits");
}

TEST(decode_json, hundred_megabyte_string) {
  std::string text = "{\"name\":\"";
  text.append(100u << 20, 'a');
  text += "\"}";
  const decode_result refused = decode_json(text);  // over the 64 MiB default
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problems.at(0).check, "json.limits");
  decode_limits limits;
  limits.max_bytes = 200u << 20;
  const decode_result r = decode_json(text, limits);
  ASSERT_TRUE(r.ok()) << describe(r.problems);
  EXPECT_EQ(r.document->root().find("name")->as_string().size(), 100u << 20);
}

TEST(decode_json, extreme_exponents_never_reach_undefined_behaviour) {
  // The CVE-2024-38517 class: exponents and fraction lengths that overflow int arithmetic.
  const std::string zeros(300'000, '0');
  for (const std::string& text :
       {"[1e-2147483649]"s, "[1e-99999999999999999999]"s, "[1e2147483648]"s, "[-1e-2147483648]"s,
        "[0." + zeros + "1e2147483600]", "[0." + zeros + "e400]", "[1" + zeros + "e-300000]",
        "[0." + zeros + "1]", "[1.5e-324]"s, "[4.9e-325]"s, "[2.2250738585072011e-308]"s,
        "[1.7976931348623157e308]"s, "[1.7976931348623159e308]"s}) {
    const decode_result r = decode_json(text);
    // Any verdict is acceptable; crashing or UB (caught by the sanitizers) is not.
    if (!r.ok()) {
      ASSERT_FALSE(r.problems.empty());
    }
  }
  const decode_result tiny = decode_json("[1e-99999999999999999999]");
  ASSERT_TRUE(tiny.ok()) << describe(tiny.problems);
  EXPECT_FALSE(tiny.document->root()[0].is_integer());
  const decode_result exact = decode_json("[0." + zeros + "1e300001]");
  ASSERT_TRUE(exact.ok()) << describe(exact.problems);
  EXPECT_TRUE(exact.document->root()[0].fits_int64());
  EXPECT_EQ(exact.document->root()[0].as_int64(), 1);
}

// Regression: a value once cost a 64-byte node, held twice (scratch and document), plus
// the document's own copy of the input: ~100x the input. The footprint is now bounded per
// input byte; the dense array is the worst case (2 bytes of input per value).
TEST(decode_json, footprint_is_a_small_multiple_of_the_input) {
  struct shape {
    const char* name;
    std::string element;  // repeated, comma-separated, inside [ ]
    double max_ratio;     // footprint / input bytes
  };
  // Nodes are 8 bytes; a container with elements or a key adds a 12-byte record; keys,
  // strings and numbers longer than 7 characters go to the arena with a length or a NUL.
  const shape shapes[] = {
      {"dense_zeros", "0", 4.07},    // 2 bytes of input per value; 1/16 is the first arena chunk
      {"small_ints", "12", 2.75},    // 3 bytes per value
      {"empty_arrays", "[]", 2.75},  // no record for an empty array
      {"strings", R"("abcdefgh")", 1.9},  // length and bytes in the arena
      {"long_numbers", "123456789012", 1.7},
      {"members", R"({"a":0})", 4.5},  // 35 bytes for 8 of input
      {"pairs", "[0]", 7.1},           // 28 bytes for 4 of input
      {"nesting", "[[[[0]]]]", 8.9},   // 20 bytes per 2 of input at each level
  };
  for (const shape& s : shapes) {
    std::string text = "[";
    while (text.size() < (std::size_t{1} << 20)) text += s.element + ",";
    text += s.element + "]";
    const decode_result r = decode_json(text);
    ASSERT_TRUE(r.ok()) << s.name << describe(r.problems);
    const double ratio =
        static_cast<double>(r.document->footprint()) / static_cast<double>(text.size());
    EXPECT_LE(ratio, s.max_ratio) << s.name << ": footprint " << r.document->footprint()
                                  << " bytes for " << text.size() << " bytes of input";
  }
}

TEST(decode_json, compact_nodes_keep_every_fact) {
  const decode_result r = decode_json(
      R"([1234567, 12345678, -0.5, true, false, null, [], {}, "", {"k":[]}, {"k":{}},
          {"":1, "long key \u00e9":12345678901234567890, "t":true, "n":null, "s":"x\u0000"}])");
  ASSERT_TRUE(r.ok()) << describe(r.problems);
  const json_value& a = r.document->root();
  ASSERT_EQ(a.size(), 12u);
  EXPECT_EQ(a[0].number_text(), "1234567");  // inline
  EXPECT_EQ(a[0].as_int64(), 1234567);
  EXPECT_EQ(a[1].number_text(), "12345678");  // in the arena
  EXPECT_EQ(a[1].as_double(), 12345678.0);
  EXPECT_FALSE(a[2].is_integer());
  EXPECT_EQ(a[2].as_double(), -0.5);
  EXPECT_TRUE(a[3].as_bool());
  EXPECT_TRUE(a[4].is_bool());
  EXPECT_FALSE(a[4].as_bool());
  EXPECT_TRUE(a[5].is_null());
  EXPECT_TRUE(a[6].is_array());
  EXPECT_EQ(a[6].size(), 0u);
  EXPECT_EQ(a[6].begin(), a[6].end());
  EXPECT_TRUE(a[7].is_object());
  EXPECT_EQ(a[8].as_string(), "");
  EXPECT_EQ(a[8].key(), "");
  ASSERT_NE(a[9].find("k"), std::nullopt);
  EXPECT_TRUE(a[9].find("k")->is_array());
  EXPECT_TRUE(a[10].find("k")->is_object());
  const json_value& o = a[11];
  ASSERT_EQ(o.size(), 5u);
  EXPECT_EQ(o[0].key(), "");
  EXPECT_EQ(o[0].number_text(), "1");
  EXPECT_EQ(o[1].key(), "long key \xc3\xa9");
  EXPECT_EQ(o[1].number_text(), "12345678901234567890");
  EXPECT_TRUE(o[1].beyond_safe_integer());
  EXPECT_FALSE(o[1].fits_int64());
  EXPECT_TRUE(o.find("t")->as_bool());
  EXPECT_TRUE(o.find("n")->is_null());
  EXPECT_EQ(o.find("s")->as_string(), std::string_view("x\0", 2));
  EXPECT_EQ(o[4].key(), "s");
  // An empty key or string before anything else was written.
  for (const char* text : {R"({"":1})", R"("")", R"([""])"}) {
    const decode_result e = decode_json(text);
    EXPECT_TRUE(e.ok()) << text << describe(e.problems);
  }
  // Values that are not numbers or strings have no text.
  EXPECT_EQ(a[6].as_string(), "");
  EXPECT_EQ(a[3].number_text(), "");
}

// Regression: each big integer and duplicate key built its pointer from the whole container
// stack, kept or not: 80,000 levels deep took 29 s. Only kept findings build pointers now.
TEST(decode_json, pointers_are_built_only_for_kept_findings) {
  constexpr std::size_t depth = 20'000;
  std::string text;
  for (std::size_t i = 0; i < depth; ++i) text += R"({"a":1,"a":9007199254740993,"b":)";
  text += "0";
  for (std::size_t i = 0; i < depth; ++i) text += "}";
  decode_limits limits;
  limits.max_depth = depth + 1;
  const decode_result r = decode_json(text, limits);
  ASSERT_TRUE(r.document.has_value()) << describe({r.problems.begin(), r.problems.begin() + 1});
  ASSERT_EQ(r.problems.size(), 202u);  // 100 of each check, and a "more like the above" each
  // 200 kept findings, each at most depth + 1 tokens deep.
  EXPECT_LE(r.pointer_tokens, 200 * (depth + 1)) << "pointer work grew with the findings dropped";
}

// Regression: an unpaired surrogate in a key was reported at the previous member.
TEST(decode_json, unpaired_surrogate_in_a_key_points_at_its_own_member) {
  const decode_result r = decode_json(R"({"a":{"b":1,"x\udfffy":2}})");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.problems.size(), 1u) << describe(r.problems);
  EXPECT_EQ(r.problems[0].check, "json.syntax");
  EXPECT_EQ(r.problems[0].pointer, "/a/x\xEF\xBF\xBDy");  // U+FFFD keeps the pointer UTF-8
  ASSERT_TRUE(r.problems[0].position.has_value());
  EXPECT_EQ(r.problems[0].position->offset, 13u);  // just inside the key's opening quote
  const decode_result value = decode_json(R"({"a":1,"b":"\udc00"})");
  ASSERT_EQ(value.problems.size(), 1u) << describe(value.problems);
  EXPECT_EQ(value.problems[0].pointer, "/b");
  EXPECT_EQ(value.problems[0].position->offset, 12u);
}

}  // namespace
}  // namespace certharness
