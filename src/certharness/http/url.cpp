#include "certharness/http/url.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <new>

#include "certharness/io/ascii_text.hpp"

namespace certharness {
namespace {

struct url_deleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct curl_string_deleter {
  void operator()(char* text) const { curl_free(text); }
};

// One part, or nullopt when the URL has none (curl's CURLUE_NO_* codes).
std::optional<std::string> part(CURLU* url, CURLUPart which, unsigned flags = 0) {
  char* text = nullptr;
  const CURLUcode rc = curl_url_get(url, which, &text, flags);
  const std::unique_ptr<char, curl_string_deleter> owned{text};
  if (rc == CURLUE_OUT_OF_MEMORY) throw std::bad_alloc();
  if (rc != CURLUE_OK || text == nullptr) return std::nullopt;
  return std::string(text);
}

// "127.0.0.1": four decimal octets 0..255 without leading zeros, the first 127.
bool is_loopback_ipv4(std::string_view host) {
  int octets = 0;
  for (std::size_t at = 0;; ++octets) {
    const std::size_t dot = host.find('.', at);
    const std::string_view digits = host.substr(at, dot == std::string_view::npos ? dot : dot - at);
    if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0'))
      return false;
    int value = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255 || (octets == 0 && value != 127)) return false;
    if (dot == std::string_view::npos) return octets == 3;
    at = dot + 1;
  }
}

// A URL with userinfo is shown by its host only: the userinfo may be a credential.
std::string shown(std::string_view text) {
  return text.find('@') == std::string_view::npos ? "\"" + std::string(text) + "\""
                                                  : "(not shown: it has an '@')";
}

// A curl URL handle holding `text`, or nullptr (with `rc`) when curl refuses it.
std::unique_ptr<CURLU, url_deleter> curl_parse(std::string_view text, unsigned flags,
                                               CURLUcode& rc) {
  std::unique_ptr<CURLU, url_deleter> url{curl_url()};
  if (url == nullptr) throw std::bad_alloc();
  rc = curl_url_set(url.get(), CURLUPART_URL, std::string(text).c_str(), flags);
  if (rc == CURLUE_OUT_OF_MEMORY) throw std::bad_alloc();
  if (rc != CURLUE_OK) url.reset();
  return url;
}

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

result<std::string> http_url(std::string_view host, int port, std::string_view path) {
  std::unique_ptr<CURLU, url_deleter> url{curl_url()};
  if (url == nullptr) throw std::bad_alloc();
  const std::string bracketed =
      host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]" : std::string(host);
  const std::string port_text = std::to_string(port);
  const std::string path_text(path.empty() ? "/" : path);
  for (const auto& [which, value] :
       {std::pair{CURLUPART_SCHEME, std::string("http")}, std::pair{CURLUPART_HOST, bracketed},
        std::pair{CURLUPART_PORT, port_text}, std::pair{CURLUPART_PATH, path_text}}) {
    const CURLUcode rc = curl_url_set(url.get(), which, value.c_str(), 0);
    if (rc == CURLUE_OUT_OF_MEMORY) throw std::bad_alloc();
    if (rc != CURLUE_OK) return failure(std::string(curl_url_strerror(rc)));
  }
  std::optional<std::string> whole = part(url.get(), CURLUPART_URL);
  if (!whole) return failure("curl cannot write the URL back");
  // curl writes an empty path as "/"; a base URL with no path has no trailing '/'.
  if (path.empty() && whole->ends_with('/')) whole->pop_back();
  return std::move(*whole);
}

result<url_parts> parse_url(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return failure("it holds a NUL byte");
  CURLUcode rc = CURLUE_OK;
  // The flags http_client's transfers parse with (CURLOPT_PATH_AS_IS), so both read the same.
  const auto url = curl_parse(text, CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS, rc);
  if (url == nullptr) return failure(std::string(curl_url_strerror(rc)));
  url_parts p;
  p.scheme = part(url.get(), CURLUPART_SCHEME).value_or("");
  p.host = part(url.get(), CURLUPART_HOST).value_or("");
  p.zone_id = part(url.get(), CURLUPART_ZONEID).value_or("");
  p.port = part(url.get(), CURLUPART_PORT).value_or("");
  p.path = part(url.get(), CURLUPART_PATH).value_or("/");
  const std::optional<std::string> query = part(url.get(), CURLUPART_QUERY);
  const std::optional<std::string> fragment = part(url.get(), CURLUPART_FRAGMENT);
  p.has_query = query.has_value();
  p.query = query.value_or("");
  p.has_fragment = fragment.has_value();
  p.fragment = fragment.value_or("");
  p.has_userinfo = part(url.get(), CURLUPART_USER) || part(url.get(), CURLUPART_PASSWORD) ||
                   part(url.get(), CURLUPART_OPTIONS);
  p.url = part(url.get(), CURLUPART_URL).value_or("");
  return p;
}

bool is_loopback_host(std::string_view host) {
  return ascii_iequals(host, "localhost") || host == "[::1]" || is_loopback_ipv4(host);
}

