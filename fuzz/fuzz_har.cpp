// fuzz_har: read_har on arbitrary bytes, and render_har/read_har round trips.
//
// Oracle: read_har never crashes (no UB, no leak) on any bytes; for any archive it reads, the
// recorder's own output reads back: x1 = read(render(read(bytes))) succeeds, and one more
// cycle is the identity, read(render(x1)) == x1 (the first cycle may normalise what the
// recorder cannot write as read: sub-millisecond start times, non-UTF-8 text -> U+FFFD).
// Any refusal or difference aborts naming both sides.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>
#include <vector>

#include "certharness/har.hpp"
#include "json_mutator.hpp"

CERTHARNESS_FUZZ_JSON_MUTATOR()

namespace {

using entries = std::vector<certharness::har_entry>;

[[noreturn]] void fail(const char* what, const std::string& first, const std::string& second) {
  std::fprintf(stderr, "fuzz_har: %s\n  first:  %s\n  second: %s\n", what, first.c_str(),
               second.c_str());
  std::abort();
}

// Reads the recorder's own output; aborts when it refuses it.
entries read_back(const std::string& rendered) {
  auto r = certharness::read_har(rendered);
  if (auto* error = std::get_if<std::string>(&r)) {
    fail("read_har refused render_har's output", rendered, *error);
  }
  return std::get<entries>(std::move(r));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto first = certharness::read_har({reinterpret_cast<const char*>(data), size});
  const entries* read = std::get_if<entries>(&first);
  if (read == nullptr) return 0;
  const std::string r1 = certharness::render_har(*read);
  const entries x1 = read_back(r1);
  if (x1.size() != read->size()) {
    fail("entry count changed by a render/read cycle", std::to_string(read->size()),
         std::to_string(x1.size()));
  }
  const std::string r2 = certharness::render_har(x1);
  const entries x2 = read_back(r2);
  if (x2 != x1) fail("read(render(x)) != x for x = read(render(read(bytes)))", r1, r2);
  return 0;
}
