// bounded_input: at most limit + 1 bytes of any input, the real size in over-limit messages,
// and a FIFO with no writer refused at once rather than waited for.
#include "certharness/io/bounded_input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include "test_support.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;

class bounded_input_test : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_bounded_input"); }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& bytes) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

  fs::path dir_;
};

// The read's bytes, or a test failure naming the error.
bounded_bytes must_read(const std::string& path, std::size_t limit) {
  result<bounded_bytes> r = read_bounded(path, limit);
  if (!r) {
    ADD_FAILURE() << path << ": unexpected error: " << r.error();
    return {};
  }
  return *std::move(r);
}

TEST_F(bounded_input_test, file_within_and_at_the_limit_is_read_whole) {
  const fs::path p = write("ten.json", "0123456789");
  for (const std::size_t limit : {10u, 11u, 1000u}) {
    const bounded_bytes b = must_read(p.string(), limit);
    EXPECT_FALSE(b.over_limit) << "limit " << limit;
    EXPECT_EQ(b.bytes, "0123456789") << "limit " << limit;
    EXPECT_EQ(b.size, 10u) << "limit " << limit;
  }
}

TEST_F(bounded_input_test, file_over_the_limit_is_not_read_and_says_its_real_size) {
  const fs::path p = dir_ / "big.json";
  std::ofstream(p).close();
  fs::resize_file(p, 200'000'000);  // sparse: costs no disk
  auto opened = bounded_input::open(p.string());
  ASSERT_TRUE(opened.has_value()) << opened.error();
  EXPECT_EQ(opened->bytes_to_hold(1000), 0u) << "nothing is read";
  auto read = opened->read_at_most(1000);
  ASSERT_TRUE(read.has_value());
  const bounded_bytes& b = *read;
  EXPECT_TRUE(b.over_limit);
  EXPECT_TRUE(b.bytes.empty());
  EXPECT_EQ(b.over_limit_message(1000, 1000),
            "200000000 bytes, over the limit of 1000 bytes (raise it with --max-bytes)");
  EXPECT_EQ(b.over_limit_message(1000, 5000),
            "200000000 bytes, over the limit of 1000 bytes (the hard ceiling)");
}

TEST_F(bounded_input_test, endless_device_is_read_only_to_the_limit_plus_one) {
  auto opened = bounded_input::open("/dev/zero");
  ASSERT_TRUE(opened.has_value()) << opened.error();
  EXPECT_EQ(opened->bytes_to_hold(4096), 4097u);
  auto read = opened->read_at_most(4096);
  ASSERT_TRUE(read.has_value());
  const bounded_bytes& b = *read;
  EXPECT_TRUE(b.over_limit);
  EXPECT_FALSE(b.size.has_value());
  // Never the limit + 1 bytes it read to tell.
  EXPECT_EQ(b.over_limit_message(4096, 4096),
            "over the limit of 4096 bytes (raise it with --max-bytes)");
}

TEST_F(bounded_input_test, pipe_with_a_writer_is_read_to_its_end) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  // The writer writes after the read may have started waiting, or before: either way the read
  // gets everything, then the end.
  std::thread writer([fd = fds[1]] {
    const std::string doc = R"({"object":"certificate"})";
    EXPECT_EQ(::write(fd, doc.data(), doc.size()), static_cast<ssize_t>(doc.size()));
    ::close(fd);
  });
  const bounded_bytes b = must_read("/dev/fd/" + std::to_string(fds[0]), 1 << 20);
  writer.join();
  ::close(fds[0]);
  EXPECT_FALSE(b.over_limit);
  EXPECT_EQ(b.bytes, R"({"object":"certificate"})");
}

TEST_F(bounded_input_test, fifo_without_a_writer_is_refused_at_once) {
  const fs::path fifo = dir_ / "fifo.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Watchdog, not a timer: should the read wait for a writer, one comes after 60 s (opening
  // and closing the FIFO), so the test ends and fails instead of hanging.
  std::mutex m;
  std::condition_variable cv;
  bool done = false, fired = false;
  std::thread watchdog([&] {
    std::unique_lock lock(m);
    if (cv.wait_for(lock, std::chrono::seconds(60), [&] { return done; })) return;
    fired = true;
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
  });
  auto r = read_bounded(fifo.string(), 1000);
  {
    std::lock_guard lock(m);
    done = true;
  }
  cv.notify_all();
  watchdog.join();
  EXPECT_FALSE(fired) << "the read waited for a writer";
  ASSERT_FALSE(r.has_value()) << "a FIFO with no writer must be refused";
  EXPECT_EQ(r.error(), fifo.string() +
                           ": a FIFO or pipe with no writer (it is read only "
                           "while a writer has it open)");
}

TEST_F(bounded_input_test, unreadable_paths_are_one_line_naming_the_path) {
  for (const fs::path& p : {dir_ / "missing.json", dir_}) {
    auto r = read_bounded(p.string(), 1000);
    ASSERT_FALSE(r.has_value()) << p;
    const std::string& error = r.error();
    EXPECT_EQ(error.rfind(p.string() + ": ", 0), 0u) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace certharness
