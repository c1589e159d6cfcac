// RFC 6901 JSON Pointers: building them, and finding what one points at.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "certharness/json/json_document.hpp"

namespace certharness {

// Appends "/" + token with '~' -> "~0" and '/' -> "~1".
void append_pointer_token(std::string& pointer, std::string_view token);
void append_pointer_index(std::string& pointer, std::size_t index);
// The same, as a new pointer: child_pointer("/paths", "/organization/certificates").
std::string child_pointer(std::string pointer, std::string_view token);
std::string child_pointer(std::string pointer, std::size_t index);

// The value `pointer` points at in `root`, or nothing: a malformed pointer (not "" or "/...", a
// '~' not followed by 0 or 1), a missing member, or an array index that is not a canonical
// decimal (no sign, no leading zero) within the array. With duplicate keys, the first member.
std::optional<json_value> resolve_pointer(const json_value& root, std::string_view pointer);

}  // namespace certharness
