// An OpenAPI document as read from a file (`--spec PATH`): JSON through the strict decoder, YAML
// through yaml-cpp converted to the same DOM, so every later step (cut, translation, operation
// table, diff, lint) reads one tree whatever the file's format. Also the few facts of the
// document's shape every reader of it shares: which paths are the certificates family, and what a
// local "$ref" points at.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "certharness/findings/finding.hpp"
#include "certharness/findings/result.hpp"
#include "certharness/json/json_document.hpp"

namespace certharness {

// Why a document cannot be used: where (a JSON Pointer into the document, a position in its
// text, or both) and what.
struct spec_error {
  std::string pointer;                    // "" when the error has no place in the tree
  std::string message;                    // one line a person can act on
  std::optional<text_position> position;  // in the file's text (YAML or JSON), when known

  // "PATH: line 3, column 7: message", "PATH: at /components/schemas/X/foo: message", or
  // "PATH: message" for the document as a whole.
  std::string describe(std::string_view source) const;
};

enum class spec_format { json, yaml };

// Bounds for a document nobody vouches for. The official whole-API YAML is about 2-3 MB.
struct spec_limits {
  std::size_t max_bytes = std::size_t{64} << 20;  // of the file, and of its JSON form
  std::size_t max_depth = 256;                    // nesting, in both formats
};

struct openapi_document {
  json_document document;
  spec_format format = spec_format::json;
  std::string source;  // the path it was read from, or a name such as "built-in"

  json_value root() const noexcept { return document.root(); }
};

// Reads PATH (through bounded_input: FIFOs and devices are fine, over-limit is an error). JSON
// when the first non-blank byte is '{', YAML otherwise. The root must be an object with an
// "openapi" member.
result<openapi_document, spec_error> load_openapi_file(const std::string& path,
                                                       const spec_limits& limits = {});
// The same over bytes already read; `source` names them in errors.
result<openapi_document, spec_error> parse_openapi(std::string_view bytes, std::string source,
                                                   const spec_limits& limits = {});

// The certificates family: "/organization/certificates" and below, and
// "/organization/projects/{...}/certificates" and below (the parameter's name does not matter).
bool is_family_path(std::string_view path_template) noexcept;

// The target of a local reference "#/components/schemas/Name" (any "#/..." JSON Pointer, RFC 6901
// escapes and percent-encoding as in a URI fragment), or nothing: not local, malformed, or
// nothing there.
std::optional<json_value> resolve_local_ref(const json_value& root, std::string_view ref);

}  // namespace certharness
