// How many times each check passed and failed, and findings attributed to what produced them:
// the shape every conformance report (crawl, replay) is built from.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "certharness/findings/finding.hpp"

namespace certharness {

struct check_count {
  std::size_t passed = 0;
  std::size_t failed = 0;
};

// By check id, sorted.
using check_tally = std::map<std::string, check_count>;

void record(check_tally& tally, check_id check, bool passed);
void merge_into(check_tally& into, const check_tally& from);

// A finding of a conformance run: which request showed it ("GET https://host/v1/...", never a
// secret) and which group it belongs to (a walk such as "GET /organization/certificates
// order=desc limit=7", or "get by id", "negative probes", "write checks").
struct run_finding {
  std::string group;
  std::string request;
  finding what;
};

}  // namespace certharness
