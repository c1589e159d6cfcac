// The HTTP transport (libcurl) that crawl and the tests talk to an API with.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "certharness/findings/result.hpp"
#include "certharness/http/http_message.hpp"

namespace certharness {

struct client_request {
  std::string method = "GET";
  std::string url;  // absolute, already encoded (url.hpp's percent_encode and append_query)
  header_list headers;
  std::optional<std::string> body;  // sent as is; set Content-Type in headers
};

struct transport_error {
  // One line, e.g. "connection refused (127.0.0.1:4000)", "timed out after 10 s".
  std::string message;
  bool timed_out = false;
  bool no_connection = false;  // never reached the server (resolve, connect or TLS handshake)
};

struct client_options {
  std::chrono::milliseconds timeout{30'000};  // whole exchange
  std::chrono::milliseconds connect_timeout{10'000};
  std::size_t max_body_bytes = std::size_t{64} << 20;  // larger bodies are a transport_error
};

// One connection pool per client. Not thread-safe: one client per thread. TLS verification is
// always on; the client never follows redirects. Never prints, never throws for network
// problems (only std::bad_alloc): a response header line over libcurl's 100 KB limit is a
// transport_error like any other broken response.
class http_client {
 public:
  explicit http_client(client_options options = {});
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  // Either a response (any status) or why there is none.
  result<client_response, transport_error> send(const client_request& request);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace certharness
