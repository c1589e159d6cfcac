// fuzz_har: read_har and replay's routing on arbitrary bytes; render_har/read_har round trips.
// Mutator: structure-aware JSON (json_mutator.hpp).
//
// Oracle: read_har never crashes (no UB, no leak) on any bytes. For an archive it reads:
// - what the recorder can hold reads back unchanged: read(render(x)) == x whenever x's
//   non-body strings are UTF-8 and its times are finite and >= 0 (bodies of any bytes go as
//   base64; start times keep their nanoseconds);
// - anything else is normalised once: x1 = read(render(x)) reads, and read(render(x1)) == x1;
// - replay judges it without crashing and skips exactly the entries route_request refuses.
// Any refusal or difference aborts naming both sides.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>
#include <vector>

#include "certharness/conformance/replay_run.hpp"
#include "certharness/har/har.hpp"
#include "certharness/json/text_escaping.hpp"
#include "fuzz_support.hpp"
#include "json_mutator.hpp"

CERTHARNESS_FUZZ_JSON_MUTATOR()

namespace {

using namespace certharness;
using entries = std::vector<har_entry>;

constexpr fuzz::failure fail{"fuzz_har", "first", "second"};

// Reads the recorder's own output; aborts when it refuses it.
entries read_back(const std::string& rendered) {
  auto r = read_har(rendered);
  if (auto* error = (r ? nullptr : &r.error()))
    fail("read_har refused render_har's output", rendered, *error);
  return *std::move(r);
}

bool recordable(const entries& x) {
  const auto utf8 = [](const std::string& s) { return utf8_sanitized(s) == s; };
  for (const har_entry& e : x) {
    if (!std::isfinite(e.time_ms) || e.time_ms < 0) return false;
    for (const std::string* s : {&e.method, &e.url, &e.request_mime_type, &e.status_text,
                                 &e.response_mime_type, &e.error}) {
      if (!utf8(*s)) return false;
    }
    for (const header_list* headers : {&e.request_headers, &e.response_headers}) {
      for (const auto& [name, value] : *headers)
        if (!utf8(name) || !utf8(value)) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto first = read_har({reinterpret_cast<const char*>(data), size});
  entries* x = (first ? &*first : nullptr);
  if (x == nullptr) return 0;
  const std::string r1 = render_har(*x);
  const entries x1 = read_back(r1);
  if (recordable(*x)) {
    if (x1 != *x) fail("read(render(x)) != x for a recordable x", r1, render_har(x1));
  } else {
    const std::string r2 = render_har(x1);
    if (read_back(r2) != x1) fail("read(render(x1)) != x1 for x1 = read(render(x))", r1, r2);
  }
  std::size_t unrouted = 0;
  for (const har_entry& e : *x) unrouted += !route_request(e.method, e.url);
  const run_report report = replay({std::move(*x)});
  if (report.skipped != unrouted) {
    fail("replay skipped other entries than route_request refuses", std::to_string(report.skipped),
         std::to_string(unrouted));
  }
  return 0;
}
