#include "certharness/http/retry_after.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include "certharness/json/text_escaping.hpp"

namespace certharness {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

// An HTTP-date is at most 41 bytes (RFC 850 with the longest day name); 64 leaves room for the
// lenient forms curl_getdate reads without handing it anything large.
constexpr std::size_t k_max_value_bytes = 64;

std::optional<seconds> delay_seconds(std::string_view value) {
  if (value.empty() ||
      !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  long long n = 0;
  for (const char c : value) {
    n = std::min<long long>(n * 10 + (c - '0'), k_max_retry_after.count());
  }
  return seconds(n);
}

// `t` as an IMF-fixdate, spelt without the locale strftime would use.
std::string imf_fixdate(std::time_t t) {
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr || tm.tm_year + 1900 > 9999) return {};
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
                tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return text;
}

std::optional<std::time_t> http_date(std::string_view value) {
  if (value.empty() || value.size() > k_max_value_bytes ||
      std::any_of(value.begin(), value.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return std::nullopt;  // curl_getdate reads a C string: a NUL would hide what follows it
  }
  const std::string text(value);
  const std::time_t t = curl_getdate(text.c_str(), nullptr);
  if (t == -1) return std::nullopt;  // also 1969-12-31 23:59:59, harmlessly: long past anyway
  return t;
}

// Seconds since the epoch, rounded down. Dates stay in time_t arithmetic: system_clock counts
// nanoseconds and cannot hold the year 12994 a date may name (from_time_t would overflow).
std::int64_t epoch_seconds(system_clock::time_point t) {
  return std::chrono::floor<seconds>(t.time_since_epoch()).count();
}

// `now_s` is "now" rounded down: a whole-second date is ahead of now by exactly date - now_s
// rounded up, i.e. date - now_s when positive.
std::optional<parsed_retry_after> parse_from(std::string_view value, std::int64_t now_s) {
  if (const std::optional<seconds> s = delay_seconds(value)) {
    return parsed_retry_after{retry_after_form::delay_seconds, *s};
  }
  const std::optional<std::time_t> date = http_date(value);
  if (!date) return std::nullopt;
  const retry_after_form form =
      imf_fixdate(*date) == value ? retry_after_form::imf_fixdate : retry_after_form::obsolete_date;
  if (*date <= now_s) return parsed_retry_after{form, seconds(0)};
  const std::int64_t ahead = *date - now_s;  // now_s is our clock or a parsed date: no overflow
  return parsed_retry_after{form,
                            seconds(std::min<std::int64_t>(ahead, k_max_retry_after.count()))};
}

}  // namespace

std::optional<parsed_retry_after> parse_retry_after(std::string_view value,
                                                    system_clock::time_point now) {
  return parse_from(value, epoch_seconds(now));
}

std::optional<std::string> retry_after_problem(std::optional<std::string_view> value) {
  if (!value) return "429 without Retry-After: clients cannot tell when to retry";
  const std::string quoted = "\"" + excerpt(*value, 40) + "\"";
  const std::optional<parsed_retry_after> parsed = parse_retry_after(*value, system_clock::now());
  if (!parsed) {
    return "429 with an invalid Retry-After " + quoted +
           " (neither delay-seconds nor an HTTP-date)";
  }
  switch (parsed->form) {
    case retry_after_form::delay_seconds:
      if (parsed->delay.count() >= 1) return std::nullopt;
      return "429 with Retry-After " + quoted + " (the spec says an integer >= 1)";
    case retry_after_form::imf_fixdate:
      return std::nullopt;
    case retry_after_form::obsolete_date:
      return "429 with Retry-After " + quoted +
             " (a date, but not an IMF-fixdate such as \"Sun, 06 Nov 1994 08:49:37 GMT\", the "
             "only form RFC 9110 lets senders use; honoured anyway)";
  }
  return std::nullopt;
}

std::optional<seconds> requested_retry_delay(const header_list& headers,
                                             system_clock::time_point received) {
  const std::optional<std::string_view> value = find_header(headers, "Retry-After");
  if (!value) return std::nullopt;
  std::int64_t now_s = epoch_seconds(received);
  if (const std::optional<std::string_view> date = find_header(headers, "Date")) {
    if (const std::optional<std::time_t> t = http_date(*date)) now_s = *t;
  }
  const std::optional<parsed_retry_after> parsed = parse_from(*value, now_s);
  if (!parsed || parsed->delay.count() < 1) return std::nullopt;
  return parsed->delay;
}

}  // namespace certharness
