#include "certharness/spec/openapi_document.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace certharness {
namespace {

TEST(is_family_path, takes_the_certificates_paths_and_nothing_else) {
  struct {
    const char* path;
    bool family;
  } cases[] = {
      {"/organization/certificates", true},
      {"/organization/certificates/{certificate_id}", true},
      {"/organization/certificates/activate", true},
      {"/organization/projects/{project_id}/certificates", true},
      {"/organization/projects/{id}/certificates/deactivate", true},
      {"/organization/certificatesx", false},
      {"/organization/projects/{project_id}/certificatesx", false},
      {"/organization/projects/{}/certificates", false},
      {"/organization/projects/abc/certificates", false},
      {"/organization/projects/{a/b}/certificates", false},
      {"/organization/projects/{project_id}/users", false},
      {"/organization/admin_api_keys", false},
      {"", false},
  };
  for (const auto& c : cases) EXPECT_EQ(is_family_path(c.path), c.family) << c.path;
}

TEST(resolve_local_ref, resolves_fragment_pointers_only) {
  auto doc = parse_openapi(
      R"({"openapi":"3.1.0","components":{"schemas":{"A B":{"type":"string"},"C/D":{}}}})", "t");
  ASSERT_TRUE(doc) << doc.error().describe("t");
  const json_value root = doc->root();
  std::optional<json_value> a = resolve_local_ref(root, "#/components/schemas/A%20B");
  ASSERT_NE(a, std::nullopt);
  EXPECT_TRUE(a->is_object());
  EXPECT_NE(resolve_local_ref(root, "#/components/schemas/C~1D"), std::nullopt);
  EXPECT_EQ(resolve_local_ref(root, "other.json#/components/schemas/A%20B"), std::nullopt);
  EXPECT_EQ(resolve_local_ref(root, "#/components/schemas/Missing"), std::nullopt);
  EXPECT_EQ(resolve_local_ref(root, "#/components/schemas/A%2"), std::nullopt);
}

TEST(parse_openapi, refuses_what_is_not_an_openapi_document) {
  for (const char* text : {R"({"swagger":"2.0"})", R"({"openapi":3})", R"({"openapi":"3.1.0",})"}) {
    auto doc = parse_openapi(text, "t");
    EXPECT_FALSE(doc) << text;
  }
}

TEST(parse_openapi, reads_yaml_into_the_same_dom) {
  auto doc = parse_openapi(
      "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n"
      "        200: {description: ok}\n",
      "t.yaml");
  ASSERT_TRUE(doc) << doc.error().describe("t.yaml");
  EXPECT_EQ(doc->format, spec_format::yaml);
  EXPECT_EQ(
      json_text(doc->root()),
      R"({"openapi":"3.1.0","paths":{"/a":{"get":{"responses":{"200":{"description":"ok"}}}}}})");
}

TEST(parse_openapi, yaml_errors_name_their_place) {
  struct {
    const char* yaml;
    const char* pointer;   // expected spec_error::pointer
    const char* message;   // a part of the message
    std::size_t line = 0;  // 0: no position expected
  } cases[] = {
      // The strict decoder reports duplicates by pointer (a position in the JSON made from YAML
      // would mislead).
      {"openapi: 3.1.0\npaths:\n  /a: {}\n  /a: {}\n", "/paths/~1a", "more than once", 0},
      {"openapi: 3.1.0\ninfo: [\n", "", "YAML", 3},
      {"openapi: 3.1.0\ninfo: \xc3\n", "", "invalid UTF-8", 2},
      {"openapi: 3.1.0\nx: &a [*a]\n", "", "not finished", 2},
      {"- openapi: 3.1.0\n", "", "object", 0},
      {"swagger: '2.0'\n", "", "no \"openapi\"", 0},
      {"openapi: 3.1\n", "", "no \"openapi\"", 0},  // a number, not a version string
  };
  for (const auto& c : cases) {
    auto doc = parse_openapi(c.yaml, "t.yaml");
    ASSERT_FALSE(doc) << c.yaml;
    const spec_error& e = doc.error();
    EXPECT_EQ(e.pointer, c.pointer) << c.yaml << e.describe("t.yaml");
    EXPECT_NE(e.message.find(c.message), std::string::npos) << c.yaml << e.describe("t.yaml");
    EXPECT_EQ(e.position.has_value(), c.line != 0) << c.yaml << e.describe("t.yaml");
    if (c.line != 0 && e.position) EXPECT_EQ(e.position->line, c.line) << e.describe("t.yaml");
  }
}

TEST(parse_openapi, the_decoders_limits_hold_for_yaml_as_for_json) {
  // 17 numbers beyond double range: the strict decoder's cap (json.limits), whatever the format.
  std::string yaml = "openapi: 3.1.0\nx:\n", json = R"({"openapi":"3.1.0","x":[)";
  for (int i = 0; i < 17; ++i) {
    yaml += "  - 1e400\n";
    json += i ? ",1e400" : "1e400";
  }
  json += "]}";
  auto from_yaml = parse_openapi(yaml, "t.yaml");
  auto from_json = parse_openapi(json, "t.json");
  ASSERT_FALSE(from_yaml);
  ASSERT_FALSE(from_json);
  EXPECT_EQ(from_yaml.error().message, from_json.error().message);
  EXPECT_NE(from_yaml.error().message.find("beyond the range of a double"), std::string::npos)
      << from_yaml.error().describe("t.yaml");
}

TEST(parse_openapi, refuses_a_yaml_document_over_the_limit_before_parsing) {
  spec_limits limits;
  limits.max_bytes = 64;
  // Broken past the limit: refused for its size, not for its syntax.
  const std::string yaml = "openapi: 3.1.0\n" + std::string(100, 'x') + ": [";
  auto doc = parse_openapi(yaml, "big.yaml", limits);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().describe("big.yaml"),
            "big.yaml: the document is 118 bytes, over the limit of 64 bytes");
}

