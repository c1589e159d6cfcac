// `--spec PATH` on validate, crawl and replay, end to end: a document that cannot be used stops
// the command before it does anything (exit 2, one message naming the file and, for a syntax
// error, the line and column), and the official excerpt as the document gives the verdicts of the
// built-in contract, the report naming it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "certharness/json/json_writer.hpp"
#include "certharness/spec/contract.hpp"
#include "cli_process.hpp"
#include "serve_process.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;

const std::string k_excerpt =
    (fs::path(CERTHARNESS_SCHEMA_DIR) / "reference" / "openai-certificates.openapi.json").string();
// The same excerpt as YAML, in the upstream file's style (corpus/specs/README.md).
const std::string k_excerpt_yaml =
    (fs::path(CERTHARNESS_CORPUS_DIR) / "specs" / "openai-certificates.openapi.yaml").string();
const std::string k_responses = (fs::path(CERTHARNESS_CORPUS_DIR) / "responses").string();
const std::string k_har = (fs::path(CERTHARNESS_CORPUS_DIR) / "har" / "clean.har").string();

class spec_option : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_spec_option_e2e"); }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& bytes) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

  // `command` with `--spec 'spec'`; crawl is pointed at a port nothing listens on, so a request
  // would be a different error than the one about the document.
  test_support::cli_result run(const std::string& command, const std::string& spec,
                               const std::string& format = "text") {
    std::string args = command + " --format " + format + " --spec '" + spec + "' ";
    if (command == "validate") args += "'" + k_responses + "'";
    if (command == "replay") args += "'" + k_har + "'";
    if (command == "crawl") args += "--base-url http://127.0.0.1:1/v1 --retries 0";
    return test_support::run_cli(dir_, "NO_COLOR= OPENAI_ADMIN_KEY=sk-admin-spec-test", args);
  }

  fs::path dir_;
};

TEST_F(spec_option, a_document_that_cannot_be_used_exits_2_with_one_message_naming_it) {
  fs::create_directories(dir_ / "a-directory.json");
  const struct {
    const char* what;
    std::string path;
    std::string also;  // more the message must say
  } cases[] = {
      {"a missing file", (dir_ / "missing.json").string(), ""},
      {"a directory", (dir_ / "a-directory.json").string(), ""},
      {"not OpenAPI", write("not-openapi.json", R"({"swagger":"2.0","paths":{}})").string(),
       "openapi"},
      {"a JSON syntax error",
       write("syntax.json", "{\"openapi\": \"3.1.0\",\n  \"paths\": {,}\n}").string(),
       "line 2, column "},
  };
  for (const char* command : {"validate", "crawl", "replay"}) {
    for (const auto& c : cases) {
      const std::string where = std::string(command) + ", " + c.what;
      const test_support::cli_result r = run(command, c.path);
      EXPECT_EQ(r.exit_code, 2) << where << "\n" << r.out << r.err;
      EXPECT_EQ(r.out, "") << where;
      ASSERT_FALSE(r.err.empty()) << where;
      EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << where << ": not one line:\n" << r.err;
      const std::string prefix = "certharness " + std::string(command) + ": --spec " + c.path;
      EXPECT_TRUE(r.err.starts_with(prefix)) << where << ": expected it to start with\n"
                                             << prefix << "\ngot\n"
                                             << r.err;
      EXPECT_NE(r.err.find(c.also), std::string::npos) << where << ": " << r.err;
    }
  }
}

// --schema NAME is checked against the contract in use.
TEST_F(spec_option, an_unknown_schema_name_is_refused_naming_the_known_ones) {
  const test_support::cli_result r =
      test_support::run_cli(dir_, "NO_COLOR=", "validate --schema Nope '" + k_responses + "'");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("unknown schema \"Nope\" (known: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ListCertificatesResponse"), std::string::npos) << r.err;
}

