// `certharness spec-diff OLD NEW` end to end: exit codes (1 breaking, 0 otherwise, 2 unreadable),
// the text, JSON and JUnit reports, and messages naming the file and the place.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_process.hpp"
#include "test_support.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;

const fs::path k_history = fs::path(CERTHARNESS_CORPUS_DIR) / "specs" / "history";
const std::string k_first = (k_history / "certificates-2025-04-29-498c71dd.json").string();
const std::string k_second = (k_history / "certificates-2026-05-13-5162af98.json").string();
const std::string k_third = (k_history / "certificates-2026-08-14-ca34204c.json").string();

class spec_diff_cli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_spec_diff_cli"); }
  void TearDown() override { fs::remove_all(dir_); }

  test_support::cli_result run(const std::string& args) {
    return test_support::run_cli(dir_, "", "spec-diff " + args);
  }
  static std::string q(const std::string& path) { return "'" + path + "'"; }

  fs::path dir_;
};

TEST_F(spec_diff_cli, a_breaking_change_exits_1_with_every_finding_and_a_summary) {
  const auto r = run(q(k_first) + " " + q(k_second));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_NE(r.out.find(": warning: diff.path_parameter_renamed: path parameter cert_id -> "
                       "certificate_id\n"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(
      r.out.ends_with("10 operations: 1 valid, 9 invalid (33 errors, 5 warnings, 48 "
                      "notes)\n"))
      << r.out;
}

TEST_F(spec_diff_cli, warnings_only_exit_0_and_json_carries_both_pointers) {
  const auto r = run(q(k_second) + " " + q(k_third) + " --format json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(r.report) << r.out;
  const json_value root = r.report->root();
  EXPECT_EQ(root.find("command")->as_string(), "spec-diff");
  std::optional<json_value> findings = root.find("findings");
  ASSERT_TRUE(findings && findings->is_array());
  ASSERT_EQ(findings->size(), 10U);
  for (const json_value& f : *findings) {
    EXPECT_EQ(f.find("check")->as_string(), "diff.status_added");
    EXPECT_EQ(f.find("severity")->as_string(), "warning");
    ASSERT_NE(f.find("other_pointer"), std::nullopt);
    EXPECT_TRUE(f.find("pointer")->as_string().ends_with("/responses/429"));
    EXPECT_TRUE(f.find("other_pointer")->as_string().ends_with("/responses"));
  }
  std::optional<json_value> summary = root.find("summary");
  EXPECT_EQ(summary->find("warnings")->as_string(), "10");
  EXPECT_EQ(summary->find("errors")->as_string(), "0");
  EXPECT_EQ(summary->find("subjects")->as_string(), "10");
}

TEST_F(spec_diff_cli, a_document_against_itself_exits_0_with_no_finding_and_junit_passes) {
  const std::string junit = (dir_ / "diff.xml").string();
  const auto r = run(q(k_third) + " " + q(k_third) + " --junit " + q(junit));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "10 operations: 10 valid, 0 invalid (0 errors, 0 warnings, 0 notes)\n");
  EXPECT_NE(test_support::read_file(junit).find("<testsuites name=\"certharness spec-diff\" "
                                                "tests=\"0\" failures=\"0\">"),
            std::string::npos);
}

TEST_F(spec_diff_cli, junit_fails_the_breaking_checks) {
  const std::string junit = (dir_ / "diff.xml").string();
  const auto r = run(q(k_first) + " " + q(k_second) + " --junit " + q(junit));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string xml = test_support::read_file(junit);
  EXPECT_NE(xml.find("<testcase classname=\"response 200\" name=\"diff.response_nullable\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("type=\"diff.response_nullable\""), std::string::npos) << xml;
}

TEST_F(spec_diff_cli, an_unreadable_document_exits_2_naming_the_file_and_the_place) {
  const std::string missing = (dir_ / "missing.json").string();
  auto r = run(q(missing) + " " + q(k_second));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("certharness spec-diff: " + missing), std::string::npos) << r.err;

  const fs::path bad = dir_ / "bad.json";
  std::ofstream(bad) << "{\"openapi\": \"3.1.0\",\n \"paths\": {,}}";
  r = run(q(k_second) + " " + q(bad.string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(bad.string() + ": line 2, column 12"), std::string::npos) << r.err;

  r = run(q(k_second));
  EXPECT_EQ(r.exit_code, 2) << "NEW is required";
}

}  // namespace
}  // namespace certharness
