// `certharness crawl --write-checks` against `certharness serve` on loopback: a clean server
// passes every write check and ends with the certificate set it started with, each write fault
// raises its check, and an interrupted crawl leaves a valid HAR and no leftovers.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "certharness/har/har.hpp"
#include "certharness/http/http_client.hpp"
#include "certharness/http/url.hpp"
#include "certharness/json/json_document.hpp"
#include "corpus_files.hpp"
#include "report_reading.hpp"
#include "serve_process.hpp"
#include "test_support.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test_support::checks_at_least;
using test_support::checks_of;
using test_support::read_file;
using test_support::serve_process;

constexpr const char* k_key = "sk-admin-e2e-WRITE-SECRET-9d2e";
constexpr std::string_view k_write_prefix = "certharness-write-check-";
const char* const k_write_checks[] = {"upload.content", "upload.details", "upload.activates",
                                      "modify.name",    "toggle.result",  "delete.still_present",
                                      "cleanup.failed"};

// The server's organization certificates, id -> name, read over HTTP (429s waited out).
std::map<std::string, std::string> server_certificates(const std::string& base_url) {
  http_client client;
  std::map<std::string, std::string> out;
  std::optional<std::string> after;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    client_request request;
    request.url = base_url + "/organization/certificates?limit=100" +
                  (after ? "&after=" + percent_encode(*after) : "");
    request.headers.emplace_back("Authorization", std::string("Bearer ") + k_key);
    const result<client_response, transport_error> r = client.send(request);
    if (!r || r->status == 429) {
      std::this_thread::sleep_for(100ms);
      continue;
    }
    EXPECT_EQ(r->status, 200) << r->body;
    decode_result page = decode_json(r->body);
    if (!page.ok()) break;
    const json_value root = page.document->root();
    for (const json_value& item : json_value(*root.find("data"))) {
      std::optional<json_value> name = item.find("name");
      out[std::string(item.find("id")->as_string())] =
          name->is_string() ? std::string(name->as_string()) : "";
    }
    if (!root.find("has_more")->as_bool()) return out;
    after = std::string(root.find("last_id")->as_string());
  }
  ADD_FAILURE() << "could not list the server's certificates";
  return out;
}

std::vector<std::string> write_check_leftovers(const std::string& base_url) {
  std::vector<std::string> out;
  for (const auto& [id, name] : server_certificates(base_url)) {
    if (name.rfind(k_write_prefix, 0) == 0) out.push_back(id + " " + name);
  }
  return out;
}

// The CLI's crawl as a child process, stdout and stderr to files, the key in its environment.
class crawl_process {
 public:
  crawl_process(const fs::path& dir, const std::string& base_url, std::vector<std::string> args)
      : out_(dir / "stdout"), err_(dir / "stderr") {
    args.insert(args.begin(),
                {CERTHARNESS_CLI, "crawl", "--format", "json", "--base-url", base_url});
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // Our environment (sanitizer options included) with the key and no organization.
    std::string key_var = std::string("OPENAI_ADMIN_KEY=") + k_key;
    std::vector<char*> envp{key_var.data()};
    for (char** e = environ; *e; ++e) {
      const std::string_view var(*e);
      if (var.rfind("OPENAI_ADMIN_KEY=", 0) != 0 && var.rfind("OPENAI_ORG_ID=", 0) != 0) {
        envp.push_back(*e);
      }
    }
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
  }
  crawl_process(const crawl_process&) = delete;
  crawl_process& operator=(const crawl_process&) = delete;
  ~crawl_process() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  void signal(int sig) const { kill(pid_, sig); }

  // Exit code, or -1 when it did not end within `timeout` (then it is killed).
  int wait(std::chrono::milliseconds timeout = 120s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) return -1;
      std::this_thread::sleep_for(10ms);
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string out() const { return read_file(out_); }
  std::string err() const { return read_file(err_); }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
};

