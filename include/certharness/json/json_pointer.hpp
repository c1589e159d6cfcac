// RFC 6901 JSON Pointer building.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace certharness {

// Appends "/" + token with '~' -> "~0" and '/' -> "~1".
void append_pointer_token(std::string& pointer, std::string_view token);
void append_pointer_index(std::string& pointer, std::size_t index);

}  // namespace certharness
