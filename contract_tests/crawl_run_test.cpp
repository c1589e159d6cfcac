// run_crawl against an in-process cpp-httplib server on 127.0.0.1 that answers what serve's
// faults cannot: error statuses with bodies shaped like success.
#include "certharness/conformance/crawl_run.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <variant>
#include <vector>

#include "certharness/conformance/replay_run.hpp"
#include "certharness/har/har.hpp"
#include "edited_contract.hpp"

namespace certharness {
namespace {

const std::string k_item =
    R"({"object":"organization.certificate","id":"c1","name":"n","created_at":10,)"
    R"("certificate_details":{"valid_at":1,"expires_at":2},"active":false})";

std::string page(bool has_more) {
  return R"({"object":"list","data":[)" + k_item +
         R"(],"first_id":"c1","last_id":"c1","has_more":)" + (has_more ? "true" : "false") + "}";
}

// A read-only crawl (limit 1, desc, no retries, unless `configure` says otherwise) of a server
// on 127.0.0.1 that answers every request (GET, and POST for --write-checks) with `handler`.
crawl_outcome crawl_of(const httplib::Server::Handler& handler,
                       const std::function<void(crawl_options&)>& configure = {}) {
  httplib::Server server;
  server.set_keep_alive_timeout(1);
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Delete(".*", handler);
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  crawl_options options;
  options.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  options.admin_key = "sk-admin-test";
  options.limits = {1};
  options.orders = {"desc"};
  options.retries = 0;
  if (configure) configure(options);
  crawl_outcome out = run_crawl(options);
  server.stop();
  thread.join();
  return out;
}

// A crawl of a contract from another document: what it cannot drive is a crawl.not_exercised
// warning in the report, nothing is sent to it, and the report names the contract.
TEST(crawl_run, reports_what_of_the_contract_it_does_not_exercise) {
  const contract spec = test_support::edited_contract([](std::vector<operation>& rows) {
    operation rotate;
    rotate.id = "rotateOrganizationCertificates";
    rotate.method = "POST";
    rotate.path = "/organization/certificates/rotate";
    rows.push_back(rotate);
  });
  const crawl_outcome out = crawl_of(
      [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(req.path.ends_with("/certificates") ? page(false) : k_item,
                        "application/json");
      },
      [&](crawl_options& options) { options.spec = spec; });
  ASSERT_FALSE(out.fatal) << *out.fatal;
  EXPECT_EQ(out.report.contract_source, "edited-openapi.json");
  std::vector<std::string> not_exercised;
  for (const run_finding& f : out.report.findings) {
    if (f.what.check == "crawl.not_exercised")
      not_exercised.push_back(f.group + ": " + f.what.message);
  }
  EXPECT_EQ(not_exercised,
            std::vector<std::string>{
                "coverage: POST /organization/certificates/rotate (rotateOrganizationCertificates) "
                "is in the contract, but crawl does not know how to drive it: not exercised"});
  for (const request_record& r : out.report.requests) {
    EXPECT_EQ(r.request.find("/rotate"), std::string::npos) << r.request;
  }
  // The built-in contract leaves nothing out.
  const crawl_outcome builtin = crawl_of([](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.path.ends_with("/certificates") ? page(false) : k_item, "application/json");
  });
  EXPECT_EQ(builtin.report.contract_source, "built-in");
  for (const run_finding& f : builtin.report.findings) {
    EXPECT_NE(f.what.check, "crawl.not_exercised") << f.what.message;
  }
}

// Found by fuzz_pagination: crawl walked on from a 500 whose body looked like a list page, and
// fetched its items by id. An error answer is neither a page nor a source of ids.
TEST(crawl_walks, stop_at_an_error_answer_whatever_its_body) {
  const crawl_outcome out = crawl_of([](const httplib::Request& req, httplib::Response& res) {
    const bool first_page = req.path.ends_with("/organization/certificates") &&
                            req.get_param_value("limit") == "1" && !req.has_param("after");
    res.status = first_page ? 500 : req.has_param("after") ? 200 : 404;
    res.set_content(first_page || req.has_param("after") ? page(first_page) : k_item,
                    "application/json");
  });
  ASSERT_FALSE(out.fatal) << *out.fatal;
  for (const request_record& r : out.report.requests) {
    EXPECT_EQ(r.request.find("after="), std::string::npos) << "walked on from a 500: " << r.request;
    EXPECT_EQ(r.request.find("/certificates/c1"), std::string::npos)
        << "fetched an id listed by a 500: " << r.request;
  }
  for (const run_finding& f : out.report.findings) {
    EXPECT_FALSE(f.what.check.starts_with("list.") || f.what.check.starts_with("cert."))
        << f.what.check << " on " << f.request << ": " << f.what.message;
  }
}

TEST(crawl_options, an_empty_project_id_is_refused_before_any_request) {
  crawl_options options;
  options.base_url = "http://127.0.0.1:9/v1";
  options.projects = {"proj_1", ""};
  const crawl_outcome out = run_crawl(options);
  ASSERT_TRUE(out.fatal);
  EXPECT_NE(out.fatal->find("--project"), std::string::npos) << *out.fatal;
  EXPECT_TRUE(out.report.requests.empty());
}

// Found in review of fuzz_url: ".." as an id was sent as "/certificates/.." (which libcurl
// collapses to another path), and an empty id as "/certificates/" (the list itself).
TEST(crawl_get_by_id, dot_segment_ids_stay_ids_and_empty_ids_are_not_fetched) {
  const auto item = [](const std::string& id) {
    return R"({"object":"organization.certificate","id":")" + id +
           R"(","name":"n","created_at":10,"certificate_details":{"valid_at":1,"expires_at":2},)"
           R"("active":false})";
  };
  std::mutex mutex;
  std::vector<std::string> targets;
  const crawl_outcome out = crawl_of([&](const httplib::Request& req, httplib::Response& res) {
    {
      const std::lock_guard lock(mutex);
      targets.push_back(req.target);
    }
    if (req.path.ends_with("/organization/certificates") && req.get_param_value("limit") == "1" &&
        !req.has_param("after")) {
      res.set_content(R"({"object":"list","data":[)" + item("..") + "," + item("") + "," +
                          item(".") + R"(],"first_id":"..","last_id":".","has_more":false})",
                      "application/json");
    } else {
      res.status = 404;
      res.set_content(
          R"({"error":{"message":"no","type":"invalid_request_error","param":null,"code":null}})",
          "application/json");
    }
  });
  ASSERT_FALSE(out.fatal) << *out.fatal;

  int dot_dot = 0, dot = 0;
  for (const std::string& t : targets) {
    EXPECT_FALSE(t.starts_with("/v1/organization/certificates/?") ||
                 t == "/v1/organization/certificates/")
        << "fetched the empty id: " << t;
    EXPECT_EQ(t.find("/.."), std::string::npos) << t;
    EXPECT_FALSE(t.starts_with("/v1/organization?") || t == "/v1/organization") << t;
    dot_dot += t.starts_with("/v1/organization/certificates/%2E%2E");
    dot += t.starts_with("/v1/organization/certificates/%2E") &&
           !t.starts_with("/v1/organization/certificates/%2E%2E");
  }
  EXPECT_EQ(dot_dot, 2) << "GET by id of \"..\", with and without content";
  EXPECT_EQ(dot, 2) << "GET by id of \".\", with and without content";
}

