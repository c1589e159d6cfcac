// The compiled verdict program: per instruction and keyword, documents that pass and fail, each
// judged by the program (engine compiled) and by valijson, which must agree with each other and
// with the expected verdict; the findings of validate() are the same whichever engine decides.
// Then what only the program shows: which roots fall back to valijson and why, the notes of its
// walk, and the anyOf cycle it refuses.
#include "certharness/schema/verdict_program.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/json/json_document.hpp"
#include "certharness/json/json_pointer.hpp"
#include "certharness/schema/schema_registry.hpp"

#include "test_support.hpp"

namespace certharness {
namespace {

bool same(const findings& a, const findings& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].check != b[i].check || a[i].level != b[i].level || a[i].pointer != b[i].pointer ||
        a[i].keyword != b[i].keyword || a[i].message != b[i].message) {
      return false;
    }
  }
  return true;
}

// The document as decoded, duplicate keys and all (the decoder reports them, and keeps both).
json_document decoded(std::string_view text) {
  decode_result r = decode_json(text);
  if (!r.document) throw std::logic_error("test bug: not JSON: " + std::string(text));
  return std::move(*r.document);
}

schema_registry registry_of(std::vector<schema_source> sources, std::string_view title = "") {
  result<schema_registry> r = schema_registry::from_sources(std::move(sources));
  if (!r) throw std::logic_error("test bug: " + std::string(title) + ": " + r.error());
  return std::move(*r);
}

struct verdict_case {
  const char* title;
  std::vector<schema_source> schemas;  // judged against the first
  std::vector<std::pair<const char*, bool>> documents;
};

// Both engines give the expected verdict, and validate() the same findings either way.
void expect_agreement(const verdict_case& c) {
  const schema_registry registry = registry_of(c.schemas, c.title);
  const std::string& name = c.schemas.front().name;
  for (const auto& [text, valid] : c.documents) {
    const json_document doc = decoded(text);
    const json_value& root = doc.root();
    const bool compiled = registry.is_valid(root, name, validation_engine::compiled);
    const bool reference = registry.is_valid(root, name, validation_engine::valijson);
    EXPECT_EQ(compiled, valid) << c.title << ": " << text << " (program)";
    EXPECT_EQ(reference, valid) << c.title << ": " << text << " (valijson)";
    const findings by_program = registry.validate(root, name, validation_engine::compiled);
    const findings by_valijson = registry.validate(root, name, validation_engine::valijson);
    EXPECT_TRUE(same(by_program, by_valijson))
        << c.title << ": " << text << "\ncompiled:\n"
        << test_support::describe_findings(by_program) << "valijson:\n"
        << test_support::describe_findings(by_valijson);
    bool has_error = false;
    for (const finding& f : by_program) has_error |= f.check == "schema";
    EXPECT_EQ(has_error, !valid) << c.title << ": " << text << "\n"
                                 << test_support::describe_findings(by_program);
  }
}

