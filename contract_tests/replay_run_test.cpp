// Offline replay of recorded exchanges: routing, request bodies, negative probes, walks rebuilt
// from shuffled pages, entries without a recorded body, and the checked-in recordings.
#include "certharness/conformance/replay_run.hpp"
#include "certharness/fake_api/x509_certificate.hpp"
#include "certharness/json/json_writer.hpp"
#include "edited_contract.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace certharness {
namespace {

using op = certificate_operation;

const std::string k_base = "https://api.example.test/v1";

har_entry exchange(std::string method, std::string url, int status, std::string body,
                   std::optional<std::string> request_body = std::nullopt) {
  har_entry e;
  e.method = std::move(method);
  e.url = std::move(url);
  e.status = status;
  e.response_headers = {{"Content-Type", "application/json"}};
  e.response_body = std::move(body);
  e.request_body = std::move(request_body);
  return e;
}

std::string item_json(const std::string& id, long long created_at) {
  return R"({"object":"organization.certificate","id":")" + id + R"(","name":"n )" + id +
         R"(","created_at":)" + std::to_string(created_at) +
         R"(,"certificate_details":{"valid_at":1,"expires_at":2},"active":false})";
}

// A list page of (id, created_at) items.
std::string page_json(const std::vector<std::pair<std::string, long long>>& items, bool has_more) {
  std::string data;
  for (const auto& [id, at] : items) data += (data.empty() ? "" : ",") + item_json(id, at);
  const auto id_or_null = [](const std::string* id) { return id ? "\"" + *id + "\"" : "null"; };
  return R"({"object":"list","data":[)" + data + R"(],"first_id":)" +
         id_or_null(items.empty() ? nullptr : &items.front().first) + R"(,"last_id":)" +
         id_or_null(items.empty() ? nullptr : &items.back().first) + R"(,"has_more":)" +
         (has_more ? "true" : "false") + "}";
}

const std::string k_error =
    R"({"error":{"message":"no","type":"invalid_request_error","param":null,"code":null}})";

// (check, group) of every error or warning.
std::set<std::pair<std::string, std::string>> failures(const run_report& r) {
  std::set<std::pair<std::string, std::string>> out;
  for (const run_finding& f : r.findings) {
    if (f.what.level != severity::note) out.emplace(f.what.check, f.group);
  }
  return out;
}

// check -> (passed, failed): check_count has no ==.
std::map<std::string, std::pair<std::size_t, std::size_t>> counts(const check_tally& tally) {
  std::map<std::string, std::pair<std::size_t, std::size_t>> out;
  for (const auto& [check, n] : tally) out[check] = {n.passed, n.failed};
  return out;
}

run_report replay_one(std::vector<har_entry> entries) {
  std::vector<std::vector<har_entry>> archives;
  archives.push_back(std::move(entries));
  return replay(std::move(archives));
}

TEST(replay_routing, every_operation_with_and_without_a_base_path) {
  const struct {
    const char* method;
    const char* path;
    op expected;
  } table[] = {
      {"GET", "/organization/certificates", op::list_certificates},
      {"POST", "/organization/certificates", op::upload_certificate},
      {"GET", "/organization/certificates/cert_1", op::get_certificate},
      {"POST", "/organization/certificates/cert_1", op::modify_certificate},
      {"DELETE", "/organization/certificates/cert_1", op::delete_certificate},
      {"POST", "/organization/certificates/activate", op::activate_certificates},
      {"POST", "/organization/certificates/deactivate", op::deactivate_certificates},
      {"GET", "/organization/projects/proj_1/certificates", op::list_project_certificates},
      {"POST", "/organization/projects/proj_1/certificates/activate",
       op::activate_project_certificates},
      {"POST", "/organization/projects/proj_1/certificates/deactivate",
       op::deactivate_project_certificates},
  };
  for (const std::string base :
       {"https://api.openai.com/v1", "http://127.0.0.1:4000", "https://proxy.test/openai/v1"}) {
    for (const auto& row : table) {
      const auto r = route_request(row.method, base + row.path);
      ASSERT_TRUE(r.has_value()) << row.method << " " << base << row.path;
      EXPECT_EQ(r->operation, row.expected) << row.method << " " << base << row.path;
    }
  }
  const auto get = route_request("GET", "https://h/v1/organization/certificates/cert%2F1");
  ASSERT_TRUE(get.has_value());
  EXPECT_EQ(get->certificate_id, "cert/1");
  const auto project = route_request("GET", "https://h/organization/projects/p%20q/certificates");
  ASSERT_TRUE(project.has_value());
  EXPECT_EQ(project->project_id, "p q");
  EXPECT_EQ(project->endpoint, "/organization/projects/p%20q/certificates");
}

