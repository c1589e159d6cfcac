// Strict decoding: every RFC 8259 rule, the limits, number semantics and hostile inputs.
#include "certharness/json/json_document.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace certharness {
namespace {

using namespace std::string_literals;

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
  EXPECT_FALSE(r.ok()) << c.name << ": expected rejection, got "
                       << test_support::describe_findings(r.problems);
  const finding* f = first_with(r.problems, c.check);
  ASSERT_NE(f, nullptr) << c.name << ": expected " << c.check << ", got "
                        << test_support::describe_findings(r.problems);
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
    EXPECT_TRUE(r.ok()) << text << ": " << test_support::describe_findings(r.problems);
  }
}

TEST(decode_json, syntax_findings_carry_offset_line_and_column) {
  const decode_result r = decode_json("{\n  \"a\": 1,\n}");
  ASSERT_EQ(r.problems.size(), 1u) << test_support::describe_findings(r.problems);
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
  EXPECT_EQ(r.problems[0].position->offset, 3u) << test_support::describe_findings(r.problems);
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
    ASSERT_TRUE(r.document.has_value())
        << c.text << ": " << test_support::describe_findings(r.problems);
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
    EXPECT_TRUE(r.ok()) << text << test_support::describe_findings(r.problems);
    const finding* f = first_with(r.problems, "json.number_range");
    ASSERT_NE(f, nullptr) << text;
    EXPECT_EQ(f->level, severity::warning);
    EXPECT_EQ(f->pointer, "/created_at");
  }
  for (const char* text : {"9007199254740992", "-9007199254740992", "123456789012345678.5"}) {
    const decode_result r = decode_json(std::string("[") + text + "]");
    EXPECT_TRUE(r.problems.empty()) << text << test_support::describe_findings(r.problems);
  }
}

TEST(decode_json, numbers_beyond_double_range_are_exact_integers_with_a_warning) {
  for (const std::string& text :
       {"1e309"s, "-1e400"s, "10e308"s, std::string(400, '9'), "1.5e99999999999"s}) {
    const decode_result r = decode_json(R"({"a":[)" + text + "]}");
    ASSERT_TRUE(r.ok()) << text << test_support::describe_findings(r.problems);
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
  ASSERT_TRUE(zero.ok()) << test_support::describe_findings(zero.problems);
  EXPECT_TRUE(zero.problems.empty()) << test_support::describe_findings(zero.problems);
  EXPECT_EQ(zero.document->root()[0].as_int64(), 0);
  EXPECT_EQ(zero.document->root()[1].number_text(), "-0.0e999");

  std::string many = "[";
  for (int i = 0; i < 16; ++i) many += "1e999,";
  EXPECT_TRUE(decode_json(many + "1]").ok());
  const decode_result too_many = decode_json(many + "1e999]");
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.problems.at(0).check, "json.limits")
      << test_support::describe_findings(too_many.problems);
}

