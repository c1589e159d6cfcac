// Rendering HAR 1.2 archives, whole or entry by entry (har.hpp).
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "certharness/har/har.hpp"
#include "certharness/json/json_document.hpp"
#include "har_shared.hpp"

namespace certharness {

namespace {

using har_detail::decode_target;
using har_detail::split_url;

// Same as `certharness --version`.
constexpr std::string_view k_creator_version = "0.1.0";

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
}  // namespace

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

}  // namespace certharness
