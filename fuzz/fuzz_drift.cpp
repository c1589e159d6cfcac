// fuzz_drift: replay --drift's summary (drift_summary) against the registry's unknown-property
// walk, two walks written apart. Mutator: structure-aware JSON (json_mutator.hpp).
//
// Oracle: for any bytes that decode to a document and every builtin schema, drift_summary::add
// never crashes or loops, keeps at most its cap of undeclared fields, and lists none that the
// schema declares; when the document is strict (no duplicate key) and validate() finds no schema
// error (the types are the schema's, so both walks take the same branches) and neither side
// left anything out, the summary's undeclared
// fields are exactly the pointers of validate()'s schema.unknown_property notes with each
// array index spelled "*". Any difference aborts with both sides.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "certharness/conformance/drift_summary.hpp"
#include "certharness/json/json_pointer.hpp"
#include "fuzz_support.hpp"
#include "json_mutator.hpp"

CERTHARNESS_FUZZ_JSON_MUTATOR()

namespace {

using namespace certharness;
constexpr fuzz::failure fail{"fuzz_drift", "drift_summary", "schema_registry notes"};

// `pointer` into `root` with each array index spelled "*".
std::string folded(const json_value& root, std::string_view pointer) {
  std::string out;
  std::optional<json_value> at = root;
  for (std::size_t start = 1; start <= pointer.size() && at;) {
    const std::size_t end = std::min(pointer.find('/', start), pointer.size());
    out += at->is_array() ? "/*" : "/" + std::string(pointer.substr(start, end - start));
    at = resolve_pointer(root, pointer.substr(0, end));
    start = end + 1;
  }
  return out;
}

std::string joined(const std::set<std::string>& s) {
  std::string out;
  for (const std::string& p : s) out += p + "\n";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const decode_result r = decode_json({reinterpret_cast<const char*>(data), size}, {1 << 20, 256});
  if (!r.document) return 0;
  const json_value root = r.document->root();
  const schema_registry& registry = schema_registry::builtin();
  const operation& op = operation_table::builtin().operations().front();
  for (const std::string& name : registry.names()) {
    drift_summary drift(registry);
    drift.add(op, name, root, "GET", "e");
    const drift_operation got = drift.operations().front();
    std::set<std::string> summed;
    for (const drift_field& f : got.undeclared) summed.insert(f.pattern);
    for (const std::string& p : registry.declared_patterns(name)) {
      if (summed.contains(p)) fail("a declared field summed as undeclared", p, name);
    }
    fail.unless(summed.size() <= drift_limits{}.max_undeclared_fields, "over the cap");
    std::set<std::string> noted;
    bool errors = false, capped = got.left_out > 0;
    for (const finding& f : registry.validate(root, name)) {
      errors = errors || f.check == checks::schema;
      if (f.check != checks::schema_unknown_property) continue;
      capped = capped || f.pointer.empty();  // left_out(): the notes' cap
      noted.insert(folded(root, f.pointer));
    }
    // A duplicate key is judged by its first member, but both are data the summary sums.
    if (r.ok() && !errors && !capped && summed != noted) fail(name, joined(summed), joined(noted));
  }
  return 0;
}
