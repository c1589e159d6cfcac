#include "certharness/json/json_document.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <new>

#include "certharness/json/json_pointer.hpp"
#include "certharness/json/rapidjson_guard.hpp"
#include "certharness/json/utf8.hpp"
#include "json_string_state.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace certharness {

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
  json_string_state strings;
  for (char c : bytes) {
    if (strings.take(c)) {
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
  RAPIDJSON_FORCEINLINE Ch Peek() const { return pos_ < next_ ? bytes_[pos_] : slow_peek(); }
  RAPIDJSON_FORCEINLINE Ch Take() { return pos_ < next_ ? bytes_[pos_++] : slow_take(); }
  std::size_t Tell() const { return pos_; }
  // The writing half of the stream concept, for the in-situ reader (the fast path), which
  // writes each string's decoded bytes back over it: nothing is written, and the "decoded"
  // string it reports is the raw text between the quotes (the builder decodes the few strings
  // with escapes itself). The copying reader (the strict path) never calls these.
  Ch* PutBegin() {
    put_begin_ = pos_;
    return const_cast<Ch*>(bytes_ + pos_);
  }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return pos_ - put_begin_; }  // raw length + 1 (the NUL's place)

 private:
  // Inside stand-in k_ (or at the end).
  [[gnu::noinline]] Ch slow_peek() const {
    if (pos_ >= size_) return '\0';
    return pos_ == (*stand_ins_)[k_].first ? '0' : ' ';
  }
  [[gnu::noinline]] Ch slow_take() {
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
  std::size_t put_begin_ = 0;
};

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

// What a document holds beside its text (see ARCHITECTURE.md, Decoding, "Memory").
namespace {

// The first `c` in [p, end), or end. Strings and keys are short: 16 bytes a step inline beats
// a call to memchr, which is what a traversal mostly does.
inline const char* find_byte(const char* p, const char* end, char c) noexcept {
#if defined(__SSE2__)
  const __m128i needle = _mm_set1_epi8(c);
  for (; end - p >= 16; p += 16) {
    const int m = _mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), needle));
    if (m) return p + std::countr_zero(static_cast<unsigned>(m));
  }
#endif
  while (p < end && *p != c) ++p;
  return p;
}

using json_detail::container_record;
using json_detail::container_word;
using json_detail::is_container_byte;
using json_detail::k_empty_container;
using json_detail::number_end;
using json_detail::skip_whitespace;

// A string or key with escapes: its decoded bytes, in the document's arena. Escapes always
// shorten (2-byte escapes become 1 byte, \uXXXX at most 3, a 12-byte surrogate pair 4) and
// every other byte is copied as is, so a string has escapes exactly when its decoded length
// differs from its raw length; one without escapes is read from the text where it is.
struct escaped_string {
  std::uint32_t open;  // offset of the opening quote: the table is sorted by it
  std::uint32_t size;
  const char* bytes;
};

// Storage that never moves or copies what it holds when it grows: fixed chunks of 2^shift
// elements, sized once from the input.
template <class T>
class chunked_array {
 public:
  void reset(unsigned shift) {
    shift_ = shift;
    chunks_.clear();
    table_.clear();
    size_ = 0;
  }
  T& operator[](std::size_t i) noexcept { return table_[i >> shift_][i & mask()]; }
  const T& operator[](std::size_t i) const noexcept { return table_[i >> shift_][i & mask()]; }
  std::size_t size() const noexcept { return size_; }
  unsigned shift() const noexcept { return shift_; }
  const T* const* table() const noexcept { return table_.data(); }  // stable once built
  std::size_t push_back(const T& v) {
    if ((size_ >> shift_) == chunks_.size()) {
      chunks_.push_back(std::make_unique_for_overwrite<T[]>(std::size_t{1} << shift_));
      table_.push_back(chunks_.back().get());
    }
    (*this)[size_] = v;
    return size_++;
  }
  void pop_back() noexcept { --size_; }
  std::size_t bytes() const noexcept {
    return (chunks_.size() * sizeof(T) << shift_) +
           (chunks_.capacity() + table_.capacity()) * sizeof(void*);
  }

