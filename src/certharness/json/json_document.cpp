#include "certharness/json/json_document.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <new>

#include "certharness/json/json_pointer.hpp"
#include "certharness/json/rapidjson_guard.hpp"

namespace certharness {

// SHIM (replaced by the compact DOM at merge): today's 8-byte node, held by the document;
// json_value is a handle {document, node index, 0} over it.
class json_node {
 public:
  json_type type() const noexcept { return static_cast<json_type>(tag() & k_type_mask); }
  bool is_number() const noexcept { return type() == json_type::number; }
  bool is_bool() const noexcept { return type() == json_type::boolean; }
  bool is_object() const noexcept { return type() == json_type::object; }
  bool as_bool() const noexcept { return is_bool() && (tag() & k_true_or_inline); }
  bool is_integer() const noexcept { return tag() & k_integer; }
  bool fits_int64() const noexcept { return tag() & k_fits_int64; }
  bool beyond_safe_integer() const noexcept { return tag() & k_beyond_safe; }
  std::size_t size() const noexcept;
  const json_node* begin() const noexcept;
  std::string_view key() const noexcept;
  std::string_view text() const noexcept;

 private:
  friend class json_builder;
  static constexpr unsigned k_type_mask = 7, k_true_or_inline = 8, k_integer = 16,
                            k_fits_int64 = 32, k_beyond_safe = 64, k_has_key = 128;
  static constexpr unsigned k_tag_shift = 56;
  static constexpr std::uint64_t k_address_mask = (std::uint64_t{1} << k_tag_shift) - 1;

  unsigned tag() const noexcept { return static_cast<unsigned>(word_ >> k_tag_shift); }
  const char* record() const noexcept {
    return reinterpret_cast<const char*>(static_cast<std::uintptr_t>(word_ & k_address_mask));
  }

  std::uint64_t word_ = 0;
};

struct json_document::storage {
  std::string text;
  std::unique_ptr<json_node[]> nodes;
  std::size_t node_capacity = 0;
  std::size_t root = 0;
  std::vector<std::unique_ptr<char[]>> arena;
  std::size_t arena_bytes = 0;
};

std::string_view to_string(json_type t) noexcept {
  switch (t) {
    case json_type::null_value:
      return "null";
    case json_type::boolean:
      return "boolean";
    case json_type::number:
      return "number";
    case json_type::string:
      return "string";
    case json_type::array:
      return "array";
    case json_type::object:
      return "object";
  }
  return "null";
}

namespace {

std::uint32_t load_u32(const char* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

const json_node* load_children(const char* p) noexcept {
  const json_node* v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Container record: child count, then the address of the first child.
constexpr std::size_t k_container_record = sizeof(std::uint32_t) + sizeof(const json_node*);

}  // namespace

std::string_view json_node::text() const noexcept {
  const json_type t = type();
  if (t == json_type::number) {
    if (tag() & k_true_or_inline) {  // up to 7 characters in the low bytes of word_
      const char* bytes = reinterpret_cast<const char*>(&word_);
      std::size_t n = 0;
      while (n < 7 && bytes[n] != '\0') ++n;
      return {bytes, n};
    }
    const char* r = record();
    return {r, std::strlen(r)};  // stored NUL-terminated: a number never contains NUL
  }
  if (t == json_type::string) {
    const char* r = record();
    return {r + sizeof(std::uint32_t), load_u32(r)};
  }
  return {};
}

std::string_view json_node::key() const noexcept {
  if (!(tag() & k_has_key)) return {};
  const char* r = record();
  const std::uint32_t n = load_u32(r - sizeof(std::uint32_t));
  return {r - sizeof(std::uint32_t) - n, n};
}

std::size_t json_node::size() const noexcept {
  const json_type t = type();
  if (t != json_type::array && t != json_type::object) return 0;
  const char* r = record();
  return r ? load_u32(r) : 0;
}

const json_node* json_node::begin() const noexcept {
  const json_type t = type();
  if (t != json_type::array && t != json_type::object) return nullptr;
  const char* r = record();
  return r ? load_children(r + sizeof(std::uint32_t)) : nullptr;
}

text_position position_of(std::string_view bytes, std::size_t offset) noexcept {
  offset = std::min(offset, bytes.size());
  text_position p;
  p.offset = offset;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (bytes[i] == '\n') {
      ++p.line;
      line_start = i + 1;
    }
  }
  p.column = offset - line_start + 1;
  return p;
}

namespace {

// RapidJSON 1.1.0 does signed arithmetic on exponents that overflows once a number has about
// 2^31/10 fraction digits (CVE-2024-38517 class). Inputs below this size cannot get there;
// larger ones are pre-scanned for over-long number tokens before RapidJSON sees them.
constexpr std::size_t k_number_guard_threshold = 200'000'000;
constexpr std::size_t k_max_number_chars = 1'000'000;

struct number_facts {
  bool integer = false;
  bool fits_int64 = false;
  bool beyond_safe = false;
  bool out_of_double_range = false;
  std::int64_t i64 = 0;
  double dbl = 0;
};

// Decides integer-ness and range from the exact decimal text (grammar already checked by
// RapidJSON): value = digits x 10^exponent, integer iff that exponent is >= 0 once trailing
// zeros are moved into it, or the digits are all zero.
number_facts classify_number(std::string_view text) {
  number_facts f;
  std::size_t i = 0;
  const bool minus = !text.empty() && text[0] == '-';
  if (minus) ++i;
  const std::size_t int_begin = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  const std::size_t int_end = i;
  std::size_t frac_begin = i, frac_end = i;
  if (i < text.size() && text[i] == '.') {
    frac_begin = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    frac_end = i;
  }
  std::int64_t exp10 = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_minus = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_minus = text[i++] == '-';
    constexpr std::int64_t cap = std::int64_t{1} << 40;  // saturate: no overflow on any input
    for (; i < text.size(); ++i) {
      if (exp10 < cap) exp10 = exp10 * 10 + (text[i] - '0');
    }
    if (exp_minus) exp10 = -exp10;
  }

