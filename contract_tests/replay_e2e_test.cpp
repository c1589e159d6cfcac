// Record → replay: `certharness crawl --record` against `certharness serve`, then
// `certharness replay` of the recording gives the same findings and exit code, offline.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "certharness/json/json_document.hpp"
#include "cli_process.hpp"
#include "corpus_files.hpp"
#include "report_reading.hpp"
#include "serve_process.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;
using test_support::checks_and_groups_at_least;
using test_support::read_file;
using test_support::serve_process;

constexpr const char* k_key = "sk-admin-replay-e2e-SECRET-77b0";

using test_support::cli_result;

class replay : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_replay"); }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `certharness <args>` with the key in its environment.
  cli_result run(const std::string& args) {
    return test_support::run_cli(dir_, std::string("OPENAI_ADMIN_KEY='") + k_key + "'", args);
  }

  fs::path dir_;
};

class record_then_replay : public replay, public ::testing::WithParamInterface<const char*> {};

TEST_P(record_then_replay, gives_the_crawls_findings) {
  const std::string fault = GetParam();
  std::vector<std::string> serve_args{"--seed-certs", "12"};
  if (!fault.empty()) serve_args.insert(serve_args.end(), {"--fault", fault});
  serve_process server(serve_args);
  const fs::path har = dir_ / "run.har";
  const cli_result crawled =
      run("crawl --format json --limits 5,100 --backoff-ms 10 --project proj_e2e --base-url '" +
          server.base_url() + "' --record '" + har.string() + "'");
  ASSERT_TRUE(crawled.report.has_value()) << crawled.out << crawled.err;
  server.stop();  // replay is offline

  const cli_result replayed = run("replay --format json '" + har.string() + "'");
  ASSERT_TRUE(replayed.report.has_value()) << replayed.out << replayed.err;
  EXPECT_EQ(replayed.exit_code, crawled.exit_code) << replayed.err;
  EXPECT_EQ(checks_and_groups_at_least(replayed.report->root(), severity::warning),
            checks_and_groups_at_least(crawled.report->root(), severity::warning));
  EXPECT_EQ(replayed.report->root().find("summary")->find("subjects")->as_int64(),
            crawled.report->root().find("summary")->find("subjects")->as_int64());
  EXPECT_EQ(replayed.report->root().find("summary")->find("skipped")->as_int64(), 0);
  if (fault.empty()) {
    EXPECT_EQ(crawled.exit_code, 0) << crawled.out;
  } else {
    EXPECT_FALSE(checks_and_groups_at_least(crawled.report->root(), severity::warning).empty())
        << fault << " raised nothing";
  }
  for (const std::string* text : {&replayed.out, &replayed.err}) {
    EXPECT_EQ(text->find(k_key), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(clean_and_faulty, record_then_replay,
                         ::testing::Values("", "wrong-order", "get-mismatch", "error-shape",
                                           "first-id-mismatch", "asc-desc-inconsistent",
                                           "429-without-retry-after"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = *info.param ? info.param : "clean";
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return "f_" + name;
                         });

TEST_F(replay, could_not_run_exits_2) {
  cli_result r = run("replay '" + (dir_ / "missing.har").string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.har"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;

  const fs::path not_har = dir_ / "not.har";
  std::ofstream(not_har) << R"({"hello":"world"})";
  r = run("replay --format json '" + not_har.string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not.har"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(replay, corpus_recordings_exit_codes) {
  const std::string corpus = CERTHARNESS_CORPUS_DIR;
  EXPECT_EQ(run("replay '" + corpus + "/har/clean.har'").exit_code, 0);
  const fs::path junit = dir_ / "replay.xml";
  const cli_result r = run("replay --junit '" + junit.string() + "' '" + corpus +
                           "/har/faulty-wrong-order.har' '" + corpus + "/har/clean.har'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("list.order"), std::string::npos) << r.out;
  EXPECT_NE(read_file(junit).find("<testsuites"), std::string::npos);
}

// replay reads at most --max-bytes + 1 bytes of an archive (/dev/zero never ends), and its
// messages name options it has: --max-bytes and --max-depth.
TEST_F(replay, archive_limits_are_bounded_and_adjustable) {
  cli_result r = run("replay --max-bytes 1MB /dev/zero");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.err,
            "certharness replay: /dev/zero: the archive is over the limit of 1048576 bytes "
            "(raise it with --max-bytes)\n");

  const fs::path clean = fs::path(CERTHARNESS_CORPUS_DIR) / "har/clean.har";
  const std::string size = std::to_string(fs::file_size(clean));
  r = run("replay --max-bytes 1000 '" + clean.string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.err, "certharness replay: " + clean.string() + ": the archive is " + size +
                       " bytes, over the limit of 1000 bytes (raise it with --max-bytes)\n");
  EXPECT_EQ(run("replay --max-bytes 10MB '" + clean.string() + "'").exit_code, 0);

  // Nesting deeper than the default 64, in an extra field: refused, then accepted when raised.
  const fs::path deep = dir_ / "deep.har";
  std::ofstream(deep) << R"({"log":{"entries":[],"_x":)" << std::string(100, '[')
                      << std::string(100, ']') << "}}";
  r = run("replay '" + deep.string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("(raise it with --max-depth)"), std::string::npos) << r.err;
  r = run("replay --max-depth 200 '" + deep.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// A FIFO with no writer is refused at once, as by validate (`timeout` is only a watchdog).
TEST_F(replay, fifo_without_a_writer_exits_2_at_once) {
  const fs::path fifo = dir_ / "fifo.har";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const cli_result r =
      test_support::run_cli(dir_, "timeout -s KILL 60", "replay '" + fifo.string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.err, "certharness replay: " + fifo.string() +
                       ": a FIFO or pipe with no writer (it is read only while a writer has it "
                       "open)\n");
}

}  // namespace
}  // namespace certharness
