// Internal: the RapidJSON reader certharness uses, with the guards its 1.1.0 release needs.
//
// RapidJSON 1.1.0's internal::Stack starts with null pointers and computes
// `stackTop_ + n > stackEnd_` on the first push: pointer arithmetic on null, which UBSan reports
// on every parse (upstream Tencent/rapidjson#1724). Rather than suppress it, the reader is given
// its own allocator type, and internal::Stack is specialised for that type below with an
// offset-based implementation that never does arithmetic on a null pointer.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include <rapidjson/allocators.h>
#include <rapidjson/internal/stack.h>

namespace certharness {

struct reader_stack_allocator {
  static const bool kNeedFree = true;
  void* Malloc(std::size_t size) { return size ? std::malloc(size) : nullptr; }
  void* Realloc(void* p, std::size_t, std::size_t new_size) {
    if (new_size == 0) {
      std::free(p);
      return nullptr;
    }
    return std::realloc(p, new_size);
  }
  static void Free(void* p) { std::free(p); }
};

}  // namespace certharness

namespace rapidjson::internal {

template <>
class Stack<certharness::reader_stack_allocator> {
 public:
  using allocator_type = certharness::reader_stack_allocator;
  Stack(allocator_type*, std::size_t capacity) : initial_capacity_(capacity ? capacity : 256) {}
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;
  ~Stack() { std::free(data_); }

  template <typename T>
  T* Push(std::size_t count = 1) {
    Reserve<T>(count);
    return PushUnsafe<T>(count);
  }
  template <typename T>
  void Reserve(std::size_t count = 1) {
    const std::size_t need = sizeof(T) * count;
    if (capacity_ - top_ >= need) return;
    std::size_t cap = capacity_ ? capacity_ + capacity_ / 2 : initial_capacity_;
    if (cap - top_ < need) cap = top_ + need;
    void* p = std::realloc(data_, cap);
    if (!p) throw std::bad_alloc();
    data_ = static_cast<char*>(p);
    capacity_ = cap;
  }
  template <typename T>
  T* PushUnsafe(std::size_t count = 1) {
    T* r = reinterpret_cast<T*>(data_ + top_);
    top_ += sizeof(T) * count;
    return r;
  }
  template <typename T>
  T* Pop(std::size_t count) {
    top_ -= sizeof(T) * count;
    return reinterpret_cast<T*>(data_ + top_);
  }
  template <typename T>
  T* Top() {
    return reinterpret_cast<T*>(data_ + top_ - sizeof(T));
  }
  template <typename T>
  const T* Top() const {
    return reinterpret_cast<const T*>(data_ + top_ - sizeof(T));
  }
  template <typename T>
  T* Bottom() {
    return reinterpret_cast<T*>(data_);
  }
  void Clear() { top_ = 0; }
  void ShrinkToFit() {}
  bool Empty() const { return top_ == 0; }
  std::size_t GetSize() const { return top_; }
  std::size_t GetCapacity() const { return capacity_; }
  bool HasAllocator() const { return false; }

 private:
  char* data_ = nullptr;
  std::size_t top_ = 0;
  std::size_t capacity_ = 0;
  std::size_t initial_capacity_;
};

}  // namespace rapidjson::internal

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

namespace certharness {

using guarded_reader =
    rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, reader_stack_allocator>;

inline std::string parse_error_message(rapidjson::ParseErrorCode code) {
  return rapidjson::GetParseError_En(code);
}

}  // namespace certharness
