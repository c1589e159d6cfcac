// The one judge of crawl and replay: retry causes and their wording, the retried-429 rule,
// transport failures, cert.consistency against the remembered list, and a GET after a delete.
#include "certharness/conformance/exchange_judge.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace certharness {
namespace {

const std::string k_error =
    R"({"error":{"message":"no","type":"invalid_request_error","param":null,"code":null}})";

struct judged {
  run_report report;
  std::vector<run_finding> added;
  exchange_judge judge{report, [this](run_finding f) { added.push_back(std::move(f)); }};

  std::pair<std::size_t, std::size_t> count(const std::string& group, const std::string& check) {
    const check_tally& tally = report.groups[group];
    const auto it = tally.find(check);
    if (it == tally.end()) return {0, 0};
    return {it->second.passed, it->second.failed};
  }
};

client_response answer(int status, std::string body, header_list headers = {}) {
  headers.emplace_back("Content-Type", "application/json");
  return client_response{status, std::move(headers), std::move(body), {}};
}

TEST(exchange_judge_retry_cause, is_worded_as_request_records_word_it) {
  const auto now = std::chrono::system_clock::now();
  const struct {
    int status;
    header_list headers;
    std::optional<std::string> reason;
    std::optional<std::chrono::seconds> delay;
  } cases[] = {
      {0, {}, "transport error", std::nullopt},
      {200, {}, std::nullopt, std::nullopt},
      {404, {{"Retry-After", "3"}}, std::nullopt, std::nullopt},
      {503, {}, "503", std::nullopt},
      {429, {{"Retry-After", "2"}}, "429 (Retry-After 2 s)", std::chrono::seconds(2)},
      {429, {{"Retry-After", "soon"}}, "429", std::nullopt},
  };
  for (const auto& c : cases) {
    const std::optional<retry_cause> got = retry_cause_of(c.status, c.headers, now);
    EXPECT_EQ(got.has_value(), c.reason.has_value()) << "status " << c.status;
    if (!got || !c.reason) continue;
    EXPECT_EQ(got->reason, *c.reason) << "status " << c.status;
    EXPECT_EQ(got->delay, c.delay) << "status " << c.status;
  }
}

TEST(exchange_judge_retried_attempt, only_a_429_owes_a_retry_after) {
  judged j;
  j.judge.retried_attempt(503, {}, "g", "GET u");
  EXPECT_TRUE(j.report.groups["g"].empty());
  j.judge.retried_attempt(429, {{"Retry-After", "1"}}, "g", "GET u");
  j.judge.retried_attempt(429, {}, "g", "GET u");
  EXPECT_EQ(j.count("g", "http.retry_after"), std::make_pair(std::size_t{1}, std::size_t{1}));
  ASSERT_EQ(j.added.size(), 1u);
  EXPECT_EQ(j.added[0].what.check, "http.retry_after");
  EXPECT_EQ(j.added[0].what.level, severity::warning);
  EXPECT_EQ(j.added[0].group, "g");
  EXPECT_EQ(j.added[0].request, "GET u");
}

TEST(exchange_judge_transport, failure_quotes_the_error_and_the_attempts) {
  judged j;
  j.judge.transport(request_record{"GET a", 200, 1, "", ""}, "g");
  j.judge.transport(request_record{"GET b", 0, 3, "timed out after 2 s", "x"}, "g");
  j.judge.transport(request_record{"GET c", 0, 1, "", ""}, "g");
  EXPECT_EQ(j.count("g", "http.transport"), std::make_pair(std::size_t{1}, std::size_t{2}));
  ASSERT_EQ(j.added.size(), 2u);
  EXPECT_EQ(j.added[0].request, "GET b");
  EXPECT_EQ(j.added[0].what.message, "timed out after 2 s (after 3 attempts)");
  EXPECT_EQ(j.added[1].what.message, "no response recorded");
}

std::string certificate(const std::string& name) {
  return R"({"object":"certificate","id":"c1","name":")" + name +
         R"(","created_at":5,"certificate_details":{"valid_at":1,"expires_at":2}})";
}