TEST(load_openapi_file, refuses_a_file_over_the_limit_before_reading_it_whole) {
  // A 100 MB document, in small: the limit is what matters, not the size.
  const std::filesystem::path dir = test_support::fresh_test_dir("openapi_document");
  const std::filesystem::path path = dir / "big.yaml";
  {
    std::ofstream out(path, std::ios::binary);
    out << "openapi: 3.1.0\nx: [";
    for (int i = 0; i < 1000; ++i) out << "1, ";
  }
  spec_limits limits;
  limits.max_bytes = 1000;
  auto doc = load_openapi_file(path.string(), limits);
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().message.find("over the limit of 1000 bytes"), std::string::npos)
      << doc.error().describe(path.string());
}

constexpr const char* excerpt_json =
    CERTHARNESS_SCHEMA_DIR "/reference/openai-certificates.openapi.json";
constexpr const char* excerpt_yaml =
    CERTHARNESS_CORPUS_DIR "/specs/openai-certificates.openapi.yaml";

TEST(load_openapi_file, the_excerpt_as_yaml_is_the_excerpt_as_json) {
  auto json = load_openapi_file(excerpt_json);
  ASSERT_TRUE(json) << json.error().describe(excerpt_json);
  auto yaml = load_openapi_file(excerpt_yaml);
  ASSERT_TRUE(yaml) << yaml.error().describe(excerpt_yaml);
  EXPECT_EQ(json->format, spec_format::json);
  EXPECT_EQ(yaml->format, spec_format::yaml);
  EXPECT_EQ(json_text(yaml->root()), json_text(json->root()));
}

TEST(load_openapi_file, the_whole_official_yaml_holds_the_excerpts_family) {
  const std::string path = CERTHARNESS_SHARED_REFERENCE_DIR "/openapi-f85dbe2.yaml";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent";
  auto whole = load_openapi_file(path);
  ASSERT_TRUE(whole) << whole.error().describe(path);
  auto excerpt = load_openapi_file(excerpt_json);
  ASSERT_TRUE(excerpt) << excerpt.error().describe(excerpt_json);
  std::optional<json_value> version = whole->root().find("openapi");
  ASSERT_NE(version, std::nullopt);
  EXPECT_EQ(version->as_string(), "3.1.0");

  std::optional<json_value> paths = whole->root().find("paths");
  std::optional<json_value> excerpt_paths = excerpt->root().find("paths");
  ASSERT_TRUE(paths && excerpt_paths && paths->is_object() && excerpt_paths->is_object());
  std::vector<std::string> family, expected;
  for (const json_value& p : *excerpt_paths) expected.emplace_back(p.key());
  EXPECT_EQ(expected.size(), 7u);
  for (const json_value& p : *paths) {
    if (!is_family_path(p.key())) continue;
    family.emplace_back(p.key());
    std::optional<json_value> in_excerpt = excerpt_paths->find(p.key());
    ASSERT_NE(in_excerpt, std::nullopt) << p.key() << " is not in the excerpt";
    EXPECT_EQ(json_text(p), json_text(*in_excerpt)) << p.key();
  }
  EXPECT_EQ(family, expected);
}

}  // namespace
}  // namespace certharness