class write_checks : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_write"); }
  void TearDown() override { fs::remove_all(dir_); }

  // A finished crawl's exit code and JSON report; the key must be in none of its outputs.
  int run(const std::string& base_url, const std::vector<std::string>& args,
          std::optional<json_document>& report) {
    crawl_process crawl(dir_, base_url, args);
    const int code = crawl.wait();
    const std::string out = crawl.out(), err = crawl.err();
    EXPECT_EQ(out.find(k_key), std::string::npos) << "the key leaked to stdout";
    EXPECT_EQ(err.find(k_key), std::string::npos) << "the key leaked to stderr";
    decode_result d = decode_json(out);
    EXPECT_TRUE(d.ok()) << "exit " << code << "\n" << out.substr(0, 2000) << err;
    if (d.ok()) report = std::move(d.document);
    return code;
  }

  // A recording must parse, hold at least one entry, and not hold the key.
  void expect_valid_har(const fs::path& har) {
    const std::string recording = read_file(har);
    EXPECT_EQ(recording.find(k_key), std::string::npos) << "the key leaked to the HAR";
    const auto entries = read_har(recording);
    ASSERT_TRUE(entries.has_value()) << entries.error();
    EXPECT_FALSE(entries->empty());
  }

  fs::path dir_;
};

// A clean run: no error finding, and every write check ran and never failed.
void expect_every_write_check_passed(const json_value& report) {
  EXPECT_TRUE(checks_at_least(report, severity::error).empty())
      << ::testing::PrintToString(checks_at_least(report, severity::error));
  const auto checks = checks_of(report);
  for (const char* id : k_write_checks) {
    ASSERT_TRUE(checks.count(id)) << id << " never ran";
    EXPECT_GT(checks.at(id).first, 0) << id;
    EXPECT_EQ(checks.at(id).second, 0) << id;
  }
}

