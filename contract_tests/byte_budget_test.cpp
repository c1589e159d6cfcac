// byte_budget: what all workers hold at once never exceeds the capacity, a reservation larger
// than the capacity runs alone, and every reservation is eventually granted.
#include "certharness/io/byte_budget.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <random>
#include <thread>
#include <vector>

namespace certharness {
namespace {

TEST(byte_budget, reservations_add_up_and_are_released_with_their_holder) {
  byte_budget budget(100);
  {
    const auto a = budget.reserve(30);
    const auto b = budget.reserve(50);
    EXPECT_EQ(budget.peak(), 80u);
  }
  // Both released: the whole capacity is free again.
  { const auto c = budget.reserve(100); }
  EXPECT_EQ(budget.peak(), 100u);
}

TEST(byte_budget, more_than_the_capacity_is_granted_alone) {
  byte_budget budget(100);
  { const auto huge = budget.reserve(1'000'000); }
  EXPECT_EQ(budget.peak(), 100u) << "a reservation over the capacity holds all of it";
}

TEST(byte_budget, concurrent_holders_never_exceed_the_capacity) {
  constexpr std::size_t capacity = 1000;
  byte_budget budget(capacity);
  std::atomic<std::size_t> held{0}, most{0};
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < 8; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937 rng(t);
      std::uniform_int_distribution<std::size_t> size(0, 1500);  // some over the capacity
      for (int i = 0; i < 300; ++i) {
        const std::size_t want = size(rng);
        const auto r = budget.reserve(want);
        const std::size_t charged = std::min(want, capacity);
        const std::size_t now = held += charged;
        for (std::size_t seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        held -= charged;
      }
    });
  }
  for (std::thread& w : workers) w.join();
  EXPECT_LE(most.load(), capacity) << "holders saw more than the capacity held at once";
  EXPECT_LE(budget.peak(), capacity);
  EXPECT_GT(budget.peak(), 0u);
}

}  // namespace
}  // namespace certharness
