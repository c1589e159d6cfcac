// `certharness crawl` against `certharness serve` on loopback: a clean server raises no error,
// every fault of the server raises its check, the key never leaks, recordings and JUnit files
// are whole.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <variant>
#include <string>
#include <thread>
#include <vector>

#include "certharness/har/har.hpp"
#include "certharness/json/json_document.hpp"
#include "cli_process.hpp"
#include "corpus_files.hpp"
#include "report_reading.hpp"
#include "serve_process.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;
using test_support::checks_at_least;
using test_support::checks_of;
using test_support::read_file;
using test_support::serve_process;

constexpr const char* k_key = "sk-admin-e2e-SECRET-4f1c";

using crawl_result = test_support::cli_result;

class crawl : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_crawl"); }
  void TearDown() override { fs::remove_all(dir_); }

  crawl_result run(const std::string& base_url, const std::string& args) {
    return test_support::run_cli(dir_, std::string("OPENAI_ADMIN_KEY='") + k_key + "'",
                                 "crawl --format json --base-url '" + base_url + "' " + args);
  }

  fs::path dir_;
};

TEST_F(crawl, clean_server_raises_nothing_and_nothing_leaks) {
  serve_process server({"--seed-certs", "30"});
  const fs::path har = dir_ / "run.har", junit = dir_ / "run.xml";
  const crawl_result r = run(server.base_url(), "--project proj_e2e --record '" + har.string() +
                                                    "' --junit '" + junit.string() + "'");
  ASSERT_TRUE(r.report.has_value()) << r.out << r.err;
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(checks_at_least(r.report->root(), severity::warning).empty()) << r.out;
  const auto checks = checks_of(r.report->root());
  for (const char* id : {"http.status", "http.content_type", "schema", "list.first_id",
                         "list.order", "list.duplicate_id", "list.consistency", "cert.object",
                         "cert.consistency", "cert.validity", "request.accepted_invalid",
                         "error.shape"}) {
    ASSERT_TRUE(checks.count(id)) << id << " never ran";
    EXPECT_GT(checks.at(id).first, 0) << id;
    EXPECT_EQ(checks.at(id).second, 0) << id;
  }
  // 30 certificates at limits 1, 7, 100 in two orders, twice (organization and project).
  EXPECT_GE(r.report->root().find("summary")->find("subjects")->as_int64(), 2 * (60 + 10 + 2));

  const std::string recording = read_file(har), report_xml = read_file(junit);
  for (const std::string* text : {&r.out, &r.err, &recording, &report_xml}) {
    EXPECT_EQ(text->find(k_key), std::string::npos) << "the key leaked";
  }
  const auto entries = read_har(recording);
  ASSERT_TRUE(entries.has_value()) << entries.error();
  EXPECT_EQ(entries->size(), static_cast<std::size_t>(
                                 r.report->root().find("summary")->find("subjects")->as_int64()));
  EXPECT_NE(report_xml.find("<testsuites"), std::string::npos);
}

struct fault_case {
  const char* fault;
  const char* check;  // must fail
  const char* extra;  // more crawl or serve arguments
};

void PrintTo(const fault_case& c, std::ostream* os) { *os << c.fault; }

class crawl_faults : public crawl, public ::testing::WithParamInterface<fault_case> {};

