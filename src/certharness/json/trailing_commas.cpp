#include "certharness/json/trailing_commas.hpp"

#include "json_string_state.hpp"

namespace certharness {
namespace {

bool json_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::optional<trailing_commas_dropped> without_trailing_commas(std::string_view text) {
  trailing_commas_dropped out;
  json_string_state strings;
  char last = 0;  // the last significant byte outside strings (a string's closing quote counts)
  text_position at;
  std::size_t copied = 0;  // text[copied, i) is still to be copied into out.text
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    at.offset = i;
    if (strings.take(c)) {
      if (c == '"' && !strings.inside()) last = '"';  // a closing quote
    } else if (c == ',') {
      std::size_t next = i + 1;
      while (next < text.size() && json_blank(text[next])) ++next;
      const bool closes = next < text.size() && (text[next] == ']' || text[next] == '}');
      const bool after_value =
          last != 0 && last != '[' && last != '{' && last != ':' && last != ',';
      if (closes && after_value) {
        out.text.append(text.substr(copied, i - copied));
        copied = i + 1;
        out.dropped.push_back(at);
      } else {
        last = c;
      }
    } else if (!json_blank(c)) {
      last = c;
    }
    if (c == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  if (out.dropped.empty()) return std::nullopt;
  out.text.append(text.substr(copied));
  return out;
}

}  // namespace certharness
