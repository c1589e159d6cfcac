#include "certharness/har/har.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "certharness/json/json_document.hpp"
#include "certharness/har/secret_redaction.hpp"

namespace certharness {

namespace {

// Same as `certharness --version`.
constexpr std::string_view k_creator_version = "0.1.0";

// Bodies are searched for secret members at any depth real JSON has; deeper ones are left to
// the `secrets` replacement.
constexpr decode_limits k_body_limits{std::size_t{1} << 30, 10'000};

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// ---- text: UTF-8, base64, numbers, dates ----

// Length of the well-formed UTF-8 sequence at s[i] (Unicode table 3-7), 0 when there is none.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) -> unsigned {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
  };
  const auto in = [&](std::size_t k, unsigned lo, unsigned hi) {
    return byte(k) >= lo && byte(k) <= hi;
  };
  const unsigned b0 = byte(0);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return in(1, 0x80, 0xBF) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    // E0 excludes overlongs, ED excludes UTF-16 surrogates.
    const bool ok = in(1, b0 == 0xE0 ? 0xA0 : 0x80, b0 == 0xED ? 0x9F : 0xBF) && in(2, 0x80, 0xBF);
    return ok ? 3 : 0;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    // F0 excludes overlongs, F4 stops at U+10FFFF.
    const bool ok = in(1, b0 == 0xF0 ? 0x90 : 0x80, b0 == 0xF4 ? 0x8F : 0xBF) &&
                    in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF);
    return ok ? 4 : 0;
  }
  return 0;
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// A JSON string of `s`. HAR is UTF-8 only, so a byte that is not part of valid UTF-8 (a raw
// header value, a percent-decoded query) becomes U+FFFD; bodies never come here.
void append_text(std::string& out, std::string_view s) {
  if (is_valid_utf8(s)) return append_json_string(out, s);
  std::string repaired;
  repaired.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      repaired += "\xEF\xBF\xBD";
      ++i;
    } else {
      repaired.append(s, i, n);
      i += n;
    }
  }
  append_json_string(out, repaired);
}

constexpr char k_base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, in.size() - i);
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      v = v << 8 | (k < n ? static_cast<unsigned char>(in[i + k]) : 0u);
    }
    for (std::size_t k = 0; k < 4; ++k) {
      out.push_back(k <= n ? k_base64_alphabet[v >> (18 - 6 * k) & 63] : '=');
    }
  }
  return out;
}

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
// has no NaN or infinity.
void append_milliseconds(std::string& out, double ms) {
  if (!(ms >= 0) || !std::isfinite(ms)) ms = 0;
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, ms);
  out.append(buf, r.ptr);
}

// ISO 8601 in UTC with milliseconds, as browsers write startedDateTime; with micro- or
// nanoseconds when the clock had them, so a recording reads back to the same time.
std::string format_iso8601(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ns = floor<nanoseconds>(t);
  const auto day = floor<days>(ns);
  const year_month_day ymd{day};
  const hh_mm_ss time{ns - day};
  long long fraction = time.subseconds().count();
  int digits = 9;
  for (; digits > 3 && fraction % 1000 == 0; digits -= 3) fraction /= 1000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%0*lldZ", int{ymd.year()},
                unsigned{ymd.month()}, unsigned{ymd.day()}, static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                digits, fraction);
  return buf;
}

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

// ---- URLs ----

// "scheme://authority", the request target (path and query) and "#fragment" of a URL. A URL
// without "://" is all target.
struct url_parts {
  std::string_view origin, target, fragment;
};

url_parts split_url(std::string_view url) {
  url_parts p;
  const std::size_t hash = std::min(url.find('#'), url.size());
  p.fragment = url.substr(hash);
  url = url.substr(0, hash);
  const std::size_t scheme_end = url.find("://");
  const std::size_t target_begin =
      scheme_end == std::string_view::npos ? 0 : url.find_first_of("/?", scheme_end + 3);
  p.origin = url.substr(0, std::min(target_begin, url.size()));
  p.target = url.substr(p.origin.size());
  return p;
}

// The target decoded; nullopt when its escapes are malformed.
std::optional<request_target> decode_target(std::string_view target) {
  // parse_request_target wants an absolute path; "https://h?q" has none.
  return parse_request_target(target.empty() || target.front() == '?' ? "/" + std::string(target)
                                                                      : std::string(target));
}

std::string percent_encode(std::string_view s, bool keep_slash) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(c);
    } else {
      out += '%';
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 15]);
    }
  }
  return out;
}

// ---- redaction ----