TEST(replay_routing, other_apis_are_skipped_and_counted) {
  for (const auto& [method, url] : std::vector<std::pair<std::string, std::string>>{
           {"GET", k_base + "/models"},
           {"GET", k_base + "/organization/users"},
           {"PUT", k_base + "/organization/certificates/cert_1"},
           {"GET", k_base + "/organization/certificates/cert_1/extra"},
           {"DELETE", k_base + "/organization/certificates"},
           {"GET", k_base + "/organization/projects/proj_1/certificates/activate"},
           {"GET", "https://h/v1/organization/certificates/bad%zzescape"}}) {
    EXPECT_FALSE(route_request(method, url).has_value()) << method << " " << url;
  }
  // The concrete toggle paths are no certificate ids (OpenAPI matches concrete paths first, as
  // the fake does: 405): GET or DELETE on them is no operation.
  for (const char* method : {"GET", "DELETE"}) {
    for (const char* word : {"activate", "deactivate"}) {
      const std::string url = k_base + "/organization/certificates/" + word;
      EXPECT_FALSE(route_request(method, url).has_value()) << method << " " << url;
    }
  }
  std::vector<har_entry> entries{
      exchange("GET", k_base + "/models", 200, "{}"),
      exchange("GET", k_base + "/organization/users", 200, "{}"),
      exchange("GET", k_base + "/organization/certificates/cert_1", 404, k_error)};
  const run_report r = replay_one(std::move(entries));
  EXPECT_EQ(r.skipped, 2u);
  ASSERT_EQ(r.requests.size(), 1u);
  EXPECT_EQ(r.requests[0].status, 404);
}

// Routed by the contract of the options (--spec): an operation it lacks, or gives no
// certificate_operation, is skipped and counted like another API's; the report names it.
TEST(replay_routing, by_the_contract_it_is_given) {
  const contract spec = test_support::edited_contract([](std::vector<operation>& rows) {
    test_support::without(rows, certificate_operation::get_certificate);
    test_support::row_of(rows, certificate_operation::delete_certificate).kind.reset();
  });
  const std::string by_id = k_base + "/organization/certificates/cert_1";
  EXPECT_TRUE(route_request("GET", by_id).has_value());
  EXPECT_FALSE(route_request("GET", by_id, spec.operations()).has_value());
  EXPECT_FALSE(route_request("DELETE", by_id, spec.operations()).has_value());
  EXPECT_TRUE(route_request("POST", by_id, spec.operations()).has_value());

  std::vector<std::vector<har_entry>> archives{{exchange("GET", by_id, 404, k_error),
                                                exchange("DELETE", by_id, 404, k_error),
                                                exchange("POST", by_id, 404, k_error)}};
  replay_options options;
  options.spec = spec;
  const run_report r = replay(std::move(archives), options);
  EXPECT_EQ(r.skipped, 2u);
  ASSERT_EQ(r.requests.size(), 1u);
  EXPECT_TRUE(r.requests[0].request.starts_with("POST ")) << r.requests[0].request;
  EXPECT_EQ(r.contract_source, "edited-openapi.json");
  EXPECT_EQ(replay({}).contract_source, "built-in");
}

TEST(replay_routing, query_is_decoded_with_include_brackets) {
  const auto r = route_request(
      "GET", k_base + "/organization/certificates/cert_1?include%5B%5D=content&x=a+b#frag");
  ASSERT_TRUE(r.has_value());
  const std::vector<std::pair<std::string, std::string>> expected{{"include[]", "content"},
                                                                  {"x", "a b"}};
  EXPECT_EQ(r->query, expected);
}

