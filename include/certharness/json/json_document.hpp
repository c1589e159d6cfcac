// Strict RFC 8259 decoding into an immutable DOM that keeps what a judge needs and RapidJSON's
// own DOM loses: every number's text (so integer-ness follows JSON Schema 2020-12 exactly),
// duplicate keys in document order, and byte positions for syntax findings.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/findings/finding.hpp"
// append_json_string and write(json_value), for the callers that had them from here.
#include "certharness/json/json_writer.hpp"

namespace certharness {

// Defaults that never bother a real response: a 100-item page is ~22 KB and 4 levels deep.
struct decode_limits {
  std::size_t max_bytes = std::size_t{64} << 20;
  std::size_t max_depth = 256;
};

// No document larger than this is ever decoded, whatever decode_limits says: RapidJSON's
// lengths are 32-bit.
inline constexpr std::size_t k_max_bytes_ceiling = std::size_t{1} << 30;

enum class json_type : std::uint8_t { null_value, boolean, number, string, array, object };

std::string_view to_string(json_type t) noexcept;

class json_document;

// A value of a json_document: a 16-byte handle (the document, the value's byte offset in the
// document's text, and one word of position data), passed and returned by value. The document
// holds its input text and, per container, one small record; a scalar costs nothing beyond its
// text, whose type, string bytes and number text are read from the input where they are (see
// ARCHITECTURE.md, Decoding, for the memory bound). Handles live as long as their document
// object (they point at it: moving the json_document invalidates them; its text never moves).
// Object members are values whose key() is set; array elements have an empty key.
class json_value {
 public:
  class iterator;

  json_type type() const noexcept;
  bool is_null() const noexcept { return type() == json_type::null_value; }
  bool is_bool() const noexcept { return type() == json_type::boolean; }
  bool is_number() const noexcept { return type() == json_type::number; }
  bool is_string() const noexcept { return type() == json_type::string; }
  bool is_array() const noexcept { return type() == json_type::array; }
  bool is_object() const noexcept { return type() == json_type::object; }

  bool as_bool() const noexcept;

  // Numbers. The text is the exact source text. is_integer() is decided from the text, not
  // from a double: 1.0 and 1e3 are integers, 1.5 and 1e-400 are not.
  std::string_view number_text() const noexcept;
  bool is_integer() const noexcept;
  bool fits_int64() const noexcept;
  // |value| > 2^53: exact in this DOM, but not in a JavaScript client.
  bool beyond_safe_integer() const noexcept;
  // Valid when fits_int64(); computed from the text on each call.
  std::int64_t as_int64() const noexcept;
  // Nearest double; +/-infinity for integers beyond double range (beyond_safe_integer()).
  // Computed from the text on each call; 0 for a value that is not a number.
  double as_double() const noexcept;

  // The string's decoded bytes (a number's text for a number, empty for the other types).
  std::string_view as_string() const noexcept;

  // Containers (0 and an empty range for the other types). Children are read in order by
  // iterating; operator[] walks from the first child, so it costs O(i): iterate instead.
  std::size_t size() const noexcept;
  iterator begin() const noexcept;
  iterator end() const noexcept;
  json_value operator[](std::size_t i) const noexcept;
  // First member with this key (duplicates are reported by the decoder); O(members).
  std::optional<json_value> find(std::string_view key) const noexcept;

  std::string_view key() const noexcept;

  // Identity within a document: two handles to the same value compare equal. id() is unique
  // per value of a document, for sets and maps of values.
  std::uint64_t id() const noexcept;
  friend bool operator==(const json_value& a, const json_value& b) noexcept {
    return a.doc_ == b.doc_ && a.at_ == b.at_ && a.aux_ == b.aux_;
  }

 private:
  friend class json_document;
  friend class json_builder;
  json_value(const json_document* doc, std::uint32_t at, std::uint32_t aux) noexcept
      : doc_(doc), at_(at), aux_(aux) {}
  // What the inline accessors below leave to the .cpp: escapes and container records.
  std::string_view key_slow() const noexcept;
  std::string_view as_string_slow() const noexcept;

  // at_: the value's first byte in the document's text (its type follows from that byte).
  // aux_: for an array or object, the index of its container record; for any other value, the
  // offset of its key's opening quote, 0 when it has no key.
  const json_document* doc_ = nullptr;
  std::uint32_t at_ = 0;
  std::uint32_t aux_ = 0;
};

static_assert(sizeof(json_value) <= 16);

// Forward iterator over a container's children, yielding handles by value:
// `for (const json_value& child : container)` and `for (json_value child : container)` both work.
class json_value::iterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = json_value;
  using difference_type = std::ptrdiff_t;
  using reference = json_value;
  struct pointer {
    json_value v;
    const json_value* operator->() const noexcept { return &v; }
  };

  iterator() noexcept = default;
  json_value operator*() const noexcept;
  pointer operator->() const noexcept { return {**this}; }
  iterator& operator++() noexcept;
  iterator operator++(int) noexcept {
    iterator old = *this;
    ++*this;
    return old;
  }
  // The child's position in its container (0 for the first).
  std::size_t index() const noexcept { return index_; }
  friend bool operator==(const iterator& a, const iterator& b) noexcept {
    return a.left_ == b.left_;
  }

