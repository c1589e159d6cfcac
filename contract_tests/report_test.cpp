// validate's two renderings of a report (README "JSON report" and the text format above it):
// the JSON is strict and has exactly the documented members, the text has one line per subject,
// one per finding and a summary line; hostile bytes reach neither raw.
#include "certharness/report/report.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/json/json_document.hpp"
#include "certharness/json/text_escaping.hpp"

namespace certharness {
namespace {

finding make(std::string check, severity level, std::string pointer, std::string keyword,
             std::string message, std::optional<text_position> position = std::nullopt) {
  // Set field by field: the report renders whatever a finding holds.
  finding f;
  f.check = std::move(check);
  f.level = level;
  f.pointer = std::move(pointer);
  f.keyword = std::move(keyword);
  f.message = std::move(message);
  f.position = position;
  return f;
}

// Two subjects: a valid one with a byte-level warning, an invalid one with a schema error.
validate_report sample() {
  validate_report r;
  subject_report a;
  a.subject = "a.json";
  a.schema = "Certificate";
  a.placed_by = "\"object\": \"certificate\"";
  a.valid = true;
  a.problems.push_back(make("json.number_range", severity::warning, "/created_at", "",
                            "integer 18446744073709551616 is beyond +/-2^53",
                            text_position{97, 5, 17}));
  subject_report b;
  b.subject = "b.json";
  b.schema = "ListCertificatesResponse";
  b.placed_by = "option";
  b.problems.push_back(make("schema", severity::error, "/data/0/created_at", "type",
                            "expected integer, got number 1.5"));
  b.problems.push_back(make("schema.unknown_property", severity::note, "/extra", "", "unknown"));
  subject_report c;
  c.subject = "c.json";  // not JSON: no schema, no placed_by
  c.problems.push_back(
      make("json.syntax", severity::error, "", "", "unexpected end", text_position{3, 1, 4}));
  r.subjects = {a, b, c};
  r.summary = summarize(r.subjects);
  return r;
}

std::set<std::string> keys(const json_value& object) {
  std::set<std::string> out;
  for (const json_value& m : object) out.emplace(m.key());
  return out;
}

std::string str(const json_value& object, std::string_view key) {
  std::optional<json_value> v = object.find(key);
  return v && v->is_string() ? std::string(v->as_string()) : "<absent or not a string>";
}

TEST(render_json, has_the_documented_members_in_input_order) {
  const std::string json = render_json(sample());
  EXPECT_TRUE(json.ends_with("}\n")) << "one document on one line";
  EXPECT_EQ(json.find('\n'), json.size() - 1) << json;
  const decode_result d = decode_json(json);
  ASSERT_TRUE(d.ok()) << json;
  const json_value root = d.document->root();
  EXPECT_EQ(keys(root),
            (std::set<std::string>{"command", "contract", "subjects", "findings", "summary"}));
  EXPECT_EQ(str(root, "command"), "validate");
  EXPECT_EQ(keys(*root.find("contract")), (std::set<std::string>{"source"}));
  EXPECT_EQ(str(*root.find("contract"), "source"), "built-in");

  const json_value subjects = *root.find("subjects");
  ASSERT_EQ(subjects.size(), 3u);
  EXPECT_EQ(str(subjects[0], "subject"), "a.json");
  EXPECT_EQ(str(subjects[0], "schema"), "Certificate");
  EXPECT_EQ(str(subjects[0], "placed_by"), "\"object\": \"certificate\"");
  EXPECT_TRUE(subjects[0].find("valid")->as_bool());
  EXPECT_EQ(str(subjects[1], "placed_by"), "option");
  EXPECT_FALSE(subjects[1].find("valid")->as_bool());
  // Not placed: schema null, and no placed_by at all.
  EXPECT_TRUE(subjects[2].find("schema")->is_null());
  EXPECT_EQ(keys(subjects[2]), (std::set<std::string>{"subject", "schema", "valid"}));

  const json_value findings = *root.find("findings");
  ASSERT_EQ(findings.size(), 4u);
  // Byte-level: offset, line, column; no keyword.
  EXPECT_EQ(keys(findings[0]), (std::set<std::string>{"subject", "check", "severity", "pointer",
                                                      "message", "offset", "line", "column"}));
  EXPECT_EQ(str(findings[0], "severity"), "warning");
  EXPECT_EQ(findings[0].find("offset")->as_int64(), 97);
  EXPECT_EQ(findings[0].find("line")->as_int64(), 5);
  EXPECT_EQ(findings[0].find("column")->as_int64(), 17);
  // Schema: keyword; no position.
  EXPECT_EQ(keys(findings[1]), (std::set<std::string>{"subject", "check", "severity", "pointer",
                                                      "keyword", "message"}));
  EXPECT_EQ(str(findings[1], "subject"), "b.json");
  EXPECT_EQ(str(findings[1], "check"), "schema");
  EXPECT_EQ(str(findings[1], "pointer"), "/data/0/created_at");
  EXPECT_EQ(str(findings[1], "keyword"), "type");
  EXPECT_EQ(str(findings[2], "severity"), "note");
  EXPECT_EQ(str(findings[3], "pointer"), "");

  const json_value summary = *root.find("summary");
  const std::pair<const char*, std::int64_t> counts[] = {
      {"subjects", 3}, {"valid", 1}, {"invalid", 2}, {"errors", 2}, {"warnings", 1}, {"notes", 1}};
  EXPECT_EQ(summary.size(), std::size(counts));
  for (const auto& [name, n] : counts) {
    ASSERT_NE(summary.find(name), std::nullopt) << name;
    EXPECT_EQ(summary.find(name)->as_int64(), n) << name;
  }
}

TEST(render_json, stays_strict_json_whatever_bytes_the_inputs_hold) {
  validate_report r;
  subject_report s;
  s.subject = std::string("bad\xff\"\\\n\0name", 12);
  s.placed_by = "\xed\xa0\x80";
  s.problems.push_back(make("schema", severity::error, "/k\xc3", "type", "got \x1b[2J\x80"));
  r.subjects = {s};
  r.summary = summarize(r.subjects);
  const decode_result d = decode_json(render_json(r));
  ASSERT_TRUE(d.ok()) << render_json(r);
  const json_value root = d.document->root();
  EXPECT_EQ(str(root.find("subjects")->operator[](0), "subject"), utf8_sanitized(s.subject));
  const json_value f = root.find("findings")->operator[](0);
  EXPECT_EQ(str(f, "pointer"), utf8_sanitized(s.problems[0].pointer));
  EXPECT_EQ(str(f, "message"), utf8_sanitized(s.problems[0].message));
}

TEST(render_text, is_one_line_per_subject_and_finding_then_a_summary) {
  const std::string text = render_text(sample(), false);
  const std::string expected =
      "a.json: Certificate (by \"object\": \"certificate\"): valid\n"
      // A pointer wins over the position in the prefix; the position follows the message.
      "a.json:/created_at: warning: json.number_range: integer 18446744073709551616 is beyond "
      "+/-2^53 (line 5, column 17, byte 97)\n"
      "b.json: ListCertificatesResponse (by option): INVALID\n"
      "b.json:/data/0/created_at: error: schema: expected integer, got number 1.5\n"
      "b.json:/extra: note: schema.unknown_property: unknown\n"
      "c.json: no schema: INVALID\n"
      // No pointer: line:column, as compilers do.
      "c.json:1:4: error: json.syntax: unexpected end (line 1, column 4, byte 3)\n"
      "3 subjects: 1 valid, 2 invalid (2 errors, 1 warning, 1 note)\n";
  EXPECT_EQ(text, expected);
}

// The contract is named in text only when it was read from a document (--spec): a line before
// the summary; the rest is as without it.
TEST(render_text, names_a_contract_read_from_a_document) {
  validate_report r = sample();
  const std::string builtin = render_text(r, false);
  EXPECT_EQ(builtin.find("contract: "), std::string::npos);
  r.contract_source = "openapi.yaml";
  const std::string text = render_text(r, false);
  const std::string line = "contract: openapi.yaml\n";
  const std::size_t at_line = text.find(line);
  ASSERT_NE(at_line, std::string::npos) << text;
  EXPECT_EQ(text.substr(at_line + line.size()),
            "3 subjects: 1 valid, 2 invalid (2 errors, 1 warning, 1 note)\n");
  EXPECT_EQ(std::string(text).erase(at_line, line.size()), builtin);
  const decode_result d = decode_json(render_json(r));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(str(*d.document->root().find("contract"), "source"), "openapi.yaml");
}

TEST(render_text, colours_only_the_severity_and_only_when_asked) {
  const std::string plain = render_text(sample(), false);
  const std::string coloured = render_text(sample(), true);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_NE(coloured.find(std::string(severity_colour(severity::error)) + "error\x1b[0m: schema"),
            std::string::npos)
      << coloured;
  // Taking the colour out gives the plain text back.
  std::string stripped = coloured;
  for (const std::string_view sgr :
       {severity_colour(severity::error), severity_colour(severity::warning),
        severity_colour(severity::note), std::string_view("\x1b[0m")}) {
    for (std::size_t p; (p = stripped.find(sgr)) != std::string::npos;)
      stripped.erase(p, sgr.size());
  }
  EXPECT_EQ(stripped, plain);
}

TEST(render_text, escapes_what_the_document_and_the_path_brought) {
  validate_report r;
  subject_report s;
  s.subject = "evil\x1b[2J.json";
  s.problems.push_back(make("schema", severity::error, "/a\nb", "type", "got \"\x07\""));
  r.subjects = {s};
  r.summary = summarize(r.subjects);
  const std::string text = render_text(r, false);
  EXPECT_EQ(text,
            "evil\\x1b[2J.json: no schema: INVALID\n"
            "evil\\x1b[2J.json:/a\\x0ab: error: schema: got \"\\x07\"\n"
            "1 subject: 0 valid, 1 invalid (1 error, 0 warnings, 0 notes)\n");
}

}  // namespace
}  // namespace certharness
