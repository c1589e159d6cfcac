// The translation of a document's component schemas (2020-12, OpenAPI 3.1) into the draft-07
// files valijson runs: each rule on a small document, the exact layout, every refusal at its
// JSON Pointer, the registry built from the output, and the family's history.
#include "certharness/spec/schema_translation.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/json/json_document.hpp"
#include "certharness/json/json_writer.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "certharness/spec/openapi_document.hpp"
#include "spec_samples.hpp"
#include "test_support.hpp"

namespace certharness {
namespace {

using test_support::read_file;
const auto parsed = test_support::parsed_openapi;

// A document whose only schemas are `schemas` (the members of components/schemas).
std::string with_schemas(std::string_view schemas) {
  return R"({"openapi":"3.1.0","components":{"schemas":{)" + std::string(schemas) + "}}}";
}

// `name` from with_schemas(schemas), translated; a failure fails the test.
std::string translated(std::string_view schemas, const std::string& name) {
  const openapi_document doc = parsed(with_schemas(schemas));
  auto t = translate_schema(doc.root(), name, "/components/schemas/" + name);
  if (!t) {
    ADD_FAILURE() << t.error().describe("test") << "\n" << schemas;
    return {};
  }
  EXPECT_EQ(t->name, name);
  EXPECT_EQ(t->pointer, "/components/schemas/" + name);
  return t->text;
}

spec_error refusal(std::string_view schemas, const std::string& name) {
  const openapi_document doc = parsed(with_schemas(schemas));
  auto t = translate_schema(doc.root(), name, "/components/schemas/" + name);
  if (t) {
    ADD_FAILURE() << "translated, expected a refusal:\n" << t->text;
    return {};
  }
  return t.error();
}

// The translation, minus the header every file has, as compact JSON: what the rule under test
// changed. Decoded and written back, so layout does not matter here.
std::string body(std::string_view schemas, const std::string& name) {
  const std::string text = translated(schemas, name);
  const decode_result d = decode_json(text);
  if (!d.ok()) {
    ADD_FAILURE() << "not JSON:\n" << text;
    return {};
  }
  std::string out;
  json_writer w(out);
  w.begin_object();
  for (const json_value& m : d.document->root()) {
    if (m.key() == "$schema" || m.key() == "title") continue;
    w.key(m.key()).value(m);
  }
  w.end_object();
  return out;
}

TEST(schema_translation, writes_the_draft_07_header_and_the_document_order_two_spaces_deep) {
  EXPECT_EQ(translated(R"("A":{"type":"object","required":["n"],"properties":{
                            "n":{"type":"integer","enum":[]},"e":{"properties":{}}}})",
                       "A"),
            R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "A",
  "type": "object",
  "required": [
    "n"
  ],
  "properties": {
    "n": {
      "type": "integer",
      "enum": []
    },
    "e": {
      "properties": {}
    }
  }
}
)");
}

TEST(schema_translation, keeps_the_2020_12_assertions_that_mean_the_same_in_draft_07) {
  struct {
    const char* schema;
    const char* expected;
  } cases[] = {
      {R"({"anyOf":[{"type":"string"},{"type":"null"}]})",
       R"({"anyOf":[{"type":"string"},{"type":"null"}]})"},
      {R"({"const":"organization.certificate"})", R"({"const":"organization.certificate"})"},
      {R"({"type":"string","enum":["a","b"]})", R"({"type":"string","enum":["a","b"]})"},
      {R"({"type":["string","null"]})", R"({"type":["string","null"]})"},
      {R"({"type":"integer","minimum":1,"maximum":1e2,"exclusiveMinimum":0,"multipleOf":1})",
       R"({"type":"integer","minimum":1,"maximum":1e2,"exclusiveMinimum":0,"multipleOf":1})"},
      {R"({"type":"array","minItems":1,"maxItems":10,"items":{"type":"string","minLength":1}})",
       R"({"type":"array","minItems":1,"maxItems":10,"items":{"type":"string","minLength":1}})"},
      {R"({"description":"d","default":{"x":[1]},"minProperties":0})",
       R"({"description":"d","default":{"x":[1]},"minProperties":0})"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(body(std::string(R"("A":)") + c.schema, "A"), c.expected) << c.schema;
  }
}

TEST(schema_translation, drops_annotations_format_examples_and_extensions) {
  EXPECT_EQ(body(R"("A":{"type":"object","x-oaiMeta":{"name":"n","example":"{,}"},
                        "example":{"id":1},"examples":[{"id":2}],"deprecated":true,
                        "$comment":"c","$schema":"https://json-schema.org/draft/2020-12/schema",
                        "properties":{
                          "t":{"type":"integer","format":"unixtime","readOnly":true},
                          "o":{"type":"string","enum":["x"],"x-stainless-const":true,
                               "writeOnly":false,"externalDocs":{"url":"u"}}}})",
                 "A"),
            R"({"type":"object","properties":{"t":{"type":"integer"},)"
            R"("o":{"type":"string","enum":["x"]}}})");
}

