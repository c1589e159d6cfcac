// The family cut out of a document: its paths, and every component schema its operations reach
// through "$ref", transitively, through every kind of object that can hold one; cycles end;
// an external or dangling "$ref" is an error naming where it is and what it says.
#include "certharness/spec/family_cut.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/spec/openapi_document.hpp"
#include "spec_samples.hpp"
#include "test_support.hpp"

namespace certharness {
namespace {

using test_support::read_file;
const auto parsed = test_support::parsed_openapi;

std::vector<std::string> names(const family_cut& cut) {
  std::vector<std::string> out;
  for (const reached_schema& s : cut.schemas) out.push_back(s.name);
  return out;
}

// The names the family of `text` reaches; a failed cut fails the test.
std::vector<std::string> reached(std::string_view text) {
  const openapi_document doc = parsed(text);
  auto cut = cut_family(doc.root());
  if (!cut) {
    ADD_FAILURE() << cut.error().describe("test") << "\n" << text;
    return {};
  }
  return names(*cut);
}

spec_error cut_error(std::string_view text) {
  const openapi_document doc = parsed(text);
  auto cut = cut_family(doc.root());
  if (cut) {
    ADD_FAILURE() << "expected an error, reached " << testing::PrintToString(names(*cut));
    return {};
  }
  return cut.error();
}

TEST(family_cut, the_excerpt_reaches_its_fifteen_schemas_from_seven_paths) {
  const openapi_document doc = parsed(read_file(std::string(CERTHARNESS_SCHEMA_DIR) +
                                                "/reference/openai-certificates.openapi.json"));
  auto cut = cut_family(doc.root());
  ASSERT_TRUE(cut) << cut.error().describe("excerpt");
  EXPECT_EQ(cut->paths.size(), 7u);
  const std::vector<std::string>& expected = test_support::k_official_schema_names;
  EXPECT_EQ(names(*cut), expected);
  for (const reached_schema& s : cut->schemas) {
    EXPECT_EQ(s.pointer, "/components/schemas/" + s.name);
  }
}

TEST(family_cut, follows_every_kind_of_object_transitively_and_leaves_the_rest) {
  // Each component is reached one way only: through a path-level parameter, a
  // #/components/parameters entry, a request body, #/components/responses (its header and
  // content), a media type's example is not followed (data), schemas inside schemas
  // (properties, items, anyOf, allOf), and a non-family path reaches nothing.
  const std::vector<std::string> got = reached(R"({"openapi":"3.1.0",
    "paths":{
      "/organization/projects/{p}/certificates":{
        "parameters":[{"name":"p","in":"path","schema":{"$ref":"#/components/schemas/PathParam"}}],
        "get":{"parameters":[{"$ref":"#/components/parameters/Limit"}],
               "responses":{"200":{"$ref":"#/components/responses/Page"}}}},
      "/organization/certificates/{id}":{
        "post":{"requestBody":{"$ref":"#/components/requestBodies/Body"},
                "responses":{"default":{"description":"x","content":{"application/json":{
                  "schema":{"type":"object"},
                  "example":{"$ref":"#/components/schemas/OnlyInAnExample"}}}}}}},
      "/organization/users":{"get":{"responses":{"200":{"description":"x","content":{
        "application/json":{"schema":{"$ref":"#/components/schemas/Users"}}}}}}}},
    "components":{
      "parameters":{"Limit":{"name":"limit","in":"query","schema":{"$ref":"#/components/schemas/Limit"}}},
      "requestBodies":{"Body":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Body"}}}}},
      "responses":{"Page":{"description":"x",
        "headers":{"Retry-After":{"$ref":"#/components/headers/RetryAfter"}},
        "content":{"application/json":{"schema":{"$ref":"#/components/schemas/Page"}}}}},
      "headers":{"RetryAfter":{"schema":{"$ref":"#/components/schemas/Seconds"}}},
      "schemas":{
        "PathParam":{"type":"string"},
        "Limit":{"type":"integer"},
        "Body":{"type":"object","properties":{"tags":{"type":"array","items":{"$ref":"#/components/schemas/Tag"}}}},
        "Tag":{"anyOf":[{"$ref":"#/components/schemas/TagName"},{"type":"null"}]},
        "TagName":{"allOf":[{"$ref":"#/components/schemas/Deep"}]},
        "Deep":{"type":"string"},
        "Page":{"type":"object"},
        "Seconds":{"type":"integer"},
        "OnlyInAnExample":{"type":"string"},
        "Users":{"type":"object"},
        "Unused":{"type":"object"}}}})");
  const std::vector<std::string> expected{"Body",      "Deep",    "Limit", "Page",
                                          "PathParam", "Seconds", "Tag",   "TagName"};
  EXPECT_EQ(got, expected);
}

TEST(family_cut, cycles_end_and_each_schema_is_named_once) {
  const std::vector<std::string> got = reached(R"({"openapi":"3.1.0",
    "paths":{"/organization/certificates":{"get":{"responses":{"200":{"description":"x",
      "content":{"application/json":{"schema":{"$ref":"#/components/schemas/A"}}}}}},
      "post":{"responses":{"200":{"description":"x",
      "content":{"application/json":{"schema":{"$ref":"#/components/schemas/B"}}}}}}}},
    "components":{"schemas":{
      "A":{"properties":{"b":{"$ref":"#/components/schemas/B"},"self":{"$ref":"#/components/schemas/A"}}},
      "B":{"items":{"$ref":"#/components/schemas/A"}}}}})");
  EXPECT_EQ(got, (std::vector<std::string>{"A", "B"}));
}

TEST(family_cut, a_ref_into_a_component_brings_the_whole_component) {
  const std::vector<std::string> got = reached(R"({"openapi":"3.1.0",
    "paths":{"/organization/certificates":{"get":{"responses":{"200":{"description":"x",
      "content":{"application/json":{"schema":{"$ref":"#/components/schemas/A/properties/x"}}}}}}}},
    "components":{"schemas":{
      "A":{"properties":{"x":{"type":"string"},"y":{"$ref":"#/components/schemas/B"}}},
      "B":{"type":"string"}}}})");
  EXPECT_EQ(got, (std::vector<std::string>{"A", "B"}));
}