TEST(verdict_program, each_instruction_agrees_with_valijson) {
  const verdict_case cases[] = {
      {"type string",
       {{"S", R"({"type":"string"})"}},
       {{R"("a")", true}, {"1", false}, {"null", false}, {"{}", false}}},
      {"type with null",
       {{"S", R"({"type":["string","null"]})"}},
       {{"null", true}, {R"("x")", true}, {"1", false}, {"false", false}}},
      {"integer by its text",
       {{"S", R"({"type":"integer"})"}},
       {{"1", true},
        {"1.0", true},
        {"1e3", true},
        {"-0", true},
        {"1e400", true},
        {"123456789012345678901234567890", true},
        {"1.5", false},
        {"1e-400", false},
        {"0.1e1", true},
        {R"("1")", false},
        {"null", false}}},
      {"number", {{"S", R"({"type":"number"})"}}, {{"1.5", true}, {"1", true}, {R"("1")", false}}},
      {"integer or number",
       {{"S", R"({"type":["integer","number"]})"}},
       {{"1.5", true}, {"2", true}, {"true", false}}},
      {"boolean, object, array, null",
       {{"S", R"({"type":["boolean","object","array","null"]})"}},
       {{"true", true},
        {"{}", true},
        {"[]", true},
        {"null", true},
        {"0", false},
        {R"("")", false}}},
      {"string enum",
       {{"S", R"({"enum":["a","b\u0000c"]})"}},
       {{R"("a")", true},
        {R"("b\u0000c")", true},
        {R"("b")", false},
        {R"("A")", false},
        {"1", false},
        {"null", false}}},
      {"typed string enum",
       {{"S", R"({"type":"string","enum":["list"]})"}},
       {{R"("list")", true}, {R"("lists")", false}, {"[]", false}}},
      {"const string",
       {{"S", R"({"const":"x"})"}},
       {{R"("x")", true}, {R"("y")", false}, {"null", false}}},
      {"const true",
       {{"S", R"({"const":true})"}},
       {{"true", true}, {"false", false}, {"1", false}}},
      {"const false", {{"S", R"({"const":false})"}}, {{"false", true}, {"true", false}}},
      {"const null",
       {{"S", R"({"const":null})"}},
       {{"null", true}, {"0", false}, {R"("")", false}}},
      {"required",
       {{"S", R"({"type":"object","required":["a","b"]})"}},
       {{R"({"a":1,"b":2})", true},
        {R"({"b":2,"a":1,"c":3})", true},
        {R"({"a":1})", false},
        {"{}", false}}},
      {"required applies to objects only",
       {{"S", R"({"required":["a"]})"}},
       {{R"("x")", true}, {"[]", true}, {"{}", false}}},
      {"required, declared or not",
       {{"S", R"({"properties":{"a":{"type":"string"}},"required":["a","c"]})"}},
       {{R"({"a":"x","c":1})", true},
        {R"({"a":"x"})", false},
        {R"({"c":1})", false},
        {R"({"a":1,"c":1})", false}}},
      {"properties",
       {{"S", R"({"properties":{"a":{"type":"string"},"b":{"type":"integer"}}})"}},
       {{R"({"a":"x","b":1})", true},
        {R"({"a":"x","z":1})", true},
        {"{}", true},
        {R"({"a":1})", false},
        {R"({"b":1.5})", false},
        {R"("not an object")", true}}},
      {"duplicate keys: valijson validates the first member of each name",
       {{"S", R"({"properties":{"a":{"type":"string"}},"required":["a"]})"}},
       {{R"({"a":"x","a":1})", true},
        {R"({"a":1,"a":"x"})", false},
        {R"({"z":1,"z":2,"a":"x"})", true}}},
      {"many properties (hashed), names sharing their first eight bytes",
       {{"S", R"({"properties":{
           "property_01":{"type":"integer"},"property_02":{"type":"integer"},
           "property_03":{"type":"integer"},"property_04":{"type":"integer"},
           "property_05":{"type":"integer"},"property_06":{"type":"integer"},
           "property_07":{"type":"integer"},"property_08":{"type":"integer"},
           "property_09":{"type":"integer"},"property_10":{"type":"string"},
           "p":{"type":"null"},"":{"type":"boolean"}},
           "required":["property_10",""]})"}},
       {{R"({"property_01":1,"property_10":"x","":true,"p":null})", true},
        {R"({"property_10":"x","":true,"property_11":"y","propert":1})", true},
        {R"({"property_10":1,"":true})", false},
        {R"({"property_10":"x","":1})", false},
        {R"({"property_10":"x","p":0,"":true})", false},
        {R"({"property_10":"x"})", false},
        {R"({"property_09":"x","property_10":"x","":true})", false}}},
      {"items",
       {{"S", R"({"items":{"type":"integer"}})"}},
       {{"[1,2]", true}, {"[]", true}, {R"([1,"x"])", false}, {R"("x")", true}}},
      {"min and max items",
       {{"S", R"({"minItems":1,"maxItems":2})"}},
       {{"[1]", true}, {"[1,2]", true}, {"[]", false}, {"[1,2,3]", false}, {"{}", true}}},
      {"anyOf over null",
       {{"S", R"({"anyOf":[{"type":"string"},{"type":"null"}]})"}},
       {{R"("x")", true}, {"null", true}, {"1", false}, {"[]", false}}},
      {"anyOf: a later branch of the same type",
       {{"S", R"({"anyOf":[{"type":"object","required":["a"]},
                           {"type":"object","properties":{"b":{"type":"string"}}}]})"}},
       {{R"({"a":1})", true}, {R"({"b":"x","c":1})", true}, {R"({"b":1})", false}}},
      {"nested anyOf",
       {{"S", R"({"anyOf":[{"anyOf":[{"type":"integer"},{"type":"boolean"}]},{"type":"null"}]})"}},
       {{"1", true}, {"true", true}, {"null", true}, {"1.5", false}, {R"("x")", false}}},
      {"anyOf beside other keywords",
       {{"S", R"({"type":"object","required":["a"],
                  "anyOf":[{"properties":{"a":{"type":"string"}}},{"required":["b"]}]})"}},
       {{R"({"a":"x"})", true},
        {R"({"a":1,"b":1})", true},
        {R"({"a":1})", false},
        {R"({"b":1})", false}}},
      {"$ref across files",
       {{"List", R"({"type":"object","properties":{"data":{"type":"array",
                     "items":{"$ref":"Item.json"}}},"required":["data"]})"},
        {"Item", R"({"type":"object","properties":{"id":{"type":"string"}},"required":["id"]})"}},
       {{R"({"data":[{"id":"a"},{"id":"b","x":1}]})", true},
        {R"({"data":[{"id":"a"},{}]})", false},
        {R"({"data":[{"id":"a"},{"id":7}]})", false}}},
      {"$ref cycles",
       {{"Node", R"({"type":"object","required":["value"],"properties":{
                    "value":{"type":"integer"},
                    "next":{"anyOf":[{"$ref":"Node.json"},{"type":"null"}]},
                    "children":{"type":"array","items":{"$ref":"Node.json"}}}})"}},
       {{R"({"value":1,"next":{"value":2,"next":{"value":3,"next":null}}})", true},
        {R"({"value":1,"children":[{"value":2,"children":[{"value":3}]}]})", true},
        {R"({"value":1,"next":{"value":2,"next":{"value":3.5,"next":null}}})", false},
        {R"({"value":1,"children":[{"value":2,"children":[{}]}]})", false},
        {R"({"value":1,"next":{"value":2,"next":"x"}})", false}}},
  };
  for (const verdict_case& c : cases) expect_agreement(c);
}

