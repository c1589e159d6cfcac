// validate_inputs with its worker threads, in process: what workers throw comes back to the
// caller after every worker has stopped (never std::terminate), with any number of jobs.
//
// This executable replaces the global operator new so that a test can make every allocation of
// at least N bytes fail, on every thread (ASan's own operator new reports and dies instead of
// throwing std::bad_alloc, so running out of memory cannot be provoked otherwise under ASan).
#include "certharness/validate/validate_run.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#include "certharness/schema/schema_registry.hpp"

namespace {
// 0: allocations never fail on purpose.
std::atomic<std::size_t> fail_allocations_from{0};
}  // namespace

namespace {
void* allocate(std::size_t n) {
  const std::size_t from = fail_allocations_from.load(std::memory_order_relaxed);
  if (from != 0 && n >= from) throw std::bad_alloc();
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
}  // namespace

// Every replaceable form, so that whatever allocates and frees goes through malloc and free.
void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace certharness {
namespace {

namespace fs = std::filesystem;

class validate_run_test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("certharness_validate_run_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    schema_registry::builtin();  // compiled before any allocation is made to fail
  }
  void TearDown() override {
    fail_allocations_from = 0;
    fs::remove_all(dir_);
  }

  fs::path dir_;
};

TEST_F(validate_run_test, out_of_memory_in_workers_is_rethrown_after_they_stop) {
  // Eight 2 MB documents; reading one needs a 2 MB buffer, which cannot be had.
  std::vector<validate_input> inputs;
  for (int i = 0; i < 8; ++i) {
    const fs::path p = dir_ / ("doc" + std::to_string(i) + ".json");
    std::ofstream(p) << "[" << std::string(2'000'000, ' ') << "]";
    inputs.push_back(validate_input{p.string()});
  }
  for (const unsigned jobs : {1u, 2u, 4u, 8u}) {
    validate_options options;
    options.jobs = jobs;
    fail_allocations_from = 1'000'000;
    EXPECT_THROW((void)validate_inputs(inputs, options), std::bad_alloc) << jobs << " jobs";
    fail_allocations_from = 0;
  }
  // And with memory to spare, the same inputs validate.
  validate_options options;
  options.jobs = 4;
  const result<validate_report> report = validate_inputs(inputs, options);
  ASSERT_TRUE(report.has_value()) << report.error();
  EXPECT_EQ(report->summary.subjects, inputs.size());
}

}  // namespace
}  // namespace certharness
