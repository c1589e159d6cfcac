#include "certharness/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace certharness {
namespace {

namespace fs = std::filesystem;

class write_file_atomically_test : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "atomic_file_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::set<std::string> listing() const {
    std::set<std::string> names;
    for (const auto& item : fs::directory_iterator(dir_)) names.insert(item.path().filename());
    return names;
  }
  static std::string contents(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path dir_;
};

TEST_F(write_file_atomically_test, writes_then_replaces_leaving_only_the_target) {
  const std::string path = (dir_ / "crawl.har").string();
  ASSERT_EQ(write_file_atomically(path, "first version, longer"), std::nullopt);
  EXPECT_EQ(contents(path), "first version, longer");
  ASSERT_EQ(write_file_atomically(path, "second"), std::nullopt);
  EXPECT_EQ(contents(path), "second");
  ASSERT_EQ(write_file_atomically(path, ""), std::nullopt);
  EXPECT_EQ(contents(path), "");
  EXPECT_EQ(listing(), std::set<std::string>{"crawl.har"});
}

TEST_F(write_file_atomically_test, fails_cleanly_into_a_missing_directory) {
  const std::string path = (dir_ / "missing" / "crawl.har").string();
  const std::optional<std::string> error = write_file_atomically(path, "x");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find(path), std::string::npos) << *error;
  EXPECT_EQ(error->find('\n'), std::string::npos) << *error;
  EXPECT_TRUE(listing().empty());
}

TEST_F(write_file_atomically_test, fails_cleanly_when_the_target_is_a_directory) {
  fs::create_directory(dir_ / "crawl.har");
  const std::optional<std::string> error =
      write_file_atomically((dir_ / "crawl.har").string(), "x");
  ASSERT_TRUE(error.has_value());
  EXPECT_TRUE(fs::is_directory(dir_ / "crawl.har"));
  EXPECT_EQ(listing(), std::set<std::string>{"crawl.har"});
}

// A write cut short (here by a file size limit, as a full disk would) keeps the old file whole
// and leaves no temporary file. The limit is set in a child so it cannot touch this process.
TEST_F(write_file_atomically_test, a_failed_write_never_leaves_a_partial_file) {
  const std::string path = (dir_ / "crawl.har").string();
  ASSERT_EQ(write_file_atomically(path, "old archive"), std::nullopt);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);  // make the limit an EFBIG error, not a signal
    const rlimit limit{4096, 4096};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(2);
    const std::optional<std::string> error = write_file_atomically(path, std::string(1 << 20, 'x'));
    ::_exit(error && error->find(path) != std::string::npos ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the oversized write did not report its error";
  EXPECT_EQ(contents(path), "old archive");
  EXPECT_EQ(listing(), std::set<std::string>{"crawl.har"});
}

}  // namespace
}  // namespace certharness
