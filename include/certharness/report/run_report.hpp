// The report of a conformance run (crawl or replay): requests made or replayed, findings
// attributed to their group and request, and how often each check passed and failed. Rendered
// as JSON (validate's shape plus "checks"), as text ending with a per-check table, or as JUnit.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "certharness/findings/check_tally.hpp"
#include "certharness/validate/validate_run.hpp"

namespace certharness {

struct request_record {
  std::string request;  // "GET https://host/v1/organization/certificates?limit=7" (no secrets)
  int status = 0;       // 0: no response (see error)
  int attempts = 1;     // > 1 when retried (429, 5xx, connection errors)
  std::string error;    // transport error of the last attempt, if any
  std::string retries;  // why it was retried, e.g. "429 (Retry-After 1 s); 503"; empty if not
};

struct run_report {
  std::string command;  // "crawl" or "replay"
  std::vector<request_record> requests;
  std::vector<run_finding> findings;          // in the order found
  std::map<std::string, check_tally> groups;  // by group: what passed and failed there
  std::size_t skipped = 0;                    // replay: entries of other APIs, not checked
  // spec-diff's subjects are the operations it compared, not requests: no status, attempts or
  // retries; valid = no error finding (no breaking change); counted as "operations".
  bool subjects_are_operations = false;

  check_tally checks() const;      // all groups merged
  summary_counts summary() const;  // subjects = requests; valid = requests without error
  bool has_error() const;
};

// One line of strict JSON (every string valid UTF-8):
// {"command", "subjects":[{"subject","status" (null: no response),"attempts","valid",
//                          "retries"?, "error"?}],   (spec-diff: {"subject","valid"})
//  "findings":[{"subject","group","check","severity","pointer","other_pointer"?,"keyword"?,"message",
//               "offset"?,"line"?,"column"?}],   (position as in validate's report)
//  "checks":{"<id>":{"passed":N,"failed":N}} (sorted by id),
//  "summary":{"subjects","valid","invalid","errors","warnings","notes","skipped"? (replay)}}
std::string render_run_json(const run_report& report);

// One line per finding, `request: group: pointer: severity: check: message` (the pointer part
// is left out when empty, or is line:column for a byte-level finding), control bytes escaped;
// then a table of every check that ran (id, severity, passed, failed) sorted by id; then
// `N requests: V valid, I invalid (E errors, W warnings, N notes)[, S skipped]`.
std::string render_run_text(const run_report& report, bool color);

// JUnit XML as GitLab, Jenkins and GitHub reporters read it: one <testsuite> per group, one
// <testcase classname="<group>" name="<check>"> per check tallied or found in that group, both
// sorted. A failing one (failed > 0, or with findings) holds <failure message="<first finding's
// message>" type="<check>"> listing its findings one a line (`request: pointer: severity:
// message`); a passing one is empty. Valid XML 1.0 whatever the strings hold: control bytes
// spelled \xNN, invalid UTF-8 and U+FFFE/U+FFFF as U+FFFD.
std::string render_junit(const run_report& report);

}  // namespace certharness
