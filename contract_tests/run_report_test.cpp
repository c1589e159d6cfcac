// The conformance run report: JSON (parsed back strictly), text (one line per finding and a
// per-check table), JUnit (parsed by a real XML parser), all fed hostile strings.
#include <sys/wait.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/findings/check_catalogue.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/report/run_report.hpp"
#include "corpus_files.hpp"
#include "test_support.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;

const std::string walk = "GET /organization/certificates order=desc limit=7";
const std::string by_id = "get by id";
const std::string probes = "negative probes";
const std::string hostile_group = "walk \"<&>\" \x01\xff";

const std::string r_page1 = "GET https://h/v1/organization/certificates?limit=7&order=desc";
// A cursor echoed from a hostile server: quotes, markup, an ANSI escape, a stray byte, a CDATA end.
const std::string r_page2 = r_page1 + "&after=cert_\"<&>'\x1b[31m\xff]]>";
const std::string r_get1 = "GET https://h/v1/organization/certificates/cert_1";
const std::string r_get2 = "GET https://h/v1/organization/certificates/cert_2";
const std::string r_limit0 = "GET https://h/v1/organization/certificates?limit=0";
const std::string r_abc = "GET https://h/v1/organization/certificates?limit=abc";
const std::string r_101 = "GET https://h/v1/organization/certificates?limit=101";

// r_page2 as each report spells it: control bytes escaped in text, invalid UTF-8 as U+FFFD in
// JSON, both in JUnit.
const std::string page2_in_text = r_page1 + "&after=cert_\"<&>'\\x1b[31m\\xff]]>";
const std::string page2_in_json = r_page1 + "&after=cert_\"<&>'\x1b[31m\xEF\xBF\xBD]]>";
const std::string page2_in_junit = r_page1 + "&after=cert_\"<&>'\\x1b[31m\\xff]]>";

// Quotes, markup, control bytes, DEL, "]]>", invalid UTF-8 (\xc3 then '(') and U+FFFE.
const std::string hostile_message = "created_at \"5\" < 7 & more\x01\x7f ]]> \xc3( \xef\xbf\xbe";

run_finding make(const std::string& group, const std::string& request, const std::string& check,
                 severity level, const std::string& pointer, const std::string& message) {
  run_finding f{group, request, {}};
  f.what.check = check;
  f.what.level = level;
  f.what.pointer = pointer;
  f.what.message = message;
  return f;
}