base_url_check check_base_url(std::string_view text, std::string_view option) {
  const std::string name(option);
  base_url_check out;
  const result<url_parts> p = parse_url(text);
  if (!p) {
    out.problem = name + " " + shown(text) + " is not a URL libcurl accepts: " + p.error();
    return out;
  }
  if (p->scheme != "http" && p->scheme != "https") {
    out.problem = name + " must be an http or https URL, got " + shown(text);
    return out;
  }
  if (p->host.empty()) {
    out.problem = name + " has no host: " + shown(text);
    return out;
  }
  // "http://127.0.0.1@evil.example/" goes to evil.example: say so, and never echo the userinfo.
  if (p->has_userinfo) {
    out.problem = name + " must not have userinfo (\"user@\" or \"user:password@\"); its host is " +
                  p->host + ", the part after the '@'";
    return out;
  }
  if (p->has_query || p->has_fragment) {
    out.problem = name + " must not have a query or fragment: request paths are appended to it";
    return out;
  }
  if (p->scheme == "http" && (!is_loopback_host(p->host) || !p->zone_id.empty())) {
    const std::string where = p->zone_id.empty() ? p->host : p->host + " (zone " + p->zone_id + ")";
    out.problem = "refusing to send the admin key over plain http to " + where +
                  " (only 127.0.0.0/8, [::1] and localhost may use http; see README, crawl)";
    return out;
  }
  out.url = p->url;
  while (!out.url.empty() && out.url.back() == '/') out.url.pop_back();
  return out;
}

std::string endpoint_of(std::string_view url) {
  CURLUcode rc = CURLUE_OK;
  // Cut at a NUL as the transport's c_str() is.
  const auto parsed = curl_parse(url.substr(0, url.find('\0')), CURLU_GUESS_SCHEME, rc);
  const std::optional<std::string> host =
      parsed ? part(parsed.get(), CURLUPART_HOST) : std::nullopt;
  if (!host) return "invalid URL";
  const std::optional<std::string> port = part(parsed.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  return port ? *host + ":" + *port : *host;
}

// ---- building ----

std::string percent_encode(std::string_view component) {
  // "." and ".." as a whole segment are dot segments: escaped, they are an id like any other.
  if (component == ".") return "%2E";
  if (component == "..") return "%2E%2E";
  std::string out;
  out.reserve(component.size());
  for (const char c : component) {
    if (is_unreserved(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += hex_digit(byte >> 4, true);
      out += hex_digit(byte, true);
    }
  }
  return out;
}

void append_query(std::string& target, std::string_view name, std::string_view value) {
  target += target.find('?') == std::string::npos ? '?' : '&';
  target += percent_encode(name);
  target += '=';
  target += percent_encode(value);
}

// ---- reading request targets ----

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      const int hi =
          i + 2 < text.size() ? hex_digit_value(static_cast<unsigned char>(text[i + 1])) : -1;
      const int lo =
          i + 2 < text.size() ? hex_digit_value(static_cast<unsigned char>(text[i + 2])) : -1;
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (plus_is_space && text[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::optional<std::vector<std::string>> path_segments(std::string_view raw_path) {
  if (raw_path.empty() || raw_path.front() != '/') return std::nullopt;
  std::vector<std::string> segments;
  for (std::string_view rest = raw_path.substr(1);;) {
    const std::size_t slash = rest.find('/');
    std::optional<std::string> segment = percent_decode(rest.substr(0, slash));
    if (!segment) return std::nullopt;
    segments.push_back(std::move(*segment));
    if (slash == std::string_view::npos) return segments;
    rest.remove_prefix(slash + 1);
  }
}

std::string_view raw_path_of(std::string_view target) noexcept {
  return target.substr(0, target.find('?'));
}

std::optional<request_target> parse_request_target(std::string_view target) {
  const std::string_view raw_path = raw_path_of(target);
  if (raw_path.empty() || raw_path.front() != '/') return std::nullopt;
  request_target out;
  std::optional<std::string> path = percent_decode(raw_path);
  if (!path) return std::nullopt;
  out.raw_path = raw_path;
  out.path = std::move(*path);
  if (raw_path.size() == target.size()) return out;
  std::string_view query = target.substr(raw_path.size() + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    std::optional<std::string> key = percent_decode(pair.substr(0, eq), true);
    std::optional<std::string> value = percent_decode(
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!key || !value) return std::nullopt;
    out.query.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

// ---- URLs as written ----

url_text_parts split_url_text(std::string_view url) {
  url_text_parts p;
  if (const std::size_t hash = url.find('#'); hash != std::string_view::npos) {
    p.fragment = url.substr(hash + 1);
    url = url.substr(0, hash);
  }
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    p.target = url;
    return p;
  }
  p.has_authority = true;
  p.scheme = url.substr(0, scheme_end);
  const std::string_view rest = url.substr(scheme_end + 3);
  const std::size_t target_begin = std::min(rest.find_first_of("/?"), rest.size());
  std::string_view authority = rest.substr(0, target_begin);
  p.target = rest.substr(target_begin);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    p.userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
  }
  p.host_port = authority;
  return p;
}

std::optional<request_target> parse_url_target(std::string_view url) {
  const std::string_view target = split_url_text(url).target;
  // parse_request_target wants an absolute path; "https://h?q" has none.
  if (target.empty() || target.front() == '?')
    return parse_request_target("/" + std::string(target));
  return parse_request_target(target);
}

}  // namespace certharness