// A recorded Content-Type is as the server wrote it: the media type is matched without case,
// and blanks (HTTP's OWS: spaces and tabs) around it and before a parameter do not count.
TEST(replay_content_type, json_whatever_the_case_and_the_blanks_around_it) {
  const std::vector<std::pair<std::string, bool>> cases{
      {"application/json", true},
      {"Application/JSON; charset=utf-8", true},
      {"application/json ; charset=utf-8", true},
      {"application/json\t;charset=utf-8", true},
      {" application/json", true},
      {"application/jsonx", false},
      {"application/json-seq", false},
      {"text/json", false},
      {"application/ json", false},
      {"", false},
  };
  for (const auto& [value, json] : cases) {
    har_entry e = exchange("GET", k_base + "/organization/certificates/cert_1", 404, k_error);
    e.response_headers = {{"Content-Type", value}};
    const run_report r = replay_one({e});
    const auto expected = json ? std::make_pair(std::size_t{1}, std::size_t{0})
                               : std::make_pair(std::size_t{0}, std::size_t{1});
    EXPECT_EQ(counts(r.checks()).at("http.content_type"), expected) << "\"" << value << "\"";
  }
}

TEST(replay_request_bodies, are_validated_against_their_schema) {
  const std::string cert = R"({"object":"certificate","id":"cert_1","name":"a","created_at":1,)"
                           R"("certificate_details":{"valid_at":1,"expires_at":2}})";
  std::vector<har_entry> entries{
      exchange("POST", k_base + "/organization/certificates", 200, cert, R"({"name":"x"})"),
      exchange("POST", k_base + "/organization/certificates/cert_1", 200, cert,
               R"({"name":"renamed"})"),
      exchange("POST", k_base + "/organization/certificates/activate", 400, k_error,
               R"({"certificate_ids":[]})"),
      exchange("POST", k_base + "/organization/projects/p/certificates/deactivate", 400, k_error,
               "{not json"),
  };
  const run_report r = replay_one(std::move(entries));
  std::vector<std::string> requests_with_schema_errors;
  for (const run_finding& f : r.findings) {
    if (f.what.check != "schema") continue;
    EXPECT_NE(f.what.message.find("request body"), std::string::npos) << f.what.message;
    EXPECT_EQ(f.group, "write checks");
    requests_with_schema_errors.push_back(f.request);
  }
  const std::vector<std::string> expected{
      "POST " + k_base + "/organization/certificates",
      "POST " + k_base + "/organization/certificates/activate",
      "POST " + k_base + "/organization/projects/p/certificates/deactivate"};
  EXPECT_EQ(requests_with_schema_errors, expected);
  EXPECT_EQ(r.groups.at("write checks").at("schema").passed, 3u);  // 1 body, 2 responses
}

TEST(replay_negative_probes, are_recognised_as_crawl_sends_them) {
  const std::string list = k_base + "/organization/certificates";
  std::vector<har_entry> entries;
  for (const char* q : {"?limit=0", "?limit=101", "?limit=-1", "?limit=abc"}) {
    entries.push_back(exchange("GET", list + q, 400, k_error));
  }
  entries.push_back(exchange("GET", list + "?order=sideways", 200, page_json({}, false)));
  entries.push_back(exchange("GET", list + "/cert_certharness_does_not_exist_0", 404, k_error));
  const run_report r = replay_one(std::move(entries));
  const std::set<std::pair<std::string, std::string>> expected{
      {"request.accepted_invalid", "negative probes"}};
  EXPECT_EQ(failures(r), expected);
  EXPECT_EQ(r.groups.at("negative probes").at("request.accepted_invalid").passed, 5u);
  EXPECT_EQ(r.groups.size(), 1u) << "probes are no walk";
}

// Regression: a 2xx to a probe was judged against ErrorResponse. It is
// request.accepted_invalid (the message says which rule, and where the spec states it), and the
// body is judged by the operation's schema: here a valid page and a valid certificate.
TEST(replay_negative_probes, a_2xx_answer_is_judged_by_the_operations_schema) {
  const std::string list = k_base + "/organization/certificates";
  const std::string certificate =
      R"({"object":"certificate","id":"cert_certharness_does_not_exist_0","name":"n",)"
      R"("created_at":5,"certificate_details":{"valid_at":1,"expires_at":2}})";
  const struct {
    std::string url, body, rule;
  } probes[] = {
      {list + "?limit=0", page_json({{"cert_a", 5}}, false), "(the spec's description says 1..100"},
      {list + "?limit=abc", page_json({{"cert_a", 5}}, false), "(the spec's schema says integer)"},
      {list + "?order=sideways", page_json({}, false), "(the spec's schema enum)"},
      {list + "/cert_certharness_does_not_exist_0", certificate, "no certificate has this id"},
  };
  std::vector<har_entry> entries;
  for (const auto& p : probes) entries.push_back(exchange("GET", p.url, 200, p.body));
  const run_report r = replay_one(std::move(entries));
  ASSERT_EQ(r.findings.size(), std::size(probes));
  for (std::size_t i = 0; i < r.findings.size(); ++i) {
    const run_finding& f = r.findings[i];
    EXPECT_EQ(f.what.check, "request.accepted_invalid") << f.request << ": " << f.what.message;
    EXPECT_EQ(f.group, "negative probes");
    EXPECT_NE(f.what.message.find(probes[i].rule), std::string::npos)
        << probes[i].url << ": expected the rule " << probes[i].rule << " in: " << f.what.message;
  }
  const check_tally& tally = r.groups.at("negative probes");
  EXPECT_EQ(counts(tally).at("schema"), std::make_pair(std::size(probes), std::size_t{0}));
  EXPECT_FALSE(tally.contains("error.shape"));
}