TEST_F(write_checks, clean_server_passes_and_is_left_as_found) {
  serve_process server({"--seed-certs", "5"});
  const auto before = server_certificates(server.base_url());
  ASSERT_EQ(before.size(), 5u);
  const fs::path har = dir_ / "run.har";
  std::optional<json_document> report;
  const int code = run(server.base_url(), {"--write-checks", "--record", har.string()}, report);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(code, 0);
  expect_every_write_check_passed(report->root());
  EXPECT_EQ(server_certificates(server.base_url()), before);
  expect_valid_har(har);
  // The upload is recorded with its body (the PEM is public; nothing there is secret).
  const std::string recording = read_file(har);
  EXPECT_NE(recording.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_NE(recording.find("\"DELETE\""), std::string::npos);
}

TEST_F(write_checks, pass_against_the_demo_server_of_120_seeded_certificates) {
  // tools/demo-run's server: seeded past the 50-upload cap, which seeded certificates do not
  // count, so the throwaway upload is taken and every write check runs.
  serve_process server({"--seed-certs", "120"});
  const auto before = server_certificates(server.base_url());
  ASSERT_EQ(before.size(), 120u);
  std::optional<json_document> report;
  const int code = run(server.base_url(),
                       {"--write-checks", "--project", "proj_demo", "--limits", "100"}, report);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(code, 0);
  expect_every_write_check_passed(report->root());
  EXPECT_EQ(server_certificates(server.base_url()), before);
}

TEST_F(write_checks, never_without_the_flag) {
  serve_process server({"--seed-certs", "3"});
  const fs::path har = dir_ / "run.har";
  std::optional<json_document> report;
  EXPECT_EQ(run(server.base_url(), {"--limits", "100", "--record", har.string()}, report), 0);
  const std::string recording = read_file(har);
  for (const char* method : {"\"POST\"", "\"DELETE\""}) {
    EXPECT_EQ(recording.find(method), std::string::npos) << method << " without --write-checks";
  }
}

struct fault_case {
  const char* fault;
  const char* check;  // must fail
};

void PrintTo(const fault_case& c, std::ostream* os) { *os << c.fault; }

class write_checks_faults : public write_checks,
                            public ::testing::WithParamInterface<fault_case> {};

TEST_P(write_checks_faults, raise_their_check_and_leave_nothing) {
  const fault_case& c = GetParam();
  serve_process server({"--fault", c.fault, "--seed-certs", "3"});
  std::optional<json_document> report;
  const int code =
      run(server.base_url(), {"--write-checks", "--limits", "100", "--orders", "desc"}, report);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(code, 1);
  const std::set<std::string> failing = checks_at_least(report->root(), severity::error);
  EXPECT_TRUE(failing.count(c.check)) << c.fault << " did not raise " << c.check
                                      << "; raised: " << ::testing::PrintToString(failing);
  // Cleanup removed what the run made, so it has nothing to report.
  EXPECT_FALSE(failing.count("cleanup.failed"));
  EXPECT_EQ(write_check_leftovers(server.base_url()), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(every_write_fault, write_checks_faults,
                         ::testing::Values(fault_case{"upload-activates", "upload.activates"},
                                           fault_case{"details-mismatch", "upload.details"},
                                           fault_case{"content-mismatch", "upload.content"},
                                           fault_case{"delete-keeps", "delete.still_present"}),
                         [](const ::testing::TestParamInfo<fault_case>& info) {
                           std::string name = info.param.fault;
                           for (char& ch : name) {
                             if (ch == '-') ch = '_';
                           }
                           return "f_" + name;
                         });

TEST_F(write_checks, sigint_during_the_reads_leaves_a_har_and_writes_nothing) {
  // 1000 certificates at limit 1: thousands of requests, far more than 300 ms of work.
  serve_process server({"--seed-certs", "1000"});
  const fs::path har = dir_ / "run.har";
  crawl_process crawl(dir_, server.base_url(),
                      {"--write-checks", "--limits", "1", "--record", har.string()});
  // The recording's temporary file is opened after crawl's signal handlers are installed and
  // before its first request: signalling earlier would kill it, on a loaded machine, before it
  // can say it was interrupted.
  const auto recording_started = [&] {
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().filename().string().starts_with("run.har.tmp.")) return true;
    }
    return false;
  };
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!recording_started()) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the crawl never started recording";
    std::this_thread::sleep_for(10ms);
  }
  std::this_thread::sleep_for(300ms);
  crawl.signal(SIGINT);
  EXPECT_EQ(crawl.wait(), 2) << crawl.err();
  EXPECT_NE(crawl.err().find("interrupted"), std::string::npos) << crawl.err();
  expect_valid_har(har);
  EXPECT_EQ(read_file(har).find("\"POST\""), std::string::npos) << "wrote after the interrupt";
  EXPECT_EQ(write_check_leftovers(server.base_url()), std::vector<std::string>{});
}

TEST_F(write_checks, sigint_during_the_writes_cleans_up) {
  // A rate limit slows every request down, so the write phase can be caught in the act: the
  // signal goes as soon as the throwaway certificate shows up in the list.
  serve_process server({"--seed-certs", "0", "--rate-limit", "4/s"});
  const fs::path har = dir_ / "run.har";
  crawl_process crawl(dir_, server.base_url(),
                      {"--write-checks", "--limits", "100", "--orders", "desc", "--retries", "10",
                       "--record", har.string()});
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (write_check_leftovers(server.base_url()).empty()) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the upload never happened";
    std::this_thread::sleep_for(300ms);
  }
  crawl.signal(SIGINT);
  EXPECT_EQ(crawl.wait(), 2) << crawl.err();
  expect_valid_har(har);
  EXPECT_NE(read_file(har).find("\"DELETE\""), std::string::npos) << "cleanup did not delete";
  EXPECT_EQ(write_check_leftovers(server.base_url()), std::vector<std::string>{});
}

}  // namespace
}  // namespace certharness