// The excerpt loads as a contract (the success-path tests below rely on it).
void expect_the_excerpt_loads() {
  const auto loaded = contract::load(k_excerpt);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().describe(k_excerpt);
}

// What a report says of each subject and finding, without the contract it names.
std::vector<std::string> verdicts(const json_value& report) {
  std::vector<std::string> out;
  for (const json_value& s : json_value(*report.find("subjects"))) {
    std::string line;
    for (const json_value& m : s) line += std::string(m.key()) + "=" + json_text(m) + " ";
    out.push_back(line);
  }
  for (const json_value& f : json_value(*report.find("findings"))) out.push_back(json_text(f));
  if (const std::optional<json_value> checks = report.find("checks"))
    out.push_back(json_text(*checks));
  out.push_back(json_text(*report.find("summary")));
  return out;
}

// Every file of the corpus (validate) and a recording (replay), with the excerpt as JSON and as
// YAML for the document: the verdicts of the built-in contract, finding for finding.
TEST_F(spec_option, the_official_excerpt_gives_the_verdicts_of_the_built_in_contract) {
  expect_the_excerpt_loads();
  if (::testing::Test::IsSkipped()) return;
  for (const char* command : {"validate", "replay"}) {
    const std::string args = std::string(command) + " --format json '" +
                             (std::string(command) == "validate" ? k_responses : k_har) + "'";
    const test_support::cli_result builtin = test_support::run_cli(dir_, "NO_COLOR=", args);
    for (const std::string& document : {k_excerpt, k_excerpt_yaml}) {
      const test_support::cli_result from_document = run(command, document, "json");
      ASSERT_TRUE(builtin.report && from_document.report)
          << command << " --spec " << document << ":\n"
          << builtin.err << from_document.err;
      EXPECT_EQ(from_document.exit_code, builtin.exit_code)
          << command << " --spec " << document << "\n"
          << from_document.err;
      const json_value contract_member = *from_document.report->root().find("contract");
      EXPECT_EQ(json_text(*contract_member.find("source")), "\"" + document + "\"") << command;
      EXPECT_EQ(verdicts(from_document.report->root()), verdicts(builtin.report->root()))
          << command << " --spec " << document;
    }
  }
}

// A crawl with --write-checks of serve (the built-in contract): the excerpt as the document
// drives and judges the same requests, and leaves nothing out.
TEST_F(spec_option, a_crawl_by_the_official_excerpt_is_the_crawl_by_the_built_in_contract) {
  expect_the_excerpt_loads();
  if (::testing::Test::IsSkipped()) return;
  test_support::serve_process server({"--seed-certs", "12"});
  const std::string args =
      "crawl --format json --write-checks --limits 5 --orders desc,asc "
      "--project proj_1 --base-url " +
      server.base_url();
  const std::string env = "NO_COLOR= OPENAI_ADMIN_KEY=sk-admin-spec-test";
  const test_support::cli_result builtin = test_support::run_cli(dir_, env, args);
  const test_support::cli_result from_document =
      test_support::run_cli(dir_, env, args + " --spec '" + k_excerpt + "'");
  ASSERT_TRUE(builtin.report && from_document.report) << builtin.err << from_document.err;
  EXPECT_EQ(from_document.exit_code, builtin.exit_code) << from_document.err;
  // The throwaway certificate's name and id differ from run to run: compare what was judged.
  std::vector<std::string> a, b;
  for (const json_value& f : json_value(*builtin.report->root().find("findings"))) {
    a.push_back(json_text(*f.find("check")));
  }
  for (const json_value& f : json_value(*from_document.report->root().find("findings"))) {
    b.push_back(json_text(*f.find("check")));
  }
  EXPECT_EQ(b, a);
  EXPECT_EQ(json_text(*from_document.report->root().find("checks")),
            json_text(*builtin.report->root().find("checks")));
  EXPECT_EQ(from_document.report->root().find("subjects")->size(),
            builtin.report->root().find("subjects")->size());
}

}  // namespace
}  // namespace certharness