// A keyword the program does not implement makes its schema (and every schema reaching it)
// fall back to valijson, which then decides: the verdict is never the partial program's.
TEST(verdict_program, unimplemented_keywords_fall_back_to_valijson) {
  const verdict_case cases[] = {
      {"minimum", {{"S", R"({"type":"integer","minimum":3})"}}, {{"3", true}, {"2", false}}},
      {"maxLength",
       {{"S", R"({"type":"string","maxLength":2})"}},
       {{R"("ab")", true}, {R"("abc")", false}}},
      {"multipleOf", {{"S", R"({"multipleOf":2})"}}, {{"4", true}, {"3", false}}},
      {"minProperties", {{"S", R"({"minProperties":1})"}}, {{R"({"a":1})", true}, {"{}", false}}},
      {"pattern", {{"S", R"({"pattern":"^a"})"}}, {{R"("ab")", true}, {R"("ba")", false}}},
      {"uniqueItems", {{"S", R"({"uniqueItems":true})"}}, {{"[1,2]", true}, {"[1,1]", false}}},
      {"const number", {{"S", R"({"const":1})"}}, {{"1", true}, {"1.0", true}, {"2", false}}},
      {"minimum reached through $ref",
       {{"A", R"({"properties":{"b":{"$ref":"B.json"}}})"}, {"B", R"({"minimum":0})"}},
       {{R"({"b":0})", true}, {R"({"b":-1})", false}}},
  };
  for (const verdict_case& c : cases) expect_agreement(c);
}

