// The certificates family cut out of an OpenAPI document (the whole official document or an
// excerpt): its paths, and every component schema its operations reach through "$ref",
// transitively (parameters, request bodies, responses and #/components/responses/..., headers,
// media types, and schemas inside schemas). What the translation, the operation reader, the
// diff and the lint read of a document is this cut, never the rest of it.
#pragma once

#include <string>
#include <vector>

#include "certharness/findings/result.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/spec/openapi_document.hpp"

namespace certharness {

// One component schema the family reaches.
struct reached_schema {
  std::string name;     // "Certificate"
  std::string pointer;  // its place in the document: "/components/schemas/Certificate"
};

struct family_cut {
  std::vector<std::string> paths;       // the family's path templates, in document order
  std::vector<reached_schema> schemas;  // sorted by name, each once
};

// Walks the family's path items. A "$ref" that is not a string, not local ("#/..."; an
// external document is never fetched), or resolves to nothing is an error naming the pointer
// of the "$ref" and its text. Bounded: every node is walked at most once (cycles end there),
// with the pending work on the heap, so any depth the decoder accepted costs no stack.
result<family_cut, spec_error> cut_family(const json_value& root);

// The JSON Pointer of `node`, a node inside `root` ("" for the root itself, and when it is not
// inside). Linear in the document; for error messages.
std::string pointer_of_node(const json_value& root, const json_value& node);

}  // namespace certharness