TEST_P(crawl_faults, raise_their_check) {
  const fault_case& c = GetParam();
  const std::string seed = std::string(c.fault) == "empty-ids-not-null" ? "0" : "25";
  serve_process server({"--fault", c.fault, "--seed-certs", seed});
  const std::string extra = c.extra;
  std::string args = "--backoff-ms 10 " + extra;
  if (extra.find("--limits") == std::string::npos) args += " --limits 7,100";
  if (extra.find("--timeout") == std::string::npos) args += " --timeout 2";
  const crawl_result r = run(server.base_url(), args);
  ASSERT_TRUE(r.report.has_value()) << c.fault << ": exit " << r.exit_code << "\n"
                                    << r.out.substr(0, 2000) << r.err;
  const std::set<std::string> failing = checks_at_least(r.report->root(), severity::warning);
  EXPECT_TRUE(failing.count(c.check)) << c.fault << " did not raise " << c.check << "; raised: "
                                      << ::testing::PrintToString(failing);
  const auto checks = checks_of(r.report->root());
  ASSERT_TRUE(checks.count(c.check)) << c.check;
  EXPECT_GT(checks.at(c.check).second, 0) << c.check << " has no failure in the table";
  EXPECT_EQ(r.out.find(k_key), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    every_read_fault, crawl_faults,
    ::testing::Values(
        fault_case{"first-id-mismatch", "list.first_id", ""},
        fault_case{"last-id-mismatch", "list.last_id", ""},
        fault_case{"empty-ids-not-null", "list.empty_ids", ""},
        fault_case{"over-limit", "list.limit", ""},
        fault_case{"wrong-order", "list.order", ""},
        fault_case{"duplicate-across-pages", "list.duplicate_id", ""},
        fault_case{"cursor-loop", "list.cursor_stall", "--max-pages 50"},
        fault_case{"has-more-lies", "list.has_more", ""},
        fault_case{"asc-desc-inconsistent", "list.consistency", ""},
        fault_case{"bad-content-type", "http.content_type", ""},
        fault_case{"trailing-comma-json", "json.syntax", ""},
        fault_case{"truncated-body", "http.transport", "--retries 0"},
        fault_case{"missing-required", "schema", ""},
        fault_case{"wrong-type", "schema", ""},
        fault_case{"validity-inverted", "cert.validity", ""},
        fault_case{"get-wrong-object", "cert.object", ""},
        fault_case{"get-mismatch", "cert.consistency", ""},
        fault_case{"error-shape", "error.shape", ""},
        fault_case{"accepts-invalid-limit", "request.accepted_invalid", ""},
        fault_case{"429-without-retry-after", "http.retry_after", ""},
        fault_case{"slow", "http.transport", "--timeout 0.3 --retries 0 --orders desc --limits 100"}),
    [](const ::testing::TestParamInfo<fault_case>& info) {
      std::string name = info.param.fault;
      for (char& ch : name) {
        if (ch == '-') ch = '_';
      }
      return "f_" + name;
    });

TEST_F(crawl, could_not_run_exits_2) {
  // Nothing listens on this port: no connection on the very first request.
  crawl_result r = run("http://127.0.0.1:9", "");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("no connection"), std::string::npos) << r.err;
  // The key would go over plain http to a host that is not loopback.
  r = run("http://example.invalid/v1", "");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("plain http"), std::string::npos) << r.err;
  r = run("http://127.0.0.1:9", "--limits 0");
  EXPECT_EQ(r.exit_code, 2);
  const std::string no_key = std::string("env -u OPENAI_ADMIN_KEY '") + CERTHARNESS_CLI +
                             "' crawl --base-url http://127.0.0.1:9 >/dev/null 2>&1";
  EXPECT_EQ(WEXITSTATUS(std::system(no_key.c_str())), 2);
}

// A listening socket on 127.0.0.1 that nobody should reach: was_connected() says whether
// anything connected to it (non-blocking accept, so asking never waits). port() is 0 on failure.
class loopback_listener {
 public:
  loopback_listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::listen(fd_, 4) == 0 &&
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
  }
  ~loopback_listener() {
    if (fd_ >= 0) ::close(fd_);
  }
  loopback_listener(const loopback_listener&) = delete;
  loopback_listener& operator=(const loopback_listener&) = delete;

  int port() const { return port_; }
  bool was_connected() const {
    const int accepted = ::accept(fd_, nullptr, nullptr);
    if (accepted >= 0) ::close(accepted);
    return accepted >= 0;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// The loopback gate reads the URL as libcurl does: a base whose host, after the userinfo, is
// another machine is refused before any connection (url_test.cpp has the other bypasses).
TEST_F(crawl, base_url_with_userinfo_exits_2_before_any_connection) {
  crawl_result r = run("http://127.0.0.1@evil.invalid/v1", "--timeout 2 --retries 0");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("userinfo"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("no connection"), std::string::npos) << r.err;
  r = run("http://127.0.0.1.evil.invalid/v1", "--timeout 2 --retries 0");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("plain http to 127.0.0.1.evil.invalid"), std::string::npos) << r.err;

  // Observable: a listening loopback socket named after the '@' sees no connection at all.
  const loopback_listener listener;
  ASSERT_NE(listener.port(), 0);
  r = run("http://127.0.0.1@127.0.0.1:" + std::to_string(listener.port()) + "/v1",
          "--timeout 1 --retries 0");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("userinfo"), std::string::npos) << r.err;
  EXPECT_FALSE(listener.was_connected()) << "crawl connected to the host after the '@'";
}

// A proxy from the environment would be another host: plain http never goes through one.
TEST_F(crawl, plain_http_never_goes_through_a_proxy) {
  const loopback_listener listener;
  ASSERT_NE(listener.port(), 0);
  const std::string proxy = "http://127.0.0.1:" + std::to_string(listener.port());
  // Nothing listens on port 9: without a proxy the first request finds no connection.
  const crawl_result r =
      test_support::run_cli(dir_,
                            std::string("OPENAI_ADMIN_KEY='") + k_key + "' http_proxy='" + proxy +
                                "' all_proxy='" + proxy + "' NO_PROXY= no_proxy=",
                            "crawl --base-url http://127.0.0.1:9/v1 --timeout 1 --retries 0");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("no connection"), std::string::npos) << r.err;
  EXPECT_FALSE(listener.was_connected()) << "the request (and its key) went to the proxy";
}

TEST_F(crawl, first_request_401_exits_2) {
  serve_process server({});
  const fs::path out = dir_ / "o", err = dir_ / "e";
  const std::string cmd = std::string("OPENAI_ADMIN_KEY='bad key with spaces' '") +
                          CERTHARNESS_CLI + "' crawl --base-url '" + server.base_url() + "' >'" +
                          out.string() + "' 2>'" + err.string() + "'";
  EXPECT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 2);
  EXPECT_NE(read_file(err).find("401"), std::string::npos) << read_file(err);
}

