// Rendering HAR 1.2 archives, whole or entry by entry (har.hpp).
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "certharness/har/har.hpp"
#include "certharness/http/url.hpp"
#include "certharness/json/json_writer.hpp"
#include "certharness/json/utf8.hpp"
#include "certharness/version.hpp"

namespace certharness {

namespace {

// ---- text: base64, numbers, dates ----

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

// HAR times are never negative (JSON has no NaN or infinity either): those are written as 0.
double milliseconds(double ms) { return ms >= 0 && std::isfinite(ms) ? ms : 0; }

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

// HAR is UTF-8 only: the writer makes a byte that is not part of valid UTF-8 (a raw header
// value, a percent-decoded query) U+FFFD. Bodies that are not UTF-8 are written as base64.

void write_pairs(json_writer& w, const header_list& pairs) {
  w.begin_array();
  for (const auto& [name, value] : pairs) {
    w.begin_object().key("name").string(name).key("value").string(value).end_object();
  }
  w.end_array();
}

// "text" (and "encoding") of postData or content: as is when valid UTF-8, else base64.
void write_body_text(json_writer& w, std::string_view body) {
  w.key("text");
  if (is_valid_utf8(body)) {
    w.string(body);
  } else {
    w.string(base64_encode(body)).key("encoding").string("base64");
  }
}

void write_entry(json_writer& w, const har_entry& e) {
  const std::optional<request_target> target = parse_url_target(e.url);
  w.begin_object();
  w.key("startedDateTime").string(format_iso8601(e.started));
  w.key("time").number(milliseconds(e.time_ms));
  w.key("request").begin_object();
  w.key("method").string(e.method).key("url").string(e.url);
  // Cookies stay in their (redacted) headers: the cookies arrays would repeat them.
  w.key("httpVersion").string("HTTP/1.1").key("cookies").begin_array().end_array();
  write_pairs(w.key("headers"), e.request_headers);
  write_pairs(w.key("queryString"), target ? target->query : header_list{});
  // A postData with a mime type but no recorded text (browsers write those) keeps its type.
  if (e.request_body || !e.request_mime_type.empty()) {
    w.key("postData").begin_object().key("mimeType").string(e.request_mime_type);
    if (e.request_body) write_body_text(w, *e.request_body);
    w.end_object();
  }
  w.key("headersSize").number(-1);
  w.key("bodySize").number(e.request_body ? e.request_body->size() : 0);
  w.end_object();
  w.key("response").begin_object();
  w.key("status").number(e.status).key("statusText").string(e.status_text);
  w.key("httpVersion").string("HTTP/1.1").key("cookies").begin_array().end_array();
  write_pairs(w.key("headers"), e.response_headers);
  w.key("content").begin_object();
  w.key("size").number(e.response_body.size()).key("mimeType").string(e.response_mime_type);
  if (e.response_body_recorded) write_body_text(w, e.response_body);
  w.end_object();
  w.key("redirectURL").string(find_header(e.response_headers, "Location").value_or(""));
  w.key("headersSize").number(-1).key("bodySize").number(e.response_body.size());
  if (!e.error.empty()) w.key("_error").string(e.error);
  w.end_object();
  w.key("cache").begin_object().end_object();
  // One measured duration: all of it is waiting, so time is the sum of the timings.
  w.key("timings").begin_object();
  w.key("blocked").number(-1).key("dns").number(-1).key("connect").number(-1);
  w.key("send").number(0).key("wait").number(milliseconds(e.time_ms));
  w.key("receive").number(0).key("ssl").number(-1);
  w.end_object();
  w.end_object();
}

}  // namespace

// The archive's opening, left open at its entries array; render_har_footer() closes it.
std::string render_har_header() {
  std::string out;
  json_writer w(out);
  w.begin_object().key("log").begin_object().key("version").string("1.2");
  w.key("creator").begin_object();
  w.key("name")
      .string("certharness")
      .key("version")
      .string(k_version);  // as `certharness --version`
  w.end_object();
  w.key("pages").begin_array().end_array();
  w.key("entries").begin_array();
  return out;
}

std::string render_har_entry(const har_entry& entry, std::size_t index) {
  std::string out = index ? ",\n" : "\n";  // an entry per line keeps big archives greppable
  json_writer w(out);
  write_entry(w, entry);
  return out;
}

std::string render_har_footer() { return "\n]}}\n"; }

std::string render_har(const std::vector<har_entry>& entries) {
  std::string out = render_har_header();
  for (std::size_t i = 0; i < entries.size(); ++i) out += render_har_entry(entries[i], i);
  return out + render_har_footer();
}

}  // namespace certharness