  // Significant digits of int part followed by fraction part.
  auto digit_at = [&](std::size_t k) -> char {
    const std::size_t int_len = int_end - int_begin;
    return k < int_len ? text[int_begin + k] : text[frac_begin + (k - int_len)];
  };
  const std::size_t total = (int_end - int_begin) + (frac_end - frac_begin);
  std::size_t first = 0;
  while (first < total && digit_at(first) == '0') ++first;
  if (first == total) {  // zero, whatever its spelling
    f.integer = true;
    f.fits_int64 = true;
    f.dbl = minus ? -0.0 : 0.0;
    return f;
  }
  std::size_t last = total;  // one past the last non-zero digit
  while (digit_at(last - 1) == '0') --last;
  const std::int64_t trailing_zeros = static_cast<std::int64_t>(total - last);
  const std::int64_t frac_len = static_cast<std::int64_t>(frac_end - frac_begin);
  const std::int64_t scale = exp10 - frac_len + trailing_zeros;  // value = D * 10^scale
  const std::int64_t sig_digits = static_cast<std::int64_t>(last - first);
  f.integer = scale >= 0;

  if (f.integer) {
    // |value| has sig_digits + scale decimal digits.
    std::uint64_t u = 0;
    bool overflow = sig_digits + scale > 20;
    for (std::size_t k = first; !overflow && k < last; ++k) {
      overflow = __builtin_mul_overflow(u, 10u, &u) ||
                 __builtin_add_overflow(u, static_cast<unsigned>(digit_at(k) - '0'), &u);
    }
    for (std::int64_t k = 0; !overflow && k < scale; ++k) {
      overflow = __builtin_mul_overflow(u, 10u, &u);
    }
    constexpr std::uint64_t two_63 = std::uint64_t{1} << 63;
    if (!overflow && (minus ? u <= two_63 : u < two_63)) {
      f.fits_int64 = true;
      f.i64 = minus ? static_cast<std::int64_t>(~u + 1) : static_cast<std::int64_t>(u);
      f.dbl = static_cast<double>(f.i64);
    }
    f.beyond_safe = overflow || u > (std::uint64_t{1} << 53);
    if (f.fits_int64) return f;
  }

  double d = 0;
  auto [ptr, ec] =
      std::from_chars(text.data(), text.data() + text.size(), d, std::chars_format::general);
  (void)ptr;
  if (ec == std::errc::result_out_of_range) {
    // Magnitude >= 1 overflowed (and is an integer: no finite digit string that large has a
    // fraction); otherwise it underflowed towards zero.
    if (sig_digits + scale > 0) {
      f.out_of_double_range = true;
      f.beyond_safe = true;
      f.dbl = minus ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
      return f;
    }
    d = minus ? -0.0 : 0.0;
  }
  f.dbl = d;
  return f;
}

// Longest number token outside strings. Only run on inputs large enough to reach the
// RapidJSON exponent overflow.
std::size_t longest_number_token(std::string_view bytes) {
  std::size_t longest = 0, run = 0;
  bool in_string = false, escaped = false;
  for (char c : bytes) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      run = 0;
    } else if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
      longest = std::max(longest, ++run);
    } else {
      run = 0;
    }
  }
  return longest;
}

// End of the RFC 8259 number starting at i: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
// Exactly what RapidJSON consumed before refusing it; whatever follows is left for it to judge.
std::size_t number_token_end(std::string_view bytes, std::size_t i) {
  auto digits = [&] {
    while (i < bytes.size() && bytes[i] >= '0' && bytes[i] <= '9') ++i;
  };
  if (i < bytes.size() && bytes[i] == '-') ++i;
  if (i < bytes.size() && bytes[i] == '0') {
    ++i;
  } else {
    digits();
  }
  if (i + 1 < bytes.size() && bytes[i] == '.' && bytes[i + 1] >= '0' && bytes[i + 1] <= '9') {
    ++i;
    digits();
  }
  if (i < bytes.size() && (bytes[i] == 'e' || bytes[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < bytes.size() && (bytes[j] == '+' || bytes[j] == '-')) ++j;
    if (j < bytes.size() && bytes[j] >= '0' && bytes[j] <= '9') {
      i = j;
      digits();
    }
  }
  return i;
}

}  // namespace

