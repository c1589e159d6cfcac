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

// An RFC 9110 token (section 5.6.2): what a method or header name may be, so neither can
// smuggle a second header or request line. Not empty.
bool is_http_token(std::string_view text) noexcept;

// First value of a header, its name matched case-insensitively (RFC 9110, ascii_iequals);
// nullopt when absent.
std::optional<std::string_view> find_header(const header_list& headers, std::string_view name);

struct http_request {
  std::string method;  // "GET", "POST", ...
  // The path below the base path as sent, still percent-encoded (e.g.
  // "/organization/certificates/cert_1"): the fake splits it into segments before decoding
  // (url.hpp's path_segments).
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

// A response as a client received it: any status, or a recorded one replayed.
struct client_response {
  int status = 0;
  header_list headers;  // as received, in order; names as sent by the server
  std::string body;
  std::chrono::microseconds elapsed{0};
};

}  // namespace certharness
