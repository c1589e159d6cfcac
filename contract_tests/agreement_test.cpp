// The typed decoder and valijson (with certharness's integer rules) are written independently
// and must agree: a document decodes exactly when it has no "schema" error, and when both
// refuse, the typed decoder's pointer is one valijson also reports. The one allowed
// difference: an integer that does not fit int64 is schema-valid (with a json.number_range
// warning) but refused by the typed decoder with json.number_range.
//
// Checked over the whole corpus, then over systematic mutations of valid corpus documents
// (every value replaced by values of every JSON type and integer edge, every member dropped or
// repeated with another value).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "certharness/json/json_document.hpp"
#include "certharness/schema/models.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "corpus_files.hpp"
#include "document_mutations.hpp"

namespace certharness {
namespace {

using test_support::corpus_file;

// Empty when they agree, else both verdicts spelled out.
std::string disagreement(std::string_view schema, const json_value& root) {
  const std::optional<models::decode_error> typed = models::check_decodes(schema, root);
  std::vector<const finding*> schema_errors;
  const findings all = schema_registry::builtin().validate(root, schema);
  for (const finding& f : all) {
    if (f.check == "schema" && f.level == severity::error) schema_errors.push_back(&f);
  }
  const bool typed_ok = !typed || typed->check == "json.number_range";
  bool agree = typed_ok == schema_errors.empty();
  if (agree && typed && !schema_errors.empty()) {
    agree = std::any_of(schema_errors.begin(), schema_errors.end(),
                        [&](const finding* f) { return f->pointer == typed->pointer; });
  }
  if (agree) return {};
  std::string s = "typed decoder: ";
  s += typed ? typed->check + " at '" + typed->pointer + "': " + typed->message : "accepts";
  s += "\nvalijson: ";
  if (schema_errors.empty()) s += "no schema error";
  for (const finding* f : schema_errors) {
    s += "\n  " + f->keyword + " at '" + f->pointer + "': " + f->message;
  }
  return s;
}

class agreement_on_corpus : public ::testing::TestWithParam<corpus_file> {};

TEST_P(agreement_on_corpus, typed_decoder_and_valijson_agree) {
  const corpus_file& f = GetParam();
  const decode_result r = decode_json(test_support::read_file(f.path));
  ASSERT_TRUE(r.document.has_value()) << f.relative;
  const std::string d = disagreement(f.schema, r.document->root());
  EXPECT_TRUE(d.empty()) << f.relative << " (expected " << (f.expect_valid ? "valid" : "invalid")
                         << "):\n"
                         << d;
}

// Documents that are not JSON never reach either layer.
std::vector<corpus_file> decodable_corpus_files() {
  std::vector<corpus_file> out;
  for (corpus_file& f : test_support::corpus_files()) {
    if (decode_json(test_support::read_file(f.path)).document) out.push_back(std::move(f));
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(responses, agreement_on_corpus,
                         ::testing::ValuesIn(decodable_corpus_files()),
                         [](const auto& info) { return test_support::test_name_of(info.param); });

TEST(agreement_on_mutations, every_value_replaced_and_every_member_dropped) {
  const std::size_t checked = test_support::check_corpus_mutations(
      [](const std::string& schema, const json_value& root) { return disagreement(schema, root); },
      /*stop_at_first=*/true);
  EXPECT_GT(checked, 30000u);
  RecordProperty("mutations_checked", static_cast<int>(checked));
  std::printf("agreement checked on %zu mutated documents\n", checked);
}

}  // namespace
}  // namespace certharness