std::string certificate(const std::string& id, bool with_content) {
  return R"({"object":"certificate","id":")" + id +
         R"(","name":"n","created_at":10,"certificate_details":{"valid_at":1,"expires_at":2)" +
         (with_content
              ? R"(,"content":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"}})"
              : "}}");
}

// A server following the spec's schemas literally: they put no bounds on limit and no enum on
// ids, so it answers every list request with a page and every GET by id with a certificate.
void literal_server(const httplib::Request& req, httplib::Response& res) {
  if (req.path.ends_with("/organization/certificates")) {
    res.set_content(page(false), "application/json");
  } else {
    res.set_content(
        certificate(req.path.substr(req.path.rfind('/') + 1), req.has_param("include[]")),
        "application/json");
  }
}

// Regression: a 2xx to a negative probe was judged against ErrorResponse ("missing required
// property error", data/first_id/... "not in the spec"). It is request.accepted_invalid, and
// its body is judged as the operation's 2xx body, which this one is.
TEST(crawl_negative_probes, a_2xx_answer_is_accepted_invalid_and_judged_by_its_operation) {
  const crawl_outcome out = crawl_of(literal_server);
  ASSERT_FALSE(out.fatal) << *out.fatal;
  std::set<std::string> accepted;
  for (const run_finding& f : out.report.findings) {
    EXPECT_EQ(f.what.check, "request.accepted_invalid")
        << f.group << ": " << f.request << ": " << f.what.pointer << ": " << f.what.message;
    EXPECT_EQ(f.group, "negative probes") << f.request;
    accepted.insert(f.request.substr(f.request.find("/organization/")));
    if (f.request.ends_with("?limit=0")) {
      EXPECT_NE(f.what.message.find("(the spec's description says 1..100"), std::string::npos)
          << "the range comes from the spec's prose: " << f.what.message;
    }
  }
  const std::set<std::string> expected{
      "/organization/certificates?limit=0",
      "/organization/certificates?limit=101",
      "/organization/certificates?limit=-1",
      "/organization/certificates?limit=abc",
      "/organization/certificates?order=sideways",
      "/organization/certificates/cert_certharness_does_not_exist_0"};
  EXPECT_EQ(accepted, expected);
  const check_tally& probes = out.report.groups.at("negative probes");
  ASSERT_TRUE(probes.contains("schema"));
  EXPECT_EQ(probes.at("schema").passed, 6u);
  EXPECT_FALSE(probes.contains("error.shape"));
}

