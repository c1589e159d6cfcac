#include "certharness/http/http_server_framing.hpp"

#include "certharness/io/ascii_text.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace certharness {
namespace {

constexpr std::string_view k_crlf = "\r\n";

// field-value characters: VCHAR, obs-text, SP, HTAB (RFC 9110 section 5.5); no NUL, CR, LF, DEL.
bool is_field_char(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

bool is_ows(char c) { return c == ' ' || c == '\t'; }

// The comma-separated elements of a list-valued field (RFC 9110 section 5.6.1); empty ones
// are dropped, as recipients must.
std::vector<std::string_view> list_elements(std::string_view value) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t comma = value.find(',');
    const std::string_view element = trim_blanks(value.substr(0, comma));
    if (!element.empty()) out.push_back(element);
    if (comma == std::string_view::npos) return out;
    value.remove_prefix(comma + 1);
  }
}

std::size_t leading_empty_lines(std::string_view s) {
  std::size_t i = 0;
  while (s.substr(i, 2) == k_crlf) i += 2;
  return i;
}

// "name: value" per RFC 9112 section 5: no whitespace before the colon, no obs-fold.
std::optional<std::string> parse_field_line(std::string_view line, header_list& into) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return "a header line without a colon";
  const std::string_view name = line.substr(0, colon);
  if (name.empty()) return "a header line with an empty name";
  if (!is_http_token(name)) {
    return is_ows(name.front()) ? "a folded header line (obs-fold)"
                                : "a header name with characters outside a token";
  }
  const std::string_view raw_value = line.substr(colon + 1);
  for (char c : raw_value) {
    if (!is_field_char(static_cast<unsigned char>(c))) {
      return "header " + std::string(name) + " holds a control character";
    }
  }
  into.emplace_back(std::string(name), std::string(trim_blanks(raw_value)));
  return std::nullopt;
}

std::vector<std::string_view> values_of(const header_list& headers, std::string_view name) {
  std::vector<std::string_view> out;
  for (const auto& [key, value] : headers) {
    if (ascii_iequals(key, name)) out.push_back(value);
  }
  return out;
}

bool is_known_method(std::string_view m) {
  static constexpr std::array<std::string_view, 9> known = {
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  return std::find(known.begin(), known.end(), m) != known.end();
}

failure<head_error> error(int status, std::string message) {
  return failure(head_error{status, std::move(message)});
}

// Decides the body's framing (RFC 9112 section 6) from the parsed fields.
result<void, head_error> read_framing(request_head& h, std::uint64_t max_body) {
  const std::vector<std::string_view> lengths = values_of(h.headers, "Content-Length");
  const std::vector<std::string_view> codings = values_of(h.headers, "Transfer-Encoding");
  if (!codings.empty()) {
    if (!lengths.empty()) return error(400, "both Transfer-Encoding and Content-Length");
    if (h.minor_version == 0) return error(400, "Transfer-Encoding in an HTTP/1.0 request");
    std::vector<std::string_view> all;
    for (std::string_view v : codings) {
      for (std::string_view e : list_elements(v)) all.push_back(e);
    }
    if (all.empty() || !ascii_iequals(all.back(), "chunked")) {
      return error(400, "Transfer-Encoding does not end in chunked");
    }
    if (all.size() > 1) return error(501, "only the chunked transfer coding is implemented");
    h.framing = body_framing::chunked;
    return {};
  }
  if (lengths.empty()) return {};
  if (lengths.size() > 1) return error(400, "more than one Content-Length");
  const std::string_view v = lengths.front();
  if (v.empty() || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return error(400, "Content-Length is not a plain decimal number");
  }
  std::uint64_t n = 0;
  for (char c : v) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (n > max_body / 10 || n * 10 + digit > max_body) {
      return error(413, "request body larger than " + std::to_string(max_body) + " bytes");
    }
    n = n * 10 + digit;
  }
  h.framing = n == 0 ? body_framing::none : body_framing::content_length;
  h.content_length = n;
  return {};
}

}  // namespace

std::optional<std::size_t> find_request_head_end(std::string_view buffered) {
  const std::size_t start = leading_empty_lines(buffered);
  const std::size_t end = buffered.find("\r\n\r\n", start);
  if (end == std::string_view::npos) return std::nullopt;
  return end + 4;
}

