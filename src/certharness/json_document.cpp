#include "certharness/json_document.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <new>

#include "certharness/json_pointer.hpp"
#include "certharness/rapidjson_guard.hpp"

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

const json_value* json_value::find(std::string_view key) const noexcept {
  if (type_ != json_type::object) return nullptr;
  for (const json_value& m : *this) {
    if (m.key() == key) return &m;
  }
  return nullptr;
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

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

namespace {

// RapidJSON 1.1.0 does signed arithmetic on exponents that overflows once a number has about
// 2^31/10 fraction digits (CVE-2024-38517 class). Inputs below this size cannot get there;
// larger ones are pre-scanned for over-long number tokens before RapidJSON sees them.
constexpr std::size_t k_number_guard_threshold = 200'000'000;
constexpr std::size_t k_max_number_chars = 1'000'000;
// RapidJSON string lengths are 32-bit; stay well inside.
constexpr std::size_t k_read_padding = 4;

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
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), d,
                                   std::chars_format::general);
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
    } else if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' ||
               c == '-') {
      longest = std::max(longest, ++run);
    } else {
      run = 0;
    }
  }
  return longest;
}

// Every input offset RapidJSON 1.1.0 rejects with "number too big" is re-parsed as a
// stand-in; the builder reads the real text from here.
struct number_override {
  std::size_t offset;
  std::string_view text;  // points into json_document::overflow_numbers_
};

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

// SAX handler for RapidJSON's reader: builds the DOM, enforces depth, finds duplicate keys,
// classifies numbers, and rejects what RapidJSON 1.1.0 lets through (lone low surrogates).
class json_builder {
 public:
  json_builder(json_document& doc, const char* base, const decode_limits& limits, findings& out,
               const std::vector<number_override>& overrides)
      : doc_(doc), base_(base), limits_(limits), out_(out), overrides_(overrides) {}

  bool Null() { return push(json_type::null_value); }
  bool Bool(bool b) {
    json_value& v = push_value(json_type::boolean);
    if (b) v.flags_ |= json_value::k_true;
    return true;
  }
  // Never called: numbers arrive as RawNumber (kParseNumbersAsStringsFlag).
  bool Int(int) { return false; }
  bool Uint(unsigned) { return false; }
  bool Int64(std::int64_t) { return false; }
  bool Uint64(std::uint64_t) { return false; }
  bool Double(double) { return false; }

  bool RawNumber(const char* str, rapidjson::SizeType len, bool) {
    std::string_view text(str, len);
    if (!overrides_.empty()) {
      auto it = std::lower_bound(
          overrides_.begin(), overrides_.end(), static_cast<std::size_t>(str - base_),
          [](const number_override& o, std::size_t off) { return o.offset < off; });
      if (it != overrides_.end() && it->offset == static_cast<std::size_t>(str - base_)) {
        text = it->text;
      }
    }
    const number_facts f = classify_number(text);
    if (f.integer && f.beyond_safe) {
      report(finding{"json.number_range", severity::warning, current_pointer(), "",
                             "integer " + abbreviate(text) +
                                 (f.out_of_double_range
                                      ? " is beyond the range of a double: most clients cannot "
                                        "represent it"
                                      : " is beyond +/-2^53: JavaScript clients (the official "
                                        "TypeScript SDK among them) lose precision"),
                             offset_of(str)});
    }
    json_value& v = push_value(json_type::number);
    v.str_ = text.data();
    v.len_ = text.size();
    if (f.integer) v.flags_ |= json_value::k_integer;
    if (f.fits_int64) v.flags_ |= json_value::k_fits_int64;
    if (f.beyond_safe) v.flags_ |= json_value::k_beyond_safe;
    v.i64_ = f.i64;
    v.dbl_ = f.dbl;
    return true;
  }

  bool String(const char* str, rapidjson::SizeType len, bool) {
    if (!check_surrogates(str, len)) return false;
    json_value& v = push_value(json_type::string);
    v.str_ = str;
    v.len_ = len;
    return true;
  }

  bool Key(const char* str, rapidjson::SizeType len, bool) {
    if (!check_surrogates(str, len)) return false;
    pending_key_ = str;
    pending_key_len_ = len;
    return true;
  }

  bool StartObject() { return start(json_type::object); }
  bool StartArray() { return start(json_type::array); }

  bool EndObject(rapidjson::SizeType count) {
    find_duplicates(count);
    return end(json_type::object, count);
  }
  bool EndArray(rapidjson::SizeType count) { return end(json_type::array, count); }

  // Moves the finished root into the document and turns child indices into pointers.
  void finish() {
    for (const auto& [check, count] : reported_) {
      if (count.first > k_max_findings_per_check) {
        out_.push_back(finding{check, count.second, "", "",
                               std::to_string(count.first - k_max_findings_per_check) +
                                   " more like the above, not listed",
                               std::nullopt});
      }
    }
    doc_.nodes_.push_back(scratch_.back());
    scratch_.clear();
    json_value* base = doc_.nodes_.data();
    for (json_value& v : doc_.nodes_) {
      if (v.type_ == json_type::array || v.type_ == json_type::object) {
        v.children_ = base + v.len_;
        v.len_ = 0;
      }
    }
  }

