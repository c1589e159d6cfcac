// Every labelled corpus document gets its labelled verdict, through the same path as
// `certharness validate --schema <dir>`.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "certharness/schema/schema_registry.hpp"
#include "certharness/validate/validate_run.hpp"
#include "corpus_files.hpp"

namespace certharness {
namespace {

using test_support::corpus_file;

std::string describe(const findings& fs) {
  std::string s;
  for (const finding& f : fs) {
    s += "  " + std::string(to_string(f.level)) + " " + f.check + " at '" + f.pointer + "'" +
         (f.keyword.empty() ? "" : " [" + f.keyword + "]") + ": " + f.message + "\n";
  }
  return s.empty() ? "  (no findings)\n" : s;
}

class corpus : public ::testing::TestWithParam<corpus_file> {};

TEST_P(corpus, gets_its_labelled_verdict) {
  const corpus_file& f = GetParam();
  ASSERT_TRUE(schema_registry::builtin().contains(f.schema))
      << f.relative << ": directory names no schema";
  validate_options options;
  options.schema = f.schema;
  const subject_report r = validate_document(f.path, test_support::read_file(f.path), options);
  if (f.expect_valid) {
    EXPECT_TRUE(r.valid) << f.relative << ": expected valid, got invalid:\n" << describe(r.problems);
    return;
  }
  ASSERT_FALSE(f.expected_check.empty())
      << f.relative << ": invalid files are named <check>--<rule>.json";
  const bool fired = std::any_of(r.problems.begin(), r.problems.end(), [&](const finding& p) {
    return p.check == f.expected_check && p.level == severity::error;
  });
  EXPECT_TRUE(fired) << f.relative << ": expected invalid by " << f.expected_check << ", got "
                     << (r.valid ? "valid" : "invalid by other checks") << ":\n"
                     << describe(r.problems);
}

INSTANTIATE_TEST_SUITE_P(responses, corpus, ::testing::ValuesIn(test_support::corpus_files()),
                         [](const auto& info) { return test_support::test_name_of(info.param); });

TEST(corpus_layout, has_the_required_coverage) {
  std::map<std::string, std::pair<int, int>> counts;
  for (const corpus_file& f : test_support::corpus_files()) {
    auto& c = counts[f.schema];
    ++(f.expect_valid ? c.first : c.second);
  }
  const std::set<std::string> seed = {"Certificate", "OrganizationCertificate",
                                      "ListCertificatesResponse", "UploadCertificateRequest",
                                      "ErrorResponse"};
  for (const std::string& name : schema_registry::builtin().names()) {
    if (name == "Error") continue;  // only referenced, never a body of its own
    const auto [valid, invalid] = counts[name];
    const int min_valid = seed.count(name) ? 10 : 3, min_invalid = seed.count(name) ? 30 : 8;
    EXPECT_GE(valid, min_valid) << name << ": too few valid corpus documents";
    EXPECT_GE(invalid, min_invalid) << name << ": too few invalid corpus documents";
  }
}

}  // namespace
}  // namespace certharness
