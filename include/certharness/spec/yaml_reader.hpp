// YAML text to JSON text, for OpenAPI documents published as YAML. parse_openapi() decodes the
// result with the strict JSON decoder, so both formats end in one DOM under one set of limits.
// One pass over yaml-cpp's event API (YAML::Parser + YAML::EventHandler), the JSON written by
// json_writer; aliases are expanded here, under the limits, never by yaml-cpp.
//
// What is accepted (a JSON-compatible subset of YAML 1.2, core schema):
// - Input: UTF-8 only (no UTF-16/32), no control characters but tab, LF and CR (yaml-cpp would
//   take a raw 0x04 byte for the end of the stream). Escapes in double-quoted scalars are fine
//   (\N and \_ are repaired to UTF-8: yaml-cpp 0.7 writes them as lone bytes, its issue #803).
// - One document: a second document in the stream ("---" again) is an error; so is an empty
//   stream.
// - Plain (unquoted) scalars by the YAML 1.2 core schema: null, Null, NULL, ~ and the empty
//   node are null; true/True/TRUE, false/False/FALSE are booleans; integers and floats are
//   numbers. A number JSON can spell keeps its text exactly (`20`, `1e3`, `-0.50`). YAML-only
//   spellings are converted to the same number: a leading '+' dropped, leading zeros dropped
//   (`007` -> 7: the 1.2 meaning, not 1.1's octal), `.5` -> 0.5, `5.` -> 5.0, `0x1F` -> 31,
//   `0o17` -> 15 (hex/octal beyond 2^64-1 are an error). `.inf`/`.nan` are an error (JSON has
//   neither; quote them for a string). Everything else is a string, YAML 1.1 spellings
//   included: yes/no/on/off, 0b101, 1_000, 1:30, 2001-12-14 are strings.
// - Quoted scalars (single or double) and block scalars (| and >) are always strings.
// - Map keys are strings, the scalar's text as written (`200:` is "200", `true:` is "true").
//   A null key (empty, ~, null), a sequence or map as key, and the YAML 1.1 merge key (a plain
//   `<<`) are errors. Duplicate keys are kept in order; the strict decoder reports them.
// - Tags: none but the non-specific `!` (a `! 12` is the string "12"). Any other tag (!!str,
//   !!binary, !custom) is an error at its node. (yaml-cpp reports a tagged *empty* node as a
//   plain null without its tag; such a node is read as null.)
// - Anchors and aliases: an alias is replaced by a copy of its anchor's JSON, counted against
//   limits.max_bytes as it is copied, so exponential expansion ("billion laughs") fails as soon
//   as the JSON form would pass the limit. An alias to an anchor whose node is still open
//   (`&a [*a]`) is an error (JSON has no cycles); an undefined alias is yaml-cpp's error.
// - Nesting deeper than limits.max_depth (an alias counts with the depth of its copy) is an
//   error when it is met, before yaml-cpp's own 2000-level recursion guard.
// JSON is YAML 1.2 flow style, so the JSON text this returns reads back to itself.
//
// Every error carries the line and column (1-based, columns in bytes as yaml-cpp counts them) of
// the YAML text where yaml-cpp or this reader stopped; the pointer is "". Never throws for bad
// input; only std::bad_alloc escapes.
#pragma once

#include <string>
#include <string_view>

#include "certharness/findings/result.hpp"
#include "certharness/spec/openapi_document.hpp"

namespace certharness {

// The JSON text of the YAML document `bytes` (compact, as json_writer writes it), or why not.
// `bytes` over limits.max_bytes is refused before parsing.
result<std::string, spec_error> yaml_to_json(std::string_view bytes,
                                             const spec_limits& limits = {});

}  // namespace certharness