// ---- the program itself ----

using schema_texts = std::vector<std::pair<std::string, std::string>>;

struct program_fixture {
  std::vector<std::string> names;
  std::vector<json_document> documents;
  verdict_program program;

  explicit program_fixture(schema_texts schemas) {
    for (auto& [name, text] : schemas) {  // given sorted
      names.push_back(name);
      documents.push_back(decoded(text));
    }
    result<verdict_program> p = verdict_program::compile(names, documents);
    if (!p) throw std::logic_error("test bug: " + p.error());
    program = std::move(*p);
  }
};

TEST(verdict_program, roots_reaching_an_unimplemented_keyword_are_not_compiled) {
  const program_fixture f(
      {{"A", R"({"properties":{"b":{"$ref":"B.json"}}})"},
       {"B", R"({"type":"object","properties":{"n":{"maximum":3}}})"},
       {"C", R"({"items":{"$ref":"D.json"}})"},
       {"D", R"({"type":"string","enum":["x"],"title":"D","x-note":1})"},
       {"E", R"({"anyOf":[{"type":"null"},{"$ref":"A.json"}],"type":"object"})"}});
  EXPECT_FALSE(f.program.compiled(0));
  EXPECT_FALSE(f.program.compiled(1));
  EXPECT_TRUE(f.program.compiled(2)) << f.program.fallback_reason(2);
  EXPECT_TRUE(f.program.compiled(3)) << f.program.fallback_reason(3);
  EXPECT_EQ(f.program.fallback_reason(0), "keyword \"maximum\" in B");
  EXPECT_EQ(f.program.fallback_reason(1), "keyword \"maximum\" in B");
  EXPECT_FALSE(f.program.compiled(4));
}

// Past 256 declared properties duplicates are not tracked: valijson decides, the notes stay.
TEST(verdict_program, a_schema_with_more_than_256_properties_falls_back) {
  std::string properties;
  for (int i = 0; i < 300; ++i) {
    properties +=
        (i ? "," : "") + std::string("\"p") + std::to_string(i) + R"(":{"type":"integer"})";
  }
  const std::string text = R"({"properties":{)" + properties + "}}";
  const program_fixture f(schema_texts{{"S", text}});
  EXPECT_FALSE(f.program.compiled(0));
  EXPECT_EQ(f.program.fallback_reason(0), "more than 256 properties in one schema in S");
  expect_agreement({"300 properties",
                    {{"S", text}},
                    {{R"({"p299":1,"p299":"x"})", true}, {R"({"p299":"x","p299":1})", false}}});
}

// The notes of one walk, as pointers.
struct pointer_notes final : unknown_property_sink {
  std::vector<std::string> pointers;
  void unknown_property(const walk_step& at) override {
    std::vector<const walk_step*> path;
    for (const walk_step* s = &at; s; s = s->parent) path.insert(path.begin(), s);
    std::string pointer;
    for (const walk_step* s : path) {
      if (s->in_object) {
        append_pointer_token(pointer, s->key);
      } else {
        append_pointer_index(pointer, s->index);
      }
    }
    pointers.push_back(pointer);
  }
};

