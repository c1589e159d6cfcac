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
namespace json_detail {
struct container_record;
}

// A value of a json_document: a 16-byte handle (the document, the value's byte offset in the
// document's text, and one word of position data), passed and returned by value. The document
// holds its input text and, per container, one small record; a scalar costs nothing beyond its
// text, whose type, string bytes and number text are read from the input where they are (see
// ARCHITECTURE.md, Decoding, for the memory bound). Handles live as long as their document
// (moving the json_document, or the decode_result holding it, leaves them valid).
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
  friend class json_value::iterator;
  friend class json_builder;
  friend decode_result decode_owned_json(std::string bytes, const decode_limits& limits);
  std::unique_ptr<storage> storage_;  // on the heap: it, its text and its anchor never move
  // The rest is set, once decoded, in the storage's anchor: the document handles point at,
  // which owns nothing and reads the storage (see storage::anchor).
  const storage* view_ = nullptr;
  const char* data_ = nullptr;                                     // the text, NUL-terminated
  bool has_escapes_ = false;                                       // some string or key has escapes
  const json_detail::container_record* const* records_ = nullptr;  // chunks of 2^shift
  unsigned record_shift_ = 0;
  const json_detail::container_record& record(std::uint32_t i) const noexcept;
  void publish() noexcept;  // sets up the anchor once decoded
  // The closing quote of the string opening at `open`.
  std::uint32_t string_close(std::uint32_t open) const noexcept;
  std::uint32_t string_close_slow(std::uint32_t open) const noexcept;  // past 16 bytes, escapes
};