namespace {

// Offset and length of a number RapidJSON 1.1.0 refuses as "too big" (beyond double range).
using number_span = std::pair<std::size_t, std::size_t>;

// The reader's input: the caller's bytes, read in place (never copied), with each number in
// `stand_ins` read as a same-length stand-in ("0" then spaces) RapidJSON accepts. Peek() at the
// end returns NUL, which the reader takes as the end of input, so nothing past it is read.
class stand_in_stream {
 public:
  using Ch = char;
  stand_in_stream(std::string_view bytes, const std::vector<number_span>& stand_ins)
      : bytes_(bytes.data()), size_(bytes.size()), stand_ins_(&stand_ins) {
    next_ = stand_ins.empty() ? size_ : std::min(size_, stand_ins[0].first);
  }
  Ch Peek() const { return pos_ < next_ ? bytes_[pos_] : slow_peek(); }
  Ch Take() { return pos_ < next_ ? bytes_[pos_++] : slow_take(); }
  std::size_t Tell() const { return pos_; }
  // The writing half of the stream concept; unused, as the reader does not parse in situ.
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

 private:
  // Inside stand-in k_ (or at the end).
  Ch slow_peek() const {
    if (pos_ >= size_) return '\0';
    return pos_ == (*stand_ins_)[k_].first ? '0' : ' ';
  }
  Ch slow_take() {
    if (pos_ >= size_) return '\0';
    const Ch c = slow_peek();
    const number_span& span = (*stand_ins_)[k_];
    if (++pos_ == span.first + span.second) {
      ++k_;
      next_ = k_ < stand_ins_->size() ? std::min(size_, (*stand_ins_)[k_].first) : size_;
    }
    return c;
  }

  const char* bytes_;
  std::size_t size_;
  const std::vector<number_span>* stand_ins_;
  std::size_t pos_ = 0;
  std::size_t k_ = 0;
  std::size_t next_;
};

// An upper bound on the values in any prefix the reader accepts: every value is the root, the
// first element of a non-empty container or follows a comma, so values <= 1 + commas +
// non-empty containers (exact for a well-formed document).
std::size_t count_values_upper_bound(std::string_view bytes) noexcept {
  std::size_t n = 1;
  bool opened = false;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {
    const char c = *p++;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (opened && c != ']' && c != '}') ++n;  // the container has a first element
    opened = c == '[' || c == '{';
    if (c == ',') {
      ++n;
    } else if (c == '"') {  // to the closing quote: the next one after an even run of '\'
      for (;;) {
        const void* q = std::memchr(p, '"', static_cast<std::size_t>(end - p));
        if (!q) return n;
        const char* quote = static_cast<const char*>(q);
        std::size_t slashes = 0;
        while (quote - slashes > p && quote[-1 - static_cast<std::ptrdiff_t>(slashes)] == '\\') {
          ++slashes;
        }
        p = quote + 1;
        if (slashes % 2 == 0) break;
      }
    }
  }
  return n;
}

// RapidJSON 1.1.0 decodes a lone "\udc00" into the CESU bytes ED B0 80; valid UTF-8 never
// contains ED A0..BF, so finding it means an unpaired surrogate escape reached us.
const char* find_surrogate(std::string_view s) noexcept {
  const char* end = s.data() + s.size();
  for (const char* p = s.data();
       (p = static_cast<const char*>(std::memchr(p, '\xED', static_cast<std::size_t>(end - p))));
       ++p) {
    if (p + 1 < end && static_cast<unsigned char>(p[1]) >= 0xA0) return p;
  }
  return nullptr;
}

// A key as a pointer token: unpaired surrogates become U+FFFD so the pointer stays UTF-8.
std::string printable_key(std::string_view key) {
  std::string out;
  for (const char* p; (p = find_surrogate(key));) {
    const std::size_t at = static_cast<std::size_t>(p - key.data());
    out.append(key.substr(0, at)).append("\xEF\xBF\xBD");
    key.remove_prefix(std::min(key.size(), at + 3));
  }
  return out.append(key);
}

}  // namespace

// SAX handler for RapidJSON's reader: builds the DOM, enforces depth, finds duplicate keys,
// classifies numbers, and rejects what RapidJSON 1.1.0 lets through (lone low surrogates).
//
// Memory: one node array of the pre-scanned size. Finished children blocks are appended at
// its front; values whose container is still open are stacked at its back (growing down).
// When a container ends, its block (the newest entries of the stack) moves to the front, so
// each container's children are contiguous and every value is held in exactly one place.
// Keys, strings and long numbers go into an arena of large chunks.
class json_builder {
 public:
  static const json_node* nodes_of(const json_document& d) noexcept {
    return d.storage_->nodes.get();
  }
  static void adopt(json_document& d, std::unique_ptr<json_document::storage> s) noexcept {
    d.storage_ = std::move(s);
  }