run_report hostile_report(std::string command = "crawl") {
  run_report r;
  r.command = std::move(command);
  r.requests = {{r_page1, 200, 1, "", ""},
                {r_page2, 200, 1, "", ""},
                {r_get1, 200, 3, "", "429 (Retry-After 1 s); 503"},
                {r_get2, 200, 1, "", ""},
                {r_limit0, 200, 1, "", ""},
                {r_abc, 0, 2, "connection reset by peer", "connection reset by peer"},
                {r_101, 429, 1, "", ""}};
  r.findings = {
      make(walk, r_page2, "list.order", severity::error, "/data/3/created_at", hostile_message),
      make(walk, r_page1, "schema.unknown_property", severity::note, "/data/0/extra<&>",
           "unknown property \"extra<&>\""),
      make(walk, r_page2, "json.syntax", severity::error, "", "trailing comma before ']'"),
      make(by_id, r_get1, "cert.consistency", severity::error, "/name",
           "name 'a' differs from the list's 'b'"),
      make(probes, r_limit0, "request.accepted_invalid", severity::error, "",
           "limit=0 answered 200"),
      make(probes, r_101, "http.retry_after", severity::warning, "", "429 without Retry-After"),
      make(hostile_group, r_page1, "list.max_pages", severity::error, "", "stopped after 3 pages"),
      make(walk, r_page1, "list.order", severity::error, "/data/1/created_at", "not descending"),
  };
  r.findings[2].what.position = text_position{308, 15, 3};
  r.groups[walk] = {{"http.status", {3, 0}},
                    {"list.order", {1, 2}},
                    {"schema.unknown_property", {2, 1}},
                    {"json.syntax", {2, 1}}};
  r.groups[by_id] = {{"cert.consistency", {1, 1}}, {"http.status", {2, 0}}};
  r.groups[probes] = {{"request.accepted_invalid", {3, 1}}, {"http.retry_after", {0, 1}}};
  r.groups[hostile_group] = {{"list.max_pages", {0, 1}}};
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

json_value at(const json_value& v, std::string_view key) {
  std::optional<json_value> m = v.find(key);
  if (!m) throw std::runtime_error("no member " + std::string(key));
  return *m;
}

std::string str(const json_value& v, std::string_view key) {
  return std::string(at(v, key).as_string());
}

std::int64_t num(const json_value& v, std::string_view key) { return at(v, key).as_int64(); }

TEST(run_report, summary_attributes_error_findings_to_their_requests) {
  const run_report r = hostile_report();
  const summary_counts c = r.summary();
  EXPECT_EQ(c.subjects, 7u);
  // Valid: r_get2 (no finding) and r_101 (a warning only). r_abc got no response.
  EXPECT_EQ(c.valid, 2u);
  EXPECT_EQ(c.invalid, 5u);
  EXPECT_EQ(c.errors, 6u);
  EXPECT_EQ(c.warnings, 1u);
  EXPECT_EQ(c.notes, 1u);
  EXPECT_TRUE(r.has_error());

  run_report warnings_only = r;
  std::erase_if(warnings_only.findings,
                [](const run_finding& f) { return f.what.level == severity::error; });
  EXPECT_FALSE(warnings_only.has_error());
}

TEST(run_report, checks_merge_every_group) {
  const check_tally all = hostile_report().checks();
  const check_tally expected = {{"cert.consistency", {1, 1}},
                                {"http.retry_after", {0, 1}},
                                {"http.status", {5, 0}},
                                {"json.syntax", {2, 1}},
                                {"list.max_pages", {0, 1}},
                                {"list.order", {1, 2}},
                                {"request.accepted_invalid", {3, 1}},
                                {"schema.unknown_property", {2, 1}}};
  ASSERT_EQ(all.size(), expected.size());
  for (const auto& [id, count] : expected) {
    ASSERT_TRUE(all.contains(id)) << id;
    EXPECT_EQ(all.at(id).passed, count.passed) << id;
    EXPECT_EQ(all.at(id).failed, count.failed) << id;
  }
}

TEST(run_report, json_is_strict_and_has_the_documented_shape) {
  const run_report r = hostile_report();
  const std::string json = render_run_json(r);
  ASSERT_EQ(json.back(), '\n');
  EXPECT_EQ(json.find('\n'), json.size() - 1) << "one line";
  decode_result d = decode_json(json);
  ASSERT_TRUE(d.document) << json;
  ASSERT_TRUE(d.problems.empty()) << d.problems.front().message;
  const json_value root = d.document->root();

  std::vector<std::string_view> keys;
  for (const json_value& m : root) keys.push_back(m.key());
  EXPECT_EQ(keys, (std::vector<std::string_view>{"command", "contract", "subjects", "findings",
                                                 "checks", "summary"}));
  EXPECT_EQ(str(root, "command"), "crawl");
  EXPECT_EQ(str(at(root, "contract"), "source"), "built-in");
  EXPECT_EQ(at(root, "contract").size(), 1u);

  const json_value subjects = at(root, "subjects");
  ASSERT_EQ(subjects.size(), r.requests.size());
  EXPECT_EQ(str(subjects[1], "subject"), page2_in_json);
  EXPECT_FALSE(at(subjects[1], "valid").as_bool());
  EXPECT_EQ(num(subjects[2], "attempts"), 3);
  EXPECT_EQ(str(subjects[2], "retries"), "429 (Retry-After 1 s); 503");
  EXPECT_EQ(subjects[2].find("error"), std::nullopt);
  EXPECT_TRUE(at(subjects[3], "valid").as_bool());
  EXPECT_EQ(num(subjects[3], "status"), 200);
  EXPECT_EQ(subjects[3].find("retries"), std::nullopt);
  EXPECT_TRUE(at(subjects[5], "status").is_null()) << "no response";
  EXPECT_EQ(str(subjects[5], "error"), "connection reset by peer");
  EXPECT_FALSE(at(subjects[5], "valid").as_bool());
  EXPECT_TRUE(at(subjects[6], "valid").as_bool()) << "a warning does not make it invalid";

  const json_value findings = at(root, "findings");
  ASSERT_EQ(findings.size(), r.findings.size());
  const json_value first = findings[0];
  EXPECT_EQ(str(first, "group"), walk);
  EXPECT_EQ(str(first, "check"), "list.order");
  EXPECT_EQ(str(first, "severity"), "error");
  EXPECT_EQ(str(first, "pointer"), "/data/3/created_at");
  EXPECT_EQ(str(first, "message"),
            "created_at \"5\" < 7 & more\x01\x7f ]]> \xEF\xBF\xBD( \xef\xbf\xbe");
  EXPECT_EQ(first.find("offset"), std::nullopt);
  EXPECT_EQ(str(findings[6], "group"), "walk \"<&>\" \x01\xEF\xBF\xBD");
  EXPECT_EQ(num(findings[2], "line"), 15);
  EXPECT_EQ(num(findings[2], "column"), 3);
  EXPECT_EQ(num(findings[2], "offset"), 308);

  const json_value checks = at(root, "checks");
  const check_tally expected = r.checks();
  ASSERT_EQ(checks.size(), expected.size());
  auto it = expected.begin();
  for (const json_value& c : checks) {
    EXPECT_EQ(c.key(), it->first) << "sorted by id";
    EXPECT_EQ(num(c, "passed"), static_cast<std::int64_t>(it->second.passed)) << it->first;
    EXPECT_EQ(num(c, "failed"), static_cast<std::int64_t>(it->second.failed)) << it->first;
    ++it;
  }

  const json_value summary = at(root, "summary");
  EXPECT_EQ(num(summary, "subjects"), 7);
  EXPECT_EQ(num(summary, "valid"), 2);
  EXPECT_EQ(num(summary, "invalid"), 5);
  EXPECT_EQ(num(summary, "errors"), 6);
  EXPECT_EQ(num(summary, "warnings"), 1);
  EXPECT_EQ(num(summary, "notes"), 1);
  EXPECT_EQ(summary.find("skipped"), std::nullopt) << "crawl skips nothing";
}

TEST(run_report, replay_reports_what_it_skipped) {
  run_report r = hostile_report("replay");
  for (std::size_t skipped : {0u, 4u}) {
    r.skipped = skipped;
    decode_result d = decode_json(render_run_json(r));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(num(at(d.document->root(), "summary"), "skipped"),
              static_cast<std::int64_t>(skipped));
    EXPECT_TRUE(lines_of(render_run_text(r, false))
                    .back()
                    .ends_with(", " + std::to_string(skipped) + " skipped"));
  }
}

TEST(run_report, text_has_a_line_per_finding_then_the_check_table_then_the_summary) {
  const run_report r = hostile_report();
  const std::string text = render_run_text(r, false);
  for (unsigned char c : text) ASSERT_TRUE(c >= 0x20 || c == '\n') << "raw control byte " << +c;
  const std::vector<std::string> lines = lines_of(text);
  const check_tally checks = r.checks();
  ASSERT_EQ(lines.size(), r.findings.size() + 1 + checks.size() + 1) << text;

  for (std::size_t i = 0; i < r.findings.size(); ++i) {
    const finding& f = r.findings[i].what;
    EXPECT_NE(lines[i].find(": " + std::string(to_string(f.level)) + ": " + f.check + ": "),
              std::string::npos)
        << lines[i];
  }
  EXPECT_EQ(lines[0], page2_in_text + ": " + walk +
                          ": /data/3/created_at: error: list.order: "
                          "created_at \"5\" < 7 & more\\x01\\x7f ]]> \\xc3( \xef\xbf\xbe");
  EXPECT_EQ(lines[2],
            page2_in_text + ": " + walk + ": 15:3: error: json.syntax: trailing comma before ']'");
  EXPECT_EQ(lines[4], r_limit0 +
                          ": negative probes: error: request.accepted_invalid: "
                          "limit=0 answered 200");
  EXPECT_EQ(lines[6], r_page1 +
                          ": walk \"<&>\" \\x01\\xff: error: list.max_pages: "
                          "stopped after 3 pages");

  // The table: a header, then every check that ran, sorted, in aligned columns.
  const std::size_t table = r.findings.size();
  EXPECT_TRUE(lines[table].starts_with("check ")) << lines[table];
  auto it = checks.begin();
  for (std::size_t i = table; i <= table + checks.size(); ++i) {
    EXPECT_EQ(lines[i].size(), lines[table].size()) << "aligned: " << lines[i];
    if (i == table) continue;
    std::istringstream row(lines[i]);
    std::string id, level;
    std::size_t passed = 0, failed = 0;
    row >> id >> level >> passed >> failed;
    EXPECT_EQ(id, it->first);
    EXPECT_EQ(level, to_string(find_check(id)->level)) << id;
    EXPECT_EQ(passed, it->second.passed) << id;
    EXPECT_EQ(failed, it->second.failed) << id;
    ++it;
  }
  EXPECT_EQ(lines.back(), "7 requests: 2 valid, 5 invalid (6 errors, 1 warning, 1 note)");
}

// Colour adds only SGR sequences: stripped of them, the coloured text is the plain text.
TEST(run_report, text_colour_paints_severities_and_failed_counts_only) {
  const run_report r = hostile_report();
  const std::string plain = render_run_text(r, false);
  const std::string coloured = render_run_text(r, true);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  std::string stripped;
  for (std::size_t i = 0; i < coloured.size(); ++i) {
    if (coloured[i] == '\x1b') {
      i = coloured.find('m', i);
      continue;
    }
    stripped.push_back(coloured[i]);
  }
  EXPECT_EQ(stripped, plain);
  const std::vector<std::string> lines = lines_of(coloured);
  EXPECT_NE(lines[0].find(": \x1b[1;31merror\x1b[0m: list.order: "), std::string::npos);
  EXPECT_NE(lines[1].find(": \x1b[1;36mnote\x1b[0m: "), std::string::npos);
  for (const std::string& line : lines) {
    if (line.starts_with("http.status ")) {
      EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
    }
    if (line.starts_with("list.order ")) {
      EXPECT_TRUE(line.ends_with("\x1b[1;31m2\x1b[0m")) << line;
    }
    if (line.starts_with("http.retry_after ")) {
      EXPECT_TRUE(line.ends_with("\x1b[1;33m1\x1b[0m")) << line;
    }
  }
}

TEST(run_report, empty_run) {
  run_report r;
  r.command = "crawl";
  EXPECT_EQ(render_run_text(r, false),
            "0 requests: 0 valid, 0 invalid (0 errors, 0 warnings, 0 notes)\n");
  decode_result d = decode_json(render_run_json(r));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(at(d.document->root(), "subjects").size(), 0u);
  EXPECT_EQ(at(d.document->root(), "checks").size(), 0u);
  EXPECT_FALSE(r.has_error());
}

// Which contract the run held the API to: always in JSON; in text and JUnit only when it was read
// from a document (--spec), so that a run without it writes what it always wrote.
TEST(run_report, names_the_contract_it_was_held_to) {
  run_report r = hostile_report();
  const std::string builtin_text = render_run_text(r, false);
  const std::string builtin_junit = render_junit(r);
  EXPECT_EQ(builtin_text.find("contract: "), std::string::npos);
  EXPECT_EQ(builtin_junit.find("<properties>"), std::string::npos);

  r.contract_source = "specs/openapi \"<&>\x01.yaml";
  decode_result d = decode_json(render_run_json(r));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(str(at(d.document->root(), "contract"), "source"), r.contract_source);
  const std::vector<std::string> lines = lines_of(render_run_text(r, false));
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[lines.size() - 2], "contract: specs/openapi \"<&>\\x01.yaml");
  // The rest is as without it.
  std::string without_line = render_run_text(r, false);
  without_line.erase(without_line.find("contract: "), lines[lines.size() - 2].size() + 1);
  EXPECT_EQ(without_line, builtin_text);
  const std::string junit = render_junit(r);
  const std::string property =
      "<properties><property name=\"contract\" value=\"specs/openapi "
      "&quot;&lt;&amp;&gt;\\x01.yaml\"/>"
      "</properties>";
  std::size_t suites = 0, properties = 0;
  for (std::size_t i = 0; (i = junit.find("<testsuite ", i)) != std::string::npos; ++i) ++suites;
  for (std::size_t i = 0; (i = junit.find(property, i)) != std::string::npos; ++i) ++properties;
  EXPECT_EQ(properties, suites) << junit;
  EXPECT_GT(suites, 0u);
}