// What a traversal calls for every value, inline: a value's type is its first byte's, a string
// or key without escapes is the text up to its closing quote, and iterating re-reads the text
// between the values, jumping over each array or object with children to its record's close.
namespace json_detail {
// One per array or object with children, in document (pre-)order: the root's is record 0 (if it
// has children), a container's first container child with children is the record right after
// its own, and `next` skips its subtree. Empty containers have none (k_empty_container).
struct container_record {
  std::uint32_t close;  // offset of the closing bracket
  std::uint32_t count;  // children
  std::uint32_t next;   // index of the first record after this subtree
  std::uint32_t key;    // offset of the opening quote of its key, 0 when it has none
};

// An empty array or object has no record: its handle word is this bit and its key's opening
// quote (0 when it has none).
inline constexpr std::uint32_t k_empty_container = std::uint32_t{1} << 31;

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

// The bytes a number token can hold.
inline constexpr auto k_number_byte = [] {
  std::array<bool, 256> t{};
  for (char c : std::string_view("0123456789+-.eE")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

inline bool is_container_byte(char c) noexcept { return c == '[' || c == '{'; }

// Between tokens of a valid document only whitespace is at or below ' ', and a container's
// closing bracket ends every run this skips.
inline std::uint32_t skip_whitespace(const char* t, std::uint32_t p) noexcept {
  while (static_cast<unsigned char>(t[p]) <= ' ') ++p;
  return p;
}

// Ends at the first byte that is not part of the token: at the latest the text's NUL.
inline std::uint32_t number_end(const char* t, std::uint32_t p) noexcept {
  while (k_number_byte[static_cast<unsigned char>(t[p])]) ++p;
  return p;
}

// The handle word of the array or object at `at`, whose record (if it has children) is `rec`.
inline std::uint32_t container_word(const char* t, std::uint32_t at, std::uint32_t rec,
                                    std::uint32_t key) noexcept {
  const char c = t[skip_whitespace(t, at + 1)];
  return c == ']' || c == '}' ? k_empty_container | key : rec;
}

inline std::string_view unescaped_string(const char* first) noexcept {
  const char* last = first;
  while (*last != '"') ++last;
  return {first, static_cast<std::size_t>(last - first)};
}
}  // namespace json_detail

inline const json_detail::container_record& json_document::record(std::uint32_t i) const noexcept {
  return records_[i >> record_shift_][i & ((std::uint32_t{1} << record_shift_) - 1)];
}

inline std::uint32_t json_document::string_close(std::uint32_t open) const noexcept {
  if (!has_escapes_) {  // most strings and keys are short: their quote is near
    for (std::uint32_t p = open + 1; p <= open + 16; ++p) {
      if (data_[p] == '"') return p;
    }
  }
  return string_close_slow(open);
}

inline json_type json_value::type() const noexcept {
  return static_cast<json_type>(
      json_detail::k_type_of_byte[static_cast<unsigned char>(doc_->data_[at_])]);
}

inline bool json_value::as_bool() const noexcept { return doc_->data_[at_] == 't'; }

inline std::string_view json_value::number_text() const noexcept {
  const char* t = doc_->data_;
  if (type() != json_type::number) return {};
  return {t + at_, json_detail::number_end(t, at_) - at_};
}

inline std::string_view json_value::as_string() const noexcept {
  if (doc_->data_[at_] == '"' && !doc_->has_escapes_) {
    return json_detail::unescaped_string(doc_->data_ + at_ + 1);
  }
  return as_string_slow();
}

inline std::string_view json_value::key() const noexcept {
  const char* text = doc_->data_;
  const char c = text[at_];
  if (c != '[' && c != '{' && !doc_->has_escapes_) {
    if (!aux_) return {};
    // The key ends at the quote before the value (only whitespace and ':' lie between).
    const char* close = text + at_ - 1;
    while (*close != '"') --close;
    return {text + aux_ + 1, static_cast<std::size_t>(close - (text + aux_ + 1))};
  }
  return key_slow();
}

inline std::size_t json_value::size() const noexcept {
  if (!json_detail::is_container_byte(doc_->data_[at_]) ||
      (aux_ & json_detail::k_empty_container)) {
    return 0;
  }
  return doc_->record(aux_).count;
}

inline void json_value::iterator::enter(std::uint32_t p) noexcept {
  const char* t = doc_->data_;
  if (object_) {
    key_ = p;
    p = json_detail::skip_whitespace(t, doc_->string_close(p) + 1);  // at the ':'
    p = json_detail::skip_whitespace(t, p + 1);
  }
  at_ = p;
  aux_ =
      json_detail::is_container_byte(t[p]) ? json_detail::container_word(t, p, rec_, key_) : key_;
}

inline json_value::iterator json_value::begin() const noexcept {
  iterator it;
  const char* t = doc_->data_;
  if (!json_detail::is_container_byte(t[at_]) || (aux_ & json_detail::k_empty_container)) return it;
  it.doc_ = doc_;
  it.rec_ = aux_ + 1;
  it.object_ = t[at_] == '{';
  it.left_ = doc_->record(aux_).count;
  it.enter(json_detail::skip_whitespace(t, at_ + 1));
  return it;
}

inline json_value::iterator json_value::end() const noexcept { return iterator(); }

inline json_value json_value::iterator::operator*() const noexcept {
  return json_value(doc_, at_, aux_);
}

inline json_value::iterator& json_value::iterator::operator++() noexcept {
  const char* t = doc_->data_;
  std::uint32_t p;  // one past the current child
  switch (t[at_]) {
    case '[':
    case '{':
      if (aux_ & json_detail::k_empty_container) {
        p = json_detail::skip_whitespace(t, at_ + 1) + 1;
      } else {
        const json_detail::container_record& r = doc_->record(aux_);
        rec_ = r.next;
        p = r.close + 1;
      }
      break;
    case '"':
      p = doc_->string_close(at_) + 1;
      break;
    case 't':
    case 'n':
      p = at_ + 4;
      break;
    case 'f':
      p = at_ + 5;
      break;
    default:
      p = json_detail::number_end(t, at_);
  }
  ++index_;
  if (--left_ == 0) return *this;
  enter(json_detail::skip_whitespace(t, json_detail::skip_whitespace(t, p) + 1));  // past ','
  return *this;
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
