#include "certharness/findings/check_tally.hpp"

namespace certharness {

void record(check_tally& tally, check_id check, bool passed) {
  check_count& c = tally[std::string(check.id())];
  ++(passed ? c.passed : c.failed);
}

void merge_into(check_tally& into, const check_tally& from) {
  for (const auto& [check, count] : from) {
    check_count& c = into[check];
    c.passed += count.passed;
    c.failed += count.failed;
  }
}

}  // namespace certharness