TEST(decode_json, findings_per_check_are_capped_and_positions_stay_linear) {
  // 200,000 warnings once took minutes (a rescan from byte 0 per finding).
  std::string text = "[";
  for (int i = 0; i < 200'000; ++i) text += "9007199254740993,\n";
  text += "1]";
  const decode_result r = decode_json(text);
  ASSERT_TRUE(r.ok()) << test_support::describe_findings(
      {r.problems.begin(), r.problems.begin() + 3});
  ASSERT_EQ(r.problems.size(), 101u);
  EXPECT_EQ(r.problems[99].position->line, 100u);
  EXPECT_EQ(r.problems[100].message, "199900 more like the above, not listed");
  EXPECT_EQ(r.problems[100].level, severity::warning);
}

TEST(decode_json, duplicate_keys_are_reported_once_with_their_pointer) {
  const decode_result r =
      decode_json(R"({"data":[{},{"id":"a","x~/":1,"id":"b","x~/":2,"id":"c"}]})");
  ASSERT_TRUE(r.document.has_value());
  ASSERT_EQ(r.problems.size(), 2u) << test_support::describe_findings(r.problems);
  EXPECT_EQ(r.problems[0].pointer, "/data/1/id");
  EXPECT_EQ(r.problems[1].pointer, "/data/1/x~0~1");
  EXPECT_FALSE(r.ok());
}

TEST(decode_json, duplicate_keys_in_large_objects) {
  std::string text = "{";
  for (int i = 0; i < 100; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  text += "\"k42\":0}";
  const decode_result r = decode_json(text);
  ASSERT_EQ(r.problems.size(), 1u) << test_support::describe_findings(r.problems);
  EXPECT_EQ(r.problems[0].pointer, "/k42");
}

TEST(decode_json, dom_keeps_order_keys_and_strings) {
  const decode_result r = decode_json(R"({"b":"x\u0000y","a":[1,{"c":null}]})");
  ASSERT_TRUE(r.ok()) << test_support::describe_findings(r.problems);
  const json_value& root = r.document->root();
  ASSERT_TRUE(root.is_object());
  ASSERT_EQ(root.size(), 2u);
  EXPECT_EQ(root[0].key(), "b");
  EXPECT_EQ(root[0].as_string(), std::string_view("x\0y", 3));
  EXPECT_EQ(root[1].key(), "a");
  const std::optional<json_value> a = root.find("a");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].as_int64(), 1);
  EXPECT_TRUE((*a)[1].find("c")->is_null());
  EXPECT_FALSE(root.find("zz"));
}

TEST(decode_json, depth_limit_is_a_limits_finding) {
  decode_limits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(decode_json("[[[1]]]", limits).ok());
  const decode_result r = decode_json(R"({"a":[[1]]})", limits);
  EXPECT_TRUE(r.ok()) << test_support::describe_findings(r.problems);
  const decode_result deep = decode_json("[[[[1]]]]", limits);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.problems.at(0).check, "json.limits");
  EXPECT_EQ(deep.problems.at(0).pointer, "/0/0");
}

