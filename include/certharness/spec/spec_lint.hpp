// `certharness spec-lint`: what is wrong with an OpenAPI document itself, for the certificates
// family. Two halves:
//  - its examples: every `x-oaiMeta` response example (and request example that is a JSON body)
//    of a family operation, every `x-oaiMeta.example` of a schema the family reaches, and every
//    `example`/`examples` member of those schemas, parameters, headers and media types. An
//    example written as text (the x-oaiMeta strings) is decoded strictly; one that becomes JSON
//    once its trailing commas are dropped is also judged as so recovered, and says so. A JSON
//    example is judged against its schema by name through the contract's schema_registry.
//  - its consistency: path templates against declared path parameters, every `$ref` reached
//    from the family resolves (locally), every operation has a 2xx application/json schema.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "certharness/findings/check_tally.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/schema/schema_registry.hpp"

namespace certharness {

class contract;

struct spec_lint_report {
  // The family's operations in document order ("listOrganizationCertificates", or
  // "get /organization/..." without an operationId): the subjects a report counts.
  std::vector<std::string> operations;
  // In the order found. `request` is what the finding belongs to: an operation, or a component
  // ("components/schemas/Certificate") for what is shared; `group` is "examples" or
  // "consistency". Pointers are into the document; a finding inside an example's text has the
  // example's pointer followed by the pointer within it, and its position is within the
  // example's text. At most k_max_findings_per_check findings of one check, then left_out().
  std::vector<run_finding> findings;
  // Passes and failures per check, by group.
  std::map<std::string, check_tally> groups;
  std::size_t examples = 0;  // examples found
  std::size_t judged = 0;    // examples judged against a schema (recovered ones included)
};

// `root` is an OpenAPI document's root (anything: a part that is not the expected type is passed
// over, never a crash); `schemas` names the component schemas examples are judged against.
// Bounded by the document: each node is visited once per way of reaching it through the
// family's structure, each component once, iteratively (no recursion over the document).
// Only std::bad_alloc escapes.
spec_lint_report lint_spec(const json_value& root, const schema_registry& schemas);

// The contract's own document against its own schemas.
spec_lint_report lint_spec(const contract& c);

}  // namespace certharness