result<request_head, head_error> parse_request_head(std::string_view head, std::uint64_t max_body) {
  head.remove_prefix(leading_empty_lines(head));
  if (head.size() < 4 || head.substr(head.size() - 4) != "\r\n\r\n") {
    return error(400, "the request head does not end with an empty line");
  }
  head.remove_suffix(2);  // every line, the last field line included, now ends in CRLF
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    const std::size_t eol = head.find(k_crlf);
    const std::string_view line = head.substr(0, eol);
    if (line.find('\n') != std::string_view::npos || line.find('\r') != std::string_view::npos) {
      return error(400, "a bare CR or LF in the request head");
    }
    lines.push_back(line);
    head.remove_prefix(eol + 2);
  }

  request_head h;
  // request-line = method SP request-target SP HTTP-version
  const std::string_view request_line = lines.front();
  const std::size_t sp1 = request_line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : request_line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || request_line.find(' ', sp2 + 1) != std::string_view::npos) {
    return error(400, "the request line is not METHOD TARGET VERSION");
  }
  const std::string_view method = request_line.substr(0, sp1);
  const std::string_view target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = request_line.substr(sp2 + 1);
  if (!is_http_token(method)) return error(400, "the method is not a token");
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || !digit(version[5]) ||
      version[6] != '.' || !digit(version[7])) {
    return error(400, "malformed HTTP version");
  }
  if (version[5] != '1') return error(505, "only HTTP/1.x is served");
  h.minor_version = version[7] - '0';
  if (target.empty() || target.front() != '/' ||
      !std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return error(400, "the request target is not an origin-form path");
  }
  h.method = std::string(method);
  h.target = std::string(target);

  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (std::optional<std::string> why = parse_field_line(lines[i], h.headers)) {
      return error(400, std::move(*why));
    }
  }
  const std::vector<std::string_view> hosts = values_of(h.headers, "Host");
  if (hosts.size() > 1) return error(400, "more than one Host header");
  if (hosts.empty() && h.minor_version >= 1) return error(400, "an HTTP/1.1 request without Host");
  if (result<void, head_error> framed = read_framing(h, max_body); !framed) {
    return failure(std::move(framed).error());
  }

  // HTTP/1.0's keep-alive extension is not offered: a 1.0 connection ends after one answer.
  h.keep_alive = h.minor_version >= 1;
  for (std::string_view v : values_of(h.headers, "Connection")) {
    for (std::string_view option : list_elements(v)) {
      if (ascii_iequals(option, "close")) h.keep_alive = false;
    }
  }
  for (std::string_view v : values_of(h.headers, "Expect")) {
    if (!ascii_iequals(v, "100-continue")) return error(417, "only Expect: 100-continue is met");
    h.expect_continue = h.minor_version >= 1;
  }
  // Last: a well-formed request with a method the fake has never heard of.
  if (!is_known_method(h.method)) return error(501, "method " + h.method + " is not implemented");
  return h;
}

chunked_body decode_chunked_body(std::string_view data, std::uint64_t max_body) {
  chunked_body out;
  const auto invalid = [&](std::string message) {
    chunked_body bad;
    bad.status = chunked_body::state::invalid;
    bad.message = std::move(message);
    return bad;
  };
  std::string body;
  std::size_t at = 0;
  for (;;) {
    // chunk-size [ chunk-ext ] CRLF
    const std::size_t eol = data.find(k_crlf, at);
    if (eol == std::string_view::npos) return out;  // incomplete
    const std::string_view line = data.substr(at, eol - at);
    std::size_t digits = 0;
    std::uint64_t size = 0;
    for (; digits < line.size(); ++digits) {
      const int v = hex_digit_value(static_cast<unsigned char>(line[digits]));
      if (v < 0) break;
      size = size * 16 + static_cast<std::uint64_t>(v);
      if (size > max_body - body.size()) {  // checked per digit, so size * 16 cannot wrap
        out.status = chunked_body::state::too_large;
        return out;
      }
    }
    if (digits == 0) return invalid("a chunk size is not hexadecimal");
    const std::string_view ext = line.substr(digits);
    if (!ext.empty() && (trim_blanks(ext).empty() || trim_blanks(ext).front() != ';')) {
      return invalid("junk after a chunk size");
    }
    if (!std::all_of(ext.begin(), ext.end(),
                     [](char c) { return is_field_char(static_cast<unsigned char>(c)); })) {
      return invalid("a control character in a chunk extension");
    }
    at = eol + 2;
    if (size == 0) break;
    if (data.size() - at < size + 2) return out;  // incomplete
    body.append(data.substr(at, size));
    if (data.substr(at + size, 2) != k_crlf) return invalid("chunk data not followed by CRLF");
    at += size + 2;
  }
  // trailer-section CRLF: field lines are checked, then dropped.
  header_list trailers;
  for (;;) {
    const std::size_t eol = data.find(k_crlf, at);
    if (eol == std::string_view::npos) return out;  // incomplete
    const std::string_view line = data.substr(at, eol - at);
    at = eol + 2;
    if (line.empty()) break;
    if (line.find('\n') != std::string_view::npos || line.find('\r') != std::string_view::npos) {
      return invalid("a bare CR or LF in a trailer");
    }
    if (std::optional<std::string> why = parse_field_line(line, trailers)) return invalid(*why);
  }
  out.status = chunked_body::state::complete;
  out.body = std::move(body);
  out.consumed = at;
  return out;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 417:
      return "Expectation Failed";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Status";
  }
}

std::string write_response_head(int status, const header_list& headers,
                                std::uint64_t content_length, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " ";
  out += reason_phrase(status);
  out += k_crlf;
  for (const auto& [name, value] : headers) {
    out += name;
    out += ": ";
    out += value;
    out += k_crlf;
  }
  out += "Content-Length: " + std::to_string(content_length) + "\r\n";
  if (!keep_alive) out += "Connection: close\r\n";
  out += k_crlf;
  return out;
}

}  // namespace certharness