TEST(decode_json, hundred_thousand_deep_array_is_refused_without_recursion) {
  const std::string text = std::string(100'000, '[') + std::string(100'000, ']');
  const decode_result r = decode_json(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems.at(0).check, "json.limits") << test_support::describe_findings(r.problems);
  // Raised past it, the iterative parser builds it without touching the call stack.
  decode_limits limits;
  limits.max_depth = 200'000;
  const decode_result raised = decode_json(text, limits);
  EXPECT_TRUE(raised.ok()) << test_support::describe_findings(raised.problems);
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
  ASSERT_TRUE(r.ok()) << test_support::describe_findings(r.problems);
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
  ASSERT_TRUE(tiny.ok()) << test_support::describe_findings(tiny.problems);
  EXPECT_FALSE(tiny.document->root()[0].is_integer());
  const decode_result exact = decode_json("[0." + zeros + "1e300001]");
  ASSERT_TRUE(exact.ok()) << test_support::describe_findings(exact.problems);
  EXPECT_TRUE(exact.document->root()[0].fits_int64());
  EXPECT_EQ(exact.document->root()[0].as_int64(), 1);
}

// Regression: a value once cost a 64-byte node, held twice (scratch and document), then an
// 8-byte node: 4x the input for [0,0,...]. A scalar now costs nothing beyond its text; an array
// or object with children costs a 16-byte record, a string or key with escapes a 16-byte entry
// and its decoded bytes. Each shape is held to that figure, plus at most one partly used chunk
// of records and of entries (1/32 of the input each) and of decoded bytes (1/16).
TEST(decode_json, footprint_is_per_container_not_per_value) {
  struct shape {
    const char* name;
    std::string element;   // repeated, comma-separated, inside [ ]
    double bytes_per_elt;  // what one element costs beyond the text
    bool escapes;
  };
  const shape shapes[] = {
      {"dense_zeros", "0", 0, false},
      {"small_ints", "12", 0, false},
      {"strings", R"("abcdefgh")", 0, false},
      {"literals", "true", 0, false},
      {"empty_arrays", "[]", 0, false},
      {"empty_objects", "{}", 0, false},
      {"members", R"({"a":0})", 16, false},
      {"pairs", "[0]", 16, false},
      {"nesting", "[[[[0]]]]", 64, false},
      {"escaped_strings", R"("a\nb")", 16 + 3, true},
      {"escaped_keys", R"({"\n":0})", 16 + 16 + 1, true},
  };
  for (const shape& s : shapes) {
    std::string text = "[";
    while (text.size() < (std::size_t{1} << 20)) text += s.element + ",";
    text += s.element + "]";
    const decode_result r = decode_json(text);
    ASSERT_TRUE(r.ok()) << s.name << test_support::describe_findings(r.problems);
    const double elements = static_cast<double>(text.size()) / (s.element.size() + 1);
    const double slack =
        text.size() / 32.0 + (s.escapes ? text.size() / 32.0 + text.size() / 16.0 : 0);
    const double bound = elements * s.bytes_per_elt + slack + 16384;  // + chunk tables
    EXPECT_LE(static_cast<double>(r.document->footprint()), bound)
        << s.name << ": footprint " << r.document->footprint() << " bytes for " << text.size()
        << " bytes of input";
    if (s.bytes_per_elt > 0) {  // and not much less either: the figure is what it costs
      EXPECT_GE(static_cast<double>(r.document->footprint()), elements * s.bytes_per_elt * 0.9)
          << s.name;
    }
  }
}

TEST(decode_json, handles_keep_every_fact) {
  const decode_result r = decode_json(
      R"([1234567, 12345678, -0.5, true, false, null, [], {}, "", {"k":[]}, {"k":{}},
          {"":1, "long key \u00e9":12345678901234567890, "t":true, "n":null, "s":"x\u0000"}])");
  ASSERT_TRUE(r.ok()) << test_support::describe_findings(r.problems);
  const json_value& a = r.document->root();
  ASSERT_EQ(a.size(), 12u);
  EXPECT_EQ(a[0].number_text(), "1234567");
  EXPECT_EQ(a[0].as_int64(), 1234567);
  EXPECT_EQ(a[1].number_text(), "12345678");
  EXPECT_EQ(a[1].as_double(), 12345678.0);
  EXPECT_FALSE(a[2].is_integer());
  EXPECT_EQ(a[2].as_double(), -0.5);
  EXPECT_TRUE(a[3].as_bool());
  EXPECT_TRUE(a[4].is_bool());
  EXPECT_FALSE(a[4].as_bool());
  EXPECT_TRUE(a[5].is_null());
  EXPECT_TRUE(a[6].is_array());
  EXPECT_EQ(a[6].size(), 0u);
  EXPECT_TRUE(a[6].begin() == a[6].end());
  EXPECT_TRUE(a[7].is_object());
  EXPECT_EQ(a[8].as_string(), "");
  EXPECT_EQ(a[8].key(), "");
  ASSERT_TRUE(a[9].find("k"));
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
    EXPECT_TRUE(e.ok()) << text << test_support::describe_findings(e.problems);
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
  ASSERT_TRUE(r.document.has_value())
      << test_support::describe_findings({r.problems.begin(), r.problems.begin() + 1});
  ASSERT_EQ(r.problems.size(), 202u);  // 100 of each check, and a "more like the above" each
  // 200 kept findings, each at most depth + 1 tokens deep.
  EXPECT_LE(r.pointer_tokens, 200 * (depth + 1)) << "pointer work grew with the findings dropped";
}

