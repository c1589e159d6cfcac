// `--engine compiled|valijson` on validate and replay, end to end: the engine decides which
// documents are valid, never what is said about them, so the whole labelled corpus validated and
// each committed recording replayed give byte-identical JSON reports and the same exit code with
// either engine, and without the option (compiled is the default).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_process.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;

const std::string k_responses = (fs::path(CERTHARNESS_CORPUS_DIR) / "responses").string();

std::vector<std::string> committed_recordings() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(fs::path(CERTHARNESS_CORPUS_DIR) / "har")) {
    if (e.path().extension() == ".har") out.push_back(e.path().string());
  }
  return out;
}

class engine_option : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_engine_option_e2e"); }
  void TearDown() override { fs::remove_all(dir_); }

  // `command --format json [--engine engine] 'path'`; "" leaves the option out.
  test_support::cli_result run(const std::string& command, const std::string& engine,
                               const std::string& path) {
    std::string args = command + " --format json ";
    if (!engine.empty()) args += "--engine " + engine + " ";
    return test_support::run_cli(dir_, "env -u OPENAI_ADMIN_KEY", args + "'" + path + "'");
  }

  // The reports of `command` over `path` with each engine are the same bytes.
  void expect_same_report(const std::string& command, const std::string& path, int expected_exit) {
    const test_support::cli_result valijson = run(command, "valijson", path);
    ASSERT_EQ(valijson.exit_code, expected_exit) << command << " " << path << ": " << valijson.err;
    ASSERT_TRUE(valijson.report.has_value()) << command << " " << path << ": " << valijson.out;
    for (const std::string engine : {"compiled", ""}) {
      const test_support::cli_result r = run(command, engine, path);
      const std::string what = command + " --engine " + (engine.empty() ? "(default)" : engine) +
                               " " + path + " vs --engine valijson";
      EXPECT_EQ(r.exit_code, valijson.exit_code) << what << ": " << r.err;
      EXPECT_EQ(r.err, valijson.err) << what;
      EXPECT_TRUE(r.out == valijson.out) << what << ": the JSON reports differ";
    }
  }

  fs::path dir_;
};

// The corpus holds invalid documents: exit 1 either way.
TEST_F(engine_option, validate_of_the_labelled_corpus_reports_the_same_bytes) {
  expect_same_report("validate", k_responses, 1);
}

TEST_F(engine_option, replay_of_each_committed_recording_reports_the_same_bytes) {
  const std::vector<std::string> recordings = committed_recordings();
  ASSERT_FALSE(recordings.empty()) << "no corpus/har/*.har";
  for (const std::string& har : recordings) {
    const test_support::cli_result r = run("replay", "valijson", har);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << har << ": " << r.err;
    expect_same_report("replay", har, r.exit_code);
  }
}

}  // namespace
}  // namespace certharness
