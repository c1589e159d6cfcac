// fuzz_spec: OpenAPI documents through load (parse_openapi), translation (contract::from_document:
// family cut, schema translation, operation table) and spec-diff (spec_diff.hpp).
//
// Mutator: structure-aware JSON (json_mutator.hpp).
//
// Oracle: no crash, UB, leak or hang on any bytes, $ref cycles and DAGs included (running out of
// max_steps is an answer, not a failure). A document diffed with itself has no change, both as
// the same tree and against a second load of the same bytes. Against a document without paths,
// each family operation is one diff.operation_removed one way and one diff.operation_added the
// other, and every finding's pointer resolves in the new document and other_pointer in the old.
// A document that translates gives a contract whose every schema judges a document (an answer,
// never an exception).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "certharness/json/json_pointer.hpp"
#include "certharness/spec/contract.hpp"
#include "certharness/spec/spec_diff.hpp"
#include "fuzz_support.hpp"
#include "json_mutator.hpp"

CERTHARNESS_FUZZ_JSON_MUTATOR()

using namespace certharness;

namespace {
constexpr fuzz::failure fail{"fuzz_spec", "finding"};

// old -> new, nullopt past max_steps; each finding's pointers checked against their documents.
std::optional<run_report> diffed(const openapi_document& a, const openapi_document& b) {
  auto report = diff_openapi(a, b, spec_diff_limits{200'000});
  if (!report) return std::nullopt;
  for (const run_finding& f : report->findings) {
    if (!f.request.empty() && (!resolve_pointer(b.root(), f.what.pointer) ||
                               !resolve_pointer(a.root(), f.what.other_pointer))) {
      fail("a pointer that does not resolve", f.what.pointer + " / " + f.what.other_pointer);
    }
  }
  return std::move(*report);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const spec_limits limits{std::size_t{1} << 20, 256};
  const auto doc = parse_openapi(fuzz::as_text(data, size), "fuzz", limits);
  if (!doc) return 0;
  auto again = parse_openapi(fuzz::as_text(data, size), "fuzz", limits);
  if (!again) fail("the same bytes loaded once but not twice");
  if (auto third = parse_openapi(fuzz::as_text(data, size), "fuzz", limits)) {
    if (const auto translated = contract::from_document(std::move(*third))) {
      for (const std::string& name : translated->schemas().names()) {
        (void)translated->schemas().validate(doc->root(), name);
      }
    }
  }
  for (const auto& self : {diffed(*doc, *doc), diffed(*doc, *again)}) {
    if (self && !self->findings.empty())
      fail("changed against itself", self->findings[0].what.message);
  }
  const auto empty = parse_openapi(R"({"openapi":"3.1.0"})", "empty");
  const auto removed = diffed(*doc, *empty), added = diffed(*empty, *doc);
  if (!removed || !added) fail("no paths on one side, and still over max_steps");
  const std::size_t n = removed->requests.size();
  for (const auto& [report, check] : {std::pair{&*removed, checks::diff_operation_removed},
                                      std::pair{&*added, checks::diff_operation_added}}) {
    for (const run_finding& f : report->findings) {
      if (f.what.check != check) fail("not an operation added or removed", f.what.check);
    }
    if (n <= k_max_findings_per_check && report->findings.size() != n)
      fail("operations miscounted");
  }
  return 0;
}