// Regression: an unpaired surrogate in a key was reported at the previous member.
TEST(decode_json, unpaired_surrogate_in_a_key_points_at_its_own_member) {
  const decode_result r = decode_json(R"({"a":{"b":1,"x\udfffy":2}})");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.problems.size(), 1u) << test_support::describe_findings(r.problems);
  EXPECT_EQ(r.problems[0].check, "json.syntax");
  EXPECT_EQ(r.problems[0].pointer, "/a/x\xEF\xBF\xBDy");  // U+FFFD keeps the pointer UTF-8
  ASSERT_TRUE(r.problems[0].position.has_value());
  EXPECT_EQ(r.problems[0].position->offset, 13u);  // just inside the key's opening quote
  const decode_result value = decode_json(R"({"a":1,"b":"\udc00"})");
  ASSERT_EQ(value.problems.size(), 1u) << test_support::describe_findings(value.problems);
  EXPECT_EQ(value.problems[0].pointer, "/b");
  EXPECT_EQ(value.problems[0].position->offset, 12u);
}

// Every value's type, key and text, depth first, one line each: what a traversal sees.
void dump(const json_value& v, std::string& out, int depth = 0) {
  out += std::string(static_cast<std::size_t>(depth), ' ') + std::string(to_string(v.type()));
  if (!v.key().empty() || depth > 0) out += " key=" + std::string(v.key());
  if (v.is_string() || v.is_number()) out += " text=" + std::string(v.as_string());
  if (v.is_bool()) out += v.as_bool() ? " true" : " false";
  if (v.is_array() || v.is_object()) out += " size=" + std::to_string(v.size());
  out += "\n";
  std::size_t index = 0;
  for (json_value::iterator it = v.begin(); it != v.end(); ++it, ++index) {
    EXPECT_EQ(it.index(), index);
    dump(*it, out, depth + 1);
  }
  EXPECT_EQ(index, v.size()) << "iterating gave a different count than size()";
}

std::string dump(const json_value& v) {
  std::string out;
  dump(v, out);
  return out;
}

TEST(json_value, handles_iterators_find_and_identity_on_every_type) {
  const decode_result r = decode_json(
      R"( { "n" : null , "t":true,"f":false, "i":-12, "d":2.5e-3, "s":"str", "e":"",
            "a":[ 1 , [ ] , { } , [ [ 0 ] ] ], "o":{"x":{"y":[]}}, "ea":[], "eo":{} } )");
  ASSERT_TRUE(r.ok()) << test_support::describe_findings(r.problems);
  const json_value root = r.document->root();
  ASSERT_TRUE(root.is_object());
  EXPECT_EQ(root.key(), "");
  ASSERT_EQ(root.size(), 11u);
  const std::pair<const char*, json_type> expected[] = {
      {"n", json_type::null_value}, {"t", json_type::boolean}, {"f", json_type::boolean},
      {"i", json_type::number},     {"d", json_type::number},  {"s", json_type::string},
      {"e", json_type::string},     {"a", json_type::array},   {"o", json_type::object},
      {"ea", json_type::array},     {"eo", json_type::object}};
  std::size_t k = 0;
  std::vector<std::uint64_t> ids{root.id()};
  for (const json_value& m : root) {
    ASSERT_LT(k, std::size(expected));
    EXPECT_EQ(m.key(), expected[k].first);
    EXPECT_EQ(m.type(), expected[k].second) << m.key();
    // The same value reached three ways: by iterating, by find and by index.
    const std::optional<json_value> found = root.find(expected[k].first);
    ASSERT_TRUE(found) << m.key();
    EXPECT_TRUE(*found == m) << m.key();
    EXPECT_TRUE(root[k] == m) << m.key();
    EXPECT_EQ(found->id(), m.id());
    EXPECT_FALSE(m == root);
    ids.push_back(m.id());
    ++k;
  }
  EXPECT_EQ(k, 11u);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "ids are not unique";
  EXPECT_TRUE(root.find("n")->is_null());
  EXPECT_TRUE(root.find("t")->as_bool());
  EXPECT_FALSE(root.find("f")->as_bool());
  EXPECT_EQ(root.find("i")->as_int64(), -12);
  EXPECT_TRUE(root.find("i")->fits_int64());
  EXPECT_DOUBLE_EQ(root.find("d")->as_double(), 2.5e-3);
  EXPECT_FALSE(root.find("d")->is_integer());
  EXPECT_EQ(root.find("s")->as_string(), "str");
  EXPECT_EQ(root.find("e")->as_string(), "");
  EXPECT_FALSE(root.find("nope"));
  EXPECT_FALSE(root.find("s")->find("x")) << "find on a string";
  EXPECT_FALSE(root.find("a")->find("0")) << "find on an array";
  EXPECT_EQ(root.find("s")->size(), 0u);
  EXPECT_TRUE(root.find("s")->begin() == root.find("s")->end());
  const json_value a = *root.find("a");
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].as_int64(), 1);
  EXPECT_EQ(a[0].key(), "");
  EXPECT_TRUE(a[1].is_array());
  EXPECT_EQ(a[1].size(), 0u);
  EXPECT_TRUE(a[1].begin() == a[1].end());
  EXPECT_TRUE(a[2].is_object());
  EXPECT_EQ(a[2].size(), 0u);
  EXPECT_EQ(a[3][0][0].number_text(), "0");
  EXPECT_FALSE(a[1] == a[2]);
  EXPECT_EQ(root.find("o")->find("x")->find("y")->key(), "y");
  EXPECT_EQ(root.find("o")->find("x")->find("y")->size(), 0u);
  EXPECT_EQ(root.find("ea")->key(), "ea");
  EXPECT_EQ(root.find("eo")->key(), "eo");
  // The iterator's pointer-like access and post-increment.
  json_value::iterator it = a.begin();
  EXPECT_EQ(it->as_int64(), 1);
  json_value::iterator was = it++;
  EXPECT_EQ(was->as_int64(), 1);
  EXPECT_TRUE(it->is_array());
  EXPECT_EQ(it.index(), 1u);
  // Scalars as the root.
  for (const char* text : {"null", " true ", "-0.5", "\"x\"", "[]", "{}"}) {
    const decode_result one = decode_json(text);
    ASSERT_TRUE(one.ok()) << text;
    EXPECT_EQ(one.document->root().key(), "") << text;
    EXPECT_EQ(one.document->root().size(), 0u) << text;
  }
  EXPECT_TRUE(json_document().root().is_null());
}

