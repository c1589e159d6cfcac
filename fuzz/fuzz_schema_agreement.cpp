// fuzz_schema_agreement: the typed decoder against valijson (with certharness's integer rules).
//
// Oracle (differential, the rule of contract_tests/agreement_test.cpp): for any bytes that decode
// to a document (json.duplicate_key included: both layers judge the first member) and every
// builtin schema but "Error", the typed decoder accepts -- or refuses only with json.number_range
// -- exactly when validate() reports no {check "schema", severity error}; and when both refuse,
// the typed decoder's pointer is among the schema findings' pointers, or at or below that of a
// summary finding (no keyword: the rest past the findings cap, or a violation past the explained
// items of an array). Any disagreement aborts with both verdicts.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "certharness/json/json_document.hpp"
#include "certharness/schema/models.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "fuzz_support.hpp"
#include "json_mutator.hpp"

CERTHARNESS_FUZZ_JSON_MUTATOR()

namespace {

constexpr certharness::fuzz::failure fail{"fuzz_schema_agreement", "typed decoder", "valijson"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace certharness;
  decode_limits limits;
  limits.max_bytes = 1 << 20;
  const decode_result r = decode_json({reinterpret_cast<const char*>(data), size}, limits);
  if (!r.document) return 0;
  const json_value root = r.document->root();
  const schema_registry& registry = schema_registry::builtin();
  for (const std::string& name : registry.names()) {
    if (name == "Error") continue;
    const std::optional<models::decode_error> typed = models::check_decodes(name, root);
    const findings all = registry.validate(root, name);
    std::string errors;
    bool any_error = false, pointer_seen = false;
    for (const finding& f : all) {
      if (f.check != checks::schema || f.level != severity::error) continue;
      any_error = true;
      const bool summary = f.keyword.empty();
      pointer_seen = pointer_seen ||
                     (typed && (f.pointer == typed->pointer ||
                                (summary && (typed->pointer + "/").starts_with(f.pointer + "/"))));
      errors += "\n    " + f.keyword + " at '" + f.pointer + "': " + f.message;
    }
    const bool typed_ok = !typed || typed->check == checks::json_number_range;
    const bool agree = typed_ok != any_error && (!typed || !any_error || pointer_seen);
    if (!agree) {
      fail(name + ": verdicts disagree",
           typed ? typed->check + " at '" + typed->pointer + "': " + typed->message : "accepts",
           any_error ? errors : " no schema error");
    }
  }
  return 0;
}