// The URL with its userinfo removed and, in its decoded path and query, secret-looking query
// parameters' values and the known secrets replaced. Decoded, because the HAR's queryString
// is written decoded: a secret behind percent-escapes would otherwise reappear there. The
// URL is re-encoded only when something was replaced.
std::string redact_url(std::string_view url, const secret_redactor& secrets) {
  const url_parts parts = split_url(url);
  std::string origin(parts.origin);
  const std::size_t authority = origin.find("://");
  const std::size_t at = origin.rfind('@');
  if (authority != std::string::npos && at != std::string::npos && at > authority) {
    origin.replace(authority + 3, at - authority - 3, k_redacted);
  }
  std::string target(parts.target);
  if (std::optional<request_target> decoded = decode_target(parts.target)) {
    bool changed = secrets.redact(decoded->path);
    for (auto& [name, value] : decoded->query) {
      changed |= secrets.redact(name);
      if (is_secret_field(name) && value != k_redacted) {
        value = k_redacted;
        changed = true;
      } else {
        changed |= secrets.redact(value);
      }
    }
    if (changed) {
      target = parts.target.empty() || parts.target.front() == '?'
                   ? std::string()
                   : percent_encode(decoded->path, true);
      const std::size_t question = parts.target.find('?');
      if (question != std::string_view::npos) target += '?';
      for (std::size_t k = 0; k < decoded->query.size(); ++k) {
        if (k > 0) target += '&';
        target += percent_encode(decoded->query[k].first, false) + '=' +
                  percent_encode(decoded->query[k].second, false);
      }
    }
  }
  std::string result = origin + target + std::string(parts.fragment);
  // Last, for a secret behind escapes where the parts above do not decode (the host, the
  // fragment, a target that is not one).
  secrets.redact(result);
  return result;
}

// Compact JSON of `root` with secret members' values replaced by "[REDACTED]" and the known
// secrets replaced inside every decoded string and key (where an escape could hide them);
// `changed` says whether anything was. Iterative: the depth is the decoder's limit, not the
// call stack's.
std::string redacted_json(const json_value& root, const secret_redactor& secrets, bool& changed) {
  std::string out;
  std::vector<std::pair<const json_value*, std::size_t>> open;  // container, next child
  const auto text = [&](std::string_view s) {
    std::string copy(s);
    changed |= secrets.redact(copy);
    append_json_string(out, copy);
  };
  const auto value = [&](const json_value& v) {
    switch (v.type()) {
      case json_type::null_value:
        out += "null";
        break;
      case json_type::boolean:
        out += v.as_bool() ? "true" : "false";
        break;
      case json_type::number:
        out += v.number_text();
        break;
      case json_type::string:
        text(v.as_string());
        break;
      case json_type::array:
        out += '[';
        open.emplace_back(&v, 0);
        break;
      case json_type::object:
        out += '{';
        open.emplace_back(&v, 0);
        break;
    }
  };
  value(root);
  while (!open.empty()) {
    const json_value& container = *open.back().first;
    std::size_t& next = open.back().second;
    if (next == container.size()) {
      out += container.is_object() ? '}' : ']';
      open.pop_back();
      continue;
    }
    if (next > 0) out += ',';
    const json_value& child = container[next++];  // `next` dangles once value() pushes
    if (container.is_object()) {
      text(child.key());
      out += ':';
      if (is_secret_field(child.key())) {
        append_json_string(out, k_redacted);
        changed = true;
        continue;
      }
    }
    value(child);
  }
  return out;
}

// A body that is JSON gets its secret members redacted; it is rewritten (compactly) only when
// something was, so recordings keep the server's bytes otherwise.
void redact_json_body(std::string& body, const secret_redactor& secrets) {
  const decode_result decoded = decode_json(body, k_body_limits);
  if (!decoded.document) return;  // not JSON: only the `secrets` replacement applies
  bool changed = false;
  std::string out = redacted_json(decoded.document->root(), secrets, changed);
  if (changed) body = std::move(out);
}

// ---- rendering ----

void append_pairs(std::string& out, const std::vector<std::pair<std::string, std::string>>& pairs) {
  out += '[';
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    out += i ? ",{\"name\":" : "{\"name\":";
    append_text(out, pairs[i].first);
    out += ",\"value\":";
    append_text(out, pairs[i].second);
    out += '}';
  }
  out += ']';
}

// ,"text":... of postData or content: as is when valid UTF-8, else base64.
void append_body_text(std::string& out, std::string_view body) {
  out += ",\"text\":";
  if (is_valid_utf8(body)) {
    append_json_string(out, body);
  } else {
    append_json_string(out, base64_encode(body));
    out += ",\"encoding\":\"base64\"";
  }
}

