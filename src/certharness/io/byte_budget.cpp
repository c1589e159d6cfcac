#include "certharness/io/byte_budget.hpp"

#include <algorithm>
#include <utility>

namespace certharness {

byte_budget::reservation::reservation(reservation&& other) noexcept
    : budget_(std::exchange(other.budget_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

byte_budget::reservation::~reservation() {
  if (budget_ != nullptr) budget_->release(bytes_);
}

byte_budget::reservation byte_budget::reserve(std::size_t bytes) {
  bytes = std::min(bytes, capacity_);
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [&] { return held_ + bytes <= capacity_; });
  held_ += bytes;
  peak_ = std::max(peak_, held_);
  return reservation(this, bytes);
}

std::size_t byte_budget::peak() const {
  std::lock_guard lock(mutex_);
  return peak_;
}

void byte_budget::release(std::size_t bytes) noexcept {
  if (bytes == 0) return;
  {
    std::lock_guard lock(mutex_);
    held_ -= bytes;
  }
  freed_.notify_all();
}

}  // namespace certharness
