#include "certharness/json/text_escaping.hpp"

#include "certharness/json/utf8.hpp"

namespace certharness {

std::string excerpt(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

std::string utf8_sanitized(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string printable(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  auto escape = [&](std::string& out, unsigned char c) {
    out += "\\x";
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 15]);
  };
  // Terminals act on C0, DEL and C1 (U+0080..U+009F: U+009B is CSI), and may on bytes that
  // are not UTF-8: all of them are escaped.
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) {
        escape(out, c);
      } else {
        out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(s, i);
    const bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;
    if (n == 0 || c1) {
      const std::size_t bad = n == 0 ? 1 : n;
      for (std::size_t k = 0; k < bad; ++k) escape(out, static_cast<unsigned char>(s[i + k]));
      i += bad;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string_view severity_colour(severity s) noexcept {
  switch (s) {
    case severity::error:
      return "\x1b[1;31m";
    case severity::warning:
      return "\x1b[1;33m";
    case severity::note:
      return "\x1b[1;36m";
  }
  return "";
}

std::string counted(std::size_t n, std::string_view noun) {
  return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

}  // namespace certharness
