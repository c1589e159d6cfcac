// check_response: what every answer of a conformance run is judged by, whatever the endpoint.
// Each case states the whole tally it must leave (which checks ran, passed and failed), the
// findings' checks, and whether the answer counts as a success.
#include "certharness/conformance/response_checks.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace certharness {
namespace {

const std::string k_certificate =
    R"({"object":"certificate","id":"cert_abc","name":"n","created_at":1711471533,)"
    R"("certificate_details":{"valid_at":1711411200,"expires_at":1742947200},"active":false})";
const std::string k_error =
    R"({"error":{"message":"No such certificate: cert_x","type":"invalid_request_error",)"
    R"("param":null,"code":null}})";
const std::string k_rule = "limit is 1..100 (query parameter limit)";

using counts = std::map<std::string, std::pair<std::size_t, std::size_t>>;  // id -> passed, failed

struct response_case {
  const char* name;
  int status;
  header_list headers;
  std::string body;
  response_expectation expect;
  counts tally;                     // exactly the checks that ran
  std::vector<std::string> checks;  // of the findings, in order
  bool success;
};

header_list json_type() { return {{"Content-Type", "application/json"}}; }

const counts k_json_passed = {
    {"json.syntax", {1, 0}}, {"json.duplicate_key", {1, 0}}, {"json.limits", {1, 0}}};

counts with(counts base, const counts& more) {
  for (const auto& [id, c] : more) base[id] = c;
  return base;
}

std::vector<response_case> cases() {
  const response_expectation certificate{"Certificate", std::nullopt};
  const response_expectation probe{"ListCertificatesResponse", k_rule};
  return {
      {"2xx conforming",
       200,
       json_type(),
       k_certificate,
       certificate,
       with(k_json_passed,
            {{"http.status", {1, 0}}, {"http.content_type", {1, 0}}, {"schema", {1, 0}}}),
       {},
       true},
      {"content type with parameters and another case",
       201,
       {{"content-type", "Application/JSON ; charset=utf-8"}},
       k_certificate,
       certificate,
       with(k_json_passed,
            {{"http.status", {1, 0}}, {"http.content_type", {1, 0}}, {"schema", {1, 0}}}),
       {},
       true},
      {"2xx with an unknown member: a note, still a success",
       200,
       json_type(),
       k_certificate.substr(0, k_certificate.size() - 1) + R"(,"new_field":1})",
       certificate,
       with(k_json_passed,
            {{"http.status", {1, 0}}, {"http.content_type", {1, 0}}, {"schema", {1, 0}}}),
       {"schema.unknown_property"},
       true},
      {"text/html",
       200,
       {{"Content-Type", "text/html"}},
       k_certificate,
       certificate,
       with(k_json_passed,
            {{"http.status", {1, 0}}, {"http.content_type", {0, 1}}, {"schema", {1, 0}}}),
       {"http.content_type"},
       false},
      {"a media type that only starts like JSON",
       200,
       {{"Content-Type", "application/jsonx"}},
       k_certificate,
       certificate,
       with(k_json_passed,
            {{"http.status", {1, 0}}, {"http.content_type", {0, 1}}, {"schema", {1, 0}}}),
       {"http.content_type"},
       false},
      {"no content type",
       200,
       {},
       k_certificate,
       certificate,
       with(k_json_passed,
            {{"http.status", {1, 0}}, {"http.content_type", {0, 1}}, {"schema", {1, 0}}}),
       {"http.content_type"},
       false},
      {"2xx not JSON: no schema check",
       200,
       json_type(),
       "{\"object\":",
       certificate,
       {{"http.status", {1, 0}},
        {"http.content_type", {1, 0}},
        {"json.syntax", {0, 1}},
        {"json.duplicate_key", {1, 0}},
        {"json.limits", {1, 0}}},
       {"json.syntax"},
       false},
      {"duplicate key",
       200,
       json_type(),
       R"({"object":"certificate","object":"certificate"})",
       certificate,
       {{"http.status", {1, 0}},
        {"http.content_type", {1, 0}},
        {"json.syntax", {1, 0}},
        {"json.duplicate_key", {0, 1}},
        {"json.limits", {1, 0}},
        {"schema", {0, 1}}},
       // The duplicate first, then the schema's complaints about the missing members.
       {"json.duplicate_key", "schema", "schema", "schema", "schema"},
       false},
      {"2xx of the wrong schema",
       200,
       json_type(),
       k_error,
       certificate,
       with(k_json_passed,
            {{"http.status", {1, 0}}, {"http.content_type", {1, 0}}, {"schema", {0, 1}}}),
       {"schema", "schema", "schema", "schema", "schema", "schema.unknown_property"},
       false},
      {"404 with an ErrorResponse",
       404,
       json_type(),
       k_error,
       certificate,
       with(k_json_passed,
            {{"http.status", {0, 1}}, {"http.content_type", {1, 0}}, {"error.shape", {1, 0}}}),
       {"http.status"},
       false},
      {"500 whose body is not an ErrorResponse",
       500,
       json_type(),
       R"({"oops":true})",
       certificate,
       with(k_json_passed,
            {{"http.status", {0, 1}}, {"http.content_type", {1, 0}}, {"error.shape", {0, 1}}}),
       {"http.status", "error.shape", "schema.unknown_property"},
       false},
      {"3xx: neither schema nor error shape",
       302,
       json_type(),
       k_certificate,
       certificate,
       with(k_json_passed, {{"http.status", {0, 1}}, {"http.content_type", {1, 0}}}),
       {"http.status"},
       false},
      {"429 with Retry-After",
       429,
       {{"Content-Type", "application/json"}, {"Retry-After", "2"}},
       k_error,
       certificate,
       with(k_json_passed, {{"http.status", {0, 1}},
                            {"http.retry_after", {1, 0}},
                            {"http.content_type", {1, 0}},
                            {"error.shape", {1, 0}}}),
       {"http.status"},
       false},
      {"429 without Retry-After",
       429,
       json_type(),
       k_error,
       certificate,
       with(k_json_passed, {{"http.status", {0, 1}},
                            {"http.retry_after", {0, 1}},
                            {"http.content_type", {1, 0}},
                            {"error.shape", {1, 0}}}),
       {"http.status", "http.retry_after"},
       false},
      {"429 with Retry-After 0",
       429,
       {{"Content-Type", "application/json"}, {"Retry-After", "0"}},
       k_error,
       certificate,
       with(k_json_passed, {{"http.status", {0, 1}},
                            {"http.retry_after", {0, 1}},
                            {"http.content_type", {1, 0}},
                            {"error.shape", {1, 0}}}),
       {"http.status", "http.retry_after"},
       false},
      // A negative probe: a 4xx is right and http.status is not asked.
      {"probe refused with 400",
       400,
       json_type(),
       k_error,
       probe,
       with(k_json_passed, {{"request.accepted_invalid", {1, 0}},
                            {"http.content_type", {1, 0}},
                            {"error.shape", {1, 0}}}),
       {},
       false},
      {"probe accepted with 200: still judged by the 2xx schema",
       200,
       json_type(),
       R"({"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false})",
       probe,
       with(k_json_passed, {{"request.accepted_invalid", {0, 1}},
                            {"http.content_type", {1, 0}},
                            {"schema", {1, 0}}}),
       {"request.accepted_invalid"},
       false},
      {"probe answered 500",
       500,
       json_type(),
       k_error,
       probe,
       with(k_json_passed, {{"request.accepted_invalid", {1, 0}},
                            {"http.status", {0, 1}},
                            {"http.content_type", {1, 0}},
                            {"error.shape", {1, 0}}}),
       {"http.status"},
       false},
  };
}