  std::optional<finding>& stop_reason() { return stop_reason_; }

 private:
  struct frame {
    std::size_t scratch_begin;
    json_type type;
    const char* key;  // key of this container in its parent object, or nullptr
    std::uint32_t key_len;
    std::size_t index;  // index in its parent array
  };

  std::optional<text_position> offset_of(const char* p) const {
    text_position pos;
    pos.offset = static_cast<std::size_t>(p - base_);
    return pos;  // line/column filled in by decode_json
  }

  static std::string abbreviate(std::string_view text) {
    if (text.size() <= 40) return std::string(text);
    return std::string(text.substr(0, 20)) + "..." + std::string(text.substr(text.size() - 10)) +
           " (" + std::to_string(text.size()) + " characters)";
  }

  void stop(finding f) {
    if (!stop_reason_) stop_reason_ = std::move(f);
  }

  // A page of ten thousand big integers is one problem, not ten thousand findings.
  static constexpr std::size_t k_max_findings_per_check = 100;
  void report(finding f) {
    auto& [count, level] = reported_[f.check];
    level = f.level;
    if (++count <= k_max_findings_per_check) out_.push_back(std::move(f));
  }

  // Pointer of the container at frames_[0..depth) (the whole path when depth == frames_.size()).
  std::string container_pointer(std::size_t depth) const {
    std::string p;
    for (std::size_t k = 1; k < depth; ++k) {
      const frame& f = frames_[k];
      if (frames_[k - 1].type == json_type::object) {
        append_pointer_token(p, std::string_view(f.key, f.key_len));
      } else {
        append_pointer_index(p, f.index);
      }
    }
    return p;
  }

  // Pointer of the value about to be pushed.
  std::string current_pointer() const {
    std::string p = container_pointer(frames_.size());
    if (frames_.empty()) return p;
    if (frames_.back().type == json_type::object) {
      append_pointer_token(p, std::string_view(pending_key_, pending_key_len_));
    } else {
      append_pointer_index(p, scratch_.size() - frames_.back().scratch_begin);
    }
    return p;
  }

  bool check_surrogates(const char* str, std::size_t len) {
    // RapidJSON 1.1.0 decodes a lone "\udc00" into the CESU bytes ED B0 80; valid UTF-8 never
    // contains ED A0..BF, so finding it means an unpaired surrogate escape reached us.
    const char* end = str + len;
    for (const char* p = str; (p = static_cast<const char*>(std::memchr(p, '\xED', end - p)));
         ++p) {
      if (p + 1 < end && static_cast<unsigned char>(p[1]) >= 0xA0) {
        stop(finding{"json.syntax", severity::error, current_pointer(), "",
                     "unpaired UTF-16 surrogate escape in string", offset_of(str)});
        return false;
      }
    }
    return true;
  }

  json_value& push_value(json_type t) {
    json_value& v = scratch_.emplace_back();
    v.type_ = t;
    if (!frames_.empty() && frames_.back().type == json_type::object) {
      v.key_ = pending_key_;
      v.key_len_ = pending_key_len_;
    }
    return v;
  }
  bool push(json_type t) {
    push_value(t);
    return true;
  }

  bool start(json_type t) {
    if (frames_.size() >= limits_.max_depth) {
      stop(finding{"json.limits", severity::error, container_pointer(frames_.size()), "",
                   "nesting deeper than the limit of " + std::to_string(limits_.max_depth) +
                       " (raise it with --max-depth)",
                   std::nullopt});
      return false;
    }
    frame f{scratch_.size(), t, nullptr, 0, 0};
    if (!frames_.empty()) {
      if (frames_.back().type == json_type::object) {
        f.key = pending_key_;
        f.key_len = pending_key_len_;
      } else {
        f.index = scratch_.size() - frames_.back().scratch_begin;
      }
    }
    frames_.push_back(f);
    return true;
  }

  bool end(json_type t, std::size_t count) {
    const frame f = frames_.back();
    frames_.pop_back();
    const std::size_t first = doc_.nodes_.size();
    doc_.nodes_.insert(doc_.nodes_.end(), scratch_.begin() + f.scratch_begin, scratch_.end());
    scratch_.resize(f.scratch_begin);
    json_value& v = scratch_.emplace_back();
    v.type_ = t;
    v.key_ = f.key;
    v.key_len_ = f.key_len;
    v.count_ = count;
    v.len_ = first;  // child index until finish()
    return true;
  }

