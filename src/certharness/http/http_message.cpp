#include "certharness/http/http_message.hpp"

#include "certharness/io/ascii_text.hpp"

namespace certharness {

std::optional<std::string_view> find_header(const header_list& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (ascii_iequals(key, name)) return value;
  }
  return std::nullopt;
}

}  // namespace certharness