  json_builder(json_document::storage& doc, std::string_view bytes, const stand_in_stream& stream,
               const decode_limits& limits, findings& out,
               const std::vector<number_span>& stand_ins)
      : doc_(doc),
        bytes_(bytes),
        stream_(stream),
        limits_(limits),
        out_(out),
        stand_ins_(stand_ins),
        nodes_(doc.nodes.get()),
        low_(doc.node_capacity),
        chunk_size_(std::clamp<std::size_t>(bytes.size() / 16, 4096, std::size_t{1} << 20)) {}

  bool Null() { return push_scalar(json_type::null_value, 0); }
  bool Bool(bool b) { return push_scalar(json_type::boolean, b ? json_node::k_true_or_inline : 0); }
  // Never called: numbers arrive as RawNumber (kParseNumbersAsStringsFlag).
  bool Int(int) { return false; }
  bool Uint(unsigned) { return false; }
  bool Int64(std::int64_t) { return false; }
  bool Uint64(std::uint64_t) { return false; }
  bool Double(double) { return false; }

  bool RawNumber(const char* str, rapidjson::SizeType len, bool) {
    const std::size_t offset = stream_.Tell() - len;  // the reader is just past the number
    std::string_view text(str, len);
    if (!stand_ins_.empty()) {
      auto it =
          std::lower_bound(stand_ins_.begin(), stand_ins_.end(), offset,
                           [](const number_span& o, std::size_t off) { return o.first < off; });
      if (it != stand_ins_.end() && it->first == offset) text = bytes_.substr(offset, it->second);
    }
    const number_facts f = classify_number(text);
    if (f.integer && f.beyond_safe) {
      report(checks::json_number_range, [&] {
        return finding{
            checks::json_number_range, current_pointer(), "",
            "integer " + abbreviate(text) +
                (f.out_of_double_range ? " is beyond the range of a double: most clients cannot "
                                         "represent it"
                                       : " is beyond +/-2^53: JavaScript clients (the official "
                                         "TypeScript SDK among them) lose precision"),
            at(offset)};
      });
    }
    unsigned flags = 0;
    if (f.integer) flags |= json_node::k_integer;
    if (f.fits_int64) flags |= json_node::k_fits_int64;
    if (f.beyond_safe) flags |= json_node::k_beyond_safe;
    if (!keyed_ && text.size() <= 7) {  // the text fits in the node itself
      static_assert(std::endian::native == std::endian::little);
      std::uint64_t word = 0;
      std::memcpy(&word, text.data(), text.size());
      return push(word | make_tag(json_type::number, flags | json_node::k_true_or_inline));
    }
    if (!keyed_) begin_item();
    write(text.data(), text.size());
    write("", 1);
    return push(close_item(json_type::number, flags));
  }

  bool String(const char* str, rapidjson::SizeType len, bool) {
    if (find_surrogate({str, len})) {
      stop([&] { return surrogate_finding(current_pointer()); });
      return false;
    }
    if (!keyed_) begin_item();
    const std::uint32_t n = len;
    write(&n, sizeof n);
    write(str, len);
    return push(close_item(json_type::string, 0));
  }

  bool Key(const char* str, rapidjson::SizeType len, bool) {
    if (find_surrogate({str, len})) {
      stop([&] {  // the pointer of this key's own member
        std::string p = container_pointer(frames_.size());
        append_pointer_token(p, printable_key({str, len}));
        ++pointer_tokens_;
        return surrogate_finding(std::move(p));
      });
      return false;
    }
    begin_item();
    write(str, len);
    const std::uint32_t n = len;
    write(&n, sizeof n);
    keyed_ = true;
    key_len_ = len;
    return true;
  }

  bool StartObject() { return start(json_type::object); }
  bool StartArray() { return start(json_type::array); }
  bool EndObject(rapidjson::SizeType) { return end(); }
  bool EndArray(rapidjson::SizeType) { return end(); }

  // Lists what the findings cap left out, and puts the root right after the last block.
  void finish() {
    for (const auto& [id, count] : reported_) {
      if (count.first > k_max_findings_per_check) {
        out_.push_back(left_out(count.second, count.first - k_max_findings_per_check));
      }
    }
    nodes_[front_] = nodes_[low_];
    doc_.root = front_;
  }

  std::optional<finding>& stop_reason() { return stop_reason_; }
  std::size_t pointer_tokens() const { return pointer_tokens_; }

 private:
  struct frame {
    json_type type;
    bool keyed;
    char* record;              // reserved with the key, or nullptr (allocated at the end)
    std::string_view key;      // key of this container in its parent object
    std::size_t index;         // index in its parent array
    std::size_t children = 0;  // values pushed so far
  };

  static std::uint64_t make_tag(json_type t, unsigned flags) {
    return std::uint64_t{static_cast<unsigned>(t) | flags} << json_node::k_tag_shift;
  }

  std::optional<text_position> at(std::size_t offset) const {
    text_position pos;
    pos.offset = offset;
    return pos;  // line/column filled in by decode_json
  }