 private:
  std::size_t mask() const noexcept { return (std::size_t{1} << shift_) - 1; }
  unsigned shift_ = 4;
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::vector<T*> table_;  // chunks_ as plain pointers, for the inline accessors
  std::size_t size_ = 0;
};

// Elements per chunk: a power of two of at most 1/512 of the input's bytes (so a chunk of
// 16-byte elements is at most 1/32 of the input), between 16 and 16,384.
unsigned chunk_shift(std::size_t input_size) noexcept {
  const std::size_t want = std::clamp<std::size_t>(input_size / 512, 16, 16'384);
  return static_cast<unsigned>(std::bit_width(want) - 1);
}

}  // namespace

struct json_document::storage {
  // What handles point at: a document that never moves (it reads this storage through view_),
  // so that moving the json_document that owns the storage leaves every handle valid.
  json_document anchor;
  std::string text;
  const char* data = nullptr;  // text.data(), followed by its NUL
  std::uint32_t root = 0;      // the root value's first byte
  bool has_escapes = false;    // escapes is not empty
  chunked_array<container_record> records;
  chunked_array<escaped_string> escapes;
  std::vector<std::unique_ptr<char[]>> arena;  // decoded bytes of escaped strings
  std::size_t arena_bytes = 0;

  void reset() {
    const unsigned shift = chunk_shift(text.size());
    records.reset(shift);
    escapes.reset(shift);
    arena.clear();
    arena_bytes = 0;
    has_escapes = false;
  }

  const escaped_string* find_escaped(std::uint32_t open) const noexcept {
    std::size_t lo = 0, hi = escapes.size();
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (escapes[mid].open < open) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < escapes.size() && escapes[lo].open == open ? &escapes[lo] : nullptr;
  }

  // The closing quote of the string whose opening quote is at `open`. The text is valid JSON,
  // so there is one; a quote is escaped exactly when an odd run of backslashes precedes it.
  std::uint32_t string_close(std::uint32_t open) const noexcept {
    const char* p = data + open + 1;
    const char* const end = data + text.size();
    for (;;) {
      const char* q = find_byte(p, end, '"');
      if (!has_escapes) return static_cast<std::uint32_t>(q - data);
      std::size_t slashes = 0;
      while (q[-1 - static_cast<std::ptrdiff_t>(slashes)] == '\\') ++slashes;  // stops at `open`
      if (slashes % 2 == 0) return static_cast<std::uint32_t>(q - data);
      p = q + 1;
    }
  }

  // The decoded bytes of the string or key whose opening quote is at `open`.
  std::string_view string_at(std::uint32_t open) const noexcept {
    if (has_escapes) {
      if (const escaped_string* e = find_escaped(open)) return {e->bytes, e->size};
    }
    // No escapes: the first quote is the closing one.
    const char* p = data + open + 1;
    const char* q = find_byte(p, data + text.size(), '"');
    return {p, static_cast<std::size_t>(q - p)};
  }
};

namespace {

using storage = json_document::storage;

const json_document& empty_document();

}  // namespace

json_document::json_document() noexcept = default;
json_document::json_document(json_document&&) noexcept = default;
json_document& json_document::operator=(json_document&&) noexcept = default;
json_document::~json_document() = default;

json_value json_document::root() const noexcept {
  if (!storage_) return empty_document().root();
  const storage& s = *storage_;
  const json_document* anchor = &s.anchor;  // not `this`: handles outlive moves of *this
  const bool container = is_container_byte(s.data[s.root]);
  return json_value(anchor, s.root, container ? container_word(s.data, s.root, 0, 0) : 0);
}

std::string_view json_document::text() const noexcept {
  return storage_ ? std::string_view(storage_->text) : std::string_view();
}

