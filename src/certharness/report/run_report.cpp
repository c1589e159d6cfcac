#include "certharness/report/run_report.hpp"

#include <algorithm>
#include <set>
#include <string_view>

#include "certharness/findings/check_catalogue.hpp"
#include "certharness/json/json_writer.hpp"
#include "certharness/json/text_escaping.hpp"
#include "certharness/report/contract_source.hpp"
#include "certharness/report/finding_json.hpp"

namespace certharness {
namespace {

// A request is valid when it got a response and no error finding names it.
std::set<std::string_view> requests_with_errors(const std::vector<run_finding>& findings) {
  std::set<std::string_view> out;
  for (const run_finding& f : findings) {
    if (f.what.level == severity::error) out.insert(f.request);
  }
  return out;
}

bool is_valid(const run_report& report, const request_record& r,
              const std::set<std::string_view>& with_errors) {
  return (r.status != 0 || report.subjects_are_operations) && !with_errors.contains(r.request);
}

// Replay counts the archive entries it skipped; crawl has none to report.
bool reports_skipped(const run_report& report) {
  return report.command == "replay" || report.skipped > 0;
}

// --- JSON ---------------------------------------------------------------------------------

// Every string is made UTF-8 by the writer: the report is strict JSON whatever a server sent.

void write_subject(json_writer& w, const run_report& report, const request_record& r, bool valid) {
  w.begin_object().key("subject").string(r.request);
  if (report.subjects_are_operations) {
    w.key("valid").boolean(valid).end_object();
    return;
  }
  w.key("status");
  if (r.status == 0) {
    w.null();
  } else {
    w.number(r.status);
  }
  w.key("attempts").number(r.attempts).key("valid").boolean(valid);
  if (!r.retries.empty()) w.key("retries").string(r.retries);
  if (!r.error.empty()) w.key("error").string(r.error);
  w.end_object();
}

void write_finding(json_writer& w, const run_finding& rf) {
  const finding& f = rf.what;
  w.begin_object().key("subject").string(rf.request).key("group").string(rf.group);
  write_finding_members(w, f);
  w.end_object();
}

// --- text ---------------------------------------------------------------------------------

// Where in the response: the pointer, or line:column for a byte-level finding without one;
// spec-diff's findings add the place in the old document.
std::string location(const finding& f) {
  if (!f.other_pointer.empty()) {
    return printable(f.pointer) + " (old: " + printable(f.other_pointer) + ")";
  }
  if (!f.pointer.empty()) return printable(f.pointer);
  if (f.position)
    return std::to_string(f.position->line) + ":" + std::to_string(f.position->column);
  return {};
}

// `colour` is empty when colour is off.
void painted(std::string& out, std::string_view text, std::string_view colour) {
  out += colour;
  out += text;
  if (!colour.empty()) out += "\x1b[0m";
}

// Pads `text` to `width`, painting only the text so that colour codes never count as width.
void cell(std::string& out, std::string_view text, std::size_t width, bool right_aligned,
          std::string_view colour) {
  const std::string padding(width > text.size() ? width - text.size() : 0, ' ');
  if (right_aligned) out += padding;
  painted(out, text, colour);
  if (!right_aligned) out += padding;
}

void append_check_table(std::string& out, const check_tally& checks, bool color) {
  std::size_t id_width = std::string_view("check").size();
  std::size_t count_width = std::string_view("passed").size();
  for (const auto& [id, count] : checks) {
    id_width = std::max(id_width, id.size());
    count_width = std::max(
        {count_width, std::to_string(count.passed).size(), std::to_string(count.failed).size()});
  }
  const std::size_t severity_width = std::string_view("severity").size();
  const auto row = [&](std::string_view id, std::string_view level, std::string_view passed,
                       std::string_view failed, std::string_view failed_colour) {
    cell(out, id, id_width, false, "");
    out += "  ";
    cell(out, level, severity_width, false, "");
    out += "  ";
    cell(out, passed, count_width, true, "");
    out += "  ";
    cell(out, failed, count_width, true, failed_colour);
    out.push_back('\n');
  };
  row("check", "severity", "passed", "failed", "");
  for (const auto& [id, count] : checks) {
    const std::optional<check_info> info = find_check(id);
    const std::string_view colour =
        color && count.failed > 0 ? severity_colour(info ? info->level : severity::error) : "";
    row(printable(id), info ? to_string(info->level) : "-", std::to_string(count.passed),
        std::to_string(count.failed), colour);
  }
}

// --- JUnit --------------------------------------------------------------------------------

// XML 1.0 allows only valid UTF-8, no control characters but \t \n \r (which attribute values
// would normalise away anyway) and neither U+FFFE nor U+FFFF. printable() and utf8_sanitized()
// take care of the first two; the rest is replacing the non-characters and entity escaping.
std::string xml_escaped(std::string_view raw) {
  const std::string s = utf8_sanitized(printable(raw));
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::string_view rest = std::string_view(s).substr(i);
    if (rest.starts_with("\xEF\xBF\xBE") || rest.starts_with("\xEF\xBF\xBF")) {
      out += "\xEF\xBF\xBD";
      i += 2;
      continue;
    }
    switch (s[i]) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(s[i]);
    }
  }
  return out;
}

