#include "certharness/json/json_pointer.hpp"

#include <charconv>

namespace certharness {

void append_pointer_token(std::string& pointer, std::string_view token) {
  pointer.push_back('/');
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer.push_back(c);
    }
  }
}

void append_pointer_index(std::string& pointer, std::size_t index) {
  pointer.push_back('/');
  pointer += std::to_string(index);
}

std::string child_pointer(std::string pointer, std::string_view token) {
  append_pointer_token(pointer, token);
  return pointer;
}

std::string child_pointer(std::string pointer, std::size_t index) {
  append_pointer_index(pointer, index);
  return pointer;
}

namespace {

// RFC 6901 section 4: "~1" before "~0", so "~01" is "~1", not "/".
bool unescape_token(std::string_view raw, std::string& token) {
  token.clear();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '~') {
      token.push_back(raw[i]);
    } else if (i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
      token.push_back(raw[i + 1] == '0' ? '~' : '/');
      ++i;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<json_value> resolve_pointer(const json_value& root, std::string_view pointer) {
  if (pointer.empty()) return root;
  if (pointer.front() != '/') return std::nullopt;
  std::optional<json_value> at = root;
  std::string token;
  std::size_t start = 1;
  while (true) {
    const std::size_t end = pointer.find('/', start);
    const std::string_view raw =
        pointer.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!unescape_token(raw, token)) return std::nullopt;
    if (at->is_object()) {
      at = at->find(token);
    } else if (at->is_array()) {
      std::size_t index = 0;
      const char* first = token.data();
      const char* last = token.data() + token.size();
      if (token.empty() || (token.size() > 1 && token.front() == '0')) return std::nullopt;
      const auto [ptr, ec] = std::from_chars(first, last, index);
      if (ec != std::errc{} || ptr != last || index >= at->size()) return std::nullopt;
      at = (*at)[index];  // O(index): one step per token
    } else {
      return std::nullopt;
    }
    if (!at) return std::nullopt;
    if (end == std::string_view::npos) return at;
    start = end + 1;
  }
}

}  // namespace certharness
