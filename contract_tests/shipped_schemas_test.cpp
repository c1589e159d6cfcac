// schemas/*.json are generated: each file is byte-equal to a fresh translation of the official
// excerpt (schemas/reference/), and the files are exactly the schemas translated. Nobody edits
// them by hand; `certharness spec-schemas --out schemas` writes them.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "certharness/spec/openapi_document.hpp"
#include "certharness/spec/schema_translation.hpp"
#include "test_support.hpp"

namespace certharness {
namespace {

using test_support::read_file;

constexpr const char* regenerate =
    "schemas/ is generated: regenerate it with `build/asan-ubsan/tools/certharness spec-schemas "
    "--out schemas` (and delete files it does not write), never edit it by hand";

TEST(shipped_schemas, are_the_translation_of_the_excerpt_byte_for_byte) {
  const std::filesystem::path dir = CERTHARNESS_SCHEMA_DIR;
  const std::string excerpt = (dir / "reference" / "openai-certificates.openapi.json").string();
  auto doc = load_openapi_file(excerpt);
  ASSERT_TRUE(doc) << doc.error().describe(excerpt);
  auto translated = translate_family_schemas(doc->root());
  ASSERT_TRUE(translated) << translated.error().describe(excerpt);

  std::set<std::string> expected;
  for (const translated_schema& t : *translated) {
    const std::filesystem::path file = dir / (t.name + ".json");
    expected.insert(file.filename().string());
    ASSERT_TRUE(std::filesystem::exists(file)) << file << " is missing. " << regenerate;
    EXPECT_EQ(read_file(file), t.text) << file << " differs from its translation. " << regenerate;
  }
  std::set<std::string> shipped;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") shipped.insert(entry.path().filename().string());
  }
  EXPECT_EQ(shipped, expected) << "schemas/*.json and the translated schemas differ. "
                               << regenerate;
}

}  // namespace
}  // namespace certharness
