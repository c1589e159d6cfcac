// fuzz_retry_after: the one Retry-After reader (retry_after.hpp) that both the http.retry_after
// check and crawl's wait use, on any bytes as the header value. curl_getdate reads the dates.
//
// Oracle: no crash, no hang; a delay is within [0, k_max_retry_after]; the delay-seconds form is
// exactly the non-empty all-digit values; an IMF-fixdate is 29 bytes ending " GMT"; a later
// "now" never lengthens a date's delay; the check passes exactly delay-seconds >= 1 and
// IMF-fixdates; the wait asks for at least 1 s or nothing, never more than the parser said.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "certharness/http/retry_after.hpp"
#include "fuzz_support.hpp"

using namespace certharness;
using std::chrono::seconds;

namespace {
constexpr fuzz::failure fail{"fuzz_retry_after", "value"};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value = fuzz::as_text(data, size);
  const auto now = std::chrono::system_clock::from_time_t(784111777);  // RFC 9110's example date
  const auto parsed = parse_retry_after(value, now);
  const bool digits = !value.empty() && std::all_of(value.begin(), value.end(),
                                                    [](char c) { return c >= '0' && c <= '9'; });
  if (digits != (parsed && parsed->form == retry_after_form::delay_seconds)) {
    fail("delay-seconds form disagrees with the bytes", value);
  }
  if (parsed && (parsed->delay < seconds(0) || parsed->delay > k_max_retry_after)) {
    fail("delay out of range", value);
  }
  if (parsed && parsed->form == retry_after_form::imf_fixdate &&
      (value.size() != 29 || !value.ends_with(" GMT"))) {
    fail("an IMF-fixdate of the wrong shape", value);
  }
  if (parsed && parsed->form != retry_after_form::delay_seconds) {
    const auto later = parse_retry_after(value, now + seconds(1));
    if (!later || later->delay > parsed->delay) fail("a later now lengthened the delay", value);
  }
  const bool fine =
      parsed && (parsed->form == retry_after_form::imf_fixdate ||
                 (parsed->form == retry_after_form::delay_seconds && parsed->delay >= seconds(1)));
  if (fine == retry_after_problem(value).has_value()) fail("the check disagrees", value);
  const auto wait = requested_retry_delay({{"Retry-After", std::string(value)}}, now);
  if (wait && (*wait < seconds(1) || !parsed || *wait != parsed->delay)) {
    fail("the wait disagrees with the parser", value);
  }
  if (!wait && parsed && parsed->delay >= seconds(1)) fail("a delay was not honoured", value);
  return 0;
}
