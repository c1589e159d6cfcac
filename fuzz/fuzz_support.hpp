// What every fuzz target shares, as simdjson's fuzzers share FuzzUtils.h: the one way an oracle
// fails, a small data provider, the input as text, and a walk over a JSON value's strings.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "certharness/json/json_document.hpp"

namespace certharness::fuzz {

// A target's failure report. Each target names one, `fail`, with its own name and the names of
// the two sides its oracle compares:
//   constexpr fuzz::failure fail{"fuzz_har", "first", "second"};
//   if (x1 != x) fail("read(render(x)) != x", r1, r2);
// It prints "<target>: <what>" and each named side's bytes whole (NULs too), then abort()s:
// assert() would vanish under NDEBUG, and libFuzzer keeps the input of an abort.
struct failure {
  std::string_view target;
  std::string_view first = "first";  // "" for an oracle with no first side
  std::string_view second = "";      // "" for an oracle with one side

  [[noreturn]] void operator()(std::string_view what, std::string_view a = {},
                               std::string_view b = {}) const {
    std::fprintf(stderr, "%.*s: %.*s\n", static_cast<int>(target.size()), target.data(),
                 static_cast<int>(what.size()), what.data());
    const int width = static_cast<int>(std::max(first.size(), second.size()));
    for (const auto& [name, text] : {std::pair{first, a}, std::pair{second, b}}) {
      if (name.empty()) continue;
      std::fprintf(stderr, "  %.*s:%*s ", static_cast<int>(name.size()), name.data(),
                   width - static_cast<int>(name.size()), "");
      std::fwrite(text.data(), 1, text.size(), stderr);
      std::fputc('\n', stderr);
    }
    std::fflush(stderr);
    std::abort();
  }

  // Fails with `what` unless `ok`.
  void unless(bool ok, std::string_view what) const {
    if (!ok) (*this)(what);
  }
};

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A tiny FuzzedDataProvider (the GCC replay build has no <fuzzer/FuzzedDataProvider.h>): bytes
// from the front, zeros once the input runs out.
struct data_provider {
  const std::uint8_t* p;
  std::size_t n;
  unsigned byte() { return n ? (--n, *p++) : 0; }
  unsigned pick(unsigned count) { return byte() % count; }
  std::string bytes(std::size_t len) {
    len = std::min(len, n);
    std::string s(reinterpret_cast<const char*>(p), len);
    p += len, n -= len;
    return s;
  }
};

// Calls visit(text) for every key and every string in `v` (the DOM's depth is bounded by the
// decoder's max_depth, so the recursion is too).
template <typename F>
void for_each_string(const json_value& v, F&& visit) {
  visit(v.key());
  if (v.is_string()) visit(v.as_string());
  if (v.is_array() || v.is_object()) {
    for (const json_value& child : v) for_each_string(child, visit);
  }
}

}  // namespace certharness::fuzz