void attribute(std::string& out, std::string_view name, std::string_view value) {
  out.push_back(' ');
  out += name;
  out += "=\"";
  out += xml_escaped(value);
  out.push_back('"');
}

// One testcase: a check in a group, with the findings it raised there.
struct junit_case {
  check_count count;
  std::vector<const run_finding*> findings;

  // A nightly job goes red on errors only: a warning or note (an unknown property, a 429
  // without Retry-After) is reported in <system-out> of a passing testcase, never lost.
  bool failed() const {
    return std::any_of(findings.begin(), findings.end(),
                       [](const run_finding* f) { return f->what.level == severity::error; }) ||
           (findings.empty() && count.failed > 0);
  }
};

using junit_suite = std::map<std::string, junit_case>;  // by check id

std::size_t failures_of(const junit_suite& suite) {
  return static_cast<std::size_t>(std::count_if(
      suite.begin(), suite.end(), [](const auto& entry) { return entry.second.failed(); }));
}

void append_testcase(std::string& out, std::string_view group, std::string_view check,
                     const junit_case& c) {
  out += "    <testcase";
  attribute(out, "classname", group);
  attribute(out, "name", check);
  auto lines = [&](const std::vector<const run_finding*>& fs) {
    std::string text;
    for (const run_finding* rf : fs) {
      const finding& f = rf->what;
      const std::string where = location(f);
      text += xml_escaped(rf->request) + ": " + (where.empty() ? "" : xml_escaped(where) + ": ") +
              std::string(to_string(f.level)) + ": " + xml_escaped(f.message) + "\n";
    }
    return text;
  };
  if (c.findings.empty() && !c.failed()) {
    out += "/>\n";
    return;
  }
  if (!c.failed()) {
    out += ">\n      <system-out>" + lines(c.findings) + "</system-out>\n    </testcase>\n";
    return;
  }
  const auto first_error =
      std::find_if(c.findings.begin(), c.findings.end(),
                   [](const run_finding* f) { return f->what.level == severity::error; });
  const std::string message = first_error == c.findings.end()
                                  ? "failed " + std::to_string(c.count.failed) + " of " +
                                        std::to_string(c.count.passed + c.count.failed) + " times"
                                  : (*first_error)->what.message;
  out += ">\n      <failure";
  attribute(out, "message", message);
  attribute(out, "type", check);
  out.push_back('>');
  out += lines(c.findings);
  out += "</failure>\n    </testcase>\n";
}

}  // namespace

check_tally run_report::checks() const {
  check_tally all;
  for (const auto& [group, tally] : groups) merge_into(all, tally);
  return all;
}

summary_counts run_report::summary() const {
  summary_counts c;
  c.subjects = requests.size();
  const std::set<std::string_view> with_errors = requests_with_errors(findings);
  c.valid = static_cast<std::size_t>(
      std::count_if(requests.begin(), requests.end(),
                    [&](const request_record& r) { return is_valid(*this, r, with_errors); }));
  c.invalid = c.subjects - c.valid;
  for (const run_finding& f : findings) count_severity(c, f.what.level);
  return c;
}

