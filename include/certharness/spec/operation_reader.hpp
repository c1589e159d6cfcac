// The operation table read from an OpenAPI document (the whole official document or an excerpt of
// it): one row per operation of the certificates family (is_family_path), whether or not
// certharness knows how to drive it. How each field of a row is read:
//
// - id: operationId ("" when the document gives none). method: the path item's key, upper case.
//   pointer: the operation's JSON Pointer in the document
//   ("/paths/~1organization~1certificates/get").
// - kind: certificate_operation_of(method, template): parameter names do not matter, so older
//   documents map too; nullopt for an operation certharness cannot drive (kept: reported as not
//   exercised). scope: scope_of(template).
// - parameters: the path item's, then the operation's, an operation's parameter replacing the
//   path item's of the same name and `in` (OpenAPI 3.1, 4.8.9.1); "$ref"s followed (local only).
//   Path parameters come first, in the template's order; a template parameter the document does
//   not declare is implied as a required string (implied_by_template), and a declared path
//   parameter the template does not have is dropped (it has no place in a URL): the family's
//   first version (GET's cert_id against {certificate_id}) reads, and spec-lint reports it.
//   type: "string", "integer", or "array" of "string" items (a "type" array is read without
//   "null"); anything else is parameter_type::other. allowed: "enum" (of the items, for an array).
//   default: "default" as text. minimum/maximum: "minimum"/"maximum" ("exclusiveMinimum"/
//   "exclusiveMaximum" moved by one) when integral. brackets: every array query parameter (a
//   convention, see operation_table.hpp).
// - Bounds in prose: for an integer parameter whose schema states neither bound, the
//   description is read with bounds_from_prose() below; what it finds sets minimum/maximum and
//   bounds_in_prose_only. Only the phrasings listed there are read, never a guess.
// - request_schema: the requestBody's application/json schema: "NAME" for a "$ref" to
//   "#/components/schemas/NAME", "" for an inline schema; nullopt without a JSON body.
// - responses: one per status code key ("200", "429"), in the document's order, "$ref"s to
//   "#/components/responses/..." followed: the application/json schema as for the request ("" for
//   none or inline), and the names of its documented headers ("Retry-After"). "default" and
//   ranges ("4XX") are not rows of the table (a row is one status).
// - is_list, the rule: a GET with query parameters "limit" and "after" whose first 2xx response
//   schema (through "$ref"s) has properties "data" and "has_more": the cursor-paginated list the
//   list walker can page through. (The family's first version answered activate with a list
//   schema: a POST without limit/after, so not a list.)
//
// Rows certharness drives come first, in the order of certificate_operation, then the others in
// the document's order. Errors (a spec_error naming the JSON Pointer): "paths" or a path item or
// operation not an object; an operation without responses; a parameter without a string "name"
// or "in", or with an unknown "in"; two parameters with the same name and "in" at one level; a
// "$ref" that does not resolve (or a chain of more than 64, a cycle); a response key that is no
// status code; a malformed family template; two operations of one method on templates equal but
// for their parameters' names. Never throws for any document (std::bad_alloc aside).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "certharness/findings/result.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/schema/operation_table.hpp"
#include "certharness/spec/openapi_document.hpp"

namespace certharness {

// The rows of the family in `root` (an OpenAPI document's root object), in table order.
result<std::vector<operation>, spec_error> read_operations(const json_value& root);
// read_operations(), then the table over them.
result<operation_table, spec_error> read_operation_table(const json_value& root);

struct prose_bounds {
  std::optional<std::int64_t> minimum, maximum;
  bool operator==(const prose_bounds&) const = default;
};

// The bounds a parameter's description states, read from these phrasings only (words compared
// case-insensitively, integers with an optional '-' and thousands commas: "10,000"):
//   "between A and B"  (official: "Limit can range between 1 and 100")  -> A..B
//   "from A to B"                                                         -> A..B
//   "at least A" / "no less than A" / "minimum of A"                      -> A..
//   "at most B" / "no more than B" / "maximum of B"                       -> ..B
// Nothing when a phrasing gives a bound twice with different values, when minimum > maximum, or
// when a number does not fit 64 bits: a description that contradicts itself is not guessed at.
prose_bounds bounds_from_prose(std::string_view description);

}  // namespace certharness