TEST(json_value, a_traversal_reads_every_value_where_it_is) {
  const decode_result r = decode_json(
      "{\n\t\"a\" :\r\n [ 1 ,\"x\", {\"b\" : [] , \"c\":{ }}, [[ ]], true ] ,\"d\":-0e0 }\n");
  ASSERT_TRUE(r.ok()) << test_support::describe_findings(r.problems);
  EXPECT_EQ(dump(r.document->root()),
            "object size=2\n"
            " array key=a size=5\n"
            "  number key= text=1\n"
            "  string key= text=x\n"
            "  object key= size=2\n"
            "   array key=b size=0\n"
            "   object key=c size=0\n"
            "  array key= size=1\n"
            "   array key= size=0\n"
            "  boolean key= true\n"
            " number key=d text=-0e0\n");
}

TEST(json_value, strings_and_keys_with_escapes_read_back_decoded) {
  const decode_result r = decode_json(
      R"({"plain":"p","a\nb":"x\ny","\u00e9":"\u00e9t\u00e9","\ud83d\ude00":"\ud83d\ude00",)"
      R"("nul\u0000":"a\u0000b","q\"":"\\","\/\b\f\r\t":"\"\"","tail":"\\\"","last":"ok"})");
  ASSERT_TRUE(r.ok()) << test_support::describe_findings(r.problems);
  const json_value root = r.document->root();
  ASSERT_EQ(root.size(), 9u);
  const std::pair<std::string, std::string> members[] = {
      {"plain", "p"},
      {"a\nb", "x\ny"},
      {"\xc3\xa9", "\xc3\xa9t\xc3\xa9"},
      {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
      {"nul\0"s, "a\0b"s},
      {"q\"", "\\"},
      {"/\b\f\r\t", "\"\""},
      {"tail", "\\\""},
      {"last", "ok"},
  };
  std::size_t k = 0;
  for (const json_value& m : root) {
    if (k == 0) {
      EXPECT_EQ(m.key(), "plain");
    }
    if (k < std::size(members)) {
      EXPECT_EQ(m.key(), members[k].first) << "member " << k;
      EXPECT_EQ(m.as_string(), members[k].second) << "member " << k;
    }
    ++k;
  }
  for (const auto& [key, value] : members) {
    const std::optional<json_value> m = root.find(key);
    ASSERT_TRUE(m) << "find(" << key << ")";
    EXPECT_EQ(m->as_string(), value) << key;
    EXPECT_EQ(m->key(), key);
  }
  // A key that is only a prefix, or spelled raw, is not found.
  EXPECT_FALSE(root.find("a"));
  EXPECT_FALSE(root.find("a\\nb"));
  EXPECT_FALSE(root.find("q"));
  EXPECT_FALSE(root.find("plain\":\"p"));
  // Escaped values in arrays, next to plain ones.
  const decode_result arr = decode_json(R"(["\u0041", "B", "\"", "x\\", "\\", ""])");
  ASSERT_TRUE(arr.ok());
  std::string joined;
  for (const json_value& v : arr.document->root()) joined += std::string(v.as_string()) + "|";
  EXPECT_EQ(joined, "A|B|\"|x\\|\\||");
  // A long string with escapes (a PEM certificate's newlines), and one after it.
  std::string pem, pem_text;
  for (int i = 0; i < 5000; ++i) {
    pem += "MIIDeTCCAmGgAwIBAgIJAK\n";
    pem_text += "MIIDeTCCAmGgAwIBAgIJAK\\n";
  }
  const decode_result long_one = decode_json(R"({"content":")" + pem_text + R"(","next":"a\tb"})");
  ASSERT_TRUE(long_one.ok()) << test_support::describe_findings(long_one.problems);
  EXPECT_EQ(long_one.document->root().find("content")->as_string(), pem);
  EXPECT_EQ(long_one.document->root().find("next")->as_string(), "a\tb");
  // A root string with escapes.
  const decode_result root_string = decode_json(R"("\u00e9\"")");
  ASSERT_TRUE(root_string.ok());
  EXPECT_EQ(root_string.document->root().as_string(), "\xc3\xa9\"");
}