  // Just after the opening quote of the string the reader has just finished (the closing
  // quote is at Tell() - 1): the nearest quote before it not escaped by a backslash. Only
  // run for a finding, which stops the parse.
  std::size_t string_start() const {
    std::size_t i = stream_.Tell() - 1;
    while (i > 0) {
      --i;
      if (bytes_[i] != '"') continue;
      std::size_t slashes = 0;
      while (slashes < i && bytes_[i - 1 - slashes] == '\\') ++slashes;
      if (slashes % 2 == 0) return i + 1;
    }
    return 0;
  }

  finding surrogate_finding(std::string pointer) const {
    return finding{checks::json_syntax, std::move(pointer), "",
                   "unpaired UTF-16 surrogate escape in string", at(string_start())};
  }

  static std::string abbreviate(std::string_view text) {
    if (text.size() <= 40) return std::string(text);
    return std::string(text.substr(0, 20)) + "..." + std::string(text.substr(text.size() - 10)) +
           " (" + std::to_string(text.size()) + " characters)";
  }

  template <class make_finding>
  void stop(make_finding make) {
    if (!stop_reason_) stop_reason_ = make();
  }

  // Capped at k_max_findings_per_check (finding.hpp); the finding (and its pointer, whose cost
  // grows with the depth) is built only when it is kept.
  template <class make_finding>
  void report(check_id check, make_finding make) {
    std::size_t& count = reported_.try_emplace(check.id(), 0, check).first->second.first;
    if (++count <= k_max_findings_per_check) out_.push_back(make());
  }

  // Pointer of the container at frames_[0..depth) (the whole path when depth == frames_.size()).
  std::string container_pointer(std::size_t depth) {
    std::string p;
    for (std::size_t k = 1; k < depth; ++k) {
      const frame& f = frames_[k];
      if (frames_[k - 1].type == json_type::object) {
        append_pointer_token(p, f.key);
      } else {
        append_pointer_index(p, f.index);
      }
      ++pointer_tokens_;
    }
    return p;
  }

  // Pointer of the value about to be pushed.
  std::string current_pointer() {
    std::string p = container_pointer(frames_.size());
    if (frames_.empty()) return p;
    if (frames_.back().type == json_type::object) {
      append_pointer_token(p, std::string_view(item_, key_len_));
    } else {
      append_pointer_index(p, frames_.back().children);
    }
    ++pointer_tokens_;
    return p;
  }

  // The arena. An item (a key and the record of its value) is written contiguously: when a
  // chunk runs out mid-item, the item so far moves to a new chunk.
  void begin_item() { item_ = cur_; }
  void write(const void* p, std::size_t n) {
    if (n == 0) return;  // an empty key or string, maybe before any chunk exists
    if (room_ < n) grow(n);
    std::memcpy(cur_, p, n);
    cur_ += n;
    room_ -= n;
  }
  void grow(std::size_t n) {
    const std::size_t carried = static_cast<std::size_t>(cur_ - item_);
    const std::size_t size = std::max(chunk_size_, carried + n);
    std::unique_ptr<char[]> chunk(new char[size]);
    // Node words keep 56 bits of address: every user-space address on x86-64 and AArch64.
    if ((reinterpret_cast<std::uintptr_t>(chunk.get()) + size) >> json_node::k_tag_shift) {
      throw std::bad_alloc();
    }
    if (carried) std::memcpy(chunk.get(), item_, carried);
    item_ = chunk.get();
    cur_ = item_ + carried;
    room_ = size - carried;
    doc_.arena_bytes += size;
    doc_.arena.push_back(std::move(chunk));
  }
  // The node word of the item just written: its address is just past the key, if any.
  std::uint64_t close_item(json_type t, unsigned flags) {
    const char* record = keyed_ ? item_ + key_len_ + sizeof(std::uint32_t) : item_;
    if (keyed_) flags |= json_node::k_has_key;
    keyed_ = false;
    return reinterpret_cast<std::uintptr_t>(record) | make_tag(t, flags);
  }

  bool push_scalar(json_type t, unsigned flags) {
    if (!keyed_) return push(make_tag(t, flags));  // no record at all
    return push(close_item(t, flags));
  }

  bool push(std::uint64_t word) {
    if (low_ == front_) {  // cannot happen: the pre-scan bounds every prefix the reader accepts
      stop([&] {
        return finding{checks::json_limits, "", "", "more values than pre-scanned", std::nullopt};
      });
      return false;
    }
    nodes_[--low_].word_ = word;
    if (!frames_.empty()) ++frames_.back().children;
    return true;
  }

  bool start(json_type t) {
    if (frames_.size() >= limits_.max_depth) {
      stop([&] {
        return finding{checks::json_limits, container_pointer(frames_.size()), "",
                       "nesting deeper than the limit of " + std::to_string(limits_.max_depth) +
                           " (raise it with --max-depth)",
                       std::nullopt};
      });
      return false;
    }
    frame f{t, keyed_, nullptr, {}, 0};
    if (keyed_) {  // the record goes right after the key; filled in at the end
      static constexpr char zeros[k_container_record] = {};
      write(zeros, sizeof zeros);
      f.key = std::string_view(item_, key_len_);
      f.record = item_ + key_len_ + sizeof(std::uint32_t);
      keyed_ = false;
    } else if (!frames_.empty()) {
      f.index = frames_.back().children;
    }
    frames_.push_back(f);
    return true;
  }

