// `certharness spec-schemas [--spec PATH] --out DIR`, end to end: the built-in excerpt gives
// schemas/ byte for byte, --spec translates another document, and what cannot be translated or
// written is exit 2 with one message naming the place.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "cli_process.hpp"
#include "test_support.hpp"

namespace certharness {
namespace {

using test_support::read_file;
using test_support::run_cli;

class spec_schemas_cli : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_support::fresh_test_dir("spec_schemas_cli");
    out_ = dir_ / "out";
    std::filesystem::create_directories(out_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_, out_;
};

TEST_F(spec_schemas_cli, writes_the_shipped_schemas_from_the_built_in_excerpt) {
  const auto r = run_cli(dir_, "", "spec-schemas --out '" + out_.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "wrote 15 schemas from built-in excerpt to " + out_.string() + "\n");
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(CERTHARNESS_SCHEMA_DIR)) {
    if (e.path().extension() != ".json") continue;
    ++files;
    EXPECT_EQ(read_file(out_ / e.path().filename()), read_file(e.path())) << e.path();
  }
  EXPECT_EQ(files, 15u);
}

TEST_F(spec_schemas_cli, spec_translates_another_document_and_names_stale_files) {
  const std::string first_version =
      std::string(CERTHARNESS_CORPUS_DIR) + "/specs/history/certificates-2025-04-29-498c71dd.json";
  test_support::read_file(first_version);  // exists: the history is part of the repository
  {
    std::FILE* f = std::fopen((out_ / "Error.json").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fclose(f);
  }
  const auto r = run_cli(
      dir_, "", "spec-schemas --spec '" + first_version + "' --out '" + out_.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote 6 schemas from " + first_version), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("Error.json is not a schema of this translation"), std::string::npos)
      << r.err;
  EXPECT_TRUE(std::filesystem::exists(out_ / "Error.json")) << "a stale file is named, not removed";
  // The first version's Certificate had "content" where "certificate" is now required.
  EXPECT_NE(read_file(out_ / "UploadCertificateRequest.json").find("\"content\""),
            std::string::npos);
}

TEST_F(spec_schemas_cli, an_untranslatable_document_is_exit_2_naming_the_pointer) {
  const std::filesystem::path spec = dir_ / "spec.json";
  {
    std::FILE* f = std::fopen(spec.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs(R"({"openapi":"3.1.0","paths":{"/organization/certificates":{"get":{"responses":{
      "200":{"description":"x","content":{"application/json":{
        "schema":{"$ref":"#/components/schemas/Certificate"}}}}}}}},
      "components":{"schemas":{"Certificate":{"type":"object","properties":{
        "name":{"type":"string","nullable":true}}}}}})",
               f);
    std::fclose(f);
  }
  const auto r = run_cli(
      dir_, "", "spec-schemas --spec '" + spec.string() + "' --out '" + out_.string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "certharness spec-schemas: " + spec.string() +
                       ": at /components/schemas/Certificate/properties/name/nullable: unknown "
                       "keyword: the translation does not know what it means\n");
  EXPECT_TRUE(std::filesystem::is_empty(out_)) << "nothing is written";
}

TEST_F(spec_schemas_cli, a_missing_document_or_directory_is_exit_2) {
  auto r = run_cli(
      dir_, "",
      "spec-schemas --spec '" + (dir_ / "none.json").string() + "' --out '" + out_.string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("none.json"), std::string::npos) << r.err;
  r = run_cli(dir_, "", "spec-schemas --out '" + (dir_ / "nowhere").string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a directory"), std::string::npos) << r.err;
  r = run_cli(dir_, "", "spec-schemas");
  EXPECT_EQ(r.exit_code, 2) << "--out is required";
}

}  // namespace
}  // namespace certharness