TEST(json_value, numbers_beyond_double_range_keep_their_text_in_a_document) {
  const std::string big(400, '7');
  const decode_result r = decode_json(R"({"a":1e400,"b":[-1e999,2,)" + big + R"(],"c":3})");
  ASSERT_TRUE(r.document.has_value()) << test_support::describe_findings(r.problems);
  const json_value root = r.document->root();
  EXPECT_EQ(root.find("a")->number_text(), "1e400");
  EXPECT_EQ(root.find("b")->size(), 3u);
  EXPECT_EQ((*root.find("b"))[0].number_text(), "-1e999");
  EXPECT_EQ((*root.find("b"))[1].as_int64(), 2);
  EXPECT_EQ((*root.find("b"))[2].number_text(), big);
  EXPECT_TRUE((*root.find("b"))[2].is_integer());
  EXPECT_EQ(root.find("c")->as_int64(), 3);
  EXPECT_EQ(r.document->text().substr(0, 10), R"({"a":1e400)");
}

// The recursive (fast) and iterative (strict) readers record the same document.
TEST(json_value, deep_nesting_iterates_on_both_readers) {
  for (std::size_t depth : {std::size_t{10}, std::size_t{900}, std::size_t{5000}}) {
    std::string text;
    for (std::size_t i = 0; i < depth; ++i) text += i % 2 ? R"({"k":[1,)" : "[";
    text += "\"leaf\"";
    for (std::size_t i = depth; i-- > 0;) text += i % 2 ? "]}" : "]";
    decode_limits limits;
    limits.max_depth = depth <= 600 ? 1000 : 3 * depth;  // the fast reader up to 1000
    const decode_result r = decode_json(text, limits);
    ASSERT_TRUE(r.ok()) << depth << test_support::describe_findings(r.problems);
    json_value v = r.document->root();
    std::size_t levels = 0;
    for (bool more = true; more && levels < 4 * depth; ++levels) {
      more = false;
      if (v.is_array()) {
        json_value last = v;
        for (const json_value& c : v) last = c;  // the last child
        if (!(last == v)) {
          v = last;
          more = true;
        }
      } else if (v.is_object()) {
        ASSERT_EQ(v.size(), 1u);
        v = *v.find("k");
        more = true;
      }
    }
    EXPECT_EQ(v.as_string(), "leaf") << depth;
  }
  // Both readers, side by side on documents with every construct.
  for (const std::string& text :
       {R"({"a":[1,{"b":"\u00e9","c":[[],{}]}],"d":{"e":{"f":null}},"g":"\"x\""})"s,
        R"([ { "k" : [ ] } , [ { } ] , "s" , 1.5 , { "x" : { "y" : [ 0 ] } } ])"s}) {
    decode_limits deep;
    deep.max_depth = 100'000;  // beyond the recursive reader's limit: the iterative one reads it
    const decode_result fast = decode_json(text);
    const decode_result strict = decode_json(text, deep);
    ASSERT_TRUE(fast.ok() && strict.ok()) << text;
    EXPECT_EQ(dump(fast.document->root()), dump(strict.document->root())) << text;
  }
}

