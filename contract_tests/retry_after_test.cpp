// Retry-After, read once for the http.retry_after check and crawl's wait: delay-seconds and
// HTTP-dates (IMF-fixdate and the obsolete forms), counted from a given "now" or the response's
// Date header.
#include "certharness/http/retry_after.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

namespace certharness {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

// Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date.
const system_clock::time_point k_now = system_clock::from_time_t(784111777);

struct parse_case {
  const char* name;
  std::string value;
  system_clock::time_point now;
  std::optional<retry_after_form> form;  // nullopt: unreadable
  std::chrono::seconds delay{0};
};

TEST(parse_retry_after, reads_delay_seconds_and_every_http_date_form) {
  const parse_case cases[] = {
      {"delay", "120", k_now, retry_after_form::delay_seconds, 120s},
      {"delay zero", "0", k_now, retry_after_form::delay_seconds, 0s},
      {"delay leading zeros", "007", k_now, retry_after_form::delay_seconds, 7s},
      {"delay saturates", "99999999999999999999999999", k_now, retry_after_form::delay_seconds,
       k_max_retry_after},
      {"imf-fixdate 2 s ahead", "Sun, 06 Nov 1994 08:49:39 GMT", k_now,
       retry_after_form::imf_fixdate, 2s},
      {"imf-fixdate from a fractional now rounds up", "Sun, 06 Nov 1994 08:49:39 GMT",
       k_now + 500ms, retry_after_form::imf_fixdate, 2s},
      {"imf-fixdate in the past", "Sun, 06 Nov 1994 08:49:30 GMT", k_now,
       retry_after_form::imf_fixdate, 0s},
      {"imf-fixdate now", "Sun, 06 Nov 1994 08:49:37 GMT", k_now, retry_after_form::imf_fixdate,
       0s},
      {"imf-fixdate next day", "Mon, 07 Nov 1994 08:49:37 GMT", k_now,
       retry_after_form::imf_fixdate, 86400s},
      {"rfc 850", "Sunday, 06-Nov-94 08:49:39 GMT", k_now, retry_after_form::obsolete_date, 2s},
      {"asctime", "Sun Nov  6 08:49:39 1994", k_now, retry_after_form::obsolete_date, 2s},
      {"imf-fixdate in lower case", "sun, 06 nov 1994 08:49:39 gmt", k_now,
       retry_after_form::obsolete_date, 2s},
      {"imf-fixdate with the wrong day name", "Mon, 06 Nov 1994 08:49:39 GMT", k_now,
       retry_after_form::obsolete_date, 2s},
      // Found by fuzz_retry_after: the year 12994 overflowed system_clock's nanoseconds.
      {"year 12994", "Sun Nov  6 08:49:39 12994", k_now, retry_after_form::obsolete_date,
       k_max_retry_after},
      {"empty", "", k_now, std::nullopt},
      {"negative", "-1", k_now, std::nullopt},
      {"fraction", "1.5", k_now, std::nullopt},
      {"words", "soon", k_now, std::nullopt},
      {"GMT padding", std::string(26, 'x') + "GMT", k_now, std::nullopt},
      {"a NUL hiding a suffix", std::string("Sun, 06 Nov 1994 08:49:39 GMT\0junk", 34), k_now,
       std::nullopt},
      {"over 64 bytes", "Sun, 06 Nov 1994 08:49:39 GMT" + std::string(40, ' '), k_now,
       std::nullopt},
  };
  for (const parse_case& c : cases) {
    const std::optional<parsed_retry_after> got = parse_retry_after(c.value, c.now);
    ASSERT_EQ(got.has_value(), c.form.has_value())
        << c.name << ": \"" << c.value << "\" read as "
        << (got ? std::to_string(got->delay.count()) + " s" : "nothing");
    if (!got) continue;
    EXPECT_EQ(got->form, *c.form) << c.name;
    EXPECT_EQ(got->delay, c.delay) << c.name << ": got " << got->delay.count() << " s";
  }
}

TEST(retry_after_problem, accepts_what_the_spec_and_rfc_9110_let_servers_send) {
  const struct {
    std::optional<std::string> value;
    bool fine;
  } cases[] = {
      {std::nullopt, false},
      {"1", true},
      {"3600", true},
      {"0", false},                               // the spec says >= 1
      {"Sun, 06 Nov 1994 08:49:37 GMT", true},    // a past date is still a date
      {"Sunday, 06-Nov-94 08:49:37 GMT", false},  // senders must use IMF-fixdate
      {std::string(26, 'x') + "GMT", false},      // was accepted: 29 bytes ending in GMT
      {"soon", false},
  };
  for (const auto& c : cases) {
    const std::optional<std::string> problem = c.value
                                                   ? retry_after_problem(std::string_view(*c.value))
                                                   : retry_after_problem(std::nullopt);
    EXPECT_EQ(!problem.has_value(), c.fine)
        << (c.value ? "\"" + *c.value + "\"" : "absent") << ": " << problem.value_or("fine");
  }
}

TEST(requested_retry_delay, counts_a_date_from_the_servers_date_header_else_from_receipt) {
  const std::string ahead = "Sun, 06 Nov 1994 08:49:39 GMT";
  const std::string now = "Sun, 06 Nov 1994 08:49:37 GMT";
  const struct {
    const char* name;
    header_list headers;
    system_clock::time_point received;
    std::optional<std::chrono::seconds> delay;
  } cases[] = {
      {"delay-seconds", {{"Retry-After", "5"}}, k_now, 5s},
      {"date from receipt", {{"retry-after", ahead}}, k_now, 2s},
      {"date from the Date header, whatever our clock says",
       {{"Date", now}, {"Retry-After", ahead}},
       k_now + 3600s,
       2s},
      {"an unreadable Date header falls back to receipt",
       {{"Date", "yesterday-ish"}, {"Retry-After", ahead}},
       k_now + 1s,
       1s},
      {"a Date header in the year 12994",
       {{"Date", "Sun Nov  6 08:49:39 12994"}, {"Retry-After", ahead}},
       k_now,
       std::nullopt},
      {"a date already past", {{"Retry-After", ahead}}, k_now + 10s, std::nullopt},
      {"zero", {{"Retry-After", "0"}}, k_now, std::nullopt},
      {"unreadable", {{"Retry-After", "soon"}}, k_now, std::nullopt},
      {"absent", {{"Date", now}}, k_now, std::nullopt},
  };
  for (const auto& c : cases) {
    const std::optional<std::chrono::seconds> got = requested_retry_delay(c.headers, c.received);
    EXPECT_EQ(got, c.delay) << c.name << ": got "
                            << (got ? std::to_string(got->count()) + " s" : "nothing");
  }
}

}  // namespace
}  // namespace certharness
