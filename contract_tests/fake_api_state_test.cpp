// fake_api_state: the (created_at, id) order lists are sorted and cursors compared by, the PEMs
// seeding shares (details read back from the PEM, so they agree with it), seeded names (nullable,
// hostile to encoders), and the rate limiter's token bucket, driven by hand-made time points.
#include "certharness/fake_api/fake_api_state.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "certharness/json/utf8.hpp"

namespace certharness::fake_api_internal {
namespace {

// ---- Order.

struct order_case {
  list_position a, b;
  bool a_before_b;
};

TEST(fake_api_state_order, created_at_first_then_id_bytewise) {
  const std::vector<order_case> cases = {
      {{1, "cert_b"}, {2, "cert_a"}, true},  // created_at decides first
      {{2, "cert_a"}, {1, "cert_b"}, false},
      {{5, "cert_a"}, {5, "cert_b"}, true},  // a tie is broken by the id
      {{5, "cert_b"}, {5, "cert_a"}, false},
      {{5, "cert_a"}, {5, "cert_a"}, false},  // strict: not before itself
      {{5, "cert_a"}, {5, "cert_aa"}, true},  // a prefix first
      {{5, "cert_B"}, {5, "cert_a"}, true},   // bytes, not letters: 'B' < 'a'
      {{-1, "z"}, {0, ""}, true},
      {{0, ""}, {0, "a"}, true},
  };
  for (const order_case& c : cases) {
    EXPECT_EQ(before(c.a, c.b), c.a_before_b)
        << "(" << c.a.created_at << ", '" << c.a.id << "') before (" << c.b.created_at << ", '"
        << c.b.id << "')";
  }
}

TEST(fake_api_state_order, stored_certificates_sort_by_their_position) {
  std::vector<stored_certificate> certificates(5);
  const std::vector<std::pair<std::int64_t, std::string>> keys = {{k_epoch + k_day, "cert_c"},
                                                                  {k_epoch, "cert_z"},
                                                                  {k_epoch + k_day, "cert_a"},
                                                                  {k_epoch, "cert_b"},
                                                                  {k_epoch + 2 * k_day, "cert_0"}};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    certificates[i].created_at = keys[i].first;
    certificates[i].id = keys[i].second;
  }
  std::sort(certificates.begin(), certificates.end(), created_before);
  std::vector<std::string> ids;
  for (const stored_certificate& c : certificates) ids.push_back(c.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"cert_b", "cert_z", "cert_a", "cert_c", "cert_0"}));
  const list_position p = position_of(certificates[2]);
  EXPECT_EQ(p.created_at, k_epoch + k_day);
  EXPECT_EQ(p.id, "cert_a");
  EXPECT_EQ(p.id.data(), certificates[2].id.data());  // a view, not a copy
}

// ---- Seeding.