TEST(replay_get_by_id, checks_object_and_consistency_with_the_list) {
  const std::string list = k_base + "/organization/certificates";
  const std::string got = R"({"object":"organization.certificate","id":"cert_a","name":"other",)"
                          R"("created_at":5,"certificate_details":{"valid_at":1,"expires_at":2}})";
  std::vector<har_entry> entries{
      exchange("GET", list + "/cert_a", 200, got),
      exchange("GET", list + "?limit=2", 200, page_json({{"cert_a", 5}}, false))};
  const run_report r = replay_one(std::move(entries));
  const std::set<std::pair<std::string, std::string>> expected{{"cert.object", "get by id"},
                                                               {"cert.consistency", "get by id"}};
  EXPECT_EQ(failures(r), expected);
}

// Five certificates, desc, limit 2: three pages; the second starts newer than the first ended.
std::vector<har_entry> walk_with_order_fault() {
  const std::string list = k_base + "/organization/certificates?limit=2&order=desc";
  return {exchange("GET", list, 200, page_json({{"c5", 50}, {"c4", 40}}, true)),
          exchange("GET", list + "&after=c4", 200, page_json({{"c3", 45}, {"c2", 20}}, true)),
          exchange("GET", list + "&after=c2", 200, page_json({{"c1", 10}}, false))};
}

TEST(replay_walks, are_rebuilt_from_shuffled_pages) {
  std::vector<har_entry> entries = walk_with_order_fault();
  const std::string asc = k_base + "/organization/certificates?order=asc&limit=2";
  for (har_entry e :
       {exchange("GET", asc, 200, page_json({{"c1", 10}, {"c2", 20}}, true)),
        exchange("GET", asc + "&after=c2", 200, page_json({{"c4", 40}, {"c3", 45}}, true)),
        exchange("GET", asc + "&after=c3", 200, page_json({{"c5", 50}}, false))}) {
    entries.push_back(std::move(e));
  }
  const run_report in_order = replay_one(entries);
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(entries.begin(), entries.end(), rng);
    const run_report shuffled = replay_one(entries);
    // Only the cross-page inversion of the desc walk: chaining found page 2 after page 1.
    const std::set<std::pair<std::string, std::string>> expected{
        {"list.order", "GET /organization/certificates order=desc limit=2"}};
    EXPECT_EQ(failures(shuffled), expected);
    EXPECT_EQ(counts(shuffled.checks()), counts(in_order.checks()));
    const auto& walk = shuffled.groups.at("GET /organization/certificates order=asc limit=2");
    EXPECT_EQ(walk.at("list.cursor_stall").passed, 2u);
    EXPECT_EQ(walk.at("list.max_pages").passed, 1u);
    EXPECT_EQ(
        shuffled.groups.at("/organization/certificates consistency").at("list.consistency").passed,
        1u);
  }
}

TEST(replay_walks, defaults_and_orphan_pages) {
  // No limit or order: the API's defaults (desc, 20) name the walk.
  const std::string list = k_base + "/organization/certificates";
  std::vector<har_entry> entries = walk_with_order_fault();
  entries.erase(entries.begin());  // the first page was not recorded
  entries.push_back(exchange("GET", list, 200, page_json({{"c9", 90}}, false)));
  const run_report r = replay_one(std::move(entries));
  const std::set<std::pair<std::string, std::string>> expected;
  EXPECT_EQ(failures(r), expected) << "pages 2 and 3 chain and are in order";
  const auto& partial = r.groups.at("GET /organization/certificates order=desc limit=2");
  EXPECT_EQ(partial.at("list.order").passed, 2u);
  EXPECT_EQ(partial.at("list.cursor_stall").passed, 1u);
  EXPECT_TRUE(r.groups.contains("GET /organization/certificates order=desc limit=20"));
  // A partial walk is not compared with whole ones.
  EXPECT_FALSE(r.groups.at("/organization/certificates consistency").contains("list.consistency"));
}