// (group, request, check, pointer, message) of every finding.
std::multiset<std::tuple<std::string, std::string, std::string, std::string, std::string>>
findings_of(const run_report& r) {
  std::multiset<std::tuple<std::string, std::string, std::string, std::string, std::string>> out;
  for (const run_finding& f : r.findings) {
    out.emplace(f.group, f.request, f.what.check, f.what.pointer, f.what.message);
  }
  return out;
}

// crawl_of, with every exchange the run streamed to on_exchange.
std::pair<crawl_outcome, std::vector<har_entry>> recorded_crawl_of(
    const httplib::Server::Handler& handler,
    const std::function<void(crawl_options&)>& adjust = {}) {
  std::vector<har_entry> exchanges;
  crawl_outcome out = crawl_of(handler, [&](crawl_options& options) {
    if (adjust) adjust(options);
    options.on_exchange = [&](const har_entry& e) { exchanges.push_back(e); };
  });
  return {std::move(out), std::move(exchanges)};
}

struct crawled_and_replayed {
  crawl_outcome crawled;
  std::vector<har_entry> exchanges;
  run_report replayed;
};

// The crawl's recording, replayed, is judged by the same rules.
crawled_and_replayed crawl_and_replay(const httplib::Server::Handler& handler,
                                      const std::function<void(crawl_options&)>& adjust = {}) {
  auto [out, exchanges] = recorded_crawl_of(handler, adjust);
  auto read = read_har(render_har(exchanges), k_har_archive_limits);
  if (!read.has_value()) {
    ADD_FAILURE() << read.error();
    return {std::move(out), std::move(exchanges), run_report{}};
  }
  std::vector<std::vector<har_entry>> archives{*std::move(read)};
  run_report replayed = replay(std::move(archives));
  return {std::move(out), std::move(exchanges), std::move(replayed)};
}

