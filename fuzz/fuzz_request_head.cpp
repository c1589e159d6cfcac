// fuzz_request_head: serve's strict HTTP/1.1 request framing (http_server_framing). The input is
// what a client sends; the head is the part find_request_head_end marks, as serve reads it.
//
// Oracle: never a crash or hang. An accepted head holds only what RFC 9112 allows: a known
// method, an origin-form target of visible ASCII, token field names, values without CTLs
// (HTAB aside) or surrounding whitespace, a Content-Length within the body limit; written back
// as a plain head, it parses to the same request. The chunked decoder, run on the same bytes,
// returns a body within the limit and never reads past the input, and every input one byte
// short of a complete body is still incomplete (serve waits rather than guessing).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "certharness/http/http_server_framing.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace certharness;
constexpr std::uint64_t k_max_body = 4096;

constexpr fuzz::failure fail{"fuzz_request_head", ""};

bool clean_value(std::string_view v) {
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (u != '\t' && (u < 0x20 || u == 0x7f)) return false;
  }
  return v.empty() ||
         (v.front() != ' ' && v.front() != '\t' && v.back() != ' ' && v.back() != '\t');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::as_text(data, size);
  if (const std::optional<std::size_t> end = find_request_head_end(input)) {
    fail.unless(*end <= input.size(), "head end past the input");
    const auto parsed = parse_request_head(input.substr(0, *end), k_max_body);
    if (const request_head* h = parsed ? &*parsed : nullptr) {
      fail.unless(!h->target.empty() && h->target.front() == '/', "target not origin-form");
      for (char c : h->target)
        fail.unless(c > 0x20 && c < 0x7f, "target byte outside visible ASCII");
      fail.unless(h->content_length <= k_max_body, "Content-Length over the limit accepted");
      std::string again =
          h->method + " " + h->target + " HTTP/1." + std::to_string(h->minor_version) + "\r\n";
      for (const auto& [name, value] : h->headers) {
        fail.unless(clean_value(value), "header value with a CTL or untrimmed whitespace");
        again += name + ": " + value + "\r\n";
      }
      again += "\r\n";
      const auto reparsed = parse_request_head(again, k_max_body);
      const request_head* r = reparsed ? &*reparsed : nullptr;
      fail.unless(r != nullptr, "an accepted head written back is refused");
      fail.unless(r->method == h->method && r->target == h->target && r->headers == h->headers &&
                      r->framing == h->framing && r->content_length == h->content_length &&
                      r->keep_alive == h->keep_alive && r->expect_continue == h->expect_continue,
                  "an accepted head written back parses differently");
    } else {
      const int status = parsed.error().status;
      fail.unless(status == 400 || status == 413 || status == 417 || status == 501 || status == 505,
                  "refused with an unexpected status");
    }
  }
  const chunked_body c = decode_chunked_body(input, k_max_body);
  if (c.status == chunked_body::state::complete) {
    fail.unless(c.body.size() <= k_max_body, "chunked body over the limit");
    fail.unless(c.consumed <= input.size() && c.body.size() < c.consumed,
                "consumed past the input");
    fail.unless(decode_chunked_body(input.substr(0, c.consumed - 1), k_max_body).status ==
                    chunked_body::state::incomplete,
                "a body one byte short is not incomplete");
  }
  return 0;
}
