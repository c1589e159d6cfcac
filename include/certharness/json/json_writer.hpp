// The one JSON writer: every JSON text the library writes (reports, HAR, models, re-serialised
// documents) goes through json_writer; a decoded document goes back to text through
// json_writer::value() or json_text(). (Not named write(): that would hide POSIX write() for
// all code in namespace certharness.)
//
// Output is compact (no whitespace) unless an indentation is asked for, and always valid UTF-8:
// json_writer::key() and string() replace each byte that is not part of a well-formed UTF-8
// sequence with U+FFFD, as utf8_sanitized() does, so a server's or a file's bytes can never make
// the output invalid. Escaping is RFC 8259's minimum: '"', '\\', \b \f \n \r \t and \u00XX
// (lowercase hex) for the other control characters; everything else, DEL and non-ASCII included, is
// written as is.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace certharness {

class json_value;
class json_write_hooks;

// `s` as a JSON string literal (with quotes), escaped as above, its bytes otherwise as they
// are: the result is JSON only when `s` is UTF-8. json_writer::string() is the safe way in.
void append_json_string(std::string& out, std::string_view s);

// Appends to a string, placing the commas and colons; containers are closed explicitly (not
// by a destructor, so std::bad_alloc propagates). A text written in parts (a HAR archive
// streamed entry by entry) uses one writer a part: each writer starts outside any container.
// The caller keeps the calls well-nested; nothing is checked.
class json_writer {
 public:
  explicit json_writer(std::string& out) : out_(out) {}
  // Pretty-printed: each member and element on a line of its own, `indent` spaces a level,
  // ": " after keys, empty containers as {} and [] (the layout of schemas/*.json). 0: compact.
  json_writer(std::string& out, unsigned indent) : out_(out), indent_(indent) {}
  json_writer(const json_writer&) = delete;
  json_writer& operator=(const json_writer&) = delete;

  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  // An object member's key; its value is the next thing written.
  json_writer& key(std::string_view k);

  json_writer& string(std::string_view s);
  json_writer& boolean(bool b);
  json_writer& null();
  template <std::integral T>
  requires(!std::same_as<T, bool>) json_writer& number(T n) { return raw(std::to_string(n)); }
  // The shortest text that reads back as the same double; null for NaN and infinities, which
  // JSON cannot spell.
  json_writer& number(double d);
  // A number by its JSON text (json_value::number_text()), written exactly as given.
  json_writer& number_text(std::string_view text) { return raw(text); }
  // A value that is already JSON text, written as is.
  json_writer& raw(std::string_view json);
  // A decoded document (or any node of one), as json_text() describes.
  json_writer& value(const json_value& root);
  // The same, through `hooks` (json_write_hooks below).
  json_writer& value(const json_value& root, json_write_hooks& hooks);

 private:
  void before_value();
  void new_line();

  std::string& out_;
  unsigned indent_ = 0;
  std::vector<bool> has_items_;  // per open container
  bool after_key_ = false;
};

// What json_writer::value() does with a document's strings, keys and members; the default writes
// them as they are. Overridden by the HAR redaction, which rewrites strings and replaces secrets.
class json_write_hooks {
 public:
  virtual ~json_write_hooks() = default;
  // Writes a string value (is_key false) or a member's key.
  virtual void text(json_writer& w, std::string_view s, bool is_key);
  // Called once a member's key is written: true when it has written the value itself, which
  // is then skipped.
  virtual bool replace_value(json_writer& w, const json_value& member);
};

// The DOM back to compact JSON text: numbers by their exact source text, members in document
// order with their duplicates, so decode_json(json_text(v)) is v again. Iterative: any depth
// the decoder accepted costs heap, not stack.
std::string json_text(const json_value& root);

}  // namespace certharness