TEST(fake_api_state_seeding, a_profiles_validity_is_what_its_pem_says) {
  std::set<std::string> pems;
  for (std::size_t index = 0; index < 4; ++index) {
    SCOPED_TRACE("profile " + std::to_string(index));
    const pem_profile p = make_profile(index);
    ASSERT_NE(p.pem, nullptr);
    EXPECT_EQ(p.pem->rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
    const auto read = read_pem_certificate(*p.pem);
    ASSERT_TRUE(read) << read.error();
    EXPECT_EQ(read->not_before, p.validity.not_before);
    EXPECT_EQ(read->not_after, p.validity.not_after);
    EXPECT_LT(p.validity.not_before, p.validity.not_after);
    pems.insert(*p.pem);
  }
  EXPECT_EQ(pems.size(), 4u);  // each index its own certificate
}

TEST(fake_api_state_seeding, names_are_reproducible_nullable_and_hostile_to_encoders) {
  bool saw_null = false, saw_control = false, saw_quote = false, saw_backslash = false,
       saw_non_ascii = false;
  for (std::size_t index : {0u, 7u, 199'999u}) {
    for (std::uint64_t draw = 0; draw < 64; ++draw) {
      SCOPED_TRACE("index " + std::to_string(index) + " draw " + std::to_string(draw));
      const std::optional<std::string> name = seeded_name(index, draw);
      EXPECT_EQ(name, seeded_name(index, draw));
      if (!name) {
        saw_null = true;
        continue;
      }
      // The index is in the name, so seeded names are told apart.
      const std::string suffix = " #" + std::to_string(index + 1);
      ASSERT_GE(name->size(), suffix.size());
      EXPECT_EQ(name->substr(name->size() - suffix.size()), suffix) << *name;
      EXPECT_TRUE(is_valid_utf8(*name)) << *name;
      for (const char ch : *name) {
        const auto u = static_cast<unsigned char>(ch);
        saw_control |= u < 0x20;
        saw_quote |= ch == '"';
        saw_backslash |= ch == '\\';
        saw_non_ascii |= u >= 0x80;
      }
    }
  }
  EXPECT_TRUE(saw_null) << "name is nullable in Certificate.json: some seeded name must be null";
  EXPECT_TRUE(saw_control);
  EXPECT_TRUE(saw_quote);
  EXPECT_TRUE(saw_backslash);
  EXPECT_TRUE(saw_non_ascii);
}

// ---- Token bucket (README: --rate-limit N, 429 with Retry-After when the bucket is empty).

using std::chrono::milliseconds;
using time_point = token_bucket::time_point;

struct bucket_step {
  milliseconds at;                   // since the bucket was made
  std::optional<std::int64_t> wait;  // nullopt: a token was taken
};

struct bucket_case {
  std::string name;
  double rate;
  std::vector<bucket_step> steps;
};

TEST(fake_api_state_bucket, burst_refill_and_retry_after_in_whole_seconds) {
  const std::vector<bucket_case> cases = {
      {"rate 2: a burst of 2, then a token every 500 ms",
       2,
       {{milliseconds(0), std::nullopt},
        {milliseconds(0), std::nullopt},
        {milliseconds(0), 1},
        {milliseconds(250), 1},  // half a token
        {milliseconds(500), std::nullopt},
        {milliseconds(500), 1}}},
      {"rate 0.25: a burst of 1, a token every 4 s, the wait rounded up",
       0.25,
       {{milliseconds(0), std::nullopt},
        {milliseconds(0), 4},
        {milliseconds(1'000), 3},
        {milliseconds(3'500), 1},
        {milliseconds(4'000), std::nullopt},
        {milliseconds(4'000), 4}}},
      {"rate 3: an idle bucket fills up to its burst, not beyond",
       3,
       {{milliseconds(60'000), std::nullopt},
        {milliseconds(60'000), std::nullopt},
        {milliseconds(60'000), std::nullopt},
        {milliseconds(60'000), 1}}},
      {"a clock going back gives no tokens and takes none",
       1,
       {{milliseconds(10'000), std::nullopt},
        {milliseconds(5'000), 1},
        {milliseconds(10'500), 1},
        {milliseconds(11'000), std::nullopt}}},
      {"a tiny rate waits long but bounded",
       1e-12,
       {{milliseconds(0), std::nullopt}, {milliseconds(0), 1'000'000'000}}},
  };
  const time_point start{};
  for (const bucket_case& c : cases) {
    token_bucket bucket(c.rate, start);
    for (std::size_t i = 0; i < c.steps.size(); ++i) {
      const bucket_step& s = c.steps[i];
      EXPECT_EQ(bucket.take(start + s.at), s.wait)
          << c.name << ", step " << i << " at " << s.at.count() << " ms";
    }
  }
}

TEST(fake_api_state_bucket, an_exhausted_bucket_stays_exhausted_without_time) {
  token_bucket bucket(5, time_point{});
  int taken = 0;
  for (int i = 0; i < 100; ++i) taken += bucket.take(time_point{}) ? 0 : 1;
  EXPECT_EQ(taken, 5);
}

}  // namespace
}  // namespace certharness::fake_api_internal