 private:
  friend class json_value;
  friend class json_document;
  void enter(std::uint32_t at) noexcept;  // reads the child (and its key) starting at `at`
  const json_document* doc_ = nullptr;
  std::uint32_t at_ = 0;   // the current child's first byte in the text
  std::uint32_t aux_ = 0;  // the current child's handle word (see json_value)
  std::uint32_t key_ = 0;  // its key's opening quote (0 in an array)
  std::uint32_t rec_ = 0;  // the record of the next container child
  bool object_ = false;    // iterating an object's members
  std::size_t left_ = 0;   // children left, this one included: end() has 0
  std::size_t index_ = 0;
};

struct decode_result;

class json_document {
 public:
  json_document() noexcept;
  json_document(json_document&&) noexcept;
  json_document& operator=(json_document&&) noexcept;
  json_document(const json_document&) = delete;
  json_document& operator=(const json_document&) = delete;
  ~json_document();

  json_value root() const noexcept;

  // The input text the document was decoded from (it holds it: values are read from it).
  std::string_view text() const noexcept;

  // Bytes this document holds beyond its text: what decoding costs beyond the input.
  std::size_t footprint() const noexcept;

  struct storage;

 private:
  friend class json_value;
  friend class json_builder;
  friend decode_result decode_owned_json(std::string bytes, const decode_limits& limits);
  std::unique_ptr<storage> storage_;  // on the heap, so that its text stays put when moved
  // Copies of what the inline accessors read on every call, set once decoded.
  const char* data_ = nullptr;  // the text, NUL-terminated
  bool has_escapes_ = false;    // some string or key has escapes
};

// The accessors a traversal calls for every value, inline: a value's type is its first byte's,
// and a string or key without escapes is the text up to its closing quote.
namespace json_detail {
inline constexpr auto k_type_of_byte = [] {
  std::array<std::uint8_t, 256> t{};
  t.fill(static_cast<std::uint8_t>(json_type::number));       // '-' and digits; nothing else starts
  t['n'] = static_cast<std::uint8_t>(json_type::null_value);  // a value in a valid text
  t['t'] = t['f'] = static_cast<std::uint8_t>(json_type::boolean);
  t['"'] = static_cast<std::uint8_t>(json_type::string);
  t['['] = static_cast<std::uint8_t>(json_type::array);
  t['{'] = static_cast<std::uint8_t>(json_type::object);
  return t;
}();
inline std::string_view unescaped_string(const char* first) noexcept {
  const char* last = first;
  while (*last != '"') ++last;
  return {first, static_cast<std::size_t>(last - first)};
}
}  // namespace json_detail

inline json_type json_value::type() const noexcept {
  return static_cast<json_type>(
      json_detail::k_type_of_byte[static_cast<unsigned char>(doc_->data_[at_])]);
}

inline bool json_value::as_bool() const noexcept { return doc_->data_[at_] == 't'; }

inline std::string_view json_value::as_string() const noexcept {
  if (doc_->data_[at_] == '"' && !doc_->has_escapes_) {
    return json_detail::unescaped_string(doc_->data_ + at_ + 1);
  }
  return as_string_slow();
}

inline std::string_view json_value::key() const noexcept {
  const char c = doc_->data_[at_];
  if (c != '[' && c != '{' && !doc_->has_escapes_) {
    return aux_ ? json_detail::unescaped_string(doc_->data_ + aux_ + 1) : std::string_view();
  }
  return key_slow();
}

inline json_value::iterator json_value::end() const noexcept { return iterator(); }

inline json_value json_value::iterator::operator*() const noexcept {
  return json_value(doc_, at_, aux_);
}

struct decode_result {
  // Present when the bytes are well-formed JSON within the limits. A document can be present
  // together with findings: json.duplicate_key (error), json.number_range (warning: an integer
  // beyond +/-2^53, including those beyond double range, which stay exact in number_text()).
  std::optional<json_document> document;
  findings problems;
  // JSON Pointer tokens built for findings: pointers are built only for findings that are
  // kept, so this stays within (findings kept) x (depth) whatever the input (tests rely on it).
  std::size_t pointer_tokens = 0;

  bool ok() const noexcept { return document.has_value() && !has_error(problems); }
};

// Never throws for bad input; only std::bad_alloc can escape.
// Check ids: json.syntax, json.limits, json.duplicate_key, json.number_range.
// The document keeps its own copy of `bytes`; decode_owned_json takes the caller's string
// instead (no copy: what validate does with a file of 64 MB).
decode_result decode_json(std::string_view bytes, const decode_limits& limits = {});
decode_result decode_owned_json(std::string bytes, const decode_limits& limits = {});

// Byte offset -> 1-based line and column.
text_position position_of(std::string_view bytes, std::size_t offset) noexcept;

}  // namespace certharness
