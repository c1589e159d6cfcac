// schemas/reference/openai-certificates.openapi.json as compiled into the library (see
// cmake/embed_schemas.cmake): the document the built-in contract is translated from.
#pragma once

#include <string_view>

namespace certharness {

std::string_view embedded_openapi_excerpt();

}  // namespace certharness