void json_document::publish() noexcept {
  json_document& a = storage_->anchor;
  a.view_ = storage_.get();
  a.data_ = storage_->data;
  a.has_escapes_ = storage_->has_escapes;
  a.records_ = storage_->records.table();
  a.record_shift_ = storage_->records.shift();
}

std::size_t json_document::footprint() const noexcept {
  if (!storage_) return 0;
  const storage& s = *storage_;
  return sizeof(storage) + s.records.bytes() + s.escapes.bytes() + s.arena_bytes +
         s.arena.capacity() * sizeof(void*);
}

std::string_view json_value::as_string_slow() const noexcept {
  const storage& s = *doc_->view_;
  const char c = s.data[at_];
  if (c == '"') return s.string_at(at_);
  return number_text();
}

std::string_view json_value::key_slow() const noexcept {
  const storage& s = *doc_->view_;
  std::uint32_t k = aux_ & ~k_empty_container;
  if (is_container_byte(s.data[at_]) && !(aux_ & k_empty_container)) k = s.records[aux_].key;
  return k ? s.string_at(k) : std::string_view();
}

std::uint64_t json_value::id() const noexcept { return at_; }

std::uint32_t json_document::string_close_slow(std::uint32_t open) const noexcept {
  return view_->string_close(open);
}

json_value json_value::operator[](std::size_t i) const noexcept {
  iterator it = begin();
  for (; it.left_ > 0 && i > 0; --i) ++it;
  return it.left_ > 0 ? *it : empty_document().root();
}

std::optional<json_value> json_value::find(std::string_view key) const noexcept {
  const storage& s = *doc_->view_;
  if (s.data[at_] != '{') return std::nullopt;
  const std::size_t size = s.text.size();
  // A key without escapes holds no quote: it matches when its bytes are `key` and a quote
  // follows them, which needs `key` to hold no quote either.
  const bool raw_match_possible = key.find('"') == std::string_view::npos;
  for (iterator it = begin(); it.left_ > 0; ++it) {
    const std::size_t from = std::size_t{it.key_} + 1;
    if (s.has_escapes && s.find_escaped(it.key_)) {
      if (s.string_at(it.key_) == key) return *it;
    } else if (raw_match_possible && from + key.size() < size && s.data[from + key.size()] == '"' &&
               (key.empty() || std::memcmp(s.data + from, key.data(), key.size()) == 0)) {
      return *it;
    }
  }
  return std::nullopt;
}

namespace {

// Fast path for the common number: no fraction or exponent and at most 15 digits.
bool short_integer(std::string_view text) noexcept {
  if (text.size() > 16) return false;
  for (char c : text) {
    if (c == '.' || c == 'e' || c == 'E') return false;
  }
  return text.size() - (text[0] == '-') <= 15;
}

}  // namespace

bool json_value::is_integer() const noexcept {
  const std::string_view t = number_text();
  return !t.empty() && (short_integer(t) || classify_number(t).integer);
}

bool json_value::fits_int64() const noexcept {
  const std::string_view t = number_text();
  return !t.empty() && (short_integer(t) || classify_number(t).fits_int64);
}

bool json_value::beyond_safe_integer() const noexcept {
  const std::string_view t = number_text();
  return !t.empty() && !short_integer(t) && classify_number(t).beyond_safe;
}

std::int64_t json_value::as_int64() const noexcept {
  const std::string_view t = number_text();
  if (t.empty()) return 0;
  if (!short_integer(t)) return classify_number(t).i64;
  std::int64_t v = 0;  // at most 15 digits: no overflow
  for (char c : t.substr(t[0] == '-')) v = v * 10 + (c - '0');
  return t[0] == '-' ? -v : v;
}

double json_value::as_double() const noexcept {
  const std::string_view t = number_text();
  return t.empty() ? 0 : classify_number(t).dbl;
}

