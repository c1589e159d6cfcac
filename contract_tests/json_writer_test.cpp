// The one JSON writer (json_writer.hpp): escaping, the UTF-8 policy, numbers, commas, and the
// DOM serializer at any depth the decoder accepts.
#include "certharness/json/json_writer.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "certharness/json/json_document.hpp"

namespace certharness {
namespace {

using namespace std::string_literals;

std::string describe(const findings& problems) {
  std::string out;
  for (const finding& f : problems)
    out += "\n  " + f.check + " at '" + f.pointer + "': " + f.message;
  return out;
}

std::string as_string_value(std::string_view s) {
  std::string out;
  json_writer(out).string(s);
  return out;
}

TEST(json_writer, escapes_every_control_character_and_nothing_else_below_0x80) {
  for (int c = 0; c < 0x80; ++c) {
    std::string expected;
    switch (c) {
      case '"':
        expected = "\\\"";
        break;
      case '\\':
        expected = "\\\\";
        break;
      case '\b':
        expected = "\\b";
        break;
      case '\f':
        expected = "\\f";
        break;
      case '\n':
        expected = "\\n";
        break;
      case '\r':
        expected = "\\r";
        break;
      case '\t':
        expected = "\\t";
        break;
      default:
        if (c < 0x20) {
          static constexpr char hex[] = "0123456789abcdef";
          expected = "\\u00"s + hex[c >> 4] + hex[c & 15];
        } else {
          expected = std::string(1, static_cast<char>(c));  // DEL and '/' as they are
        }
    }
    EXPECT_EQ(as_string_value(std::string(1, static_cast<char>(c))), "\"" + expected + "\"")
        << "byte " << c;
  }
}

TEST(json_writer, append_json_string_round_trips) {
  const std::string original = "q\"b\\s/\b\f\n\r\t\x01\x1f \xc3\xa9"s + std::string(1, '\0');
  std::string encoded;
  append_json_string(encoded, original);
  const decode_result r = decode_json(encoded);
  ASSERT_TRUE(r.ok()) << encoded << describe(r.problems);
  EXPECT_EQ(r.document->root().as_string(), original);
}

// The policy: each byte that is not part of a well-formed UTF-8 sequence becomes U+FFFD (what
// utf8_sanitized, the reports and the HAR writer did before the writer was one).
TEST(json_writer, writes_u_fffd_for_each_byte_that_is_not_utf8_in_strings_and_keys) {
  const std::string fffd = "\xEF\xBF\xBD";
  struct case_t {
    const char* name;
    std::string in, out;
  };
  const case_t cases[] = {
      {"valid 2, 3 and 4 bytes", "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x94\x90",
       "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x94\x90"},
      {"CESU high surrogate", "\xED\xA0\x80", fffd + fffd + fffd},
      {"CESU low surrogate", "a\xED\xB0\x80z", "a" + fffd + fffd + fffd + "z"},
      {"overlong slash", "\xC0\xAF", fffd + fffd},
      {"overlong 3 bytes", "\xE0\x80\xAF", fffd + fffd + fffd},
      {"beyond U+10FFFF", "\xF4\x90\x80\x80", fffd + fffd + fffd + fffd},
      {"F5 lead", "\xF5\x80", fffd + fffd},
      {"truncated", "x\xE2\x82", "x" + fffd + fffd},
      {"stray continuation", "\x80", fffd},
      {"FF", "\xFF\"", fffd + "\\\""},
  };
  for (const case_t& c : cases) {
    EXPECT_EQ(as_string_value(c.in), "\"" + c.out + "\"") << c.name;
    std::string keyed;
    json_writer(keyed).begin_object().key(c.in).null().end_object();
    EXPECT_EQ(keyed, "{\"" + c.out + "\":null}") << c.name;
  }
  // append_json_string itself is byte-transparent: the writer is what guarantees UTF-8.
  std::string raw;
  append_json_string(raw, "\xFF");
  EXPECT_EQ(raw, "\"\xFF\"");
}

TEST(json_writer, writes_numbers_as_text) {
  std::string out;
  json_writer w(out);
  w.begin_array();
  w.number(0).number(-1).number(std::numeric_limits<std::int64_t>::min());
  w.number(std::numeric_limits<std::int64_t>::max())
      .number(std::numeric_limits<std::uint64_t>::max());
  w.number(std::size_t{42}).number(0.1).number(1.5e300).number(-0.0).number(1e-7);
  w.number(std::nan("")).number(std::numeric_limits<double>::infinity());
  w.number_text("1.0e+999").number_text("-0.0e999");
  w.end_array();
  EXPECT_EQ(out,
            "[0,-1,-9223372036854775808,9223372036854775807,18446744073709551615,42,0.1,1.5e+300,"
            "-0,1e-07,null,null,1.0e+999,-0.0e999]");
}

TEST(json_writer, places_commas_and_colons_in_nested_containers) {
  std::string out = "prefix:";
  json_writer w(out);
  w.begin_object().key("a").begin_array().end_array().key("b").begin_object().end_object();
  w.key("c").begin_array().boolean(true).begin_object().key("d").null().end_object();
  w.begin_array().string("e").raw("{}").end_array().end_array().key("f").boolean(false);
  w.end_object();
  EXPECT_EQ(out, R"(prefix:{"a":[],"b":{},"c":[true,{"d":null},["e",{}]],"f":false})");
}

// Indented as Python's json.dumps(indent=2) lays out schemas/*.json: a line per member and
// element, ": " after keys, empty containers closed on their line.
TEST(json_writer, indents_when_asked) {
  std::string out;
  json_writer w(out, 2);
  w.begin_object().key("a").begin_array().end_array().key("b").begin_object().end_object();
  w.key("c").begin_array().boolean(true).begin_object().key("d").null().end_object();
  w.end_array().end_object();
  EXPECT_EQ(out,
            "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    true,\n    {\n      \"d\": "
            "null\n    }\n  ]\n}");
  const decode_result d = decode_json(R"({"k":[1,{"x":"y"}]})");
  ASSERT_TRUE(d.ok());
  std::string value;
  json_writer(value, 1).value(d.document->root());
  EXPECT_EQ(value, "{\n \"k\": [\n  1,\n  {\n   \"x\": \"y\"\n  }\n ]\n}");
}

// A text written in parts, as the HAR is: each part's writer starts outside any container.
TEST(json_writer, writes_a_text_in_parts) {
  std::string head, item, tail = "]}";
  json_writer(head).begin_object().key("entries").begin_array();
  json_writer(item).begin_object().key("n").number(1).end_object();
  EXPECT_EQ(head + item + tail, R"({"entries":[{"n":1}]})");
}

TEST(json_text, gives_back_the_decoded_document_exactly) {
  struct case_t {
    const char* in;
    const char* out;
  };
  const case_t cases[] = {
      {"null", "null"},
      {" true ", "true"},
      {"-0.0e999", "-0.0e999"},
      {"12345678901234567890123", "12345678901234567890123"},
      {R"( "\u00e9\ud83d\udd10\/\u0000" )", "\"\xC3\xA9\xF0\x9F\x94\x90/\\u0000\""},
      {R"({ "b" : 1 , "a" : [ 1.0 , 1e3 , {} , [] ] , "b" : "dup" })",
       R"({"b":1,"a":[1.0,1e3,{},[]],"b":"dup"})"},
      {R"([{"":{"\u0022":""}}])", R"([{"":{"\"":""}}])"},
  };
  for (const case_t& c : cases) {
    const decode_result d = decode_json(c.in);
    ASSERT_TRUE(d.document) << c.in << describe(d.problems);
    const std::string text = json_text(d.document->root());
    EXPECT_EQ(text, c.out) << c.in;
    const decode_result again = decode_json(text);
    ASSERT_TRUE(again.document) << text;
    EXPECT_EQ(json_text(again.document->root()), text) << c.in;
  }
}

