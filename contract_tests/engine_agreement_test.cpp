// The two validation engines never disagree: for every labelled corpus response against every
// schema of the built-in registry, and for every mutation of a valid corpus document that
// agreement_test makes (document_mutations.hpp; against the file's own schema, as there: every
// schema would be 14 times its ~40,000 documents), the verdict program (`compiled`) and valijson
// give the same is_valid() verdict, and validate() gives the same findings whole (ids, severities,
// pointers, keywords, messages, order). The program only decides; valijson explains whatever it
// refuses, so the findings must come out identical.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certharness/json/json_document.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "corpus_files.hpp"
#include "document_mutations.hpp"

namespace certharness {
namespace {

using test_support::corpus_file;

std::string_view verdict(bool valid) { return valid ? "valid" : "invalid"; }

// Empty when both engines agree on `root` against `schema`, else both verdicts and findings.
std::string engine_disagreement(const json_value& root, const std::string& schema) {
  const schema_registry& registry = schema_registry::builtin();
  const bool compiled = registry.is_valid(root, schema, validation_engine::compiled);
  const bool valijson = registry.is_valid(root, schema, validation_engine::valijson);
  const std::string compiled_findings =
      test_support::describe_findings(registry.validate(root, schema, validation_engine::compiled));
  const std::string valijson_findings =
      test_support::describe_findings(registry.validate(root, schema, validation_engine::valijson));
  if (compiled == valijson && compiled_findings == valijson_findings) return {};
  std::string s = "schema " + schema + ": compiled says " + std::string(verdict(compiled)) +
                  ", valijson says " + std::string(verdict(valijson)) + "\n";
  s += "compiled findings:\n" + compiled_findings + "valijson findings:\n" + valijson_findings;
  return s;
}

// Documents that are not JSON never reach either engine.
std::vector<corpus_file> decodable_corpus_files() {
  std::vector<corpus_file> out;
  for (corpus_file& f : test_support::corpus_files()) {
    if (decode_json(test_support::read_file(f.path)).document) out.push_back(std::move(f));
  }
  return out;
}

class engines_on_corpus : public ::testing::TestWithParam<corpus_file> {};

TEST_P(engines_on_corpus, agree_under_every_schema) {
  const corpus_file& f = GetParam();
  const decode_result r = decode_json(test_support::read_file(f.path));
  ASSERT_TRUE(r.document.has_value()) << f.relative;
  for (const std::string& schema : schema_registry::builtin().names()) {
    const std::string d = engine_disagreement(r.document->root(), schema);
    EXPECT_TRUE(d.empty()) << f.relative << " (labelled " << verdict(f.expect_valid) << " "
                           << f.schema << "):\n"
                           << d;
  }
}

INSTANTIATE_TEST_SUITE_P(responses, engines_on_corpus,
                         ::testing::ValuesIn(decodable_corpus_files()),
                         [](const auto& info) { return test_support::test_name_of(info.param); });

TEST(engines_on_mutations, agree_on_every_value_replaced_and_every_member_dropped) {
  const std::size_t checked = test_support::check_corpus_mutations(
      [](const std::string& schema, const json_value& root) {
        return engine_disagreement(root, schema);
      },
      /*stop_at_first=*/false);
  EXPECT_GT(checked, 30000u);
  RecordProperty("mutations_checked", static_cast<int>(checked));
  std::printf("engines checked on %zu mutated documents\n", checked);
}

}  // namespace
}  // namespace certharness
