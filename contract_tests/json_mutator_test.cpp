// The fuzzers' structure-aware JSON mutator (fuzz/json_mutator.cpp), without libFuzzer: its
// byte-mutation fallback is then a one-bit flip.
#include "json_mutator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "certharness/json_document.hpp"

namespace {

using certharness::fuzz::cross_over_json;
using certharness::fuzz::mutate_json;

const std::string k_page =
    R"({"object":"list","data":[{"object":"organization.certificate","id":"cert_a",)"
    R"("name":"a","created_at":1700000002,"certificate_details":{"valid_at":1,"expires_at":2},)"
    R"("active":true},{"object":"organization.certificate","id":"cert_b","name":null,)"
    R"("created_at":1700000001,"certificate_details":{"valid_at":1,"expires_at":2},)"
    R"("active":false}],"first_id":"cert_a","last_id":"cert_b","has_more":true})";

std::string mutated(const std::string& input, unsigned seed, std::size_t max_size = 4096) {
  std::string buf = input;
  buf.resize(std::max(max_size, input.size()));
  buf.resize(mutate_json(reinterpret_cast<std::uint8_t*>(buf.data()), input.size(), max_size,
                         seed));
  return buf;
}

bool strict_json(const std::string& s) { return certharness::decode_json(s).document.has_value(); }

TEST(json_mutator, most_mutations_of_a_page_are_json_and_differ_from_it) {
  int json = 0, changed = 0;
  constexpr int n = 2000;
  for (unsigned seed = 0; seed < n; ++seed) {
    const std::string out = mutated(k_page, seed);
    json += strict_json(out);
    changed += out != k_page;
  }
  // One call in eight is a byte mutation, and some number edits leave a malformed number.
  EXPECT_GT(json, n * 7 / 10) << json << " of " << n << " mutants were JSON";
  EXPECT_GT(changed, n * 95 / 100) << changed << " of " << n << " mutants differed";
}

TEST(json_mutator, is_deterministic_for_a_seed) {
  for (unsigned seed = 0; seed < 50; ++seed) EXPECT_EQ(mutated(k_page, seed), mutated(k_page, seed));
}

// Each advertised mutation shows up among a few thousand mutants of one page.
TEST(json_mutator, reaches_every_kind_of_mutation) {
  std::set<std::string> seen;
  for (unsigned seed = 0; seed < 5000; ++seed) {
    const std::string out = mutated(k_page, seed);
    const auto has = [&](const char* s) { return out.find(s) != std::string::npos; };
    if (has(R"("has_more":false)")) seen.insert("has_more toggled");
    if (!has(R"("last_id")")) seen.insert("key dropped");
    if (out.find(R"("first_id")") != out.rfind(R"("first_id")")) seen.insert("key duplicated");
    if (has("9223372036854775808") || has("9007199254740993")) seen.insert("integer edge");
    if (has(":1e3") || has(":1.0")) seen.insert("integer-valued non-integer text");
    if (has(R"("first_id":null)")) seen.insert("field nulled");
    if (has(R"("id":"cert_b","name":"a")")) seen.insert("ids swapped");
    if (out.find(R"("id":"cert_a")") != out.rfind(R"("id":"cert_a")")) seen.insert("item duplicated");
    if (has(R"("organization.certificate.deactivation")")) seen.insert("API vocabulary");
    if (has("[[")) seen.insert("value wrapped");
  }
  const std::vector<std::string> want = {
      "has_more toggled", "key dropped", "key duplicated", "integer edge",
      "integer-valued non-integer text", "field nulled", "ids swapped", "item duplicated",
      "API vocabulary", "value wrapped"};
  for (const std::string& w : want) EXPECT_TRUE(seen.contains(w)) << "never saw: " << w;
}

TEST(json_mutator, keeps_number_text_exactly) {
  const std::string doc = R"({"a":1.0,"b":1e3,"c":123456789012345678901234567890,"d":-0})";
  int kept = 0;
  for (unsigned seed = 0; seed < 200; ++seed) {
    const std::string out = mutated(doc, seed);
    kept += out.find("123456789012345678901234567890") != std::string::npos &&
            out.find("1e3") != std::string::npos;
  }
  EXPECT_GT(kept, 50);
}

TEST(json_mutator, never_writes_past_max_size) {
  for (std::size_t max : {0u, 1u, 10u, 100u, 400u}) {
    for (unsigned seed = 0; seed < 200; ++seed) {
      std::string buf = k_page;
      const std::size_t size = std::min(max, buf.size());
      buf.resize(std::max(buf.size(), max));
      const std::size_t n =
          mutate_json(reinterpret_cast<std::uint8_t*>(buf.data()), size, max, seed);
      EXPECT_LE(n, max) << "seed " << seed;
    }
  }
}

// Deep nesting is left to the byte mutator rather than recursed into.
TEST(json_mutator, survives_deep_nesting_and_non_json) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  for (unsigned seed = 0; seed < 20; ++seed) {
    EXPECT_LE(mutated(deep, seed, deep.size()).size(), deep.size());
    EXPECT_FALSE(mutated(std::string("{\"a\":\0}", 7), seed).empty());
    EXPECT_FALSE(mutated("\xff\xfe not json", seed).empty());
  }
}

TEST(json_mutator, cross_over_grafts_a_value_of_the_second_input) {
  const std::string second = R"({"marker":["grafted"]})";
  int grafted = 0;
  for (unsigned seed = 0; seed < 500; ++seed) {
    std::string out(4096, '\0');
    out.resize(cross_over_json(reinterpret_cast<const std::uint8_t*>(k_page.data()), k_page.size(),
                               reinterpret_cast<const std::uint8_t*>(second.data()), second.size(),
                               reinterpret_cast<std::uint8_t*>(out.data()), out.size(), seed));
    ASSERT_TRUE(strict_json(out)) << "seed " << seed << ": " << out;
    grafted += out.find("grafted") != std::string::npos;
  }
  EXPECT_GT(grafted, 250);
}

TEST(json_mutator, cross_over_of_non_json_splices_within_bounds) {
  const std::string a = "not json at all", b = "{\"x\":";
  for (unsigned seed = 0; seed < 100; ++seed) {
    std::uint8_t out[8];
    EXPECT_LE(cross_over_json(reinterpret_cast<const std::uint8_t*>(a.data()), a.size(),
                              reinterpret_cast<const std::uint8_t*>(b.data()), b.size(), out,
                              sizeof out, seed),
              sizeof out);
  }
}

}  // namespace