  void find_duplicates(std::size_t count) {
    const json_value* members = scratch_.data() + (scratch_.size() - count);
    auto report_duplicate = [&](const json_value& m) {
      std::string p = container_pointer(frames_.size());
      append_pointer_token(p, m.key());
      report(finding{"json.duplicate_key", severity::error, std::move(p), "",
                             "key \"" + std::string(m.key()) +
                                 "\" appears more than once in this object; clients disagree "
                                 "on which value wins",
                             std::nullopt});
    };
    if (count <= 16) {
      for (std::size_t a = 1; a < count; ++a) {
        std::size_t earlier = 0;
        for (std::size_t b = 0; b < a; ++b) earlier += members[b].key() == members[a].key();
        if (earlier == 1) report_duplicate(members[a]);  // once per key, at its second occurrence
      }
      return;
    }
    std::vector<std::string_view> keys;
    keys.reserve(count);
    for (std::size_t k = 0; k < count; ++k) keys.push_back(members[k].key());
    std::sort(keys.begin(), keys.end());
    for (std::size_t k = 1; k < keys.size(); ++k) {
      if (keys[k] == keys[k - 1] && (k < 2 || keys[k - 2] != keys[k])) {
        json_value tmp;
        tmp.key_ = keys[k].data();
        tmp.key_len_ = static_cast<std::uint32_t>(keys[k].size());
        report_duplicate(tmp);
      }
    }
  }

  json_document& doc_;
  const char* base_;
  const decode_limits& limits_;
  findings& out_;
  const std::vector<number_override>& overrides_;
  std::vector<json_value> scratch_;
  std::vector<frame> frames_;
  const char* pending_key_ = nullptr;
  std::uint32_t pending_key_len_ = 0;
  std::optional<finding> stop_reason_;
  std::map<std::string, std::pair<std::size_t, severity>> reported_;
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
  return finding{"json.syntax", severity::error, "", "", std::move(message),
                 position_of(bytes, offset)};
}

}  // namespace

decode_result decode_json(std::string_view bytes, const decode_limits& limits) {
  decode_result result;
  const std::size_t max_bytes = std::min(limits.max_bytes, k_max_bytes_ceiling);
  if (bytes.size() > max_bytes) {
    result.problems.push_back(finding{
        "json.limits", severity::error, "", "",
        "body is " + std::to_string(bytes.size()) + " bytes, over the limit of " +
            std::to_string(max_bytes) +
            (max_bytes < limits.max_bytes ? " (the hard ceiling)" : " (raise it with --max-bytes)"),
        std::nullopt});
    return result;
  }
  if (bytes.size() > k_number_guard_threshold &&
      longest_number_token(bytes) > k_max_number_chars) {
    result.problems.push_back(finding{"json.limits", severity::error, "", "",
                                      "a number token is longer than " +
                                          std::to_string(k_max_number_chars) + " characters",
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
  std::vector<std::pair<std::size_t, std::size_t>> overflow_spans;  // offset, length
  json_document doc;
  findings warnings;
  std::vector<number_override> overrides;
  rapidjson::ParseResult pr;
  std::optional<finding> stop_reason;
  for (;;) {
    doc = json_document();
    // RapidJSON's UTF-8 validation reads every continuation byte a lead byte announces
    // without looking for the end: zero padding keeps a truncated sequence at the very end
    // ("\xe1) inside the buffer, where it fails as invalid.
    doc.text_.reset(new char[parse_len + k_read_padding]());
    std::memcpy(doc.text_.get(), bytes.data(), parse_len);
    doc.overflow_numbers_.clear();
    doc.overflow_numbers_.reserve(overflow_spans.size());
    overrides.clear();
    for (const auto& [offset, length] : overflow_spans) {
      doc.overflow_numbers_.emplace_back(bytes.substr(offset, length));
      std::memset(doc.text_.get() + offset, ' ', length);
      doc.text_[offset] = '0';
    }
    for (std::size_t k = 0; k < overflow_spans.size(); ++k) {
      overrides.push_back(number_override{overflow_spans[k].first, doc.overflow_numbers_[k]});
    }
    doc.nodes_.reserve(std::min<std::size_t>(bytes.size() / 16 + 1, 4096));
    warnings.clear();
    json_builder builder(doc, doc.text_.get(), limits, warnings, overrides);
    guarded_reader reader;
    rapidjson::InsituStringStream stream(doc.text_.get());
    constexpr unsigned flags = rapidjson::kParseIterativeFlag |
                               rapidjson::kParseValidateEncodingFlag |
                               rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseInsituFlag;
    pr = reader.Parse<flags>(stream, builder);
    if (pr.Code() == rapidjson::kParseErrorNumberTooBig &&
        overflow_spans.size() < k_max_overflow_numbers) {
      const std::size_t end = number_token_end(bytes, pr.Offset());
      overflow_spans.emplace_back(pr.Offset(), end - pr.Offset());
      std::sort(overflow_spans.begin(), overflow_spans.end());
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
      result.problems.push_back(syntax_finding("NUL byte (U+0000) outside a string escape", bytes,
                                               parse_len));
    } else if (pr.Code() == rapidjson::kParseErrorNumberTooBig) {
      result.problems.push_back(finding{"json.limits", severity::error, "", "",
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
  result.document = std::move(doc);
  return result;
}

}  // namespace certharness
