// A budget of bytes shared by worker threads: what all of them hold at once stays within the
// capacity, so that `validate -j N` costs about what one input at the limit costs, whatever N.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace certharness {

class byte_budget {
 public:
  explicit byte_budget(std::size_t capacity) noexcept : capacity_(capacity) {}
  byte_budget(const byte_budget&) = delete;
  byte_budget& operator=(const byte_budget&) = delete;

  // Bytes held from reserve() to the end of the reservation's life.
  class reservation {
   public:
    reservation(reservation&& other) noexcept;
    reservation& operator=(reservation&&) = delete;
    ~reservation();

   private:
    friend class byte_budget;
    reservation(byte_budget* budget, std::size_t bytes) noexcept : budget_(budget), bytes_(bytes) {}
    byte_budget* budget_;
    std::size_t bytes_;
  };

  // Waits until `bytes` fit beside what is held. More than the capacity is taken as the whole
  // capacity: such a reservation waits until nothing else is held, then holds everything
  // (a large input runs alone rather than never).
  reservation reserve(std::size_t bytes);

  std::size_t capacity() const noexcept { return capacity_; }
  // The most ever held at once (for tests and measurements).
  std::size_t peak() const;

 private:
  void release(std::size_t bytes) noexcept;

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::size_t held_ = 0;
  std::size_t peak_ = 0;
};

}  // namespace certharness
