// What the HAR reader, writer and redaction share (internal).
#pragma once

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "certharness/http/http_message.hpp"

namespace certharness::har_detail {

inline std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "scheme://authority", the request target (path and query) and "#fragment" of a URL. A URL
// without "://" is all target.
struct url_parts {
  std::string_view origin, target, fragment;
};

inline url_parts split_url(std::string_view url) {
  url_parts p;
  const std::size_t hash = std::min(url.find('#'), url.size());
  p.fragment = url.substr(hash);
  url = url.substr(0, hash);
  const std::size_t scheme_end = url.find("://");
  const std::size_t target_begin =
      scheme_end == std::string_view::npos ? 0 : url.find_first_of("/?", scheme_end + 3);
  p.origin = url.substr(0, std::min(target_begin, url.size()));
  p.target = url.substr(p.origin.size());
  return p;
}

// The target decoded; nullopt when its escapes are malformed.
inline std::optional<request_target> decode_target(std::string_view target) {
  // parse_request_target wants an absolute path; "https://h?q" has none.
  return parse_request_target(target.empty() || target.front() == '?' ? "/" + std::string(target)
                                                                      : std::string(target));
}

}  // namespace certharness::har_detail
