// Strict RFC 8259 decoding into an immutable DOM that keeps what a judge needs and RapidJSON's
// own DOM loses: every number's text (so integer-ness follows JSON Schema 2020-12 exactly),
// duplicate keys in document order, and byte positions for syntax findings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/finding.hpp"

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

// A node of a json_document. Nodes are views into their document: they live as long as it.
// Object members are nodes whose key() is set; arrays hold nodes with an empty key.
class json_value {
 public:
  json_type type() const noexcept { return type_; }
  bool is_null() const noexcept { return type_ == json_type::null_value; }
  bool is_bool() const noexcept { return type_ == json_type::boolean; }
  bool is_number() const noexcept { return type_ == json_type::number; }
  bool is_string() const noexcept { return type_ == json_type::string; }
  bool is_array() const noexcept { return type_ == json_type::array; }
  bool is_object() const noexcept { return type_ == json_type::object; }

  bool as_bool() const noexcept { return flags_ & k_true; }

  // Numbers. The text is the exact source text. is_integer() is decided from the text, not
  // from a double: 1.0 and 1e3 are integers, 1.5 and 1e-400 are not.
  std::string_view number_text() const noexcept { return {str_, len_}; }
  bool is_integer() const noexcept { return flags_ & k_integer; }
  bool fits_int64() const noexcept { return flags_ & k_fits_int64; }
  // |value| > 2^53: exact in this DOM, but not in a JavaScript client.
  bool beyond_safe_integer() const noexcept { return flags_ & k_beyond_safe; }
  std::int64_t as_int64() const noexcept { return i64_; }  // valid when fits_int64()
  // Nearest double; +/-infinity for integers beyond double range (beyond_safe_integer()).
  double as_double() const noexcept { return dbl_; }

  std::string_view as_string() const noexcept { return {str_, len_}; }

  // Containers.
  std::size_t size() const noexcept { return count_; }
  const json_value* begin() const noexcept { return children_; }
  const json_value* end() const noexcept { return children_ + count_; }
  const json_value& operator[](std::size_t i) const noexcept { return children_[i]; }
  // First member with this key, or nullptr (duplicates are reported by the decoder).
  const json_value* find(std::string_view key) const noexcept;

  std::string_view key() const noexcept { return {key_, key_len_}; }

 private:
  friend class json_builder;
  static constexpr std::uint8_t k_true = 1, k_integer = 2, k_fits_int64 = 4, k_beyond_safe = 8;

  json_type type_ = json_type::null_value;
  std::uint8_t flags_ = 0;
  std::uint32_t key_len_ = 0;
  const char* key_ = nullptr;
  const char* str_ = nullptr;     // string bytes or number text
  std::size_t len_ = 0;
  const json_value* children_ = nullptr;
  std::size_t count_ = 0;
  std::int64_t i64_ = 0;
  double dbl_ = 0;
};

struct decode_result;

class json_document {
 public:
  json_document() = default;
  json_document(json_document&&) noexcept = default;
  json_document& operator=(json_document&&) noexcept = default;
  json_document(const json_document&) = delete;
  json_document& operator=(const json_document&) = delete;

  const json_value& root() const noexcept { return nodes_.back(); }

 private:
  friend class json_builder;
  friend decode_result decode_json(std::string_view bytes, const decode_limits& limits);
  std::unique_ptr<char[]> text_;   // in-situ decoded copy of the input; strings point here
  std::vector<json_value> nodes_;  // children stored contiguously; root last
  std::vector<std::string> overflow_numbers_;  // text of numbers beyond double range
};

struct decode_result {
  // Present when the bytes are well-formed JSON within the limits. A document can be present
  // together with findings: json.duplicate_key (error), json.number_range (warning: an integer
  // beyond +/-2^53, including those beyond double range, which stay exact in number_text()).
  std::optional<json_document> document;
  findings problems;

  bool ok() const noexcept { return document.has_value() && !has_error(problems); }
};

// Never throws for bad input; only std::bad_alloc can escape.
// Check ids: json.syntax, json.limits, json.duplicate_key, json.number_range.
decode_result decode_json(std::string_view bytes, const decode_limits& limits = {});

// Byte offset -> 1-based line and column.
text_position position_of(std::string_view bytes, std::size_t offset) noexcept;

// Serialises a string as a JSON string literal (with quotes), escaping per RFC 8259.
void append_json_string(std::string& out, std::string_view s);

}  // namespace certharness
