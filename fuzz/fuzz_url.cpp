// fuzz_url: percent_encode and parse_request_target on an id taken from the input bytes.
//
// Oracle: percent_encode(id) holds only unreserved characters (A-Z a-z 0-9 - . _ ~) and %XX
// escapes (X uppercase or lowercase hex); the target
//   "/v1/organization/certificates/" + enc(id) + "?after=" + enc(id)
// parses back; its path starts with "/v1/organization/certificates/" (never another prefix)
// and, when id has no '/', is exactly that prefix + id (so the last segment is id's bytes);
// the query is exactly one pair {"after", id}. Any difference aborts naming both sides.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "certharness/http_client.hpp"
#include "certharness/http_message.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& expected, const std::string& got) {
  std::fprintf(stderr, "fuzz_url: %s\n  expected: %s\n  got:      %s\n", what, expected.c_str(),
               got.c_str());
  std::abort();
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool hex(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string id(reinterpret_cast<const char*>(data), size);
  const std::string enc = certharness::percent_encode(id);
  for (std::size_t i = 0; i < enc.size(); ++i) {
    const auto c = static_cast<unsigned char>(enc[i]);
    if (unreserved(c)) continue;
    if (c == '%' && i + 2 < enc.size() &&
        hex(static_cast<unsigned char>(enc[i + 1])) && hex(static_cast<unsigned char>(enc[i + 2]))) {
      i += 2;
      continue;
    }
    fail("percent_encode output has a character that is neither unreserved nor %XX",
         "only [A-Za-z0-9-._~] and %XX", enc);
  }
  const std::string prefix = "/v1/organization/certificates/";
  const std::string target = prefix + enc + "?after=" + enc;
  const auto parsed = certharness::parse_request_target(target);
  if (!parsed) fail("parse_request_target refused the target", "a parsed target", target);
  if (!parsed->path.starts_with(prefix)) fail("path prefix changed", prefix + "...", parsed->path);
  if (id.find('/') == std::string::npos && parsed->path != prefix + id) {
    fail("path does not end in the id's exact bytes", prefix + id, parsed->path);
  }
  if (parsed->query.size() != 1 || parsed->query[0].first != "after" ||
      parsed->query[0].second != id) {
    std::string got;
    for (const auto& [k, v] : parsed->query) got += "{" + k + "=" + v + "}";
    fail("query does not round-trip", "{after=" + id + "}", got);
  }
  return 0;
}
