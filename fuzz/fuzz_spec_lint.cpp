// fuzz_spec_lint: OpenAPI documents through load (parse_openapi) and spec-lint (spec_lint.hpp).
//
// Mutator: structure-aware JSON (json_mutator.hpp).
//
// Oracle: no crash, UB, leak or hang on any document, $ref cycles, examples that are not JSON
// and parts of the wrong type included. The report is well formed: every finding's check is a
// catalogue id with the catalogue's severity, at most k_max_findings_per_check of one check plus
// one left-out; a finding about the document itself (consistency) or about a whole example
// (spec.example_recovered, spec.example_unjudged) has a pointer that resolves in the document;
// judged <= examples; and a second lint of the same document says the same.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "certharness/findings/check_catalogue.hpp"
#include "certharness/json/json_pointer.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "certharness/spec/openapi_document.hpp"
#include "certharness/spec/spec_lint.hpp"
#include "fuzz_support.hpp"
#include "json_mutator.hpp"

CERTHARNESS_FUZZ_JSON_MUTATOR()

using namespace certharness;

namespace {
constexpr fuzz::failure fail{"fuzz_spec_lint", "finding", "pointer"};

// A note about a whole example points at it (a json.syntax finding may point into its text).
bool at_the_example(const finding& f) {
  return f.check == checks::spec_example_recovered || f.check == checks::spec_example_unjudged;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto doc = parse_openapi(fuzz::as_text(data, size), "fuzz", {std::size_t{1} << 20, 256});
  if (!doc) return 0;
  const spec_lint_report r = lint_spec(doc->root(), schema_registry::builtin());
  if (r.judged > r.examples) fail("more examples judged than found");
  std::map<std::string, std::size_t> per_check;
  for (const run_finding& f : r.findings) {
    const auto info = find_check(f.what.check);
    if (!info || info->level != f.what.level) fail("not a catalogue check", f.what.check);
    if (++per_check[f.what.check] > k_max_findings_per_check + 1)
      fail("over the cap", f.what.check);
    if (f.request.empty()) continue;  // the left-out finding has no place
    if (!f.what.pointer.starts_with('/')) fail("not a pointer", f.what.message, f.what.pointer);
    if ((f.group == "consistency" || at_the_example(f.what)) &&
        resolve_pointer(doc->root(), f.what.pointer) == std::nullopt) {
      fail("a pointer that does not resolve", f.what.message, f.what.pointer);
    }
  }
  const spec_lint_report again = lint_spec(doc->root(), schema_registry::builtin());
  if (again.findings.size() != r.findings.size()) fail("a second lint says otherwise");
  for (std::size_t i = 0; i < r.findings.size(); ++i) {
    if (again.findings[i].what.message != r.findings[i].what.message) {
      fail("a second lint says otherwise", r.findings[i].what.message,
           again.findings[i].what.message);
    }
  }
  return 0;
}