// SAX handler for RapidJSON's reader: records each container, enforces depth, finds duplicate
// keys, classifies numbers, keeps decoded copies of the strings that have escapes, and rejects
// what RapidJSON 1.1.0 lets through (lone low surrogates). A scalar without escapes costs
// nothing: its handle reads it from the text.
class json_builder {
 public:
  // `fast`: driven by the fast path's reader (recursive, in situ), which calls StartObject and
  // EndObject (and the array ones) just after taking the bracket, and reports strings raw;
  // else by the strict path's (iterative, copying), which calls them just before.
  json_builder(storage& s, const stand_in_stream& stream, const decode_limits& limits,
               findings& out, const std::vector<number_span>& stand_ins, bool fast)
      : s_(s),
        bytes_(s.text),
        stream_(stream),
        limits_(limits),
        out_(out),
        stand_ins_(stand_ins),
        raw_strings_(fast),
        bracket_shift_(fast ? 1 : 0),
        chunk_size_(std::clamp<std::size_t>(s.text.size() / 16, 4096, std::size_t{1} << 20)) {}

  bool Null() { return scalar(); }
  bool Bool(bool) { return scalar(); }
  // Never called: numbers arrive as RawNumber (kParseNumbersAsStringsFlag).
  bool Int(int) { return false; }
  bool Uint(unsigned) { return false; }
  bool Int64(std::int64_t) { return false; }
  bool Uint64(std::uint64_t) { return false; }
  bool Double(double) { return false; }

  bool RawNumber(const char*, rapidjson::SizeType len, bool) {
    const std::size_t offset = stream_.Tell() - len;  // the reader is just past the number
    std::string_view text = bytes_.substr(offset, len);
    if (!stand_ins_.empty()) {
      auto it =
          std::lower_bound(stand_ins_.begin(), stand_ins_.end(), offset,
                           [](const number_span& o, std::size_t off) { return o.first < off; });
      if (it != stand_ins_.end() && it->first == offset) text = bytes_.substr(offset, it->second);
    }
    if (!short_integer(text)) {
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
    }
    return scalar();
  }

  bool String(const char* str, rapidjson::SizeType len, bool) {
    std::uint32_t open = 0, entry = 0;
    std::string_view view;
    if (!read_string(str, len, open, entry, view)) {
      stop([&] { return surrogate_finding(current_pointer(), open); });
      return false;
    }
    return scalar();
  }

  bool Key(const char* str, rapidjson::SizeType len, bool) {
    std::uint32_t open = 0, entry = 0;
    std::string_view view;
    if (!read_string(str, len, open, entry, view)) {
      stop([&] {  // the pointer of this key's own member
        std::string p = container_pointer(frames_.size());
        append_pointer_token(p, printable_key({str, len}));
        ++pointer_tokens_;
        return surrogate_finding(std::move(p), open);
      });
      return false;
    }
    pending_key_ = open;
    last_key_ = view;
    key_scratch_.push_back(entry);
    return true;
  }

  bool StartObject() { return start(json_type::object); }
  bool StartArray() { return start(json_type::array); }
  bool EndObject(rapidjson::SizeType) { return end(); }
  bool EndArray(rapidjson::SizeType) { return end(); }

  // Lists what the findings cap left out, and notes where the root starts.
  void finish() {
    for (const auto& [id, count] : reported_) {
      if (count.first > k_max_findings_per_check) {
        out_.push_back(left_out(count.second, count.first - k_max_findings_per_check));
      }
    }
    s_.root = skip_whitespace(s_.data, 0);
  }

  std::optional<finding>& stop_reason() { return stop_reason_; }
  std::size_t pointer_tokens() const { return pointer_tokens_; }

 private:
  // Key scratch entries: a key's opening quote, or this bit and its escaped_string index.
  static constexpr std::uint32_t k_escaped_entry = std::uint32_t{1} << 31;