  bool end() {
    const frame& f = frames_.back();
    const std::size_t n = f.children;
    json_node* block = nodes_ + low_;
    std::reverse(block, block + n);  // the stack holds them newest first
    if (f.type == json_type::object) find_duplicates(block, n);
    json_node* first = nodes_ + front_;
    std::memmove(static_cast<void*>(first), block, n * sizeof(json_node));
    front_ += n;
    low_ += n;
    char* record = f.record;
    if (!record && n > 0) {
      begin_item();
      static constexpr char zeros[k_container_record] = {};
      write(zeros, sizeof zeros);
      record = item_;
    }
    if (record) {
      const std::uint32_t count = static_cast<std::uint32_t>(n);
      std::memcpy(record, &count, sizeof count);
      std::memcpy(record + sizeof count, &first, sizeof first);
    }
    const std::uint64_t word = reinterpret_cast<std::uintptr_t>(record) |
                               make_tag(f.type, f.keyed ? json_node::k_has_key : 0);
    frames_.pop_back();
    return push(word);
  }

  void find_duplicates(const json_node* members, std::size_t count) {
    auto report_duplicate = [&](std::string_view key) {
      report(checks::json_duplicate_key, [&] {
        std::string p = container_pointer(frames_.size());
        append_pointer_token(p, key);
        ++pointer_tokens_;
        return finding{checks::json_duplicate_key, std::move(p), "",
                       "key \"" + std::string(key) +
                           "\" appears more than once in this object; clients disagree "
                           "on which value wins",
                       std::nullopt};
      });
    };
    if (count <= 16) {
      for (std::size_t a = 1; a < count; ++a) {
        std::size_t earlier = 0;
        for (std::size_t b = 0; b < a; ++b) earlier += members[b].key() == members[a].key();
        if (earlier == 1) report_duplicate(members[a].key());  // once, at its second occurrence
      }
      return;
    }
    std::vector<std::string_view> keys;
    keys.reserve(count);
    for (std::size_t k = 0; k < count; ++k) keys.push_back(members[k].key());
    std::sort(keys.begin(), keys.end());
    for (std::size_t k = 1; k < keys.size(); ++k) {
      if (keys[k] == keys[k - 1] && (k < 2 || keys[k - 2] != keys[k])) report_duplicate(keys[k]);
    }
  }

  json_document::storage& doc_;
  std::string_view bytes_;  // the input, for positions and the text of stood-in numbers
  const stand_in_stream& stream_;
  const decode_limits& limits_;
  findings& out_;
  const std::vector<number_span>& stand_ins_;
  json_node* nodes_;
  std::size_t front_ = 0;  // finished blocks: [0, front_)
  std::size_t low_;        // pending values: [low_, capacity), newest at low_
  std::vector<frame> frames_;
  // Arena state; an open item starts at item_ and ends at cur_.
  std::size_t chunk_size_;
  char* cur_ = nullptr;
  std::size_t room_ = 0;
  char* item_ = nullptr;
  bool keyed_ = false;  // the open item holds a key waiting for its value
  std::uint32_t key_len_ = 0;
  std::optional<finding> stop_reason_;
  std::map<std::string_view, std::pair<std::size_t, check_id>> reported_;  // by id, for order
  std::size_t pointer_tokens_ = 0;
};

namespace {
const json_node k_null_node;
}  // namespace

// The handle's node (a null node for a default handle).
static const json_node& node_of(const json_document* doc, std::uint32_t at) noexcept {
  return doc ? json_builder::nodes_of(*doc)[at] : k_null_node;
}

json_type json_value::type() const noexcept { return node_of(doc_, at_).type(); }
bool json_value::as_bool() const noexcept { return node_of(doc_, at_).as_bool(); }
std::string_view json_value::number_text() const noexcept {
  const json_node& n = node_of(doc_, at_);
  return n.is_number() ? n.text() : std::string_view{};
}
bool json_value::is_integer() const noexcept { return node_of(doc_, at_).is_integer(); }
bool json_value::fits_int64() const noexcept { return node_of(doc_, at_).fits_int64(); }
bool json_value::beyond_safe_integer() const noexcept {
  return node_of(doc_, at_).beyond_safe_integer();
}
std::string_view json_value::as_string() const noexcept { return node_of(doc_, at_).text(); }
std::size_t json_value::size() const noexcept { return node_of(doc_, at_).size(); }
std::string_view json_value::key() const noexcept { return node_of(doc_, at_).key(); }
std::uint64_t json_value::id() const noexcept { return at_; }

