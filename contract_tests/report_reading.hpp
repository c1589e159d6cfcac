// Reading a crawl or replay JSON report back in end-to-end tests.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "certharness/json/json_document.hpp"

namespace certharness::test_support {

// check id -> (passed, failed), from the report's "checks".
inline std::map<std::string, std::pair<std::int64_t, std::int64_t>> checks_of(
    const json_value& report) {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> out;
  for (const json_value& c : *report.find("checks")) {
    out[std::string(c.key())] = {c.find("passed")->as_int64(), c.find("failed")->as_int64()};
  }
  return out;
}

}  // namespace certharness::test_support