// JUnit, read back by Python's expat-based ElementTree into JSON that decode_json reads.
class run_report_junit : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_run_report_test"); }
  void TearDown() override { fs::remove_all(dir_); }

  json_document parsed(const std::string& xml) {
    static constexpr std::string_view script = R"(
import json, sys, xml.etree.ElementTree as ET
def counts(e, names):
    return {n: int(e.get(n)) for n in names if e.get(n) is not None}
root = ET.parse(sys.argv[1]).getroot()
out = {"tag": root.tag, "name": root.get("name"), **counts(root, ["tests", "failures"]), "suites": []}
for s in root:
    suite = {"tag": s.tag, "name": s.get("name"),
             **counts(s, ["tests", "failures", "errors", "skipped"]), "cases": []}
    for c in s:
        case = {"tag": c.tag, "classname": c.get("classname"), "name": c.get("name"),
                "children": len(c), "text": c.text or ""}
        f = c.find("failure")
        if f is not None:
            case["failure"] = {"message": f.get("message"), "type": f.get("type"), "text": f.text or ""}
        o = c.find("system-out")
        if o is not None:
            case["system-out"] = o.text or ""
        suite["cases"].append(case)
    out["suites"].append(suite)
with open(sys.argv[2], "w") as o:
    json.dump(out, o)
)";
    const fs::path script_path = dir_ / "junit.py", xml_path = dir_ / "junit.xml",
                   json_path = dir_ / "junit.json";
    std::ofstream(script_path, std::ios::binary) << script;
    std::ofstream(xml_path, std::ios::binary) << xml;
    const std::string cmd = "/usr/bin/python3 '" + script_path.string() + "' '" +
                            xml_path.string() + "' '" + json_path.string() + "'";
    const int status = std::system(cmd.c_str());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the XML parser refused:\n"
                                                               << xml;
    decode_result d = decode_json(test_support::read_file(json_path.string()));
    if (!d.ok()) throw std::runtime_error("no parse result");
    return std::move(*d.document);
  }

  fs::path dir_;
};

