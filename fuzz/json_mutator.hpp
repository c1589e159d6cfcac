// A structure-aware libFuzzer mutator for JSON inputs, on RapidJSON (libprotobuf-mutator is not
// in Debian 12). It parses the input, applies one JSON-level mutation -- swap a value's type,
// drop, duplicate or rename a key, numbers at integer edges (0, -1, 2^53, 2^63, 1.0, 1e3, ...),
// swap ids between items, reorder or duplicate items, toggle has_more, null out a field, API
// vocabulary in keys and strings -- and writes the result back. Number text is kept exactly as
// it came. Unparsable input, and one call in eight, fall back to libFuzzer's byte mutation, so
// syntax-level bugs stay reachable.
//
// A JSON target opts in with CERTHARNESS_FUZZ_JSON_MUTATOR() at namespace scope. In replay
// builds the hooks are compiled but never called.
#pragma once

#include <cstddef>
#include <cstdint>

namespace certharness::fuzz {

// LLVMFuzzerCustomMutator: mutates data[0, size) in place (capacity max_size); returns the new
// size. Deterministic for a given seed.
std::size_t mutate_json(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed);

// LLVMFuzzerCustomCrossOver: `out` becomes data1 with one of its values replaced by a value of
// data2 (or a byte splice when either is not JSON); returns its size (<= max_out_size).
std::size_t cross_over_json(const std::uint8_t* data1, std::size_t size1, const std::uint8_t* data2,
                            std::size_t size2, std::uint8_t* out, std::size_t max_out_size,
                            unsigned seed);

}  // namespace certharness::fuzz

#define CERTHARNESS_FUZZ_JSON_MUTATOR()                                                           \
  extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,            \
                                                 std::size_t max_size, unsigned seed) {           \
    return certharness::fuzz::mutate_json(data, size, max_size, seed);                            \
  }                                                                                               \
  extern "C" std::size_t LLVMFuzzerCustomCrossOver(                                               \
      const std::uint8_t* data1, std::size_t size1, const std::uint8_t* data2, std::size_t size2, \
      std::uint8_t* out, std::size_t max_out_size, unsigned seed) {                               \
    return certharness::fuzz::cross_over_json(data1, size1, data2, size2, out, max_out_size,      \
                                              seed);                                              \
  }
