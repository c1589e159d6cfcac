// Strict HTTP/1.1 request framing as serve reads it: every head a lenient server would guess at
// is refused with the status RFC 9110/9112 name, and well-formed heads are read exactly.
#include "certharness/http/http_server_framing.hpp"

#include <gtest/gtest.h>

#include <string>

namespace certharness {
namespace {

constexpr std::uint64_t k_max_body = 1 << 20;

std::string head_with(const std::string& fields, const std::string& line = "GET /v1/x HTTP/1.1") {
  return line + "\r\nHost: 127.0.0.1\r\n" + fields + "\r\n";
}

struct refused_case {
  const char* what;
  std::string head;
  int status;
};

TEST(parse_request_head, refuses_what_a_lenient_server_guesses_at) {
  const refused_case cases[] = {
      {"field line without a colon", head_with("NoColonHere\r\n"), 400},
      {"NUL in a value", head_with(std::string("X-A: a\0b\r\n", 10)), 400},
      {"DEL in a value",
       head_with("X-A: a\x7f"
                 "b\r\n"),
       400},
      {"bare CR in a value", head_with("X-A: a\rb\r\n"), 400},
      {"bare LF line end", head_with("X-A: a\nX-B: b\r\n"), 400},
      {"space before the colon", head_with("X-A : a\r\n"), 400},
      {"obs-fold", head_with("X-A: a\r\n  folded\r\n"), 400},
      {"empty name", head_with(": a\r\n"), 400},
      {"Content-Length +2", head_with("Content-Length: +2\r\n"), 400},
      {"Content-Length 2 2", head_with("Content-Length: 2 2\r\n"), 400},
      {"Content-Length 0x10", head_with("Content-Length: 0x10\r\n"), 400},
      {"Content-Length -5", head_with("Content-Length: -5\r\n"), 400},
      {"Content-Length empty", head_with("Content-Length: \r\n"), 400},
      {"Content-Length 2, 2", head_with("Content-Length: 2, 2\r\n"), 400},
      {"two Content-Length", head_with("Content-Length: 2\r\nContent-Length: 2\r\n"), 400},
      {"Content-Length and chunked",
       head_with("Content-Length: 2\r\nTransfer-Encoding: chunked\r\n"), 400},
      {"coding not ending in chunked", head_with("Transfer-Encoding: chunked, gzip\r\n"), 400},
      {"unknown coding", head_with("Transfer-Encoding: gzip, chunked\r\n"), 501},
      {"chunked on HTTP/1.0", "GET /v1/x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"2 GB body", head_with("Content-Length: 2000000000\r\n"), 413},
      {"a body one byte too large", head_with("Content-Length: 1048577\r\n"), 413},
      {"30-digit body", head_with("Content-Length: 123456789012345678901234567890\r\n"), 413},
      {"unknown method", head_with("", "FROB /v1/x HTTP/1.1"), 501},
      {"lower-case method", head_with("", "get /v1/x HTTP/1.1"), 501},
      {"method not a token", head_with("", "G(T /v1/x HTTP/1.1"), 400},
      {"HTTP/9.9", head_with("", "GET /v1/x HTTP/9.9"), 505},
      {"HTTP/2.0", head_with("", "GET /v1/x HTTP/2.0"), 505},
      {"lower-case version", head_with("", "GET /v1/x http/1.1"), 400},
      {"version 1.10", head_with("", "GET /v1/x HTTP/1.10"), 400},
      {"no version", "GET /v1/x\r\nHost: a\r\n\r\n", 400},
      {"two spaces", head_with("", "GET  /v1/x HTTP/1.1"), 400},
      {"space in target", head_with("", "GET /v1/a b HTTP/1.1"), 400},
      {"absolute form", head_with("", "GET http://h/v1/x HTTP/1.1"), 400},
      {"non-ASCII target", head_with("", "GET /v1/\xc3\xa9 HTTP/1.1"), 400},
      {"no Host", "GET /v1/x HTTP/1.1\r\n\r\n", 400},
      {"two Host", head_with("Host: b\r\n"), 400},
      {"Expect other than 100-continue", head_with("Expect: 200-ok\r\n"), 417},
      {"garbage", "GARBAGE\r\n\r\n", 400},
  };
  for (const refused_case& c : cases) {
    const auto parsed = parse_request_head(c.head, k_max_body);
    const head_error* e = parsed ? nullptr : &parsed.error();
    ASSERT_NE(e, nullptr) << c.what << ": accepted";
    EXPECT_EQ(e->status, c.status) << c.what << ": " << e->message;
    EXPECT_FALSE(e->message.empty()) << c.what;
  }
}

TEST(parse_request_head, reads_a_well_formed_head_exactly) {
  const std::string head =
      "\r\nPOST /v1/organization/certificates?limit=2&include[]=content HTTP/1.1\r\n"
      "Host: 127.0.0.1:8080\r\nAuthorization:Bearer  k \t\r\nContent-Length: 0012\r\n"
      "Connection: keep-alive, Close\r\nExpect: 100-Continue\r\nX-Latin: caf\xe9\r\n\r\n";
  ASSERT_EQ(find_request_head_end(head), head.size());
  const auto parsed = parse_request_head(head, k_max_body);
  const request_head* h = parsed ? &*parsed : nullptr;
  ASSERT_NE(h, nullptr) << parsed.error().message;
  EXPECT_EQ(h->method, "POST");
  EXPECT_EQ(h->target, "/v1/organization/certificates?limit=2&include[]=content");
  EXPECT_EQ(h->minor_version, 1);
  EXPECT_EQ(find_header(h->headers, "authorization"), std::optional<std::string_view>("Bearer  k"));
  EXPECT_EQ(h->framing, body_framing::content_length);
  EXPECT_EQ(h->content_length, 12u);
  EXPECT_FALSE(h->keep_alive);
  EXPECT_TRUE(h->expect_continue);
  EXPECT_EQ(h->headers.size(), 6u);
}

TEST(parse_request_head, framing_and_persistence_follow_the_version) {
  struct {
    std::string head;
    body_framing framing;
    bool keep_alive;
  } cases[] = {
      {head_with(""), body_framing::none, true},
      {head_with("Content-Length: 0\r\n"), body_framing::none, true},
      {head_with("Content-Length: 1048576\r\n"), body_framing::content_length, true},
      {head_with("Transfer-Encoding: Chunked\r\n"), body_framing::chunked, true},
      {"GET /v1/x HTTP/1.0\r\n\r\n", body_framing::none, false},
      {"GET /v1/x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", body_framing::none, false},
      {head_with("", "DELETE /v1/x HTTP/1.1"), body_framing::none, true},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_request_head(c.head, k_max_body);
    const request_head* h = parsed ? &*parsed : nullptr;
    ASSERT_NE(h, nullptr) << c.head << parsed.error().message;
    EXPECT_EQ(h->framing, c.framing) << c.head;
    EXPECT_EQ(h->keep_alive, c.keep_alive) << c.head;
  }
}

TEST(find_request_head_end, waits_for_the_empty_line) {
  EXPECT_FALSE(find_request_head_end("GET / HTTP/1.1\r\nHost: a\r\n").has_value());
  EXPECT_FALSE(find_request_head_end("\r\n\r\n").has_value()) << "leading empty lines only";
  EXPECT_EQ(find_request_head_end("GET / HTTP/1.1\r\n\r\nBODY"), 18u);
  EXPECT_EQ(find_request_head_end("\r\nGET / HTTP/1.1\r\n\r\n"), 20u);
}

TEST(decode_chunked_body, decodes_whole_bodies_with_extensions_and_trailers) {
  const std::string wire =
      "4;name=value\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n"
      "0\r\nX-Trailer: t\r\n\r\nNEXT";
  const chunked_body c = decode_chunked_body(wire, k_max_body);
  ASSERT_EQ(c.status, chunked_body::state::complete) << c.message;
  EXPECT_EQ(c.body, "Wikipedia in\r\n\r\nchunks.");
  EXPECT_EQ(wire.substr(c.consumed), "NEXT");
  for (std::size_t cut = 0; cut < wire.size() - 4; ++cut) {
    EXPECT_EQ(decode_chunked_body(wire.substr(0, cut), k_max_body).status,
              chunked_body::state::incomplete)
        << "cut at " << cut;
  }
}

TEST(decode_chunked_body, refuses_malformed_and_oversized_chunks) {
  const struct {
    const char* what;
    std::string wire;
    chunked_body::state status;
  } cases[] = {
      {"no size", "\r\nab\r\n0\r\n\r\n", chunked_body::state::invalid},
      {"signed size", "+2\r\nab\r\n0\r\n\r\n", chunked_body::state::invalid},
      {"junk after size", "2 x\r\nab\r\n0\r\n\r\n", chunked_body::state::invalid},
      {"data longer than its size", "2\r\nabc\r\n0\r\n\r\n", chunked_body::state::invalid},
      {"bad trailer", "0\r\nno colon\r\n\r\n", chunked_body::state::invalid},
      {"NUL in extension", std::string("2;a\0\r\nab\r\n0\r\n\r\n", 16),
       chunked_body::state::invalid},
      {"chunk over the limit", "100001\r\n", chunked_body::state::too_large},
      {"huge size", "ffffffffffffffffffffffff\r\n", chunked_body::state::too_large},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(decode_chunked_body(c.wire, k_max_body).status, c.status) << c.what;
  }
}

TEST(write_response_head, status_line_headers_length_and_close) {
  EXPECT_EQ(
      write_response_head(404, {{"Content-Type", "application/json"}}, 7, true),
      "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n");
  EXPECT_EQ(write_response_head(431, {}, 0, false),
            "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
            "Connection: close\r\n\r\n");
}

}  // namespace
}  // namespace certharness
