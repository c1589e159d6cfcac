// URLs in one place: reading them as libcurl does (curl_url(), for every place that must agree
// with the transport on where a request goes), the gate that decides where the admin key may be
// sent, building request targets (percent-encoding), reading request targets as a server or
// replay receives them (percent-decoding), and splitting URLs as an archive records them.
// No other code splits, builds or percent-encodes a URL.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certharness/findings/result.hpp"

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

// A failure when curl_url() refuses the text (or it holds a NUL byte, which curl would cut at),
// saying why in curl's words.
result<url_parts> parse_url(std::string_view text);

// "http://host:port/path" for a server listening on `host` (an IPv6 address gets its
// brackets; an empty path gives no trailing '/'), built by curl_url(); a failure in curl's words
// when curl refuses a part.
result<std::string> http_url(std::string_view host, int port, std::string_view path);

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

// "host:port" of a URL for messages (the port curl would use when none is written), or
// "invalid URL": never the rest of the URL, which may carry a secret. The scheme is guessed as
// curl_easy_perform guesses it, so "host:port/path" still names its host.
std::string endpoint_of(std::string_view url);

// ---- Building request targets ----

// RFC 3986 percent-encoding of one path segment or query component: everything but
// unreserved characters (A-Z a-z 0-9 - . _ ~) is encoded, and so are the dots of a component
// that is "." or ".." (a dot segment), so an id can never change the path.
std::string percent_encode(std::string_view component);

// Appends "name=value" to a target, both percent-encoded: after '?' when the target has no
// query yet, after '&' when it has.
void append_query(std::string& target, std::string_view name, std::string_view value);

// ---- Reading request targets ----

// The bytes `text` percent-encodes ("%2f" and "%2F" alike; '+' is a space when
// `plus_is_space`, as in a query); nullopt when an escape is malformed.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// A request target ("/v1/organization/certificates?limit=2&include%5B%5D=content") split and
// percent-decoded: the path without its query, and the query pairs in order ('+' is a space in
// the query, as browsers and SDKs send it). nullopt when a percent-escape is malformed or the
// path does not start with '/'.
//
// `path` is for display and searching, never for routing: "%2F" and "/" are the same there. Route
// on path_segments() of `raw_path`, which splits before decoding.
struct request_target {
  std::string raw_path;  // the path as sent, still percent-encoded
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
};
std::optional<request_target> parse_request_target(std::string_view target);

// The path of a request target as sent: everything before the first '?', still encoded.
std::string_view raw_path_of(std::string_view target) noexcept;

// The segments of a raw path ("/a/b%2Fc" -> {"a", "b/c"}; "/" -> {""}; "/a/" -> {"a", ""}),
// each percent-decoded after splitting. nullopt when the path does not start with '/' or an
// escape is malformed.
std::optional<std::vector<std::string>> path_segments(std::string_view raw_path);

// ---- URLs as an archive records them ----

// A URL as written, split without normalising or refusing anything, for text that is kept and
// shown as it was recorded (a HAR's url, which may be any string, one curl_url() would refuse
// or respell). The fragment is cut at the first '#'; a URL with "://" has an authority up to
// the first '/' or '?' after it, and the rest is the target; a URL without "://" is all target.
// The views point into the text given.
struct url_text_parts {
  bool has_authority = false;                // the text has "://"
  std::string_view scheme;                   // before "://"
  std::optional<std::string_view> userinfo;  // before the authority's last '@'
  std::string_view host_port;                // the authority after the userinfo
  std::string_view target;                   // path and query, as written
  std::optional<std::string_view> fragment;  // after the '#'
};
url_text_parts split_url_text(std::string_view url);

// The target of a URL as written (split_url_text), read by parse_request_target; an empty
// target or one that is only a query is read as the path "/".
std::optional<request_target> parse_url_target(std::string_view url);

}  // namespace certharness