void append_entry(std::string& out, const har_entry& e) {
  const std::optional<request_target> target = decode_target(split_url(e.url).target);
  out += "{\"startedDateTime\":";
  append_json_string(out, format_iso8601(e.started));
  out += ",\"time\":";
  append_milliseconds(out, e.time_ms);
  out += ",\"request\":{\"method\":";
  append_text(out, e.method);
  out += ",\"url\":";
  append_text(out, e.url);
  // Cookies stay in their (redacted) headers: the cookies arrays would repeat them.
  out += ",\"httpVersion\":\"HTTP/1.1\",\"cookies\":[],\"headers\":";
  append_pairs(out, e.request_headers);
  out += ",\"queryString\":";
  append_pairs(out, target ? target->query : header_list{});
  // A postData with a mime type but no recorded text (browsers write those) keeps its type.
  if (e.request_body || !e.request_mime_type.empty()) {
    out += ",\"postData\":{\"mimeType\":";
    append_text(out, e.request_mime_type);
    if (e.request_body) append_body_text(out, *e.request_body);
    out += '}';
  }
  out += ",\"headersSize\":-1,\"bodySize\":";
  out += std::to_string(e.request_body ? e.request_body->size() : 0);
  out += "},\"response\":{\"status\":";
  out += std::to_string(e.status);
  out += ",\"statusText\":";
  append_text(out, e.status_text);
  out += ",\"httpVersion\":\"HTTP/1.1\",\"cookies\":[],\"headers\":";
  append_pairs(out, e.response_headers);
  out += ",\"content\":{\"size\":";
  out += std::to_string(e.response_body.size());
  out += ",\"mimeType\":";
  append_text(out, e.response_mime_type);
  if (e.response_body_recorded) append_body_text(out, e.response_body);
  out += "},\"redirectURL\":";
  append_text(out, find_header(e.response_headers, "Location").value_or(""));
  out += ",\"headersSize\":-1,\"bodySize\":";
  out += std::to_string(e.response_body.size());
  if (!e.error.empty()) {
    out += ",\"_error\":";
    append_text(out, e.error);
  }
  // One measured duration: all of it is waiting, so time is the sum of the timings.
  out +=
      "},\"cache\":{},\"timings\":{\"blocked\":-1,\"dns\":-1,\"connect\":-1,\"send\":0,\"wait\":";
  append_milliseconds(out, e.time_ms);
  out += ",\"receive\":0,\"ssl\":-1}}";
}

// ---- reading ----

// The last member named `key` (JSON.parse and Python's json, which write and read most HAR,
// keep the last of duplicates), or nullptr; also nullptr when `v` is absent or no object.
const json_value* member(const json_value* v, std::string_view key) {
  if (v == nullptr || !v->is_object()) return nullptr;
  const json_value* found = nullptr;
  for (const json_value& m : *v) {
    if (m.key() == key) found = &m;
  }
  return found;
}

const json_value* typed_member(const json_value* v, std::string_view key, json_type type) {
  const json_value* m = member(v, key);
  return m != nullptr && m->type() == type ? m : nullptr;
}

std::string_view string_member(const json_value* v, std::string_view key) {
  const json_value* m = typed_member(v, key, json_type::string);
  return m ? m->as_string() : std::string_view{};
}

// HAR headers ([{name, value}]); items without a string name carry nothing and are skipped.
header_list read_headers(const json_value* array) {
  header_list out;
  if (array == nullptr || !array->is_array()) return out;
  out.reserve(array->size());
  for (const json_value& h : *array) {
    if (const json_value* name = typed_member(&h, "name", json_type::string)) {
      out.emplace_back(name->as_string(), string_member(&h, "value"));
    }
  }
  return out;
}

// The text of a postData or content object (`where`), base64-decoded when its encoding says
// so, in `body` (nullopt when it has no text). Returns an error when it cannot be decoded.
std::optional<std::string> read_body(const json_value& holder, std::string_view where,
                                     std::optional<std::string>& body) {
  const json_value* text = typed_member(&holder, "text", json_type::string);
  if (text == nullptr) return std::nullopt;
  const std::string_view encoding = string_member(&holder, "encoding");
  if (encoding.empty()) {
    body.emplace(text->as_string());
  } else if (lowercase(encoding) == "base64") {
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
  const json_value* request = typed_member(&e, "request", json_type::object);
  if (request == nullptr) return "no request object";
  const json_value* method = typed_member(request, "method", json_type::string);
  if (method == nullptr) return "request.method is not a string";
  const json_value* url = typed_member(request, "url", json_type::string);
  if (url == nullptr) return "request.url is not a string";
  out.method = method->as_string();
  out.url = url->as_string();
  // Optional from here on: what a producer left out stays at its default.
  if (auto started = parse_iso8601(string_member(&e, "startedDateTime"))) out.started = *started;
  if (const json_value* time = typed_member(&e, "time", json_type::number)) {
    out.time_ms = time->as_double();
  }
  out.request_headers = read_headers(member(request, "headers"));
  if (const json_value* post = typed_member(request, "postData", json_type::object)) {
    out.request_mime_type = string_member(post, "mimeType");
    if (auto error = read_body(*post, "request.postData", out.request_body)) return error;
  }
  const json_value* response = typed_member(&e, "response", json_type::object);
  const json_value* status = typed_member(response, "status", json_type::number);
  if (status != nullptr && status->fits_int64() && status->as_int64() >= 0 &&
      status->as_int64() <= 999) {
    out.status = static_cast<int>(status->as_int64());
  }
  out.status_text = string_member(response, "statusText");
  out.response_headers = read_headers(member(response, "headers"));
  out.error = string_member(response, "_error");
  const json_value* content = typed_member(response, "content", json_type::object);
  out.response_mime_type = string_member(content, "mimeType");
  std::optional<std::string> body;
  if (content != nullptr) {
    if (auto error = read_body(*content, "response.content", body)) return error;
  }
  out.response_body_recorded = body.has_value();
  out.response_body = std::move(body).value_or("");
  return std::nullopt;
}

}  // namespace