json_value::iterator json_value::begin() const noexcept {
  iterator it;
  const json_node& n = node_of(doc_, at_);
  const json_node* first = n.begin();
  if (!first) return it;
  it.doc_ = doc_;
  it.at_ = static_cast<std::uint32_t>(first - json_builder::nodes_of(*doc_));
  it.left_ = n.size();
  return it;
}

json_value::iterator json_value::end() const noexcept { return iterator(); }

json_value json_value::operator[](std::size_t i) const noexcept {
  iterator it = begin();
  for (; i > 0 && it != end(); --i) ++it;
  return it == end() ? json_value(nullptr, 0, 0) : *it;
}

std::optional<json_value> json_value::find(std::string_view key) const noexcept {
  if (!is_object()) return std::nullopt;
  for (json_value m : *this) {
    if (m.key() == key) return m;
  }
  return std::nullopt;
}

json_value json_value::iterator::operator*() const noexcept { return json_value(doc_, at_, 0); }

json_value::iterator& json_value::iterator::operator++() noexcept {
  ++at_;
  --left_;
  ++index_;
  return *this;
}

json_document::json_document() noexcept = default;
json_document::json_document(json_document&&) noexcept = default;
json_document& json_document::operator=(json_document&&) noexcept = default;
json_document::~json_document() = default;

json_value json_document::root() const noexcept {
  if (!storage_ || !storage_->nodes) return json_value(nullptr, 0, 0);
  return json_value(this, static_cast<std::uint32_t>(storage_->root), 0);
}

std::string_view json_document::text() const noexcept {
  return storage_ ? std::string_view(storage_->text) : std::string_view{};
}

std::size_t json_document::footprint() const noexcept {
  return storage_ ? storage_->node_capacity * sizeof(json_node) + storage_->arena_bytes : 0;
}

std::int64_t json_value::as_int64() const noexcept {
  return is_number() ? classify_number(node_of(doc_, at_).text()).i64 : 0;
}

double json_value::as_double() const noexcept {
  return is_number() ? classify_number(node_of(doc_, at_).text()).dbl : 0;
}

namespace {

// RapidJSON says "Invalid value." for most of what people actually send; name the usual
// culprits so the finding says what to fix.
std::string explain_syntax_error(rapidjson::ParseErrorCode code, std::string_view bytes,
                                 std::size_t offset) {
  const std::string_view rest = bytes.substr(std::min(offset, bytes.size()));
  auto previous_significant = [&]() -> char {
    for (std::size_t i = std::min(offset, bytes.size()); i > 0; --i) {
      const char c = bytes[i - 1];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return c;
    }
    return '\0';
  };
  if (offset == 0 && rest.substr(0, 3) == "\xEF\xBB\xBF") {
    return "UTF-8 byte order mark: RFC 8259 forbids adding one";
  }
  if (!rest.empty() && (rest[0] == ']' || rest[0] == '}') && previous_significant() == ',') {
    return std::string("trailing comma before '") + rest[0] + "'";
  }
  if (!rest.empty() && (rest[0] == '/' || rest[0] == '#')) return "comment: JSON has none";
  if (!rest.empty() && rest[0] == '\'') return "single-quoted string: JSON uses double quotes";
  for (std::string_view word : {"NaN", "Infinity", "-Infinity", "-NaN"}) {
    if (rest.substr(0, word.size()) == word) return "NaN and Infinity are not JSON numbers";
  }
  if (code == rapidjson::kParseErrorStringInvalidEncoding) return "invalid UTF-8 in a string";
  if (code == rapidjson::kParseErrorStringEscapeInvalid) {
    return "invalid escape in a string (JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)";
  }
  if (!rest.empty() && rest[0] >= '0' && rest[0] <= '9') {
    // "01": RapidJSON reads "0", then trips over "1".
    std::size_t i = offset;
    while (i > 0 && bytes[i - 1] >= '0' && bytes[i - 1] <= '9') --i;
    if (i < offset && bytes[i] == '0') return "leading zero in a number";
  }
  if (code == rapidjson::kParseErrorDocumentRootNotSingular) {
    return "more after the JSON value (trailing garbage or a second document)";
  }
  return parse_error_message(code);
}

// Line and column for many findings in one pass over the bytes (position_of per finding would
// rescan from the start each time: quadratic on a page full of warnings).
void resolve_positions(std::string_view bytes, findings& fs) {
  std::vector<finding*> located;
  for (finding& f : fs) {
    if (f.position) located.push_back(&f);
  }
  std::sort(located.begin(), located.end(), [](const finding* a, const finding* b) {
    return a->position->offset < b->position->offset;
  });
  text_position at;
  std::size_t line_start = 0;
  for (finding* f : located) {
    const std::size_t target = std::min(f->position->offset, bytes.size());
    for (; at.offset < target; ++at.offset) {
      if (bytes[at.offset] == '\n') {
        ++at.line;
        line_start = at.offset + 1;
      }
    }
    f->position = text_position{target, at.line, target - line_start + 1};
  }
}

finding syntax_finding(std::string message, std::string_view bytes, std::size_t offset) {
  return finding{checks::json_syntax, "", "", std::move(message), position_of(bytes, offset)};
}

}  // namespace