counts counts_of(const check_tally& t) {
  counts out;
  for (const auto& [id, c] : t) out[id] = {c.passed, c.failed};
  return out;
}

std::string show(const counts& c) {
  std::string out;
  for (const auto& [id, n] : c)
    out += "\n  " + id + " " + std::to_string(n.first) + "/" + std::to_string(n.second);
  return out;
}

TEST(check_response, tallies_reports_and_decides_success_per_case) {
  for (const response_case& c : cases()) {
    client_response response;
    response.status = c.status;
    response.headers = c.headers;
    response.body = c.body;
    check_tally tally;
    const checked_response r = check_response(response, c.expect, tally);
    EXPECT_EQ(counts_of(tally), c.tally)
        << c.name << ": got" << show(counts_of(tally)) << "\nexpected" << show(c.tally);
    std::vector<std::string> checks;
    for (const finding& f : r.findings) checks.push_back(f.check);
    EXPECT_EQ(checks, c.checks) << c.name << ": " << ::testing::PrintToString(checks);
    EXPECT_EQ(r.success, c.success) << c.name;
    EXPECT_EQ(r.document.has_value(), c.tally.at("json.syntax").second == 0) << c.name;
  }
}

// One call adds to a tally, it does not replace it: a run tallies every response in one.
TEST(check_response, adds_to_the_tally_it_is_given) {
  client_response ok{200, json_type(), k_certificate, {}};
  client_response missing{404, json_type(), k_error, {}};
  check_tally tally;
  check_response(ok, {"Certificate", std::nullopt}, tally);
  check_response(missing, {"Certificate", std::nullopt}, tally);
  check_response(ok, {"Certificate", std::nullopt}, tally);
  EXPECT_EQ(tally.at("http.status").passed, 2u);
  EXPECT_EQ(tally.at("http.status").failed, 1u);
  EXPECT_EQ(tally.at("schema").passed, 2u);
  EXPECT_EQ(tally.at("error.shape").passed, 1u);
}