bool run_report::has_error() const {
  return std::any_of(findings.begin(), findings.end(),
                     [](const run_finding& f) { return f.what.level == severity::error; });
}

std::string render_run_json(const run_report& report) {
  std::string out;
  json_writer w(out);
  w.begin_object().key("command").string(report.command);
  write_contract_member(w, report.contract_source);
  w.key("subjects").begin_array();
  const std::set<std::string_view> with_errors = requests_with_errors(report.findings);
  for (const request_record& r : report.requests) {
    write_subject(w, report, r, is_valid(report, r, with_errors));
  }
  w.end_array();
  w.key("findings").begin_array();
  for (const run_finding& f : report.findings) write_finding(w, f);
  w.end_array();
  w.key("checks").begin_object();
  for (const auto& [id, count] : report.checks()) {
    w.key(id).begin_object();
    w.key("passed").number(count.passed).key("failed").number(count.failed);
    w.end_object();
  }
  w.end_object();
  const summary_counts c = report.summary();
  w.key("summary").begin_object();
  w.key("subjects").number(c.subjects).key("valid").number(c.valid);
  w.key("invalid").number(c.invalid).key("errors").number(c.errors);
  w.key("warnings").number(c.warnings).key("notes").number(c.notes);
  if (reports_skipped(report)) w.key("skipped").number(report.skipped);
  w.end_object().end_object();
  out.push_back('\n');
  return out;
}

std::string render_run_text(const run_report& report, bool color) {
  std::string out;
  for (const run_finding& rf : report.findings) {
    const finding& f = rf.what;
    const std::string where = location(f);
    out += printable(rf.request) + ": " + printable(rf.group) + ": ";
    if (!where.empty()) out += where + ": ";
    painted(out, to_string(f.level), color ? severity_colour(f.level) : "");
    out += ": " + printable(f.check) + ": " + printable(f.message) + "\n";
  }
  const check_tally checks = report.checks();
  if (!checks.empty()) append_check_table(out, checks, color);
  out += contract_line(report.contract_source);
  const summary_counts c = report.summary();
  out += counted(c.subjects, report.subjects_are_operations ? "operation" : "request") + ": " +
         std::to_string(c.valid) + " valid, " + std::to_string(c.invalid) + " invalid (" +
         counted(c.errors, "error") + ", " + counted(c.warnings, "warning") + ", " +
         counted(c.notes, "note") + ")";
  if (reports_skipped(report)) out += ", " + std::to_string(report.skipped) + " skipped";
  out.push_back('\n');
  return out;
}

std::string render_junit(const run_report& report) {
  std::map<std::string, junit_suite> suites;  // by group
  for (const auto& [group, tally] : report.groups) {
    for (const auto& [check, count] : tally) suites[group][check].count = count;
  }
  for (const run_finding& f : report.findings) suites[f.group][f.what.check].findings.push_back(&f);

  std::size_t tests = 0, failures = 0;
  for (const auto& [group, suite] : suites) {
    tests += suite.size();
    failures += failures_of(suite);
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites";
  attribute(out, "name", "certharness " + report.command);
  attribute(out, "tests", std::to_string(tests));
  attribute(out, "failures", std::to_string(failures));
  out += ">\n";
  for (const auto& [group, suite] : suites) {
    out += "  <testsuite";
    attribute(out, "name", group);
    attribute(out, "tests", std::to_string(suite.size()));
    attribute(out, "failures", std::to_string(failures_of(suite)));
    attribute(out, "errors", "0");
    attribute(out, "skipped", "0");
    out += ">\n";
    // Standard JUnit: properties come first in a testsuite. Only for a document's contract, so
    // that a run without --spec writes what it always wrote.
    if (report.contract_source != k_builtin_contract_source) {
      out += "    <properties><property";
      attribute(out, "name", "contract");
      attribute(out, "value", report.contract_source);
      out += "/></properties>\n";
    }
    for (const auto& [check, c] : suite) append_testcase(out, group, check, c);
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace certharness