// Regression: one response header over libcurl's 100 KB limit ended the crawl with exit 2
// and no report, HAR or JUnit. It is an http.transport finding of that exchange; the run goes on
// and writes everything. The server is in-process: serve has no fault for it.
TEST_F(crawl, a_header_over_100_kb_is_a_finding_and_every_output_is_written) {
  const std::string item =
      R"({"object":"organization.certificate","id":"c1","name":"n","created_at":10,)"
      R"("certificate_details":{"valid_at":1,"expires_at":2},"active":false})";
  httplib::Server server;
  server.set_keep_alive_timeout(1);
  server.Get(".*", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.path.ends_with("/organization/certificates")) {
      res.set_content(R"({"object":"list","data":[)" + item +
                          R"(],"first_id":"c1","last_id":"c1","has_more":false})",
                      "application/json");
      return;
    }
    if (req.path.ends_with("/c1")) res.set_header("X-Huge", std::string(200'000, 'h'));
    res.status = 404;
    res.set_content(R"({"error":{"message":"no","type":"t","param":null,"code":null}})",
                    "application/json");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  const fs::path har = dir_ / "run.har", junit = dir_ / "run.xml";
  const crawl_result r =
      run("http://127.0.0.1:" + std::to_string(port) + "/v1",
          "--limits 100 --orders desc --retries 0 --record '" + har.string() + "' --junit '" +
              junit.string() + "'");
  server.stop();
  thread.join();

  EXPECT_EQ(r.exit_code, 1) << r.out.substr(0, 2000) << r.err;
  ASSERT_TRUE(r.report.has_value()) << r.out.substr(0, 2000) << r.err;
  std::vector<std::string> transport;
  for (const json_value& f : json_value(*r.report->root().find("findings"))) {
    if (f.find("check")->as_string() == "http.transport") {
      transport.emplace_back(f.find("subject")->as_string());
    }
  }
  ASSERT_EQ(transport.size(), 2u) << r.out.substr(0, 2000);  // with and without content
  for (const std::string& request : transport) {
    EXPECT_NE(request.find("/organization/certificates/c1"), std::string::npos) << request;
  }
  const auto entries = read_har(read_file(har));
  ASSERT_TRUE(entries.has_value()) << entries.error();
  std::size_t failed = 0;
  for (const har_entry& e : *entries) {
    failed += e.status == 0 && e.error.find("100 KB") != std::string::npos;
  }
  EXPECT_EQ(failed, 2u);
  EXPECT_NE(read_file(junit).find("http.transport"), std::string::npos);
}

// Outputs written through links, end to end (atomic_file_test.cpp has each kind of file). --junit
// to a link to /proc/self/fd/1 (where /dev/stdout leads; a
// link in the scratch directory, so a regression replaces it and not the system's) lands in
// stdout ahead of the report; --record through a dangling symlink creates its target and
// leaves the link.
TEST_F(crawl, outputs_go_through_links_into_what_they_name) {
  serve_process server({"--seed-certs", "3"});
  fs::create_directory(dir_ / "archive");
  fs::create_symlink("archive/run.har", dir_ / "latest.har");
  fs::create_symlink("/proc/self/fd/1", dir_ / "stdout-link");
  const crawl_result r = test_support::run_cli(
      dir_, std::string("OPENAI_ADMIN_KEY='") + k_key + "'",
      "crawl --format text --base-url '" + server.base_url() + "' --record '" +
          (dir_ / "latest.har").string() + "' --junit '" + (dir_ / "stdout-link").string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::size_t xml = r.out.find("<testsuites"), summary = r.out.rfind(" requests: ");
  ASSERT_NE(xml, std::string::npos) << r.out;
  ASSERT_NE(summary, std::string::npos) << r.out;
  EXPECT_LT(xml, summary) << "the JUnit file is not ahead of the report in stdout";
  EXPECT_TRUE(fs::is_symlink(dir_ / "stdout-link"));
  EXPECT_TRUE(fs::is_symlink(dir_ / "latest.har"));
  const auto har = read_har(read_file(dir_ / "archive" / "run.har"));
  ASSERT_TRUE(har.has_value()) << har.error();
  const std::size_t line = r.out.rfind('\n', summary) + 1;
  EXPECT_EQ(std::to_string(har->size()), r.out.substr(line, summary - line))
      << "entries recorded vs requests reported";
}

// The recording is opened before the run: a path that cannot be written is exit 2 before any
// request (here there would be no connection, and the run does not get that far).
TEST_F(crawl, an_unwritable_record_path_stops_the_run_before_any_request) {
  const fs::path har = dir_ / "missing" / "run.har";
  const crawl_result r = run("http://127.0.0.1:9/v1", "--record '" + har.string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(har.string()), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("no connection"), std::string::npos) << "the run went ahead: " << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "missing"));
}

}  // namespace
}  // namespace certharness