// Found by fuzz_pagination: a 500 (or 404) whose body looks like a list page or a certificate
// was walked on and judged as one. It is an http.status failure and a malformed error body.
TEST(replay_entries, error_answers_are_neither_pages_nor_certificates) {
  const std::string list = k_base + "/organization/certificates?order=desc&limit=1";
  const run_report r = replay_one(
      {exchange("GET", list, 500, page_json({{"c1", 10}}, true)),
       exchange("GET", list + "&after=c1", 200, page_json({{"c1", 10}}, false)),
       exchange("GET", k_base + "/organization/certificates/c1", 404, item_json("c1", 10))});
  const std::set<std::pair<std::string, std::string>> expected{
      {"http.status", "GET /organization/certificates order=desc limit=1"},
      {"error.shape", "GET /organization/certificates order=desc limit=1"},
      {"http.status", "get by id"},
      {"error.shape", "get by id"}};
  EXPECT_EQ(failures(r), expected);
  EXPECT_FALSE(r.checks().contains("cert.object")) << "a 404 body is not a certificate";
}

TEST(replay_entries, without_a_recorded_body_are_not_judged) {
  har_entry browser = exchange("GET", k_base + "/organization/certificates/cert_1", 500, "");
  browser.response_body_recorded = false;
  browser.response_headers.clear();
  const run_report r = replay_one({browser});
  EXPECT_TRUE(r.findings.empty());
  ASSERT_EQ(r.requests.size(), 1u);
  EXPECT_FALSE(r.checks().contains("http.status"));
  EXPECT_EQ(r.checks().at("http.transport").passed, 1u);
}

TEST(replay_entries, transport_errors_and_retries_as_crawl_records_them) {
  const std::string url = k_base + "/organization/certificates/cert_certharness_does_not_exist_0";
  har_entry limited = exchange("GET", url, 429, k_error);
  limited.response_headers.emplace_back("Retry-After", "1");
  har_entry failed = exchange("GET", k_base + "/organization/certificates/cert_2", 0, "");
  failed.error = "timed out after 2 s";
  const run_report r = replay_one({limited, exchange("GET", url, 404, k_error), failed});
  ASSERT_EQ(r.requests.size(), 2u);
  EXPECT_EQ(r.requests[0].attempts, 2);
  EXPECT_EQ(r.requests[0].retries, "429 (Retry-After 1 s)");
  EXPECT_EQ(r.groups.at("negative probes").at("http.retry_after").passed, 1u);
  const std::set<std::pair<std::string, std::string>> expected{{"http.transport", "get by id"}};
  EXPECT_EQ(failures(r), expected);
}

// Replay judged a GET of a deleted id answered 200 as request.accepted_invalid (plus the
// Certificate schema), crawl's write checks as delete.still_present only. Crawl's verdict won:
// the GET is a valid request; what is wrong is that the delete did not take. A 404 still gets
// the common checks (its body must be an ErrorResponse).
TEST(replay_entries, a_get_of_a_deleted_id_is_delete_still_present_as_in_crawl) {
  const std::string id_url = k_base + "/organization/certificates/cert_1";
  const std::string deleted = R"({"object":"certificate.deleted","id":"cert_1"})";
  const run_report kept = replay_one({exchange("DELETE", id_url, 200, deleted),
                                      exchange("GET", id_url, 200, item_json("cert_1", 10))});
  const std::set<std::pair<std::string, std::string>> expected{
      {"delete.still_present", "write checks"}};
  EXPECT_EQ(failures(kept), expected);
  ASSERT_EQ(kept.findings.size(), 1u);
  EXPECT_EQ(kept.findings[0].what.message, "GET by id answered 200 after the delete, not 404");
  EXPECT_FALSE(kept.checks().contains("request.accepted_invalid"));

  const run_report gone =
      replay_one({exchange("DELETE", id_url, 200, deleted), exchange("GET", id_url, 404, k_error)});
  EXPECT_TRUE(failures(gone).empty()) << ::testing::PrintToString(failures(gone));
  const check_tally& writes = gone.groups.at("write checks");
  EXPECT_EQ(counts(writes).at("delete.still_present"),
            std::make_pair(std::size_t{1}, std::size_t{0}));
  EXPECT_EQ(counts(writes).at("error.shape"), std::make_pair(std::size_t{1}, std::size_t{0}));
}