  struct frame {
    json_type type;
    std::uint32_t record;
    std::string_view key;        // key of this container in its parent object
    std::size_t index;           // index in its parent array
    std::size_t children = 0;    // values read so far
    std::size_t keys_begin = 0;  // this object's keys in key_scratch_
  };

  bool scalar() {
    if (!frames_.empty()) ++frames_.back().children;
    pending_key_ = 0;
    return true;
  }

  // The string the reader just finished (its closing quote is at Tell() - 1, `str` its decoded
  // bytes): where it opens, its key scratch entry and its decoded bytes, copied to the arena
  // when it has escapes. False for an unpaired surrogate escape.
  bool read_string(const char* str, std::size_t len, std::uint32_t& open, std::uint32_t& entry,
                   std::string_view& view) {
    const char* t = s_.data;
    if (raw_strings_) {  // the in-situ reader: `str` is the raw text between the quotes
      open = static_cast<std::uint32_t>(str - t - 1);
      if (find_byte(str, str + len, '\\') == str + len) {
        entry = open;
        view = {str, len};
        return true;
      }
      const std::string_view decoded = decode_escaped(open, open + len + 1);
      if (decoded.data() == nullptr) return false;  // cannot happen: the reader accepted it
      if (find_surrogate(decoded)) return false;
      entry =
          k_escaped_entry | static_cast<std::uint32_t>(s_.escapes.push_back(escaped_string{
                                open, static_cast<std::uint32_t>(decoded.size()), decoded.data()}));
      s_.has_escapes = true;
      view = decoded;
      return true;
    }
    const std::size_t close = stream_.Tell() - 1;
    // No escapes exactly when the raw length equals the decoded one: then the opening quote is
    // len + 1 bytes back and no backslash lies between. (With escapes, a quote there would be
    // an escaped one, and the len bytes after it, free of backslashes, would decode to
    // themselves: the decoded string would be longer than len.)
    if (len + 1 <= close && t[close - len - 1] == '"' &&
        find_byte(t + close - len, t + close, '\\') == t + close) {
      open = static_cast<std::uint32_t>(close - len - 1);
      entry = open;
      view = {t + open + 1, len};
      return true;
    }
    open = opening_quote(close);
    // RapidJSON 1.1.0 lets a lone low surrogate escape through; only escapes can make one.
    if (find_surrogate({str, len})) return false;
    char* copy = arena_copy(str, len);
    entry = k_escaped_entry | static_cast<std::uint32_t>(s_.escapes.push_back(
                                  escaped_string{open, static_cast<std::uint32_t>(len), copy}));
    s_.has_escapes = true;
    view = {copy, len};
    return true;
  }

  // The decoded bytes, copied to the arena, of the string with escapes at [open, close]: a
  // JSON text of its own, read by RapidJSON's copying reader. Null data if it is refused.
  std::string_view decode_escaped(std::uint32_t open, std::size_t close) {
    struct one_string : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, one_string> {
      json_builder* builder = nullptr;
      std::string_view decoded;
      bool String(const char* str, rapidjson::SizeType len, bool) {
        decoded = {builder->arena_copy(str, len), len};
        return true;
      }
      bool Default() { return false; }
    };
    static const std::vector<number_span> no_stand_ins;
    stand_in_stream in(bytes_.substr(open, close - open + 1), no_stand_ins);
    one_string handler;
    handler.builder = this;
    if (string_reader_.Parse<rapidjson::kParseValidateEncodingFlag>(in, handler).IsError()) {
      return {};
    }
    return handler.decoded;
  }

  // The opening quote of the string closing at `close`: the nearest quote before it that no
  // odd run of backslashes escapes.
  std::uint32_t opening_quote(std::size_t close) const {
    const char* t = s_.data;
    for (std::size_t i = close; i > 0;) {
      --i;
      if (t[i] != '"') continue;
      std::size_t slashes = 0;
      while (slashes < i && t[i - 1 - slashes] == '\\') ++slashes;
      if (slashes % 2 == 0) return static_cast<std::uint32_t>(i);
    }
    return 0;
  }