TEST(exchange_judge_consistency, compares_with_the_first_listed_item_of_the_id) {
  judged j;
  const std::string list =
      R"({"object":"list","data":[{"object":"organization.certificate","id":"c1","name":"a",)"
      R"("created_at":5,"certificate_details":{"valid_at":1,"expires_at":2},"active":false}],)"
      R"("first_id":"c1","last_id":"c1","has_more":false})";
  std::vector<std::size_t> remembered;
  const decode_result page = decode_json(list);
  ASSERT_TRUE(page.ok());
  j.judge.list_items(page.document->root(), "walk", "GET l", true,
                     [&](std::size_t bytes) { remembered.push_back(bytes); });
  j.judge.list_items(page.document->root(), "walk", "GET l", true,
                     [&](std::size_t bytes) { remembered.push_back(bytes); });
  EXPECT_EQ(remembered.size(), 1u) << "an id is remembered once";
  ASSERT_EQ(j.judge.listed().size(), 1u);
  EXPECT_EQ(j.count("walk", "cert.validity"), std::make_pair(std::size_t{2}, std::size_t{0}));

  for (const char* name : {"a", "b"}) {
    const decode_result got = decode_json(certificate(name));
    ASSERT_TRUE(got.ok());
    const certificate_fields fields = j.judge.fetched(got.document->root(), "get", "GET c1");
    j.judge.compare_with_list(fields, "c1", false, "get", "GET c1");
  }
  EXPECT_EQ(j.count("get", "cert.consistency"), std::make_pair(std::size_t{1}, std::size_t{1}));
  ASSERT_EQ(j.added.size(), 1u);
  EXPECT_EQ(j.added[0].what.check, "cert.consistency");
  EXPECT_EQ(j.added[0].what.pointer, "/name");

  // An id the list never had is not compared at all.
  j.judge.compare_with_list(certificate_fields{}, "c9", false, "get", "GET c9");
  EXPECT_EQ(j.count("get", "cert.consistency"), std::make_pair(std::size_t{1}, std::size_t{1}));
}

// Crawl's verdict on a GET of a deleted certificate, which replay now shares: a 404 gets the
// common checks of an error answer; anything else is delete.still_present only (not
// request.accepted_invalid: the request is valid, the delete did not take).
TEST(exchange_judge_get_after_delete, is_delete_still_present_unless_404) {
  judged j;
  EXPECT_TRUE(j.judge.get_after_delete(answer(404, k_error), "w", "GET d"));
  EXPECT_TRUE(j.added.empty());
  EXPECT_EQ(j.count("w", "delete.still_present"), std::make_pair(std::size_t{1}, std::size_t{0}));
  EXPECT_EQ(j.count("w", "error.shape"), std::make_pair(std::size_t{1}, std::size_t{0}));
  EXPECT_EQ(j.count("w", "request.accepted_invalid"),
            std::make_pair(std::size_t{1}, std::size_t{0}));

  EXPECT_FALSE(j.judge.get_after_delete(answer(200, certificate("a")), "w", "GET d"));
  EXPECT_TRUE(j.judge.get_after_delete(answer(404, R"({"detail":"Not found"})"), "w", "GET d"));
  EXPECT_EQ(j.count("w", "delete.still_present"), std::make_pair(std::size_t{2}, std::size_t{1}));
  EXPECT_EQ(j.count("w", "request.accepted_invalid"),
            std::make_pair(std::size_t{2}, std::size_t{0}));
  std::vector<std::string> checks;
  for (const run_finding& f : j.added) checks.push_back(f.what.check);
  EXPECT_EQ(checks[0], "delete.still_present");
  EXPECT_EQ(j.added[0].what.message, "GET by id answered 200 after the delete, not 404");
  EXPECT_NE(std::find(checks.begin(), checks.end(), "error.shape"), checks.end());
}

}  // namespace
}  // namespace certharness