run_report replay_corpus(const std::string& name) {
  std::ifstream in(std::string(CERTHARNESS_CORPUS_DIR) + "/har/" + name, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto archive = read_har(bytes);
  if (auto* error = (archive ? nullptr : &archive.error())) ADD_FAILURE() << name << ": " << *error;
  if (!archive.has_value()) return {};
  EXPECT_GT(archive->size(), 10u) << name;
  return replay_one(*std::move(archive));
}

TEST(replay_corpus, clean_recording_has_no_error) {
  const run_report r = replay_corpus("clean.har");
  EXPECT_FALSE(r.has_error()) << failures(r).size();
  EXPECT_EQ(r.skipped, 0u);
  EXPECT_GT(r.checks().at("list.order").passed, 0u);
}

TEST(replay_corpus, wrong_order_recording_raises_list_order) {
  const run_report r = replay_corpus("faulty-wrong-order.har");
  std::set<std::string> checks;
  for (const auto& [check, group] : failures(r)) checks.insert(check);
  EXPECT_EQ(checks, std::set<std::string>{"list.order"});
  EXPECT_TRUE(r.has_error());
}

}  // namespace
}  // namespace certharness

namespace certharness {
namespace {

// An archive whose write-check upload is off crawl's script (here: a query on the upload) is
// replayed without rerunning write checks on it: no crash on an empty report, and no
// cleanup.failed for a cleanup that nothing was made for.
TEST(replay_write_checks, an_upload_off_crawls_script_is_not_rerun) {
  const std::string name = "certharness-write-check-0123456789abcdef";
  const std::string pem = make_self_signed_certificate({name, 1'700'000'000, 1'800'000'000, 7});
  std::string body;
  json_writer(body)
      .begin_object()
      .key("name")
      .string(name)
      .key("certificate")
      .string(pem)
      .end_object();
  const run_report r = replay_one({exchange("POST", k_base + "/organization/certificates?x=1", 200,
                                            item_json("cert_1", 1), body)});
  for (const run_finding& f : r.findings) {
    EXPECT_NE(f.what.check, checks::cleanup_failed.id()) << f.what.message;
  }
}

}  // namespace
}  // namespace certharness

namespace certharness {
namespace {

// --drift: only 2xx JSON answers are summed (an error body, a non-JSON body and a retried
// attempt are not), per operation, with the place in which archive; without it, nothing.
TEST(replay_drift, sums_judged_2xx_json_answers_and_names_their_archive) {
  const auto with_extra = [](const std::string& id) {
    std::string item = item_json(id, 1);
    return item.substr(0, item.size() - 1) + R"(,"fingerprint":"x"})";
  };
  const std::string page = R"({"object":"list","data":[)" + with_extra("cert_a") +
                           R"(],"first_id":"cert_a","last_id":"cert_a","has_more":false})";
  const std::string get = k_base + "/organization/certificates/cert_a";
  std::vector<har_entry> first{exchange("GET", get, 404, R"({"error":{"extra":1}})")};
  har_entry retried = exchange("GET", k_base + "/organization/certificates", 503, page);
  std::vector<har_entry> second{exchange("GET", get, 200, "not json"), retried,
                                exchange("GET", k_base + "/organization/certificates", 200, page)};
  std::vector<std::vector<har_entry>> archives{first, second};

  const run_report plain = replay(archives);
  for (const run_finding& f : plain.findings) {
    EXPECT_FALSE(f.what.check.starts_with("drift.")) << f.what.message;
  }
  replay_options options;
  options.drift = true;
  const run_report r = replay(std::move(archives), options);
  std::vector<std::string> notes;
  for (const run_finding& f : r.findings) {
    if (f.what.check.starts_with("drift.")) notes.push_back(f.what.pointer + " " + f.what.message);
  }
  const std::vector<std::string> want = {
      "/data/*/fingerprint not declared by ListCertificatesResponse; seen in 1 of 1 response (1 "
      "time), first at /data/0/fingerprint of GET " +
      k_base + "/organization/certificates (log.entries[2] of archive 2)"};
  EXPECT_EQ(notes, want);
  EXPECT_FALSE(r.groups.contains("drift GET /organization/certificates/{certificate_id}"));
  EXPECT_EQ(r.findings.size(), plain.findings.size() + 1);
}

}  // namespace
}  // namespace certharness
