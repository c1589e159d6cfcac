// fuzz_verdict_program: the compiled verdict program against valijson, over every schema.
//
// Mutator: structure-aware JSON. Seeds: labelled corpus responses, edge documents (duplicate
// keys, 1.0 and 1e400 as integers, nulls, unknown members, empty arrays), campaign finds.
//
// Oracle (differential, issue 12): for any bytes that decode to a document (json.duplicate_key
// included) and every schema of the built-in registry, is_valid(root, schema, compiled) equals
// is_valid(root, schema, valijson). The program decides alone on the valid path, so it must
// neither pass a document valijson refuses nor refuse one valijson accepts (valijson would then
// explain a failure it does not see). And validate(root, schema) -- the walk that also gathers
// the unknown-property notes, what the commands run -- has a "schema" error exactly when
// valijson refuses. A disagreement aborts with both verdicts, the schema and the document.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "certharness/json/json_document.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "fuzz_support.hpp"
#include "json_mutator.hpp"

CERTHARNESS_FUZZ_JSON_MUTATOR()

namespace {

constexpr certharness::fuzz::failure fail{"fuzz_verdict_program", "compiled", "valijson"};

const char* verdict(bool valid) { return valid ? "valid" : "invalid"; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace certharness;
  decode_limits limits;
  limits.max_bytes = 1 << 20;
  const std::string_view text = fuzz::as_text(data, size);
  const decode_result r = decode_json(text, limits);
  if (!r.document) return 0;
  const json_value& root = r.document->root();
  const schema_registry& registry = schema_registry::builtin();
  for (const std::string& name : registry.names()) {
    const bool compiled = registry.is_valid(root, name, validation_engine::compiled);
    const bool valijson = registry.is_valid(root, name, validation_engine::valijson);
    if (compiled != valijson) {
      fail(name + ": is_valid disagrees on the document\n" + std::string(text), verdict(compiled),
           verdict(valijson));
    }
    const findings all = registry.validate(root, name, validation_engine::compiled);
    const bool walk_valid = std::none_of(all.begin(), all.end(), [](const finding& f) {
      return f.check == checks::schema && f.level == severity::error;
    });
    if (walk_valid != valijson) {
      fail(name + ": validate disagrees on the document\n" + std::string(text), verdict(walk_valid),
           verdict(valijson));
    }
  }
  return 0;
}