namespace {

// `owned`, when given, holds `bytes` and is moved into the document.
decode_result decode_text(std::string_view bytes, const decode_limits& limits, std::string* owned) {
  decode_result result;
  const std::size_t max_bytes = std::min(limits.max_bytes, k_max_bytes_ceiling);
  if (bytes.size() > max_bytes) {
    result.problems.push_back(finding{
        checks::json_limits, "", "",
        "body is " + std::to_string(bytes.size()) + " bytes, over the limit of " +
            std::to_string(max_bytes) +
            (max_bytes < limits.max_bytes ? " (the hard ceiling)" : " (raise it with --max-bytes)"),
        std::nullopt});
    return result;
  }
  if (bytes.size() > k_number_guard_threshold && longest_number_token(bytes) > k_max_number_chars) {
    result.problems.push_back(finding{
        checks::json_limits, "", "",
        "a number token is longer than " + std::to_string(k_max_number_chars) + " characters",
        std::nullopt});
    return result;
  }

  // The reader stops at a NUL byte as if the input ended there; a NUL is never valid JSON.
  const void* nul = std::memchr(bytes.data(), '\0', bytes.size());
  const std::size_t parse_len =
      nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - bytes.data()) : bytes.size();

  // RapidJSON 1.1.0 refuses numbers beyond double range, but JSON Schema 2020-12 calls them
  // integers like any other: each one is swapped for a same-length stand-in ("0" and
  // spaces) and the parse retried, a bounded number of times.
  constexpr std::size_t k_max_overflow_numbers = 16;
  std::vector<number_span> stand_ins;  // sorted by offset
  const std::string_view input = bytes.substr(0, parse_len);
  const std::size_t capacity = count_values_upper_bound(input);
  std::unique_ptr<json_document::storage> doc;
  findings warnings;
  rapidjson::ParseResult pr;
  std::optional<finding> stop_reason;
  for (;;) {
    doc = std::make_unique<json_document::storage>();
    doc->nodes.reset(new json_node[capacity]);
    doc->node_capacity = capacity;
    warnings.clear();
    // Read in place from the caller's bytes: the document keeps only what it needs.
    stand_in_stream stream(input, stand_ins);
    json_builder builder(*doc, bytes, stream, limits, warnings, stand_ins);
    guarded_reader reader;
    constexpr unsigned flags = rapidjson::kParseIterativeFlag |
                               rapidjson::kParseValidateEncodingFlag |
                               rapidjson::kParseNumbersAsStringsFlag;
    pr = reader.Parse<flags>(stream, builder);
    result.pointer_tokens += builder.pointer_tokens();
    if (pr.Code() == rapidjson::kParseErrorNumberTooBig &&
        stand_ins.size() < k_max_overflow_numbers) {
      const std::size_t end = number_token_end(bytes, pr.Offset());
      stand_ins.emplace_back(pr.Offset(), end - pr.Offset());
      std::sort(stand_ins.begin(), stand_ins.end());
      continue;
    }
    stop_reason = std::move(builder.stop_reason());
    if (!pr.IsError()) builder.finish();
    break;
  }

  if (pr.IsError()) {
    if (pr.Code() == rapidjson::kParseErrorTermination && stop_reason) {
      finding f = std::move(*stop_reason);
      const std::size_t off = f.position ? f.position->offset : pr.Offset();
      f.position = position_of(bytes, off);
      result.problems.push_back(std::move(f));
    } else if (nul && pr.Offset() >= parse_len) {
      result.problems.push_back(
          syntax_finding("NUL byte (U+0000) outside a string escape", bytes, parse_len));
    } else if (pr.Code() == rapidjson::kParseErrorNumberTooBig) {
      result.problems.push_back(finding{checks::json_limits, "", "",
                                        "more than " + std::to_string(k_max_overflow_numbers) +
                                            " numbers beyond the range of a double",
                                        position_of(bytes, pr.Offset())});
    } else if (pr.Code() == rapidjson::kParseErrorDocumentEmpty && parse_len == 0 && !nul) {
      result.problems.push_back(syntax_finding("empty body: no JSON value", bytes, 0));
    } else {
      result.problems.push_back(
          syntax_finding(explain_syntax_error(pr.Code(), bytes, pr.Offset()), bytes, pr.Offset()));
    }
    return result;
  }
  if (nul) {
    result.problems.push_back(
        syntax_finding("NUL byte (U+0000) after the JSON value", bytes, parse_len));
    return result;
  }
  resolve_positions(bytes, warnings);
  result.problems = std::move(warnings);
  doc->text = owned ? std::move(*owned) : std::string(bytes);
  result.document.emplace();
  json_builder::adopt(*result.document, std::move(doc));
  return result;
}

}  // namespace

decode_result decode_json(std::string_view bytes, const decode_limits& limits) {
  return decode_text(bytes, limits, nullptr);
}

decode_result decode_owned_json(std::string bytes, const decode_limits& limits) {
  return decode_text(bytes, limits, &bytes);
}

}  // namespace certharness