  char* arena_copy(const char* p, std::size_t n) {
    if (room_ < n || !cur_) {
      const std::size_t size = std::max(chunk_size_, n);
      s_.arena.push_back(std::make_unique_for_overwrite<char[]>(size));
      s_.arena_bytes += size;
      cur_ = s_.arena.back().get();
      room_ = size;
    }
    char* at = cur_;
    if (n) std::memcpy(at, p, n);
    cur_ += n;
    room_ -= n;
    return at;
  }

  std::optional<text_position> at(std::size_t offset) const {
    text_position pos;
    pos.offset = offset;
    return pos;  // line/column filled in by decode_json
  }

  finding surrogate_finding(std::string pointer, std::uint32_t open) const {
    return finding{checks::json_syntax, std::move(pointer), "",
                   "unpaired UTF-16 surrogate escape in string", at(std::size_t{open} + 1)};
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

  // Pointer of the value being read.
  std::string current_pointer() {
    std::string p = container_pointer(frames_.size());
    if (frames_.empty()) return p;
    if (frames_.back().type == json_type::object) {
      append_pointer_token(p, last_key_);
    } else {
      append_pointer_index(p, frames_.back().children);
    }
    ++pointer_tokens_;
    return p;
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
    frame f{t,  static_cast<std::uint32_t>(s_.records.push_back({0, 0, 0, pending_key_})),
            {}, 0,
            0,  key_scratch_.size()};
    if (!frames_.empty()) {
      if (frames_.back().type == json_type::object) {
        f.key = last_key_;
      } else {
        f.index = frames_.back().children;
      }
    }
    frames_.push_back(f);
    pending_key_ = 0;
    return true;
  }

  bool end() {
    const frame& f = frames_.back();
    if (f.children == 0) {
      s_.records.pop_back();  // the newest: an empty container has none (see k_empty_container)
    } else {
      container_record& r = s_.records[f.record];
      r.close = static_cast<std::uint32_t>(stream_.Tell() - bracket_shift_);
      r.count = static_cast<std::uint32_t>(f.children);
      r.next = static_cast<std::uint32_t>(s_.records.size());
    }
    if (f.type == json_type::object) find_duplicates(f.keys_begin);
    key_scratch_.resize(f.keys_begin);
    frames_.pop_back();
    return scalar();  // counted in its parent
  }

  std::string_view key_of(std::uint32_t entry) const noexcept {
    if (entry & k_escaped_entry) {
      const escaped_string& e = s_.escapes[entry & ~k_escaped_entry];
      return {e.bytes, e.size};
    }
    const char* p = s_.data + entry + 1;
    return {p, static_cast<std::size_t>(find_byte(p, s_.data + bytes_.size(), '"') - p)};
  }

  // Orders keys as std::string_view does; two keys without escapes are compared in the text,
  // where each ends at its closing quote.
  int compare_keys(std::uint32_t a, std::uint32_t b) const noexcept {
    if ((a | b) & k_escaped_entry) return key_of(a).compare(key_of(b));
    const unsigned char* x = reinterpret_cast<const unsigned char*>(s_.data) + a + 1;
    const unsigned char* y = reinterpret_cast<const unsigned char*>(s_.data) + b + 1;
    for (;; ++x, ++y) {
      if (*x == *y) {
        if (*x == '"') return 0;
        continue;
      }
      if (*x == '"') return -1;
      if (*y == '"') return 1;
      return *x < *y ? -1 : 1;
    }
  }

  // The keys of the object just closed: key_scratch_[begin, end). Each duplicated key is
  // reported once: in small objects at its second occurrence, in large ones in key order.
  void find_duplicates(std::size_t begin) {
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
    const std::size_t count = key_scratch_.size() - begin;
    std::uint32_t* keys = key_scratch_.data() + begin;
    if (count <= 16) {
      for (std::size_t a = 1; a < count; ++a) {
        std::size_t earlier = 0;
        for (std::size_t b = 0; b < a; ++b) earlier += compare_keys(keys[b], keys[a]) == 0;
        if (earlier == 1) report_duplicate(key_of(keys[a]));  // once, at its second occurrence
      }
      return;
    }
    std::sort(keys, keys + count,
              [&](std::uint32_t a, std::uint32_t b) { return compare_keys(a, b) < 0; });
    for (std::size_t k = 1; k < count; ++k) {
      if (compare_keys(keys[k], keys[k - 1]) == 0 &&
          (k < 2 || compare_keys(keys[k - 2], keys[k]) != 0)) {
        report_duplicate(key_of(keys[k]));
      }
    }
  }

  storage& s_;
  std::string_view bytes_;  // the whole text, for the text of stood-in numbers
  const stand_in_stream& stream_;
  const decode_limits& limits_;
  findings& out_;
  const std::vector<number_span>& stand_ins_;
  bool raw_strings_;
  guarded_reader string_reader_;  // for decode_escaped: one for all, its stack reused
  std::size_t bracket_shift_;
  std::vector<frame> frames_;
  // Keys of the objects still open, innermost last: 4 bytes a key while its object is open.
  std::vector<std::uint32_t> key_scratch_;
  std::uint32_t pending_key_ = 0;  // the opening quote of the key awaiting its value
  std::string_view last_key_;      // its decoded bytes, for pointers
  // The arena for the decoded bytes of strings with escapes.
  std::size_t chunk_size_;
  char* cur_ = nullptr;
  std::size_t room_ = 0;
  std::optional<finding> stop_reason_;
  std::map<std::string_view, std::pair<std::size_t, check_id>> reported_;  // by id, for order
  std::size_t pointer_tokens_ = 0;
};

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

// Up to this depth limit, valid documents are read by RapidJSON's recursive parser, whose
// recursion the builder stops at the limit (a few hundred bytes of stack a level); deeper
// limits always use the iterative parser, whose nesting lives on the heap.
constexpr std::size_t k_max_recursive_depth = 1000;

finding size_finding(std::size_t size, std::size_t max_bytes, const decode_limits& limits) {
  return finding{
      checks::json_limits, "", "",
      "body is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes) +
          (max_bytes < limits.max_bytes ? " (the hard ceiling)" : " (raise it with --max-bytes)"),
      std::nullopt};
}

}  // namespace