bool is_secret_header(std::string_view name) {
  const std::string n = lowercase(name);
  // Not secret-looking, but they tie a recording to an organization.
  if (n == "openai-organization" || n == "openai-project") return true;
  // Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Auth-Token, X-Client-Secret, ...
  for (const std::string_view part : {"auth", "token", "secret", "password", "passwd", "cookie"}) {
    if (n.find(part) != std::string::npos) return true;
  }
  // "key" ending a word: Api-Key, X-Api-Key, X-Goog-Apikey (not "Keep-Alive" or "Keyword").
  for (std::size_t pos = n.find("key"); pos != std::string::npos; pos = n.find("key", pos + 1)) {
    const std::size_t after = pos + 3;
    if (after == n.size() || n[after] == '-' || n[after] == '_') return true;
  }
  return false;
}

bool is_secret_field(std::string_view name) {
  // "api_key", "apiKey" and "API-KEY" alike: lowercase, without '-' and '_'; then the name
  // ends with a secret word ("private_key", "access_token", "client_secret").
  std::string n = lowercase(name);
  std::erase_if(n, [](char c) { return c == '-' || c == '_'; });
  for (const std::string_view word : {"key", "token", "secret", "password", "passwd", "passphrase",
                                      "auth", "authorization", "credential", "credentials"}) {
    if (n.ends_with(word)) return true;
  }
  return false;
}

har_entry redacted(const har_entry& entry, const std::vector<std::string>& secrets) {
  const secret_redactor list(secrets);
  har_entry out = entry;
  out.url = redact_url(out.url, list);
  for (header_list* headers : {&out.request_headers, &out.response_headers}) {
    for (auto& [name, value] : *headers) {
      if (is_secret_header(name)) value = k_redacted;
    }
  }
  if (out.request_body) redact_json_body(*out.request_body, list);
  redact_json_body(out.response_body, list);
  // Last, the known secrets' values wherever they are (an error message quoting a URL, ...).
  for (std::string* s : {&out.method, &out.url, &out.request_mime_type, &out.status_text,
                         &out.response_body, &out.response_mime_type, &out.error}) {
    list.redact(*s);
  }
  if (out.request_body) list.redact(*out.request_body);
  for (header_list* headers : {&out.request_headers, &out.response_headers}) {
    for (auto& [name, value] : *headers) {
      list.redact(name);
      list.redact(value);
    }
  }
  return out;
}

std::string render_har_header() {
  std::string out =
      "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"certharness\",\"version\":";
  append_json_string(out, k_creator_version);
  out += "},\"pages\":[],\"entries\":[";
  return out;
}

std::string render_har_entry(const har_entry& entry, std::size_t index) {
  std::string out = index ? ",\n" : "\n";  // an entry per line keeps big archives greppable
  append_entry(out, entry);
  return out;
}

std::string render_har_footer() { return "\n]}}\n"; }

std::string render_har(const std::vector<har_entry>& entries) {
  std::string out = render_har_header();
  for (std::size_t i = 0; i < entries.size(); ++i) out += render_har_entry(entries[i], i);
  return out + render_har_footer();
}

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
  const json_value* entries =
      typed_member(member(&decoded.document->root(), "log"), "entries", json_type::array);
  if (entries == nullptr) return failure("not a HAR archive: no log.entries array");

  // Grown, not sized from the count: a hostile array of a billion junk items fails at its first.
  std::vector<har_entry> out;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    if (auto error = read_entry((*entries)[i], out.emplace_back())) {
      return failure("entry " + std::to_string(i) + ": " + *error);
    }
  }
  return out;
}

}  // namespace certharness
