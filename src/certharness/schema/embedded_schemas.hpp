// schemas/*.json as compiled into the library (see cmake/embed_schemas.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace certharness {

struct embedded_schema {
  std::string_view name;  // file name without ".json", e.g. "Certificate"
  std::string_view text;
};

const std::vector<embedded_schema>& embedded_schemas();

}  // namespace certharness
