// Reading HAR 1.2 archives from any producer (har.hpp).
#include <chrono>
#include <cstdint>

#include "certharness/har/har.hpp"
#include "certharness/io/ascii_text.hpp"
#include "certharness/json/json_document.hpp"

namespace certharness {

namespace {

int base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// RFC 4648 base64 with its padding; nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    // '=' only ends the last quad: "xx==" or "xxx=".
    const bool last = i + 4 == in.size();
    const std::size_t pad = last ? (in[i + 3] == '=') + (in[i + 2] == '=' && in[i + 3] == '=') : 0;
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4 - pad; ++k) {
      const int d = base64_digit(in[i + k]);
      if (d < 0) return std::nullopt;
      v = v << 6 | static_cast<std::uint32_t>(d);
    }
    v <<= 6 * pad;
    for (std::size_t k = 0; k < 3 - pad; ++k) out.push_back(static_cast<char>(v >> (16 - 8 * k)));
  }
  return out;
}

// Shortest text that reads back as the same double; HAR times are never negative, and JSON

// Reads `n` decimal digits at s[i].
bool read_digits(std::string_view s, std::size_t& i, std::size_t n, int& out) {
  if (i + n > s.size()) return false;
  out = 0;
  for (std::size_t k = 0; k < n; ++k, ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// "2024-03-01T12:34:56.789Z" (browsers), "2024-03-01T12:34:56.789123+00:00" (mitmproxy): any
// fraction, "Z" or a numeric offset. Years are bounded so the result fits system_clock.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view s) {
  using namespace std::chrono;
  std::size_t i = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  const auto expect = [&](char c) { return i < s.size() && s[i++] == c; };
  if (!read_digits(s, i, 4, y) || !expect('-') || !read_digits(s, i, 2, mo) || !expect('-') ||
      !read_digits(s, i, 2, d) || !expect('T') || !read_digits(s, i, 2, h) || !expect(':') ||
      !read_digits(s, i, 2, mi) || !expect(':') || !read_digits(s, i, 2, sec)) {
    return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1600 || y > 2300 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  nanoseconds fraction{0};
  if (i < s.size() && s[i] == '.') {
    const std::size_t begin = ++i;
    std::int64_t scale = 100'000'000;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale /= 10) {
      fraction += nanoseconds{(s[i] - '0') * scale};  // digits past nanoseconds add 0
    }
    if (i == begin) return std::nullopt;
  }
  minutes offset{0};
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    const bool minus = s[i++] == '-';
    int oh = 0, om = 0;
    if (!read_digits(s, i, 2, oh)) return std::nullopt;
    if (i < s.size() && s[i] == ':') ++i;
    if (!read_digits(s, i, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offset = minus ? -minutes{oh * 60 + om} : minutes{oh * 60 + om};
  } else if (!expect('Z')) {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  const auto utc = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + fraction - offset;
  // The bound is on the UTC year, the one render_har writes: an offset or a leap second can
  // move 1700-01-01 or 2200-12-31 across it.
  const int utc_year = int{year_month_day{floor<days>(utc)}.year()};
  if (utc_year < 1700 || utc_year > 2200) return std::nullopt;
  return time_point_cast<system_clock::duration>(utc);
}

// ---- reading ----

// The last member named `key` (JSON.parse and Python's json, which write and read most HAR,
// keep the last of duplicates), or nothing; also nothing when `v` is absent or no object.
std::optional<json_value> member(const std::optional<json_value>& v, std::string_view key) {
  if (!v || !v->is_object()) return std::nullopt;
  std::optional<json_value> found;
  for (const json_value& m : *v) {
    if (m.key() == key) found = m;
  }
  return found;
}

std::optional<json_value> typed_member(const std::optional<json_value>& v, std::string_view key,
                                       json_type type) {
  std::optional<json_value> m = member(v, key);
  return m.has_value() && m->type() == type ? m : std::nullopt;
}

std::string_view string_member(const std::optional<json_value>& v, std::string_view key) {
  std::optional<json_value> m = typed_member(v, key, json_type::string);
  return m ? m->as_string() : std::string_view{};
}

// HAR headers ([{name, value}]); items without a string name carry nothing and are skipped.
header_list read_headers(const std::optional<json_value>& array) {
  header_list out;
  if (!array || !array->is_array()) return out;
  out.reserve(array->size());
  for (const json_value& h : *array) {
    if (const std::optional<json_value> name = typed_member(h, "name", json_type::string)) {
      out.emplace_back(name->as_string(), string_member(h, "value"));
    }
  }
  return out;
}

// The text of a postData or content object (`where`), base64-decoded when its encoding says
// so, in `body` (nullopt when it has no text). Returns an error when it cannot be decoded.
std::optional<std::string> read_body(const json_value& holder, std::string_view where,
                                     std::optional<std::string>& body) {
  std::optional<json_value> text = typed_member(holder, "text", json_type::string);
  if (!text) return std::nullopt;
  const std::string_view encoding = string_member(holder, "encoding");
  if (encoding.empty()) {
    body.emplace(text->as_string());
  } else if (ascii_iequals(encoding, "base64")) {
    body = base64_decode(text->as_string());
    if (!body) return std::string(where) + ".text is not valid base64";
  } else {
    return std::string(where) + ".encoding \"" + std::string(encoding) + "\" is not supported";
  }
  return std::nullopt;
}

// One entry; the error says what is wrong with it.
std::optional<std::string> read_entry(const json_value& e, har_entry& out) {
  if (!e.is_object()) return "not an object";
  std::optional<json_value> request = typed_member(e, "request", json_type::object);
  if (!request) return "no request object";
  std::optional<json_value> method = typed_member(request, "method", json_type::string);
  if (!method) return "request.method is not a string";
  std::optional<json_value> url = typed_member(request, "url", json_type::string);
  if (!url) return "request.url is not a string";
  out.method = method->as_string();
  out.url = url->as_string();
  // Optional from here on: what a producer left out stays at its default.
  if (auto started = parse_iso8601(string_member(e, "startedDateTime"))) out.started = *started;
  if (const std::optional<json_value> time = typed_member(e, "time", json_type::number)) {
    out.time_ms = time->as_double();
  }
  out.request_headers = read_headers(member(request, "headers"));
  if (const std::optional<json_value> post = typed_member(request, "postData", json_type::object)) {
    out.request_mime_type = string_member(post, "mimeType");
    if (auto error = read_body(*post, "request.postData", out.request_body)) return error;
  }
  std::optional<json_value> response = typed_member(e, "response", json_type::object);
  std::optional<json_value> status = typed_member(response, "status", json_type::number);
  if (status.has_value() && status->fits_int64() && status->as_int64() >= 0 &&
      status->as_int64() <= 999) {
    out.status = static_cast<int>(status->as_int64());
  }
  out.status_text = string_member(response, "statusText");
  out.response_headers = read_headers(member(response, "headers"));
  out.error = string_member(response, "_error");
  std::optional<json_value> content = typed_member(response, "content", json_type::object);
  out.response_mime_type = string_member(content, "mimeType");
  std::optional<std::string> body;
  if (content.has_value()) {
    if (auto error = read_body(*content, "response.content", body)) return error;
  }
  out.response_body_recorded = body.has_value();
  out.response_body = std::move(body).value_or("");
  return std::nullopt;
}

}  // namespace

result<std::vector<har_entry>> read_har(std::string_view bytes, const decode_limits& limits) {
  // HAR 1.2 asks readers to accept and ignore a byte order mark.
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  const decode_result decoded = decode_json(bytes, limits);
  for (const finding& f : decoded.problems) {
    // A repeated key is the producer's sloppiness, not a reason to lose the archive.
    if (f.level != severity::error || f.check == checks::json_duplicate_key) continue;
    std::string error = "not a HAR archive: " + f.message;
    if (f.position) {
      error += " (line " + std::to_string(f.position->line) + ", column " +
               std::to_string(f.position->column) + ")";
    }
    return failure(std::move(error));
  }
  if (!decoded.document) return failure("not a HAR archive: not JSON");
  const std::optional<json_value> entries =
      typed_member(member(decoded.document->root(), "log"), "entries", json_type::array);
  if (!entries) return failure("not a HAR archive: no log.entries array");

  // Grown, not sized from the count: a hostile array of a billion junk items fails at its first.
  std::vector<har_entry> out;
  for (auto it = entries->begin(); it != entries->end(); ++it) {
    const std::size_t i = it.index();
    if (auto error = read_entry(*it, out.emplace_back())) {
      return failure("entry " + std::to_string(i) + ": " + *error);
    }
  }
  return out;
}

}  // namespace certharness