TEST(crawl_negative_probes, replay_of_the_recording_gives_the_same_findings) {
  const auto [crawled, exchanges, replayed] = crawl_and_replay(literal_server);
  ASSERT_FALSE(crawled.fatal) << *crawled.fatal;
  EXPECT_EQ(findings_of(replayed), findings_of(crawled.report));
  EXPECT_EQ(replayed.groups.at("negative probes").at("schema").passed, 6u);
}

// IMF-fixdate of `t` (the test process runs in the C locale).
std::string http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return text;
}

// Regression: an HTTP-date Retry-After was ignored and the retry came after the 10 ms
// backoff. The first request is answered 429 "retry 2 s after my Date".
TEST(crawl_retries, an_http_date_retry_after_is_waited_for) {
  std::atomic<bool> limited{false};
  const auto [crawled, exchanges, replayed] = crawl_and_replay(
      [&](const httplib::Request& req, httplib::Response& res) {
        if (!limited.exchange(true)) {
          const std::time_t now = std::time(nullptr);
          res.status = 429;
          res.set_header("Date", http_date(now));
          res.set_header("Retry-After", http_date(now + 2));
          res.set_content(R"({"error":{"message":"slow down","type":"rate_limit","param":null,)"
                          R"("code":null}})",
                          "application/json");
          return;
        }
        literal_server(req, res);
      },
      [](crawl_options& options) {
        options.retries = 1;
        options.backoff_base = std::chrono::milliseconds(10);
        options.backoff_cap = std::chrono::milliseconds(5'000);
      });
  ASSERT_FALSE(crawled.fatal) << *crawled.fatal;
  ASSERT_GE(exchanges.size(), 2u);
  EXPECT_EQ(crawled.report.requests.front().retries, "429 (Retry-After 2 s)");
  EXPECT_EQ(crawled.report.requests.front().attempts, 2);
  const auto gap = exchanges[1].started - exchanges[0].started;
  EXPECT_GE(gap, std::chrono::milliseconds(1'900))
      << "retried after " << std::chrono::duration_cast<std::chrono::milliseconds>(gap).count()
      << " ms";
  const check_tally& first_walk =
      crawled.report.groups.at("GET /organization/certificates order=desc limit=1");
  EXPECT_EQ(first_walk.at("http.retry_after").passed, 1u);
  ASSERT_FALSE(replayed.requests.empty());
  EXPECT_EQ(replayed.requests.front().retries, "429 (Retry-After 2 s)");
}

// The cap bounds what a server may ask: an hour-long Retry-After waits backoff_cap.
TEST(crawl_retries, retry_after_is_capped_by_backoff_cap) {
  std::atomic<bool> limited{false};
  const auto [out, exchanges] = recorded_crawl_of(
      [&](const httplib::Request& req, httplib::Response& res) {
        if (!limited.exchange(true)) {
          res.status = 429;
          res.set_header("Retry-After", http_date(std::time(nullptr) + 3600));
          res.set_content(R"({"error":{"message":"later","type":"t","param":null,"code":null}})",
                          "application/json");
          return;
        }
        literal_server(req, res);
      },
      [](crawl_options& options) {
        options.retries = 1;
        options.backoff_cap = std::chrono::milliseconds(300);
      });
  ASSERT_FALSE(out.fatal) << *out.fatal;
  ASSERT_GE(exchanges.size(), 2u);
  const auto gap = exchanges[1].started - exchanges[0].started;
  EXPECT_GE(gap, std::chrono::milliseconds(300));
  EXPECT_LT(gap, std::chrono::seconds(60)) << "waited for the server, not the cap";
}

// Regression: one response header over libcurl's 100 KB limit threw std::bad_alloc out of
// the crawl. It is an http.transport finding on that exchange, and the run goes on.
TEST(crawl_transport, a_header_over_100_kb_is_a_transport_finding_and_the_run_goes_on) {
  const crawl_outcome out = crawl_of([](const httplib::Request& req, httplib::Response& res) {
    if (req.path.ends_with("/organization/certificates/c1") && !req.has_param("include[]")) {
      res.set_header("X-Huge", std::string(200'000, 'h'));
    }
    literal_server(req, res);
  });
  ASSERT_FALSE(out.fatal) << *out.fatal;
  std::vector<std::string> transport;
  for (const run_finding& f : out.report.findings) {
    if (f.what.check == "http.transport") transport.push_back(f.request + ": " + f.what.message);
  }
  ASSERT_EQ(transport.size(), 1u) << ::testing::PrintToString(transport);
  EXPECT_NE(transport[0].find("/organization/certificates/c1: "), std::string::npos)
      << transport[0];
  EXPECT_NE(transport[0].find("100 KB"), std::string::npos) << transport[0];
  // The requests after it were made: the probes come last.
  EXPECT_TRUE(out.report.requests.back().request.ends_with("cert_certharness_does_not_exist_0"))
      << out.report.requests.back().request;
}

std::string item_with_id(const std::string& id) {
  return R"({"object":"organization.certificate","id":")" + id +
         R"(","name":"n","created_at":10,"certificate_details":{"valid_at":1,"expires_at":2},)"
         R"("active":false})";
}

// A list that never ends: the page after cN holds c(N+1), and says has_more.
void never_ending_list(const httplib::Request& req, httplib::Response& res) {
  const std::string after = req.has_param("after") ? req.get_param_value("after") : "c0";
  const std::string next = "c" + std::to_string(std::stoll(after.substr(1)) + 1);
  res.set_content(R"({"object":"list","data":[)" + item_with_id(next) + R"(],"first_id":")" + next +
                      R"(","last_id":")" + next + R"(","has_more":true})",
                  "application/json");
}