TEST(json_value, decode_owned_json_keeps_the_callers_buffer) {
  std::string text = R"({"data":[)" + std::string(1000, ' ') + "]}";
  const char* buffer = text.data();
  const decode_result r = decode_owned_json(std::move(text));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.document->text().data(), buffer) << "the text was copied";
  EXPECT_EQ(r.document->root().find("data")->size(), 0u);
  // Handles taken before the document moves stay valid: they point at its storage.
  decode_result moved = decode_owned_json(R"({"a":"b","c":[1,{"d":"\u00e9"}]})");
  const json_value a = *moved.document->root().find("a");
  const json_value c = *moved.document->root().find("c");
  std::vector<json_document> docs;
  docs.push_back(std::move(*moved.document));
  moved.document.reset();
  for (int i = 0; i < 100; ++i) docs.push_back(json_document());  // reallocates
  EXPECT_EQ(a.as_string(), "b");
  EXPECT_EQ(c[1].find("d")->as_string(), "\xc3\xa9");
  EXPECT_TRUE(docs[0].root().find("a") == a);
}

// Duplicate keys at every position of objects on both sides of the small-object threshold,
// with the duplicate spelled plainly or with an escape.
TEST(decode_json, duplicate_keys_at_every_position) {
  for (std::size_t n :
       {std::size_t{8}, std::size_t{16}, std::size_t{17}, std::size_t{100}, std::size_t{300}}) {
    for (std::size_t j = 1; j < n; ++j) {
      const std::size_t i = (j * 7 + 3) % j;  // an earlier member, spread over the positions
      for (bool escaped : {false, true}) {
        std::string text = "{";
        for (std::size_t m = 0; m < n; ++m) {
          const std::size_t name = m == j ? i : m;
          std::string key = "k" + std::to_string(name);
          if (m == j && escaped) key = "\\u006b" + std::to_string(name);  // \u006b is 'k'
          text += (m ? "," : "") + ("\"" + key + "\":") + std::to_string(m);
        }
        text += "}";
        const decode_result r = decode_json(text);
        ASSERT_TRUE(r.document.has_value()) << text;
        ASSERT_EQ(r.problems.size(), 1u)
            << "n=" << n << " j=" << j << test_support::describe_findings(r.problems);
        EXPECT_EQ(r.problems[0].check, "json.duplicate_key");
        EXPECT_EQ(r.problems[0].pointer, "/k" + std::to_string(i)) << "n=" << n << " j=" << j;
        EXPECT_EQ(r.document->root().size(), n);
      }
    }
    // No duplicate: no finding, whatever the size.
    std::string text = "{";
    for (std::size_t m = 0; m < n; ++m) text += (m ? ",\"k" : "\"k") + std::to_string(m) + "\":0";
    const decode_result clean = decode_json(text + "}");
    EXPECT_TRUE(clean.ok()) << n << test_support::describe_findings(clean.problems);
    EXPECT_TRUE(clean.problems.empty()) << n;
  }
  // Prefixes are not duplicates; keys that differ only after a shared prefix are not either.
  const decode_result prefixes =
      decode_json(R"({"a":0,"ab":1,"abc":2,"b":3,"ba":4,"":5,"a\u0000":6,"c":7,"d":8,"e":9,"f":10,)"
                  R"("g":11,"h":12,"i":13,"j":14,"k":15,"l":16,"m":17,"abcd":18})");
  EXPECT_TRUE(prefixes.ok()) << test_support::describe_findings(prefixes.problems);
  // Several duplicates in a large object: once each, in key order.
  std::string many = "{";
  for (int m = 0; m < 40; ++m) many += "\"k" + std::to_string(m % 20) + "\":0,";
  many += "\"z\":0}";
  const decode_result r = decode_json(many);
  ASSERT_EQ(r.problems.size(), 20u) << test_support::describe_findings(r.problems);
  EXPECT_EQ(r.problems[0].pointer, "/k0");
  EXPECT_EQ(r.problems[1].pointer, "/k1");
  EXPECT_EQ(r.problems[2].pointer, "/k10");
}

