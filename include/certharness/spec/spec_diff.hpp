// `certharness spec-diff OLD NEW`: every change of the certificates family's contract between two
// OpenAPI 3.1 documents (whole or cut to the family), as findings of a run report.
//
// What is compared, by meaning and never by text or component name: the family's operations
// (is_family_path), matched by method and path template with parameter names ignored; their
// parameters (path ones by position in the template, the others by `in` and name; a path
// parameter the template names but the operation does not declare is a required string);
// request bodies; responses by status code, their headers (case-insensitive) and bodies (the JSON
// media type). Schemas are followed through local $ref (siblings of $ref apply too), allOf
// (merged), anyOf/oneOf ({type: null} or a "null" in a type array or enum makes a value nullable;
// two or more other branches are compared one by one), type arrays, enum/const, bounds (minimum,
// maximum, exclusive*, min/maxLength, min/maxItems, min/maxProperties, multipleOf, pattern,
// uniqueItems), format and default; properties, required, additionalProperties and array items
// recursively. A $ref that does not resolve, or that comes back to itself, is a schema allowing
// anything; fields nested more than 100 deep are not compared (no real schema comes near).
// Annotations (description, title, examples, deprecated, readOnly, writeOnly, x-*), security and
// servers are not compared; neither are defaults of response values.
//
// Severity says which clients a change breaks. A request flows from the client to the server, a
// response the other way, so:
// - error (breaking): something a client relies on is gone or different. An operation, response
//   field, header or body removed; a response field or header no longer required; a response value
//   with a new type or now nullable; a request value the old document allowed now refused (a type,
//   null or enum value gone, a bound tightened); a request field or body removed (clients that
//   send the old shape) or required; a parameter new-and-required or now required.
// - warning (possibly breaking, depends on the client): a response enum value added (exhaustive
//   switches), a response bound relaxed, a status code added or removed, a parameter removed
//   (refused or silently ignored), a default changed, a path parameter renamed (the URL is the
//   same; generated clients name their arguments by it).
// - note (additive): an operation, optional parameter, optional request field, response field or
//   header added; a request value widened; a response value narrowed, no longer nullable, or
//   losing an enum value; a field now required in a response or optional in a request; a format
//   annotation changed.
//
// Findings: `pointer` is into the NEW document, `other_pointer` into the OLD one (for something
// added or removed, the side without it points at the enclosing place); `subject` is the operation
// ("GET /organization/certificates/{certificate_id}", spelled as NEW has it, or OLD for a removed
// one) and `group` the part of it ("operation", "parameters", "request body", "response 200");
// the message names the field as a path into the value ("/data/*/name", "*" for array items) and
// both sides' facts. A place the comparison reaches twice in one operation is reported once.
#pragma once

#include <cstddef>

#include "certharness/findings/result.hpp"
#include "certharness/report/run_report.hpp"
#include "certharness/spec/openapi_document.hpp"

namespace certharness {

struct spec_diff_limits {
  // Schema steps (one per $ref/allOf/anyOf branch read and per pair of schemas compared). The
  // family of the official document takes a few thousand; documents built to explode (a $ref
  // DAG reached along exponentially many paths) stop here instead of running for hours.
  std::size_t max_steps = 1'000'000;
};

// The report of command "spec-diff": subjects are the operations of either document
// (subjects_are_operations), one finding per change. The error: max_steps was reached.
result<run_report, spec_error> diff_openapi(const openapi_document& old_document,
                                            const openapi_document& new_document,
                                            const spec_diff_limits& limits = {});

}  // namespace certharness