TEST(schema_translation, the_root_title_is_the_name_and_inner_titles_stay) {
  EXPECT_EQ(translated(R"("A":{"title":"Other","properties":{"p":{"title":"P"}}})", "A"),
            R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "A",
  "properties": {
    "p": {
      "title": "P"
    }
  }
}
)");
}

TEST(schema_translation, a_component_ref_names_the_sibling_file_and_keeps_annotations_beside_it) {
  EXPECT_EQ(body(R"("A":{"type":"array","items":{"$ref":"#/components/schemas/B",
                          "description":"one B","format":"f"}},"B":{})",
                 "A"),
            R"({"type":"array","items":{"$ref":"B.json","description":"one B"}})");
  EXPECT_EQ(body(R"("A":{"anyOf":[{"$ref":"#/components/schemas/B%2Ex"}]},"B.x":{})", "A"),
            R"({"anyOf":[{"$ref":"B.x.json"}]})");
}

TEST(schema_translation, refuses_each_unknown_or_untranslated_keyword_at_its_pointer) {
  struct {
    const char* schemas;
    const char* pointer;
    const char* message_part;
  } cases[] = {
      {R"("Certificate":{"properties":{"x":{"type":"string","nullable":true}}})",
       "/components/schemas/Certificate/properties/x/nullable", "unknown keyword"},
      {R"("A":{"allOf":[{"type":"string"}]})", "/components/schemas/A/allOf", "does not model"},
      {R"("A":{"oneOf":[{"type":"string"}]})", "/components/schemas/A/oneOf", "does not model"},
      {R"("A":{"additionalProperties":false})", "/components/schemas/A/additionalProperties",
       "does not model"},
      {R"("A":{"items":{"not":{}}})", "/components/schemas/A/items/not", "does not model"},
      {R"("A":{"type":"string","pattern":"^(a+)+$"})", "/components/schemas/A/pattern", "not safe"},
      {R"("A":{"uniqueItems":true})", "/components/schemas/A/uniqueItems", "not safe"},
      {R"("A":{"items":[{"type":"string"}]})", "/components/schemas/A/items", "prefixItems"},
      {R"("A":{"anyOf":[{"type":"string"},{"typo":1}]})", "/components/schemas/A/anyOf/1/typo",
       "unknown keyword"},
      {R"("A":{"type":"int"})", "/components/schemas/A/type", "unknown type"},
      {R"("A":{"type":[]})", "/components/schemas/A/type", "non-empty array"},
      {R"("A":{"anyOf":[]})", "/components/schemas/A/anyOf", "non-empty array"},
      {R"("A":{"required":["a",1]})", "/components/schemas/A/required", "strings"},
      {R"("A":{"minItems":-1})", "/components/schemas/A/minItems", "non-negative integer"},
      {R"("A":{"maxItems":1.5})", "/components/schemas/A/maxItems", "non-negative integer"},
      {R"("A":{"minimum":"1"})", "/components/schemas/A/minimum", "must be a number"},
      {R"("A":{"enum":"a"})", "/components/schemas/A/enum", "must be an array"},
      {R"("A":{"description":1})", "/components/schemas/A/description", "must be a string"},
      {R"("A":{"properties":{"p":true}})", "/components/schemas/A/properties/p",
       "must be an object"},
      {R"("A":{"$schema":"http://json-schema.org/draft-04/schema#"})",
       "/components/schemas/A/$schema", "2020-12"},
      {R"("A":{"$ref":"#/components/schemas/B","type":"object"},"B":{})",
       "/components/schemas/A/type", "beside \"$ref\""},
      {R"("A":{"items":{"$ref":"#/components/schemas/B","minItems":1}},"B":{})",
       "/components/schemas/A/items/minItems", "beside \"$ref\""},
      {R"("A":{"$ref":"other.json#/components/schemas/B"})", "/components/schemas/A/$ref",
       "\"other.json#/components/schemas/B\" is not translated"},
      {R"("A":{"$ref":"#/components/schemas/B/properties/p"},"B":{})", "/components/schemas/A/$ref",
       "whole component"},
      {R"("A":{"$ref":"#/components/schemas/Gone"})", "/components/schemas/A/$ref",
       "resolves to nothing"},
      {R"("A":{"$ref":"#/components/schemas/a%20b"},"a b":{})", "/components/schemas/A/$ref",
       "whole component"},
      {R"("A":[])", "/components/schemas/A", "must be an object"},
  };
  for (const auto& c : cases) {
    const spec_error e = refusal(c.schemas, "A");
    if (std::string_view(c.schemas).starts_with(R"("Certificate")")) continue;
    EXPECT_EQ(e.pointer, c.pointer) << c.schemas;
    EXPECT_NE(e.message.find(c.message_part), std::string::npos)
        << c.schemas << "\nmessage: " << e.message;
  }
  const spec_error nullable = refusal(cases[0].schemas, "Certificate");
  EXPECT_EQ(nullable.pointer, cases[0].pointer);
  EXPECT_EQ(nullable.describe("spec.json"),
            "spec.json: at /components/schemas/Certificate/properties/x/nullable: unknown "
            "keyword: the translation does not know what it means");
}

