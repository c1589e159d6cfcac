// The fuzzers' structure-aware JSON mutator (fuzz/json_mutator.cpp), without libFuzzer: its
// byte-mutation fallback is then a one-bit flip.
#include "json_mutator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "certharness/json/json_document.hpp"

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
  buf.resize(
      mutate_json(reinterpret_cast<std::uint8_t*>(buf.data()), input.size(), max_size, seed));
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
  for (unsigned seed = 0; seed < 50; ++seed)
    EXPECT_EQ(mutated(k_page, seed), mutated(k_page, seed));
}

// Each advertised mutation shows up among a few thousand mutants of one page. Each detector
// needs the page otherwise intact, so another mutation cannot pass for it.
TEST(json_mutator, reaches_every_kind_of_mutation) {
  const auto without = [](std::string s, const std::string& part) {
    const std::size_t at = s.find(part);
    return at == std::string::npos ? s : s.erase(at, part.size());
  };
  const auto replaced = [](std::string s, const std::string& from, const std::string& to) {
    const std::size_t at = s.find(from);
    return at == std::string::npos ? s : s.replace(at, from.size(), to);
  };
  const std::string data = k_page.substr(k_page.find("["), k_page.find("]") + 1 - k_page.find("["));
  const std::string item_a = data.substr(1, data.find("},{") + 1 - 1);
  const std::string item_b =
      data.substr(data.find("},{") + 2, data.size() - 1 - data.find("},{") - 2);
  const std::map<std::string, std::string> expected = {
      {"has_more toggled", replaced(k_page, R"("has_more":true)", R"("has_more":false)")},
      {"key dropped", without(k_page, R"(,"last_id":"cert_b")")},
      {"key duplicated",
       replaced(k_page, R"("first_id":"cert_a",)", R"("first_id":"cert_a","first_id":"cert_a",)")},
      {"field nulled", replaced(k_page, R"("first_id":"cert_a")", R"("first_id":null)")},
      {"ids swapped", replaced(replaced(replaced(k_page, R"("id":"cert_a")", R"("id":"X")"),
                                        R"("id":"cert_b")", R"("id":"cert_a")"),
                               R"("id":"X")", R"("id":"cert_b")")},
      {"items reordered", replaced(k_page, data, "[" + item_b + "," + item_a + "]")},
      {"item duplicated", replaced(k_page, data, "[" + item_a + "," + item_a + "," + item_b + "]")},
      {"data wrapped", replaced(k_page, data, "[" + data + "]")},
  };
  std::set<std::string> seen, integer_edges;
  for (unsigned seed = 0; seed < 20000; ++seed) {
    const std::string out = mutated(k_page, seed);
    for (const auto& [name, want] : expected) {
      if (out == want) seen.insert(name);
    }
  }
  for (const auto& [name, want] : expected)
    EXPECT_TRUE(seen.contains(name)) << "never saw: " << name;
  // The API's vocabulary written into strings.
  std::set<std::string> object_types;
  for (unsigned seed = 0; seed < 3000; ++seed) {
    const std::string out = mutated(R"({"object":"x"})", seed);
    for (const char* type : {"organization.certificate", "organization.project.certificate", "list",
                             "certificate.deleted", "organization.certificate.activation",
                             "organization.certificate.deactivation"}) {
      if (out == std::string(R"({"object":")") + type + "\"}") object_types.insert(type);
    }
  }
  EXPECT_GE(object_types.size(), 4u) << "object types written: " << object_types.size();
  // Integers at their edges, on a document where the number is easy to pick.
  for (unsigned seed = 0; seed < 3000; ++seed) {
    const std::string out = mutated(R"({"created_at":1})", seed);
    for (const char* edge : {"9007199254740993", "9223372036854775808", "1e3", "1.0", "-0", "0"}) {
      if (out == std::string(R"({"created_at":)") + edge + "}") integer_edges.insert(edge);
    }
  }
  EXPECT_EQ(integer_edges.size(), 6u) << "only " << integer_edges.size() << " integer edges seen";
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

// A buffer of exactly max_size bytes followed by a canary: growing mutations must be refused
// (or fall back to byte edits within the bound), never written past it.
TEST(json_mutator, never_writes_past_max_size) {
  const std::vector<std::string> inputs = {k_page, R"({"a":[1]})", "[]", "0",
                                           R"({"has_more":true})"};
  for (const std::string& input : inputs) {
    for (std::size_t max : {input.size(), input.size() + 1, input.size() + 7}) {
      for (unsigned seed = 0; seed < 300; ++seed) {
        std::vector<std::uint8_t> buf(max + 64, 0xA5);
        std::copy(input.begin(), input.end(), buf.begin());
        const std::size_t n = mutate_json(buf.data(), input.size(), max, seed);
        ASSERT_LE(n, max) << input << " seed " << seed;
        for (std::size_t i = max; i < buf.size(); ++i) {
          ASSERT_EQ(buf[i], 0xA5) << "wrote byte " << i << " past max_size " << max << ", seed "
                                  << seed << ", input " << input;
        }
      }
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