const finding* first_of(const checked_response& r, const std::string& check) {
  for (const finding& f : r.findings)
    if (f.check == check) return &f;
  return nullptr;
}

TEST(check_response, messages_quote_the_status_the_error_and_the_rule) {
  check_tally tally;
  const checked_response missing =
      check_response({404, json_type(), k_error, {}}, {"Certificate", std::nullopt}, tally);
  ASSERT_NE(first_of(missing, "http.status"), nullptr);
  EXPECT_EQ(first_of(missing, "http.status")->message,
            "expected 2xx, got 404: \"No such certificate: cert_x\"");
  EXPECT_EQ(first_of(missing, "http.status")->level, severity::error);

  const checked_response accepted =
      check_response({200, json_type(), R"({"object":"list","data":[],"has_more":false})", {}},
                     {"ListCertificatesResponse", k_rule}, tally);
  ASSERT_NE(first_of(accepted, "request.accepted_invalid"), nullptr);
  EXPECT_NE(first_of(accepted, "request.accepted_invalid")->message.find("(" + k_rule + ")"),
            std::string::npos)
      << first_of(accepted, "request.accepted_invalid")->message;

  const checked_response shape = check_response({500, json_type(), R"({"oops":true})", {}},
                                                {"Certificate", std::nullopt}, tally);
  ASSERT_NE(first_of(shape, "error.shape"), nullptr);
  EXPECT_TRUE(first_of(shape, "error.shape")
                  ->message.starts_with("error body is not an "
                                        "ErrorResponse: "))
      << first_of(shape, "error.shape")->message;

  const checked_response retry = check_response(
      {429, {{"Content-Type", "application/json"}, {"Retry-After", "soon"}}, k_error, {}},
      {"Certificate", std::nullopt}, tally);
  ASSERT_NE(first_of(retry, "http.retry_after"), nullptr);
  EXPECT_EQ(first_of(retry, "http.retry_after")->level, severity::warning);
  EXPECT_NE(first_of(retry, "http.retry_after")->message.find("\"soon\""), std::string::npos);

  // A hostile server's long Content-Type is quoted cut, never whole.
  const checked_response type = check_response(
      {200, {{"Content-Type", "text/" + std::string(10'000, 'x')}}, k_certificate, {}},
      {"Certificate", std::nullopt}, tally);
  ASSERT_NE(first_of(type, "http.content_type"), nullptr);
  EXPECT_LT(first_of(type, "http.content_type")->message.size(), 200u);
  EXPECT_NE(first_of(type, "http.content_type")->message.find("...\""), std::string::npos);
}

}  // namespace
}  // namespace certharness