TEST(schema_translation, a_name_that_cannot_be_a_file_is_refused) {
  for (const char* name : {"..", ".hidden", "a/b", "a b", ""}) {
    std::string member;
    append_json_string(member, name);
    const openapi_document doc = parsed(with_schemas(member + ":{}"));
    std::string pointer = "/components/schemas/";
    for (char c : std::string(name)) pointer += c == '/' ? std::string("~1") : std::string(1, c);
    auto t = translate_schema(doc.root(), name, pointer);
    EXPECT_FALSE(t) << name;
  }
}

TEST(schema_translation, nesting_is_bounded) {
  std::string deep = "{}";
  for (int i = 0; i < 110; ++i) deep = R"({"items":)" + deep + "}";
  const spec_error e = refusal(R"("A":)" + deep, "A");
  EXPECT_NE(e.message.find("deeper than 100"), std::string::npos) << e.message;
  EXPECT_TRUE(e.pointer.starts_with("/components/schemas/A/items/items/")) << e.pointer;
}

// A document whose family's one operation answers with each of `names`.
std::string family_with(std::string_view schemas, const std::vector<std::string>& names) {
  std::string any_of;
  for (const std::string& n : names) {
    any_of +=
        (any_of.empty() ? "" : ",") + std::string(R"({"$ref":"#/components/schemas/)") + n + "\"}";
  }
  return R"({"openapi":"3.1.0","paths":{"/organization/certificates":{"get":{"responses":{
    "200":{"description":"x","content":{"application/json":{"schema":{"anyOf":[)" +
         any_of + R"(]}}}}}}}},"components":{"schemas":{)" + std::string(schemas) + "}}}";
}

bool passes(const schema_registry& r, std::string_view name, std::string_view json) {
  const decode_result d = decode_json(json);
  if (!d.ok()) throw std::runtime_error("test document does not decode");
  for (const finding& f : r.validate(d.document->root(), name)) {
    if (f.level == severity::error) return false;
  }
  return true;
}

TEST(schema_translation, the_registry_runs_2020_12_meanings) {
  const openapi_document doc = parsed(family_with(
      R"("Item":{"type":"object","required":["kind","name","n"],"properties":{
           "kind":{"const":"item"},
           "name":{"anyOf":[{"type":"string"},{"type":"null"}]},
           "alias":{"type":["string","null"]},
           "n":{"type":"integer","format":"int64","minimum":0},
           "next":{"anyOf":[{"$ref":"#/components/schemas/Item"},{"type":"null"}]}}})",
      {"Item"}));
  auto registry = translate_registry(doc.root());
  ASSERT_TRUE(registry) << registry.error().describe("test");
  EXPECT_EQ(registry->names(), std::vector<std::string>{"Item"});
  EXPECT_TRUE(passes(*registry, "Item", R"({"kind":"item","name":null,"n":1.0})"));
  EXPECT_TRUE(passes(*registry, "Item", R"({"kind":"item","name":"a","alias":null,"n":1e3})"));
  EXPECT_FALSE(passes(*registry, "Item", R"({"kind":"other","name":"a","n":1})")) << "const";
  EXPECT_FALSE(passes(*registry, "Item", R"({"kind":"item","name":1,"n":1})")) << "anyOf";
  EXPECT_FALSE(passes(*registry, "Item", R"({"kind":"item","name":"a","alias":2,"n":1})"))
      << "type array";
  EXPECT_FALSE(passes(*registry, "Item", R"({"kind":"item","name":"a","n":1.5})")) << "integer";
  EXPECT_FALSE(passes(*registry, "Item", R"({"kind":"item","name":"a","n":-1})")) << "minimum";
  // The cycle through "next" is followed as deep as the document goes.
  EXPECT_TRUE(passes(*registry, "Item", R"({"kind":"item","name":"a","n":1,
      "next":{"kind":"item","name":"b","n":2,"next":null}})"));
  EXPECT_FALSE(passes(*registry, "Item", R"({"kind":"item","name":"a","n":1,
      "next":{"kind":"item","name":"b","n":2.5}})"));
}

TEST(schema_translation, what_the_registry_cannot_compile_is_an_error_not_an_exception) {
  const openapi_document doc = parsed(family_with(R"("A":{"enum":[1,2]})", {"A"}));
  auto registry = translate_registry(doc.root());
  ASSERT_FALSE(registry);
  EXPECT_EQ(registry.error().pointer, "/components/schemas");
  EXPECT_NE(registry.error().message.find("schema A: only string enums"), std::string::npos)
      << registry.error().message;
}

TEST(schema_translation, the_builtin_registry_is_the_translation_of_the_excerpt) {
  const openapi_document doc = parsed(read_file(std::string(CERTHARNESS_SCHEMA_DIR) +
                                                "/reference/openai-certificates.openapi.json"));
  auto translated = translate_family_schemas(doc.root());
  ASSERT_TRUE(translated) << translated.error().describe("excerpt");
  std::vector<std::string> names;
  for (const translated_schema& t : *translated) names.push_back(t.name);
  EXPECT_EQ(schema_registry::builtin().names(), names);
  EXPECT_EQ(names.size(), 15u);
}

// The family as it was in each earlier version of the official document (corpus/specs/history).
class history_version : public testing::TestWithParam<std::pair<const char*, std::size_t>> {};

TEST_P(history_version, translates_and_compiles) {
  const std::string path =
      std::string(CERTHARNESS_CORPUS_DIR) + "/specs/history/" + GetParam().first;
  auto doc = load_openapi_file(path);
  ASSERT_TRUE(doc) << doc.error().describe(path);
  auto registry = translate_registry(doc->root());
  ASSERT_TRUE(registry) << registry.error().describe(path);
  EXPECT_EQ(registry->names().size(), GetParam().second) << path;
  EXPECT_TRUE(registry->contains("Certificate")) << path;
}

INSTANTIATE_TEST_SUITE_P(
    history, history_version,
    testing::Values(std::pair{"certificates-2025-04-29-498c71dd.json", std::size_t{6}},
                    std::pair{"certificates-2026-05-13-5162af98.json", std::size_t{13}},
                    std::pair{"certificates-2026-08-14-ca34204c.json", std::size_t{15}}));

TEST(schema_translation, the_whole_official_document_translates_as_the_excerpt_does) {
  const std::string path = std::string(CERTHARNESS_SHARED_REFERENCE_DIR) + "/openapi-f85dbe2.yaml";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent";
  auto whole = load_openapi_file(path);
  ASSERT_TRUE(whole) << whole.error().describe(path);
  const openapi_document excerpt = parsed(read_file(std::string(CERTHARNESS_SCHEMA_DIR) +
                                                    "/reference/openai-certificates.openapi.json"));
  auto from_whole = translate_family_schemas(whole->root());
  ASSERT_TRUE(from_whole) << from_whole.error().describe(path);
  auto from_excerpt = translate_family_schemas(excerpt.root());
  ASSERT_TRUE(from_excerpt);
  ASSERT_EQ(from_whole->size(), from_excerpt->size());
  for (std::size_t i = 0; i < from_whole->size(); ++i) {
    EXPECT_EQ((*from_whole)[i].name, (*from_excerpt)[i].name);
    EXPECT_EQ((*from_whole)[i].text, (*from_excerpt)[i].text) << (*from_whole)[i].name;
  }
}

}  // namespace
}  // namespace certharness