// What xml_escaped makes of a string: control bytes spelled out, invalid UTF-8 and U+FFFE as
// U+FFFD; markup characters come back as themselves once parsed.
const std::string parsed_hostile_message =
    "created_at \"5\" < 7 & more\\x01\\x7f ]]> \\xc3( \xEF\xBF\xBD";

TEST_F(run_report_junit, parses_with_a_suite_per_group_and_a_case_per_check) {
  const run_report r = hostile_report();
  const std::string xml = render_junit(r);
  ASSERT_TRUE(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
  for (unsigned char c : xml) ASSERT_TRUE(c >= 0x20 || c == '\n') << "control byte " << +c;
  EXPECT_EQ(xml.find("\xEF\xBF\xBE"), std::string::npos);

  const json_document doc = parsed(xml);
  const json_value root = doc.root();
  EXPECT_EQ(str(root, "tag"), "testsuites");
  EXPECT_EQ(str(root, "name"), "certharness crawl");
  const json_value suites = at(root, "suites");
  ASSERT_EQ(suites.size(), 4u);
  EXPECT_EQ(str(suites[0], "name"), walk);
  EXPECT_EQ(str(suites[1], "name"), by_id);
  EXPECT_EQ(str(suites[2], "name"), probes);
  EXPECT_EQ(str(suites[3], "name"), "walk \"<&>\" \\x01\\xff");

  std::int64_t tests = 0, failures = 0, quiet = 0;
  for (const json_value& suite : suites) {
    EXPECT_EQ(str(suite, "tag"), "testsuite");
    EXPECT_EQ(num(suite, "errors"), 0);
    EXPECT_EQ(num(suite, "skipped"), 0);
    std::int64_t failing = 0;
    for (const json_value& c : at(suite, "cases")) {
      EXPECT_EQ(str(c, "tag"), "testcase");
      EXPECT_EQ(str(c, "classname"), str(suite, "name"));
      if (c.find("failure").has_value()) {
        ++failing;
        EXPECT_EQ(num(c, "children"), 1);
        EXPECT_EQ(str(at(c, "failure"), "type"), str(c, "name"));
      } else if (c.find("system-out").has_value()) {
        // Warnings and notes pass, and are carried in <system-out>.
        EXPECT_EQ(num(c, "children"), 1);
        ++quiet;
      } else {
        EXPECT_EQ(num(c, "children"), 0) << "a passing testcase is empty";
        EXPECT_EQ(str(c, "text"), "");
      }
    }
    EXPECT_EQ(num(suite, "tests"), static_cast<std::int64_t>(at(suite, "cases").size()));
    EXPECT_EQ(num(suite, "failures"), failing);
    tests += num(suite, "tests");
    failures += failing;
  }
  EXPECT_EQ(tests, 9);
  EXPECT_EQ(failures, 7 - quiet);
  EXPECT_GE(quiet, 1) << "the note-only schema.unknown_property case";
  EXPECT_EQ(num(root, "tests"), tests);
  EXPECT_EQ(num(root, "failures"), failures);

  // The walk: http.status, json.syntax, list.order, schema.unknown_property, sorted.
  const json_value cases = at(suites[0], "cases");
  ASSERT_EQ(cases.size(), 4u);
  EXPECT_EQ(str(cases[0], "name"), "http.status");
  EXPECT_EQ(cases[0].find("failure"), std::nullopt);
  const json_value order = cases[2];
  EXPECT_EQ(str(order, "name"), "list.order");
  const json_value failure = at(order, "failure");
  EXPECT_EQ(str(failure, "message"), parsed_hostile_message);
  EXPECT_EQ(lines_of(str(failure, "text")),
            (std::vector<std::string>{
                page2_in_junit + ": /data/3/created_at: error: " + parsed_hostile_message,
                r_page1 + ": /data/1/created_at: error: not descending"}));
  EXPECT_EQ(lines_of(str(at(cases[1], "failure"), "text")).back(),
            page2_in_junit + ": 15:3: error: trailing comma before ']'");
}

// A tallied failure without a finding still fails, and a finding is never dropped for want of
// a tally entry.
TEST_F(run_report_junit, failures_come_from_the_tally_and_from_the_findings) {
  run_report r;
  r.command = "replay";
  r.groups["walk"] = {{"list.order", {3, 2}}};
  r.findings = {make("untallied", "GET https://h/x", "list.limit", severity::error, "/data",
                     "8 items for limit=7")};
  const json_document doc = parsed(render_junit(r));
  const json_value root = doc.root();
  EXPECT_EQ(str(root, "name"), "certharness replay");
  EXPECT_EQ(num(root, "tests"), 2);
  EXPECT_EQ(num(root, "failures"), 2);
  const json_value suites = at(root, "suites");
  ASSERT_EQ(suites.size(), 2u);
  EXPECT_EQ(str(suites[0], "name"), "untallied");
  EXPECT_EQ(str(at(at(suites[0], "cases")[0], "failure"), "message"), "8 items for limit=7");
  EXPECT_EQ(str(at(at(suites[1], "cases")[0], "failure"), "message"), "failed 2 of 5 times");
}

TEST_F(run_report_junit, empty_run_is_an_empty_testsuites) {
  run_report r;
  r.command = "crawl";
  const json_document doc = parsed(render_junit(r));
  EXPECT_EQ(num(doc.root(), "tests"), 0);
  EXPECT_EQ(num(doc.root(), "failures"), 0);
  EXPECT_EQ(at(doc.root(), "suites").size(), 0u);
}

}  // namespace
}  // namespace certharness
