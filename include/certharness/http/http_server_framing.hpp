// The server side of HTTP/1.1 framing (RFC 9112), strict: a request head is parsed and
// judged before anything else reads it, so the fake refuses what a lenient server would guess
// at (a field line without a colon, a NUL in a value, `Content-Length: +2`, two framings).
// Pure functions over bytes; `certharness serve` moves the bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "certharness/findings/result.hpp"
#include "certharness/http/http_message.hpp"

namespace certharness {

// A head longer than this (request line, fields, the empty line) is answered 431.
inline constexpr std::size_t k_max_request_head = 16 * 1024;

enum class body_framing { none, content_length, chunked };

struct request_head {
  std::string method;  // a token, case-sensitive
  std::string target;  // origin-form, as sent (not decoded)
  int minor_version = 1;
  header_list headers;  // in order, names as sent, values without surrounding whitespace
  body_framing framing = body_framing::none;
  std::uint64_t content_length = 0;  // framing == content_length only
  bool keep_alive = true;        // false after Connection: close, and for HTTP/1.0
  bool expect_continue = false;  // Expect: 100-continue
};

// Why a head is refused: the status to answer (400, 413, 417, 501, 505) and a one-line reason.
struct head_error {
  int status = 400;
  std::string message;
};

// Index just past the head's empty line, or nullopt while it is incomplete. Empty lines before
// the request line are skipped, as RFC 9112 section 2.2 asks of servers.
std::optional<std::size_t> find_request_head_end(std::string_view buffered);

// Parses a complete head (up to find_request_head_end). A body declared larger than
// `max_body` is refused with 413 here, before any of it is read.
result<request_head, head_error> parse_request_head(std::string_view head, std::uint64_t max_body);

// A chunked request body decoded from what has arrived so far.
struct chunked_body {
  enum class state { incomplete, complete, invalid, too_large } status = state::incomplete;
  std::string body;          // complete only
  std::size_t consumed = 0;  // bytes of the input the chunks and trailers took (complete only)
  std::string message;       // invalid only
};
chunked_body decode_chunked_body(std::string_view data, std::uint64_t max_body);

// "HTTP/1.1 <status> <reason>" with `headers`, Content-Length and, unless `keep_alive`,
// Connection: close; ends with the empty line.
std::string write_response_head(int status, const header_list& headers,
                                std::uint64_t content_length, bool keep_alive);

std::string_view reason_phrase(int status);

}  // namespace certharness