std::vector<const run_finding*> findings_of(const crawl_outcome& out, std::string_view check) {
  std::vector<const run_finding*> found;
  for (const run_finding& f : out.report.findings) {
    if (f.what.check == check) found.push_back(&f);
  }
  return found;
}

// Regression: walks stopped at max_pages, but every id seen was then fetched twice with no
// bound. The whole run stops at max_requests (every attempt counts), with a run.budget error,
// and sends nothing more.
TEST(crawl_budget, the_whole_run_stops_at_max_requests) {
  std::atomic<int> seen{0};
  std::atomic<int> exchanges{0};
  const crawl_outcome out = crawl_of(
      [&](const httplib::Request& req, httplib::Response& res) {
        ++seen;
        never_ending_list(req, res);
      },
      [&](crawl_options& o) {
        o.max_pages = 40;
        o.max_requests = 50;
        o.on_exchange = [&](const har_entry&) { ++exchanges; };
      });
  ASSERT_FALSE(out.fatal) << *out.fatal;
  EXPECT_FALSE(out.interrupted);
  EXPECT_EQ(seen.load(), 50) << "requests the server saw";
  EXPECT_EQ(exchanges.load(), 50) << "exchanges streamed to on_exchange";
  EXPECT_EQ(out.report.requests.size(), 50u);
  const auto budget = findings_of(out, "run.budget");
  ASSERT_EQ(budget.size(), 1u);
  EXPECT_EQ(budget[0]->what.level, severity::error);
  EXPECT_NE(budget[0]->what.message.find("--max-requests"), std::string::npos)
      << budget[0]->what.message;
  EXPECT_EQ(out.report.checks().at("run.budget").failed, 1u);
}