// The decoder's depth is whatever decode_limits says (default 256, no ceiling), so the
// serializer must not recurse: 100,000 levels of arrays and of objects.
TEST(json_text, writes_a_100000_deep_document_without_recursing) {
  constexpr std::size_t depth = 100'000;
  const decode_limits limits{std::size_t{16} << 20, depth + 1};
  const std::string arrays = std::string(depth, '[') + "7" + std::string(depth, ']');
  std::string objects;
  for (std::size_t i = 0; i < depth; ++i) objects += "{\"k\":";
  objects += "null" + std::string(depth, '}');
  for (const std::string& text : {arrays, objects}) {
    const decode_result d = decode_json(text, limits);
    ASSERT_TRUE(d.document) << describe(d.problems);
    EXPECT_TRUE(json_text(d.document->root()) == text) << text.substr(0, 20) << "...";
  }
}

class upper_case_hooks final : public json_write_hooks {
 public:
  void text(json_writer& w, std::string_view s, bool is_key) override {
    std::string copy(s);
    for (char& c : copy) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    json_write_hooks::text(w, copy, is_key);
  }
  bool replace_value(json_writer& w, const json_value& member) override {
    if (member.key() != "secret") return false;
    w.string("-");
    return true;
  }
};

TEST(json_text, lets_hooks_rewrite_strings_and_replace_members) {
  const decode_result d = decode_json(R"({"a":"b","secret":{"deep":[1]},"c":["d",2]})");
  ASSERT_TRUE(d.document);
  std::string out;
  upper_case_hooks hooks;
  json_writer(out).value(d.document->root(), hooks);
  EXPECT_EQ(out, R"({"A":"B","SECRET":"-","C":["D",2]})");
}

}  // namespace
}  // namespace certharness
