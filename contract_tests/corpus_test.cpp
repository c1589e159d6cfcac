// Every labelled corpus document gets its labelled verdict, through the same path as
// `certharness validate --schema <dir>`.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <sstream>
#include <string>

#include "certharness/schema/schema_registry.hpp"
#include "certharness/validate/validate_run.hpp"
#include "corpus_files.hpp"

namespace certharness {
namespace {

using test_support::corpus_file;

class corpus : public ::testing::TestWithParam<corpus_file> {};

TEST_P(corpus, gets_its_labelled_verdict) {
  const corpus_file& f = GetParam();
  ASSERT_TRUE(schema_registry::builtin().contains(f.schema))
      << f.relative << ": directory names no schema";
  validate_options options;
  options.schema = f.schema;
  const subject_report r = validate_document(f.path, test_support::read_file(f.path), options);
  if (f.expect_valid) {
    EXPECT_TRUE(r.valid) << f.relative << ": expected valid, got invalid:\n"
                         << test_support::describe_findings(r.problems);
    return;
  }
  ASSERT_FALSE(f.expected_check.empty())
      << f.relative << ": invalid files are named <check>--<rule>.json";
  const bool fired = std::any_of(r.problems.begin(), r.problems.end(), [&](const finding& p) {
    return p.check == f.expected_check && p.level == severity::error;
  });
  EXPECT_TRUE(fired) << f.relative << ": expected invalid by " << f.expected_check << ", got "
                     << (r.valid ? "valid" : "invalid by other checks") << ":\n"
                     << test_support::describe_findings(r.problems);
}

INSTANTIATE_TEST_SUITE_P(responses, corpus, ::testing::ValuesIn(test_support::corpus_files()),
                         [](const auto& info) { return test_support::test_name_of(info.param); });

// corpus/minimums.conf: schema -> {valid, invalid, json.syntax, json.duplicate_key}; "*" for
// every schema it does not list. tools/corpus_check.py reads the same table.
std::map<std::string, std::array<int, 4>> read_minimums() {
  const std::string path = std::string(CERTHARNESS_CORPUS_DIR) + "/minimums.conf";
  std::istringstream text(test_support::read_file(path));
  std::map<std::string, std::array<int, 4>> rows;
  for (std::string line; std::getline(text, line);) {
    std::istringstream fields(line.substr(0, line.find('#')));
    std::string name;
    if (!(fields >> name)) continue;
    std::array<int, 4>& row = rows[name];
    for (int& n : row) EXPECT_TRUE(fields >> n) << path << ": want 5 columns: " << line;
    EXPECT_FALSE(fields >> name) << path << ": want 5 columns: " << line;
  }
  EXPECT_TRUE(rows.count("*")) << path << ": no \"*\" row";
  return rows;
}

TEST(corpus_layout, has_the_required_coverage) {
  // schema -> {valid, invalid, json.syntax, json.duplicate_key}
  std::map<std::string, std::array<int, 4>> counts;
  for (const corpus_file& f : test_support::corpus_files()) {
    auto& c = counts[f.schema];
    ++c[f.expect_valid ? 0 : 1];
    if (f.expected_check == "json.syntax") ++c[2];
    if (f.expected_check == "json.duplicate_key") ++c[3];
  }
  const auto minimums = read_minimums();
  for (const auto& [name, row] : minimums) {
    EXPECT_TRUE(name == "*" || schema_registry::builtin().contains(name))
        << "corpus/minimums.conf names no schema: " << name;
  }
  const char* const columns[] = {"valid", "invalid", "json.syntax", "json.duplicate_key"};
  for (const std::string& name : schema_registry::builtin().names()) {
    if (name == "Error") continue;  // only referenced, never a body of its own
    const auto at = minimums.find(name);
    const std::array<int, 4> want = at != minimums.end() ? at->second : minimums.at("*");
    for (std::size_t i = 0; i < 4; ++i) {
      EXPECT_GE(counts[name][i], want[i])
          << name << ": too few " << columns[i] << " corpus documents (corpus/minimums.conf)";
    }
  }
}

}  // namespace
}  // namespace certharness
