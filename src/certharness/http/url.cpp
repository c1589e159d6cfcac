#include "certharness/http/url.hpp"

#include <curl/curl.h>

#include <memory>
#include <new>

#include "certharness/http/http_client.hpp"  // percent_encode

namespace certharness {
namespace {

struct url_deleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct curl_string_deleter {
  void operator()(char* text) const { curl_free(text); }
};

// One part, or nullopt when the URL has none (curl's CURLUE_NO_* codes).
std::optional<std::string> part(CURLU* url, CURLUPart which) {
  char* text = nullptr;
  const CURLUcode rc = curl_url_get(url, which, &text, 0);
  const std::unique_ptr<char, curl_string_deleter> owned{text};
  if (rc == CURLUE_OUT_OF_MEMORY) throw std::bad_alloc();
  if (rc != CURLUE_OK || text == nullptr) return std::nullopt;
  return std::string(text);
}

bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
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

}  // namespace

std::optional<url_parts> parse_url(std::string_view text, std::string* why) {
  if (text.find('\0') != std::string_view::npos) {
    if (why) *why = "it holds a NUL byte";
    return std::nullopt;
  }
  const std::unique_ptr<CURLU, url_deleter> url{curl_url()};
  if (url == nullptr) throw std::bad_alloc();
  // The flags http_client's transfers parse with (CURLOPT_PATH_AS_IS), so both read the same.
  const CURLUcode rc = curl_url_set(url.get(), CURLUPART_URL, std::string(text).c_str(),
                                    CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS);
  if (rc == CURLUE_OUT_OF_MEMORY) throw std::bad_alloc();
  if (rc != CURLUE_OK) {
    if (why) *why = curl_url_strerror(rc);
    return std::nullopt;
  }
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
  std::string why;
  const std::optional<url_parts> p = parse_url(text, &why);
  if (!p) {
    out.problem = name + " " + shown(text) + " is not a URL libcurl accepts: " + why;
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

void append_query(std::string& target, std::string_view name, std::string_view value) {
  target += target.find('?') == std::string::npos ? '?' : '&';
  target += percent_encode(name);
  target += '=';
  target += percent_encode(value);
}

}  // namespace certharness