// The other bound: what the run keeps for its cross-checks. Each page lists 30 ids of 20,000
// bytes, kept by the walk and for GET by id: over 1 MiB at the first page.
TEST(crawl_budget, the_run_stops_when_it_keeps_more_than_max_kept_bytes) {
  std::atomic<int> seen{0};
  const crawl_outcome out = crawl_of(
      [&](const httplib::Request&, httplib::Response& res) {
        const int n = ++seen;
        std::string data;
        for (int i = 0; i < 30; ++i) {
          data += (i ? "," : "") + item_with_id("cert_" + std::to_string(n) + "_" +
                                                std::to_string(i) + std::string(20'000, 'x'));
        }
        res.set_content(R"({"object":"list","data":[)" + data +
                            R"(],"first_id":null,"last_id":"c)" + std::to_string(n) +
                            R"(","has_more":true})",
                        "application/json");
      },
      [&](crawl_options& o) {
        o.max_pages = 10;
        o.max_kept_bytes = std::size_t{1} << 20;
      });
  ASSERT_FALSE(out.fatal) << *out.fatal;
  const auto budget = findings_of(out, "run.budget");
  ASSERT_EQ(budget.size(), 1u);
  EXPECT_NE(budget[0]->what.message.find("--max-kept-mb"), std::string::npos)
      << budget[0]->what.message;
  EXPECT_EQ(seen.load(), 1) << "requests sent after the bound was passed";
  EXPECT_EQ(out.report.requests.size(), 1u);
}

// Regression: SIGINT during a retry wait still sent one more attempt. The server answers
// 429 with Retry-After 2; should_stop turns true a few polls into the wait; the server must see
// the first request only.
TEST(crawl_stop, no_attempt_starts_after_should_stop_during_a_retry_wait) {
  std::atomic<int> seen{0};
  std::atomic<int> polls_after_first{0};
  const crawl_outcome out = crawl_of(
      [&](const httplib::Request&, httplib::Response& res) {
        ++seen;
        res.status = 429;
        res.set_header("Retry-After", "2");
        res.set_content(
            R"({"error":{"message":"slow down","type":"rate_limit","param":null,"code":null}})",
            "application/json");
      },
      [&](crawl_options& o) {
        o.retries = 3;
        o.should_stop = [&] { return seen.load() > 0 && ++polls_after_first >= 3; };
      });
  EXPECT_TRUE(out.interrupted);
  EXPECT_EQ(seen.load(), 1) << "requests the server saw";
  ASSERT_EQ(out.report.requests.size(), 1u);
  EXPECT_EQ(out.report.requests[0].attempts, 1);
  EXPECT_EQ(out.report.requests[0].status, 429);
  EXPECT_EQ(out.report.requests[0].retries, "") << "no retry was made";
}

// Same with --write-checks: the upload answered 429 is not sent again after the stop; the
// cleanup (which looks for what the upload may have made) still runs.
TEST(crawl_stop, a_write_is_not_sent_again_after_should_stop_during_its_retry_wait) {
  std::atomic<int> uploads{0};
  std::atomic<int> polls_after_upload{0};
  const crawl_outcome out = crawl_of(
      [&](const httplib::Request& req, httplib::Response& res) {
        if (req.method == "POST" && req.path == "/v1/organization/certificates") {
          ++uploads;
          res.status = 429;
          res.set_header("Retry-After", "2");
          res.set_content(
              R"({"error":{"message":"slow down","type":"rate_limit","param":null,"code":null}})",
              "application/json");
          return;
        }
        res.set_content(R"({"object":"list","data":[],"first_id":null,"last_id":null,)"
                        R"("has_more":false})",
                        "application/json");
      },
      [&](crawl_options& o) {
        o.retries = 3;
        o.write_checks = true;
        o.should_stop = [&] { return uploads.load() > 0 && ++polls_after_upload >= 3; };
      });
  EXPECT_TRUE(out.interrupted);
  EXPECT_EQ(uploads.load(), 1) << "uploads the server saw";
  bool cleanup_searched = false;
  for (const request_record& r : out.report.requests) {
    // Only the cleanup's search of the list asks for pages of 100 here.
    cleanup_searched |=
        r.request.starts_with("GET ") && r.request.find("limit=100&") != std::string::npos;
  }
  EXPECT_TRUE(cleanup_searched) << "the cleanup did not look for what the upload made";
}

}  // namespace
}  // namespace certharness
