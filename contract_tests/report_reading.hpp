// Reading a crawl or replay JSON report back in end-to-end tests.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "certharness/findings/finding.hpp"
#include "certharness/json/json_document.hpp"

namespace certharness::test_support {

// check id -> (passed, failed), from the report's "checks".
inline std::map<std::string, std::pair<std::int64_t, std::int64_t>> checks_of(
    const json_value& report) {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> out;
  for (const json_value& c : json_value(*report.find("checks"))) {
    out[std::string(c.key())] = {c.find("passed")->as_int64(), c.find("failed")->as_int64()};
  }
  return out;
}

// Whether a report's finding (its "severity" member) is at `least` or worse.
inline bool at_least(const json_value& finding, severity least) {
  const std::string_view level = finding.find("severity")->as_string();
  for (const severity s : {severity::error, severity::warning, severity::note}) {
    if (level == to_string(s)) return s >= least;
  }
  ADD_FAILURE() << "a finding of no known severity: " << level;
  return false;
}

// Check ids of the report's findings at `least` or worse: severity::warning for every failure,
// severity::error for errors only.
inline std::set<std::string> checks_at_least(const json_value& report, severity least) {
  std::set<std::string> out;
  for (const json_value& f : json_value(*report.find("findings"))) {
    if (at_least(f, least)) out.emplace(f.find("check")->as_string());
  }
  return out;
}

// (check, group) of the report's findings at `least` or worse.
inline std::set<std::pair<std::string, std::string>> checks_and_groups_at_least(
    const json_value& report, severity least) {
  std::set<std::pair<std::string, std::string>> out;
  for (const json_value& f : json_value(*report.find("findings"))) {
    if (at_least(f, least)) out.emplace(f.find("check")->as_string(), f.find("group")->as_string());
  }
  return out;
}

}  // namespace certharness::test_support
