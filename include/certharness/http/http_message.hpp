// HTTP requests and responses as plain data, shared by the client, the fake API and the server.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certharness {

using header_list = std::vector<std::pair<std::string, std::string>>;

// Header names compare case-insensitively (RFC 9110).
bool same_header_name(std::string_view a, std::string_view b) noexcept;

// First value of a header, matched case-insensitively; nullopt when absent.
std::optional<std::string_view> find_header(const header_list& headers, std::string_view name);

struct http_request {
  std::string method;  // "GET", "POST", ...
  // The path below the base path as sent, still percent-encoded (e.g.
  // "/organization/certificates/cert_1"): the fake splits it into segments before decoding.
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order, repeats kept
  header_list headers;
  std::string body;
};

// How the server should break the transport itself, for faults no status code can express.
enum class transport_fault { none, truncate_body };

struct http_response {
  int status = 200;
  header_list headers;  // Content-Type included
  std::string body;
  std::chrono::milliseconds delay{0};
  transport_fault fault = transport_fault::none;
};

// A request target ("/v1/organization/certificates?limit=2&include%5B%5D=content") split and
// percent-decoded: the path without its query, and the query pairs in order ('+' is a space in
// the query, as browsers and SDKs send it). nullopt when a percent-escape is malformed or the
// path does not start with '/'.
//
// `path` is for display and searching, never for routing: "%2F" and "/" are the same there. Route
// on path_segments() of the raw path, which splits before decoding.
struct request_target {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
};
std::optional<request_target> parse_request_target(std::string_view target);

// The segments of a raw path ("/a/b%2Fc" -> {"a", "b/c"}; "/" -> {""}; "/a/" -> {"a", ""}),
// each percent-decoded after splitting. nullopt when the path does not start with '/' or an
// escape is malformed.
std::optional<std::vector<std::string>> path_segments(std::string_view raw_path);

}  // namespace certharness
