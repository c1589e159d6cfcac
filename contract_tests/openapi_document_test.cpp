#include "certharness/spec/openapi_document.hpp"

#include <gtest/gtest.h>

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
  const json_value& root = doc->root();
  const json_value* a = resolve_local_ref(root, "#/components/schemas/A%20B");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->is_object());
  EXPECT_NE(resolve_local_ref(root, "#/components/schemas/C~1D"), nullptr);
  EXPECT_EQ(resolve_local_ref(root, "other.json#/components/schemas/A%20B"), nullptr);
  EXPECT_EQ(resolve_local_ref(root, "#/components/schemas/Missing"), nullptr);
  EXPECT_EQ(resolve_local_ref(root, "#/components/schemas/A%2"), nullptr);
}

TEST(parse_openapi, refuses_what_is_not_an_openapi_document) {
  for (const char* text : {R"({"swagger":"2.0"})", R"({"openapi":3})", R"({"openapi":"3.1.0",})"}) {
    auto doc = parse_openapi(text, "t");
    EXPECT_FALSE(doc) << text;
  }
}

}  // namespace
}  // namespace certharness