TEST(family_cut, escaped_and_percent_encoded_names_are_decoded) {
  const openapi_document doc = parsed(R"({"openapi":"3.1.0",
    "paths":{"/organization/certificates":{"get":{"responses":{"200":{"description":"x",
      "content":{"application/json":{"schema":{"anyOf":[
        {"$ref":"#/components/schemas/A~1B"},{"$ref":"#/components/schemas/C%20D"}]}}}}}}}},
    "components":{"schemas":{"A/B":{"type":"string"},"C D":{"type":"string"}}}})");
  auto cut = cut_family(doc.root());
  ASSERT_TRUE(cut) << cut.error().describe("test");
  ASSERT_EQ(cut->schemas.size(), 2u);
  EXPECT_EQ(cut->schemas[0].name, "A/B");
  EXPECT_EQ(cut->schemas[0].pointer, "/components/schemas/A~1B");
  EXPECT_EQ(cut->schemas[1].name, "C D");
}

TEST(family_cut, an_external_or_dangling_or_non_string_ref_is_an_error_at_the_ref) {
  struct {
    const char* ref;
    const char* message_part;
  } cases[] = {
      {R"("other.yaml#/components/schemas/A")", "is not a local reference"},
      {R"("https://example.com/a.json")", "is not a local reference"},
      {R"("#/components/schemas/Missing")", "resolves to nothing"},
      {R"("#/components/schemas/A%2")", "resolves to nothing"},
      {R"(42)", "is not a string"},
  };
  for (const auto& c : cases) {
    const std::string text = std::string(R"({"openapi":"3.1.0",
      "paths":{"/organization/certificates":{"get":{"responses":{"200":{"description":"x",
        "content":{"application/json":{"schema":{"type":"object","properties":{"p":{"$ref":)") +
                             c.ref + R"(}}}}}}}}}},
      "components":{"schemas":{"A":{"type":"string"}}}})";
    const spec_error e = cut_error(text);
    EXPECT_EQ(e.pointer,
              "/paths/~1organization~1certificates/get/responses/200/content/application~1json/"
              "schema/properties/p/$ref")
        << c.ref;
    EXPECT_NE(e.message.find(c.message_part), std::string::npos) << c.ref << ": " << e.message;
    if (c.ref[0] == '"') {
      EXPECT_NE(e.message.find(c.ref), std::string::npos) << "names the text: " << e.message;
    }
  }
}

TEST(family_cut, a_dangling_ref_in_a_reached_component_is_named_where_it_is) {
  const spec_error e = cut_error(R"({"openapi":"3.1.0",
    "paths":{"/organization/certificates":{"get":{"responses":{"200":{"$ref":"#/components/responses/R"}}}}},
    "components":{"responses":{"R":{"description":"x","content":{"application/json":{
      "schema":{"$ref":"#/components/schemas/A"}}}}},
      "schemas":{"A":{"anyOf":[{"type":"null"},{"$ref":"#/components/schemas/Gone"}]}}}})");
  EXPECT_EQ(e.pointer, "/components/schemas/A/anyOf/1/$ref");
  EXPECT_NE(e.message.find("\"#/components/schemas/Gone\""), std::string::npos) << e.message;
}

TEST(family_cut, a_document_without_the_family_reaches_nothing) {
  EXPECT_TRUE(reached(R"({"openapi":"3.1.0"})").empty());
  EXPECT_TRUE(reached(R"({"openapi":"3.1.0","paths":[]})").empty());
  EXPECT_TRUE(reached(R"({"openapi":"3.1.0","paths":{"/organization/users":{
    "get":{"responses":{"200":{"$ref":"#/nowhere"}}}}}})")
                  .empty());
}

TEST(family_cut, hostile_shapes_cost_linear_work_and_no_stack) {
  // 120 levels of properties (240 of JSON, under the decoder's 256) and 20,000 references to one
  // schema that refers to itself: each node is walked once.
  std::string deep = R"({"type":"string"})";
  for (int i = 0; i < 120; ++i) deep = R"({"properties":{"p":)" + deep + "}}";
  std::string wide;
  for (int i = 0; i < 20000; ++i) {
    wide += (i ? "," : "") + std::string(R"({"$ref":"#/components/schemas/Self"})");
  }
  const std::vector<std::string> got =
      reached(R"({"openapi":"3.1.0",
    "paths":{"/organization/certificates":{"get":{"responses":{"200":{"description":"x",
      "content":{"application/json":{"schema":{"anyOf":[)" +
              wide + R"(,{"$ref":"#/components/schemas/Deep"}]}}}}}}}},
    "components":{"schemas":{"Self":{"items":{"$ref":"#/components/schemas/Self"}},"Deep":)" +
              deep + "}}}");
  EXPECT_EQ(got, (std::vector<std::string>{"Deep", "Self"}));
}

TEST(pointer_of_node, names_any_node_and_nothing_for_a_stranger) {
  const openapi_document doc = parsed(R"({"openapi":"3.1.0","a/b":[0,{"~":true}]})");
  const json_value root = doc.root();
  const json_value flag = *(*root.find("a/b"))[1].find("~");
  EXPECT_EQ(pointer_of_node(root, flag), "/a~1b/1/~0");
  EXPECT_EQ(pointer_of_node(root, root), "");
  const openapi_document other = parsed(R"({"openapi":"3.1.0"})");
  EXPECT_EQ(pointer_of_node(root, other.root()), "");
}

}  // namespace
}  // namespace certharness
