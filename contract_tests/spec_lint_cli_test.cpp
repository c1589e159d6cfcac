// `certharness spec-lint` end to end: exit codes, the text, JSON and JUnit reports, --spec.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "certharness/json/json_document.hpp"
#include "cli_process.hpp"
#include "report_reading.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;

using run_result = test_support::cli_result;

const fs::path k_history = fs::path(CERTHARNESS_CORPUS_DIR) / "specs" / "history";

class spec_lint_cli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_spec_lint_cli"); }
  void TearDown() override { fs::remove_all(dir_); }

  run_result run(const std::string& args) {
    return test_support::run_cli(dir_, "NO_COLOR=", "spec-lint " + args);
  }

  fs::path write(const std::string& name, const std::string& bytes) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

  // A --spec run.
  run_result run_spec(const fs::path& spec, const std::string& args = "") {
    return run("--spec '" + spec.string() + "' " + args);
  }

  fs::path dir_;
};

// The built-in document: the official excerpt, whose six list and toggle response examples have
// trailing commas.
TEST_F(spec_lint_cli, the_built_in_document_exits_1_with_the_six_broken_examples_in_text) {
  const run_result r = run("");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  std::size_t syntax_lines = 0;
  for (std::size_t at = r.out.find(": error: json.syntax: "); at != std::string::npos;
       at = r.out.find(": error: json.syntax: ", at + 1)) {
    ++syntax_lines;
  }
  EXPECT_EQ(syntax_lines, 6U) << r.out;
  EXPECT_NE(r.out.find("listOrganizationCertificates: examples: "
                       "/paths/~1organization~1certificates/get/x-oaiMeta/examples/response: "
                       "error: json.syntax: the response example of listOrganizationCertificates "
                       "is not JSON: trailing comma before ']' (line 15, column 3 of the "
                       "example's text)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("note: spec.example_recovered: the response example of "
                       "listOrganizationCertificates is valid JSON once the trailing comma at "
                       "line 14, column 6 is dropped; so recovered, it is valid as "
                       "ListCertificatesResponse\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("10 operations: 4 valid, 6 invalid (6 errors, 0 warnings, "),
            std::string::npos)
      << r.out;
}

TEST_F(spec_lint_cli, the_json_report_parses_back_with_operations_as_subjects) {
  const run_result r = run("--format json");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  ASSERT_TRUE(r.report) << r.out;
  const json_value report = r.report->root();
  EXPECT_EQ(report.find("command")->as_string(), "spec-lint");
  std::optional<json_value> subjects = report.find("subjects");
  ASSERT_EQ(subjects->size(), 10U);
  std::map<std::string, bool> valid;
  for (const json_value& s : *subjects) {
    EXPECT_EQ(s.find("status"), std::nullopt) << "an operation has no status";
    valid[std::string(s.find("subject")->as_string())] = s.find("valid")->as_bool();
  }
  EXPECT_FALSE(valid.at("listOrganizationCertificates"));
  EXPECT_TRUE(valid.at("getCertificate"));
  std::size_t syntax = 0;
  for (const json_value& f : json_value(*report.find("findings"))) {
    if (f.find("check")->as_string() != "json.syntax") continue;
    ++syntax;
    EXPECT_EQ(f.find("group")->as_string(), "examples");
    ASSERT_NE(f.find("line"), std::nullopt);  // in the example's text
    EXPECT_TRUE(f.find("line")->as_int64() == 15 || f.find("line")->as_int64() == 26);
    EXPECT_EQ(f.find("column")->as_int64(), 3);
  }
  EXPECT_EQ(syntax, 6U);
  const auto checks = test_support::checks_of(report);
  EXPECT_EQ(checks.at("json.syntax"), (std::pair<std::int64_t, std::int64_t>{5, 6}));
  EXPECT_EQ(checks.at("spec.path_parameter").second, 0);
  EXPECT_EQ(report.find("summary")->find("errors")->as_int64(), 6);
}

TEST_F(spec_lint_cli, junit_has_a_failing_json_syntax_case_in_the_examples_suite) {
  const fs::path junit = dir_ / "lint.xml";
  const run_result r = run("--junit '" + junit.string() + "'");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string xml = test_support::read_file(junit);
  EXPECT_NE(xml.find("<testsuites name=\"certharness spec-lint\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<testcase classname=\"examples\" name=\"json.syntax\">\n      <failure"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"consistency\" name=\"spec.path_parameter\"/>"),
            std::string::npos)
      << xml;
}

TEST_F(spec_lint_cli, what_cannot_run_exits_2) {
  run_result r = run("--spec '" + (dir_ / "absent.json").string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("certharness spec-lint: --spec " + (dir_ / "absent.json").string()),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  r = run("--format xml");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  r = run("--junit '" + (dir_ / "no" / "such" / "dir.xml").string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
}

TEST_F(spec_lint_cli, with_spec_a_clean_document_exits_0) {
  const fs::path spec =
      write("clean.json", R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},
    "paths":{"/organization/certificates/{certificate_id}":{"get":{"operationId":"getCertificate",
      "parameters":[{"name":"certificate_id","in":"path","required":true,"schema":{"type":"string"}}],
      "responses":{"200":{"description":"ok","content":{"application/json":{
        "schema":{"$ref":"#/components/schemas/DeleteCertificateResponse"}}}}},
      "x-oaiMeta":{"examples":{"response":"{\"object\": \"certificate.deleted\", \"id\": \"c\"}"}}}}},
    "components":{"schemas":{"DeleteCertificateResponse":{"type":"object","required":["object","id"],
      "properties":{"object":{"type":"string","const":"certificate.deleted"},"id":{"type":"string"}}}}}})");
  const run_result r = run_spec(spec);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1 operation: 1 valid, 0 invalid (0 errors"), std::string::npos) << r.out;
}

TEST_F(spec_lint_cli, with_spec_the_first_version_of_the_family_shows_cert_id) {
  const run_result r =
      run_spec(k_history / "certificates-2025-04-29-498c71dd.json", "--format json");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("getCertificate: path parameter \\\"cert_id\\\" is not in the path "
                       "template /organization/certificates/{certificate_id}"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace certharness