// Documents are read by a fast path (recursive, in situ, one UTF-8 pass first) up to a depth
// limit of 1000 and by the strict path (iterative, validating) beyond it or when the fast path
// refuses; both must give the same findings and the same document for every input.
TEST(decode_json, fast_and_strict_paths_agree) {
  std::vector<std::string> inputs = {
      R"({"a":9007199254740993,"a":1,"b":[1e400,{"c":"\u00e9","c":0}]})",
      R"({"x":[{"id":"a","id":"b"}],"y":"\ud83d\ude00","z":"\udc00"})",
      R"([1,2,3e999,-0.0,"\\","\"",{"":{"":[]}}])",
      "[\"\xe2\x82\xac\",\"\xf0\x9f\x98\x80\"]",
      "[\"\xe2\x82\"]",
      "{\"a\":\"\xed\xa0\x80\"}",
      "[1,2",
      "{\"a\":1,}",
      "[\"a\\u0000b\"]",
      " \n[ [ ] , { } ]\n ",
      R"({"k":"v"} x)",
      R"({"a":{"b":{"c":[1,2,{"d":18446744073709551616}]}}})",
  };
  std::string many = "{";
  for (int i = 0; i < 40; ++i) many += "\"k" + std::to_string(i % 30) + "\":9007199254740993,";
  inputs.push_back(many + "\"end\":0}");
  decode_limits strict_limits;
  strict_limits.max_depth = 100'000;
  for (const std::string& text : inputs) {
    const decode_result fast = decode_json(text);
    const decode_result strict = decode_json(text, strict_limits);
    EXPECT_EQ(test_support::describe_findings(fast.problems),
              test_support::describe_findings(strict.problems))
        << text;
    ASSERT_EQ(fast.problems.size(), strict.problems.size()) << text;
    for (std::size_t i = 0; i < fast.problems.size(); ++i) {
      EXPECT_EQ(fast.problems[i].position.has_value(), strict.problems[i].position.has_value());
      if (fast.problems[i].position && strict.problems[i].position) {
        EXPECT_EQ(fast.problems[i].position->offset, strict.problems[i].position->offset) << text;
      }
    }
    ASSERT_EQ(fast.document.has_value(), strict.document.has_value()) << text;
    if (fast.document) {
      EXPECT_EQ(dump(fast.document->root()), dump(strict.document->root())) << text;
      EXPECT_EQ(fast.document->footprint(), strict.document->footprint()) << text;
    }
  }
}

}  // namespace
}  // namespace certharness
