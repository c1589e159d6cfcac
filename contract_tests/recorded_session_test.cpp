// recorded_session: requests answered by the next recorded exchange, retried attempts folded
// into one request as crawl records them, and a stop where the recording and the requests part.
#include "certharness/conformance/recorded_session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace certharness {
namespace {

const std::string k_base = "https://api.example.test/v1";
const std::string k_error =
    R"({"error":{"message":"no","type":"invalid_request_error","param":null,"code":null}})";

har_entry recorded(std::string method, const std::string& path, int status, std::string body) {
  har_entry e;
  e.method = std::move(method);
  e.url = k_base + path;
  e.status = status;
  e.response_headers = {{"Content-Type", "application/json"}};
  e.response_body = std::move(body);
  return e;
}

struct replayed {
  run_report report;
  exchange_judge judge{report, [this](run_finding f) { report.findings.push_back(std::move(f)); }};
};

TEST(recorded_session, retried_attempts_are_one_request_as_crawl_records_it) {
  std::vector<har_entry> entries{recorded("GET", "/organization/certificates/c1", 429, k_error),
                                 recorded("GET", "/organization/certificates/c1", 503, k_error),
                                 recorded("GET", "/organization/certificates/c1", 404, k_error),
                                 recorded("DELETE", "/organization/certificates/c1", 404, k_error)};
  entries[0].response_headers.emplace_back("Retry-After", "1");
  replayed r;
  recorded_session session(entries, 0, r.report, r.judge);
  const std::optional<client_response> got =
      session.fetch("GET", "/organization/certificates/c1", std::nullopt, "g");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, 404);
  EXPECT_EQ(got->body, k_error);
  EXPECT_EQ(session.next(), 3u);
  ASSERT_EQ(r.report.requests.size(), 1u);
  const request_record& sent = session.last_request();
  EXPECT_EQ(sent.request, "GET " + k_base + "/organization/certificates/c1");
  EXPECT_EQ(sent.attempts, 3);
  EXPECT_EQ(sent.retries, "429 (Retry-After 1 s); 503");
  EXPECT_EQ(sent.status, 404);
  EXPECT_EQ(r.report.groups["g"]["http.retry_after"].passed, 1u);
  EXPECT_EQ(r.report.groups["g"]["http.transport"].passed, 1u);
  EXPECT_FALSE(session.stopping());
}

TEST(recorded_session, a_request_the_recording_does_not_hold_next_stops_it) {
  std::vector<har_entry> entries{recorded("DELETE", "/organization/certificates/c1", 200, "{}"),
                                 recorded("GET", "/organization/certificates", 200, "{}")};
  replayed r;
  recorded_session session(entries, 0, r.report, r.judge);
  EXPECT_FALSE(session.fetch("GET", "/organization/certificates/c1", std::nullopt, "g"));
  EXPECT_TRUE(session.stopping());
  EXPECT_EQ(session.next(), 0u) << "nothing was used";
  EXPECT_TRUE(r.report.requests.empty());
  // Once stopped, even a request that matches is not answered: the live run stopped there.
  EXPECT_FALSE(session.fetch("DELETE", "/organization/certificates/c1", std::nullopt, "g"));
}

TEST(recorded_session, exchange_judges_the_answer_and_a_transport_error_is_a_finding) {
  std::vector<har_entry> entries{recorded("GET", "/organization/certificates/c1", 200, "{}"),
                                 recorded("GET", "/organization/certificates/c2", 0, "")};
  entries[1].error = "timed out after 2 s";
  replayed r;
  recorded_session session(entries, 0, r.report, r.judge);
  const std::optional<checked_response> checked = session.exchange(
      "GET", "/organization/certificates/c1", std::nullopt, "g", {"Certificate", std::nullopt});
  ASSERT_TRUE(checked.has_value());
  EXPECT_GT(r.report.groups["g"]["schema"].failed, 0u) << "{} is no Certificate";
  EXPECT_FALSE(session.exchange("GET", "/organization/certificates/c2", std::nullopt, "g",
                                {"Certificate", std::nullopt}));
  EXPECT_EQ(r.report.groups["g"]["http.transport"].failed, 1u);
  EXPECT_EQ(r.report.findings.back().what.message, "timed out after 2 s");
  EXPECT_EQ(session.next(), 2u);
}

}  // namespace
}  // namespace certharness
