// RFC 9110 §10.2.3 Retry-After, read in one place for the http.retry_after check and for the wait
// before a retry: delay-seconds, or an HTTP-date read by libcurl's curl_getdate (IMF-fixdate and
// the obsolete RFC 850 and asctime forms recipients must accept).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "certharness/http/http_message.hpp"

namespace certharness {

enum class retry_after_form {
  delay_seconds,  // "120"
  imf_fixdate,    // "Sun, 06 Nov 1994 08:49:37 GMT", the form senders must use
  obsolete_date,  // any other date curl_getdate reads ("Sunday, 06-Nov-94 08:49:37 GMT", ...)
};

struct parsed_retry_after {
  retry_after_form form = retry_after_form::delay_seconds;
  // From `now` for a date (0 when it is not in the future); delay-seconds as given. Both
  // saturate at k_max_retry_after.
  std::chrono::seconds delay{0};
};

// Longer delays are read as this (68 years): no overflow when converted or added.
inline constexpr std::chrono::seconds k_max_retry_after{0x7fffffff};

// nullopt: neither 1*DIGIT nor a date curl_getdate reads (values over 64 bytes or with control
// characters are refused unread).
std::optional<parsed_retry_after> parse_retry_after(std::string_view value,
                                                    std::chrono::system_clock::time_point now);

// What is wrong with a 429's Retry-After (absent, unreadable, delay-seconds 0 where the spec
// says >= 1, or a date in an obsolete form); nullopt when it is fine.
std::optional<std::string> retry_after_problem(std::optional<std::string_view> value);

// How long a response asks the client to wait: its Retry-After, a date counted from the
// response's own Date header when it has a readable one (the server's clock, so skew does not
// matter and a recording replays the same), else from `received`, rounded up to whole seconds.
// nullopt when there is nothing to honour: no Retry-After, unreadable, or no delay.
std::optional<std::chrono::seconds> requested_retry_delay(
    const header_list& headers, std::chrono::system_clock::time_point received);

}  // namespace certharness