TEST(verdict_program, notes_every_unknown_member_at_every_level_valid_or_not) {
  const program_fixture f(
      schema_texts{{"Node", R"({"type":"object","properties":{"value":{"type":"integer"},
                  "next":{"anyOf":[{"$ref":"Node.json"},{"type":"null"}]},
                  "list":{"type":"array","items":{"$ref":"Node.json"}}}})"}});
  struct {
    const char* document;
    bool valid;
    std::vector<std::string> notes;
  } cases[] = {
      {R"({"value":1,"x":1,"next":{"value":2,"y~/":{"z":1},"next":{"value":3,"w":[]}}})",
       true,
       {"/x", "/next/y~0~1", "/next/next/w"}},
      {R"({"value":1,"list":[{"value":2},{"value":3,"q":1}],"x":1})", true, {"/list/1/q", "/x"}},
      // Invalid values do not stop the notes; a duplicate is walked for notes too.
      {R"({"value":"bad","x":1,"next":{"value":2.5,"y":1}})", false, {"/x", "/next/y"}},
      {R"({"next":{"a":1},"next":{"b":1}})", true, {"/next/a", "/next/b"}},
      // No notes below a value of a type its schema does not admit (no anyOf branch does).
      {R"({"value":1,"next":[{"x":1}],"list":{"x":1}})", false, {}},
      {R"({"value":1,"x\u0000y":1})", true, {std::string("/x\0y", 4)}},
  };
  for (const auto& c : cases) {
    const json_document doc = decoded(c.document);
    const json_value& root = doc.root();
    pointer_notes notes;
    EXPECT_EQ(f.program.run(0, root, &notes), c.valid) << c.document;
    EXPECT_EQ(notes.pointers, c.notes) << c.document;
    EXPECT_EQ(f.program.run(0, root, nullptr), c.valid) << c.document;
  }
}

// Notes follow the first anyOf branch that admits the value's type, even when a later branch is
// the one that matches, and ignore the properties beside the anyOf (what the notes always did).
TEST(verdict_program, notes_follow_the_first_branch_admitting_the_type) {
  const program_fixture f(schema_texts{{"S", R"({"properties":{"outer":{}},"anyOf":[
      {"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
      {"type":"object","properties":{"b":{}}}]})"}});
  const json_document doc = decoded(R"({"b":1,"outer":1})");
  const json_value& root = doc.root();
  pointer_notes notes;
  EXPECT_TRUE(f.program.run(0, root, &notes));
  EXPECT_EQ(notes.pointers, (std::vector<std::string>{"/b", "/outer"}));
}

TEST(verdict_program, an_any_of_reaching_itself_is_refused) {
  for (const char* text : {R"({"anyOf":[{"$ref":"S.json"}]})",
                           R"({"anyOf":[{"type":"string"},{"anyOf":[{"$ref":"S.json"}]}]})"}) {
    std::vector<std::string> names{"S"};
    std::vector<json_document> documents;
    documents.push_back(decoded(text));
    const result<verdict_program> p = verdict_program::compile(names, documents);
    ASSERT_FALSE(p) << text;
    EXPECT_EQ(p.error(), "schema S: an \"anyOf\" reaches itself through \"$ref\"");
    auto registry = schema_registry::from_sources({{"S", text}});
    ASSERT_FALSE(registry) << text;
    EXPECT_EQ(registry.error(), p.error());
  }
  // Through a property it is a recursion the document bounds, not a cycle.
  const program_fixture f(
      schema_texts{{"S", R"({"anyOf":[{"properties":{"s":{"$ref":"S.json"}}}]})"}});
  EXPECT_TRUE(f.program.compiled(0));
}

// Every schema of the family is compiled: none falls back to valijson.
TEST(verdict_program, every_shipped_schema_is_compiled) {
  std::vector<std::pair<std::string, std::string>> schemas;
  for (const auto& entry : std::filesystem::directory_iterator(CERTHARNESS_SCHEMA_DIR)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    schemas.emplace_back(entry.path().stem().string(),
                         std::string(std::istreambuf_iterator<char>(in), {}));
  }
  std::sort(schemas.begin(), schemas.end());
  ASSERT_EQ(schemas.size(), schema_registry::builtin().names().size());
  const program_fixture f(schemas);
  for (std::size_t i = 0; i < f.names.size(); ++i) {
    EXPECT_TRUE(f.program.compiled(i)) << f.names[i] << ": " << f.program.fallback_reason(i);
  }
}

}  // namespace
}  // namespace certharness