decode_result decode_json(std::string_view bytes, const decode_limits& limits) {
  const std::size_t max_bytes = std::min(limits.max_bytes, k_max_bytes_ceiling);
  if (bytes.size() > max_bytes) {  // refused before it is copied
    decode_result result;
    result.problems.push_back(size_finding(bytes.size(), max_bytes, limits));
    return result;
  }
  return decode_owned_json(std::string(bytes), limits);
}

decode_result decode_owned_json(std::string bytes, const decode_limits& limits) {
  decode_result result;
  const std::size_t max_bytes = std::min(limits.max_bytes, k_max_bytes_ceiling);
  if (bytes.size() > max_bytes) {
    result.problems.push_back(size_finding(bytes.size(), max_bytes, limits));
    return result;
  }
  if (bytes.size() > k_number_guard_threshold && longest_number_token(bytes) > k_max_number_chars) {
    result.problems.push_back(finding{
        checks::json_limits, "", "",
        "a number token is longer than " + std::to_string(k_max_number_chars) + " characters",
        std::nullopt});
    return result;
  }

  json_document doc;
  doc.storage_ = std::make_unique<storage>();
  storage& s = *doc.storage_;
  s.text = std::move(bytes);
  s.data = s.text.data();  // NUL-terminated: number and whitespace scans stop there
  const std::string_view text = s.text;

  // The reader stops at a NUL byte as if the input ended there; a NUL is never valid JSON.
  const void* nul = std::memchr(text.data(), '\0', text.size());
  const std::size_t parse_len =
      nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - text.data()) : text.size();
  const std::string_view input = text.substr(0, parse_len);
  findings warnings;
  rapidjson::ParseResult pr;

  // The fast path, for documents that are valid UTF-8 as a whole (as every string of a valid
  // document is): RapidJSON's recursive reader, without its own UTF-8 validation, "in situ"
  // over a stream that writes nothing (so no string is copied; the builder decodes the few with
  // escapes). It accepts exactly what the strict path below accepts, with the same findings;
  // anything it refuses (or stops) is decoded again by the strict path, which explains it.
  if (!nul && limits.max_depth <= k_max_recursive_depth && is_valid_utf8(input)) {
    static const std::vector<number_span> no_stand_ins;
    s.reset();
    stand_in_stream stream(input, no_stand_ins);
    json_builder builder(s, stream, limits, warnings, no_stand_ins, true);
    guarded_reader reader;
    pr = reader.Parse<rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag>(stream,
                                                                                           builder);
    result.pointer_tokens += builder.pointer_tokens();
    if (!pr.IsError()) {
      builder.finish();
      resolve_positions(text, warnings);
      result.problems = std::move(warnings);
      doc.publish();
      result.document = std::move(doc);
      return result;
    }
    warnings.clear();
  }

  // RapidJSON 1.1.0 refuses numbers beyond double range, but JSON Schema 2020-12 calls them
  // integers like any other: each one is swapped for a same-length stand-in ("0" and
  // spaces) and the parse retried, a bounded number of times.
  constexpr std::size_t k_max_overflow_numbers = 16;
  std::vector<number_span> stand_ins;  // sorted by offset
  std::optional<finding> stop_reason;
  for (;;) {
    s.reset();
    warnings.clear();
    stand_in_stream stream(input, stand_ins);
    json_builder builder(s, stream, limits, warnings, stand_ins, false);
    guarded_reader reader;
    constexpr unsigned flags = rapidjson::kParseIterativeFlag |
                               rapidjson::kParseValidateEncodingFlag |
                               rapidjson::kParseNumbersAsStringsFlag;
    pr = reader.Parse<flags>(stream, builder);
    result.pointer_tokens += builder.pointer_tokens();
    if (pr.Code() == rapidjson::kParseErrorNumberTooBig &&
        stand_ins.size() < k_max_overflow_numbers) {
      const std::size_t end = number_token_end(text, pr.Offset());
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
      f.position = position_of(text, off);
      result.problems.push_back(std::move(f));
    } else if (nul && pr.Offset() >= parse_len) {
      result.problems.push_back(
          syntax_finding("NUL byte (U+0000) outside a string escape", text, parse_len));
    } else if (pr.Code() == rapidjson::kParseErrorNumberTooBig) {
      result.problems.push_back(finding{checks::json_limits, "", "",
                                        "more than " + std::to_string(k_max_overflow_numbers) +
                                            " numbers beyond the range of a double",
                                        position_of(text, pr.Offset())});
    } else if (pr.Code() == rapidjson::kParseErrorDocumentEmpty && parse_len == 0 && !nul) {
      result.problems.push_back(syntax_finding("empty body: no JSON value", text, 0));
    } else {
      result.problems.push_back(
          syntax_finding(explain_syntax_error(pr.Code(), text, pr.Offset()), text, pr.Offset()));
    }
    return result;
  }
  if (nul) {
    result.problems.push_back(
        syntax_finding("NUL byte (U+0000) after the JSON value", text, parse_len));
    return result;
  }
  resolve_positions(text, warnings);
  result.problems = std::move(warnings);
  doc.publish();
  result.document = std::move(doc);
  return result;
}

namespace {

const json_document& empty_document() {
  static const json_document empty = std::move(*decode_json("null").document);
  return empty;
}

}  // namespace

}  // namespace certharness
