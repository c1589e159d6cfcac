// URLs as libcurl reads them: one parser (curl_url()) for every place that must agree with the
// transport on where a request goes, and the gate that decides where the admin key may be sent.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certharness {

// The parts of a URL as curl_url() reports them (the same parser curl_easy_perform uses, with
// the flags http_client sets), so a check on them is a check on what libcurl connects to.
struct url_parts {
  std::string scheme;    // lowercase: "http"
  std::string host;      // IPv4 normalised ("127.1" -> "127.0.0.1"), IPv6 in brackets ("[::1]")
  std::string zone_id;   // of an IPv6 host ("[fe80::1%25eth0]" -> "eth0"); empty when none
  std::string port;      // as written; empty when none
  std::string path;      // "/v1"; "/" when none
  std::string query;     // without the '?'; empty when none
  std::string fragment;  // without the '#'; empty when none
  bool has_query = false;
  bool has_fragment = false;
  bool has_userinfo = false;  // a user, password or login options, even an empty "@"
  std::string url;            // the whole URL as curl writes it back
};

// nullopt when curl_url() refuses the text (or it holds a NUL byte, which curl would cut at);
// `why` then says why, in curl's words.
std::optional<url_parts> parse_url(std::string_view text, std::string* why = nullptr);

// Loopback as this project defines it: a dotted-quad IPv4 address in 127.0.0.0/8 written the
// way curl_url() reports one (decimal, no leading zeros), "[::1]", or "localhost" in any case.
// No trailing dot, no "*.localhost", no IPv4-mapped IPv6, no other spelling: the host must be
// given to a url_parts first, which turns "127.1" or "2130706433" into "127.0.0.1".
bool is_loopback_host(std::string_view host);

// The base URL crawl sends the admin key to: `url` is what to prefix request paths with (curl's
// spelling, no trailing '/'), or `problem` says in one line why the base is refused: not a URL,
// not http(s), userinfo, a query or fragment, or plain http to a host that is not loopback. The
// messages name `option` and never repeat a URL that has userinfo.
struct base_url_check {
  std::string url;
  std::optional<std::string> problem;
};
base_url_check check_base_url(std::string_view text, std::string_view option = "--base-url");

// Appends "name=value" to a target, both percent-encoded: after '?' when the target has no
// query yet, after '&' when it has.
void append_query(std::string& target, std::string_view name, std::string_view value);

}  // namespace certharness
