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

// A node of a json_document: one 64-bit word, so that a dense array costs 8 bytes a value
// (see ARCHITECTURE.md, Decoding, for the memory bound). The top byte holds the type and
// flags; the low 56 bits hold the address of the node's record in the document's arena (key,
// string bytes, number text, child count and first child), or, for a number of at most 7
// characters outside an object, the number's text itself. Nodes are views into their
// document: they live as long as it. Hold them by reference or pointer: a copy's
// number_text() may point into the copy. Object members are nodes whose key() is set; arrays
// hold nodes with an empty key. Children are contiguous, so begin()/end() are plain pointers.
class json_value {
 public:
  json_type type() const noexcept { return static_cast<json_type>(tag() & k_type_mask); }
  bool is_null() const noexcept { return type() == json_type::null_value; }
  bool is_bool() const noexcept { return type() == json_type::boolean; }
  bool is_number() const noexcept { return type() == json_type::number; }
  bool is_string() const noexcept { return type() == json_type::string; }
  bool is_array() const noexcept { return type() == json_type::array; }
  bool is_object() const noexcept { return type() == json_type::object; }

  bool as_bool() const noexcept { return is_bool() && (tag() & k_true_or_inline); }

  // Numbers. The text is the exact source text. is_integer() is decided from the text, not
  // from a double: 1.0 and 1e3 are integers, 1.5 and 1e-400 are not.
  std::string_view number_text() const noexcept {
    return is_number() ? text() : std::string_view{};
  }
  bool is_integer() const noexcept { return tag() & k_integer; }
  bool fits_int64() const noexcept { return tag() & k_fits_int64; }
  // |value| > 2^53: exact in this DOM, but not in a JavaScript client.
  bool beyond_safe_integer() const noexcept { return tag() & k_beyond_safe; }
  // Valid when fits_int64(); computed from the text on each call.
  std::int64_t as_int64() const noexcept;
  // Nearest double; +/-infinity for integers beyond double range (beyond_safe_integer()).
  // Computed from the text on each call; 0 for a value that is not a number.
  double as_double() const noexcept;

  // The string's bytes (a number's text for a number, empty for the other types).
  std::string_view as_string() const noexcept { return text(); }

  // Containers (0 and null pointers for the other types).
  std::size_t size() const noexcept;
  const json_value* begin() const noexcept;
  const json_value* end() const noexcept { return begin() + size(); }
  const json_value& operator[](std::size_t i) const noexcept { return begin()[i]; }
  // First member with this key, or nullptr (duplicates are reported by the decoder).
  const json_value* find(std::string_view key) const noexcept;

  std::string_view key() const noexcept;

 private:
  friend class json_builder;
  // The top byte of word_.
  static constexpr unsigned k_type_mask = 7, k_true_or_inline = 8, k_integer = 16,
                            k_fits_int64 = 32, k_beyond_safe = 64, k_has_key = 128;
  static constexpr unsigned k_tag_shift = 56;
  static constexpr std::uint64_t k_address_mask = (std::uint64_t{1} << k_tag_shift) - 1;

  unsigned tag() const noexcept { return static_cast<unsigned>(word_ >> k_tag_shift); }
  const char* record() const noexcept {
    return reinterpret_cast<const char*>(static_cast<std::uintptr_t>(word_ & k_address_mask));
  }
  std::string_view text() const noexcept;

  std::uint64_t word_ = 0;
};

static_assert(sizeof(json_value) == 8);

struct decode_result;

class json_document {
 public:
  json_document() = default;
  json_document(json_document&&) noexcept = default;
  json_document& operator=(json_document&&) noexcept = default;
  json_document(const json_document&) = delete;
  json_document& operator=(const json_document&) = delete;

  const json_value& root() const noexcept;

  // Bytes this document holds (nodes and arena): what decoding costs beyond the input.
  std::size_t footprint() const noexcept {
    return node_capacity_ * sizeof(json_value) + arena_bytes_;
  }

 private:
  friend class json_builder;
  friend decode_result decode_json(std::string_view bytes, const decode_limits& limits);
  // One allocation, sized by a pre-scan: finished children blocks fill it from the front
  // while pending siblings are stacked at the back, so no node is ever held twice.
  std::unique_ptr<json_value[]> nodes_;
  std::size_t node_capacity_ = 0;
  std::size_t root_ = 0;
  // Records: keys, strings, long numbers, container counts and child pointers. Chunks never
  // move once allocated (nodes point into them).
  std::vector<std::unique_ptr<char[]>> arena_;
  std::size_t arena_bytes_ = 0;
};

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
decode_result decode_json(std::string_view bytes, const decode_limits& limits = {});

// Byte offset -> 1-based line and column.
text_position position_of(std::string_view bytes, std::size_t offset) noexcept;

}  // namespace certharness
