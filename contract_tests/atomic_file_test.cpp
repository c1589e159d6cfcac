#include "certharness/io/atomic_file.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>

#include "test_support.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;

// The error a write reported, or nullopt, for assertions that print it when they fail.
std::optional<std::string> error_of(const result<void>& r) {
  if (r) return std::nullopt;
  return r.error();
}

class write_file_atomically_test : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_atomic_file"); }
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
  ASSERT_EQ(error_of(write_file_atomically(path, "first version, longer")), std::nullopt);
  EXPECT_EQ(contents(path), "first version, longer");
  ASSERT_EQ(error_of(write_file_atomically(path, "second")), std::nullopt);
  EXPECT_EQ(contents(path), "second");
  ASSERT_EQ(error_of(write_file_atomically(path, "")), std::nullopt);
  EXPECT_EQ(contents(path), "");
  EXPECT_EQ(listing(), std::set<std::string>{"crawl.har"});
}

TEST_F(write_file_atomically_test, fails_cleanly_into_a_missing_directory) {
  const std::string path = (dir_ / "missing" / "crawl.har").string();
  const std::optional<std::string> error = error_of(write_file_atomically(path, "x"));
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find(path), std::string::npos) << *error;
  EXPECT_EQ(error->find('\n'), std::string::npos) << *error;
  EXPECT_TRUE(listing().empty());
}

TEST_F(write_file_atomically_test, fails_cleanly_when_the_target_is_a_directory) {
  fs::create_directory(dir_ / "crawl.har");
  const std::optional<std::string> error =
      error_of(write_file_atomically((dir_ / "crawl.har").string(), "x"));
  ASSERT_TRUE(error.has_value());
  EXPECT_TRUE(fs::is_directory(dir_ / "crawl.har"));
  EXPECT_EQ(listing(), std::set<std::string>{"crawl.har"});
}

// A write cut short (here by a file size limit, as a full disk would) keeps the old file whole
// and leaves no temporary file. The limit is set in a child so it cannot touch this process.
TEST_F(write_file_atomically_test, a_failed_write_never_leaves_a_partial_file) {
  const std::string path = (dir_ / "crawl.har").string();
  ASSERT_EQ(error_of(write_file_atomically(path, "old archive")), std::nullopt);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);  // make the limit an EFBIG error, not a signal
    const rlimit limit{4096, 4096};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(2);
    const std::optional<std::string> error =
        error_of(write_file_atomically(path, std::string(1 << 20, 'x')));
    ::_exit(error && error->find(path) != std::string::npos ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the oversized write did not report its error";
  EXPECT_EQ(contents(path), "old archive");
  EXPECT_EQ(listing(), std::set<std::string>{"crawl.har"});
}

// Regression: a symlink was replaced by a regular file. It is written through, relative
// links resolve from their own directory, and the link stays a link.
TEST_F(write_file_atomically_test, writes_through_a_chain_of_symlinks_to_the_final_target) {
  fs::create_directory(dir_ / "reports");
  { std::ofstream(dir_ / "reports" / "real.har") << "old"; }
  fs::create_symlink("real.har", dir_ / "reports" / "latest.har");  // relative to reports/
  fs::create_symlink("reports/latest.har", dir_ / "crawl.har");
  ASSERT_EQ(error_of(write_file_atomically((dir_ / "crawl.har").string(), "new")), std::nullopt);
  EXPECT_TRUE(fs::is_symlink(dir_ / "crawl.har"));
  EXPECT_TRUE(fs::is_symlink(dir_ / "reports" / "latest.har"));
  EXPECT_EQ(contents(dir_ / "reports" / "real.har"), "new");
  EXPECT_EQ(listing(), (std::set<std::string>{"crawl.har", "reports"}));
  std::set<std::string> in_reports;
  for (const auto& item : fs::directory_iterator(dir_ / "reports")) {
    in_reports.insert(item.path().filename());
  }
  EXPECT_EQ(in_reports, (std::set<std::string>{"latest.har", "real.har"}));
}

// Decided: a dangling symlink is followed and its target created, as the shell's `>` does.
TEST_F(write_file_atomically_test, creates_the_missing_target_of_a_dangling_symlink) {
  fs::create_symlink("made.har", dir_ / "crawl.har");
  ASSERT_EQ(error_of(write_file_atomically((dir_ / "crawl.har").string(), "made")), std::nullopt);
  EXPECT_TRUE(fs::is_symlink(dir_ / "crawl.har"));
  EXPECT_EQ(contents(dir_ / "made.har"), "made");
  EXPECT_EQ(listing(), (std::set<std::string>{"crawl.har", "made.har"}));
}

TEST_F(write_file_atomically_test, a_symlink_loop_is_an_error_that_leaves_the_links) {
  fs::create_symlink("b", dir_ / "a");
  fs::create_symlink("a", dir_ / "b");
  const std::string path = (dir_ / "a").string();
  const std::optional<std::string> error = error_of(write_file_atomically(path, "x"));
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find(path), std::string::npos) << *error;
  EXPECT_NE(error->find(std::strerror(ELOOP)), std::string::npos) << *error;
  EXPECT_TRUE(fs::is_symlink(dir_ / "a"));
  EXPECT_TRUE(fs::is_symlink(dir_ / "b"));
  EXPECT_EQ(listing(), (std::set<std::string>{"a", "b"}));
}

TEST_F(write_file_atomically_test, keeps_the_permission_bits_of_the_file_it_replaces) {
  const fs::path path = dir_ / "crawl.har";
  ASSERT_EQ(error_of(write_file_atomically(path.string(), "old")), std::nullopt);
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  ASSERT_EQ(error_of(write_file_atomically(path.string(), "new")), std::nullopt);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(contents(path), "new");
}

// Regression: a FIFO was replaced by a regular file. It is written into, and stays a FIFO.
TEST_F(write_file_atomically_test, writes_into_a_fifo_and_leaves_it_a_fifo) {
  const fs::path fifo = dir_ / "report.pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // The reader is open first (non-blocking), so the writer's open does not wait.
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  ASSERT_EQ(error_of(write_file_atomically(fifo.string(), "through the pipe")), std::nullopt);
  char buf[64] = {};
  const ssize_t n = ::read(reader, buf, sizeof buf);
  ::close(reader);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0), "through the pipe");
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(listing(), std::set<std::string>{"report.pipe"});
}

// Regression: as root, `--record /dev/full` replaced the device node with a HAR. A device is
// written into: the full device reports ENOSPC and the null device takes anything; both stay
// device nodes. The nodes are made in the scratch directory when that is allowed (so a
// regression replaces those, not the system's); otherwise the system's are used, which only
// root could replace (root without mknod skips).
TEST_F(write_file_atomically_test, writes_into_device_nodes_and_reports_their_errors) {
  const auto node = [&](const char* name, unsigned minor) -> std::optional<fs::path> {
    const fs::path made = dir_ / name;
    if (::mknod(made.c_str(), S_IFCHR | 0666, ::makedev(1, minor)) == 0) return made;
    if (::geteuid() == 0) return std::nullopt;
    return fs::path("/dev") / name;
  };
  const std::optional<fs::path> full_node = node("full", 7), null_node = node("null", 3);
  if (!full_node || !null_node) GTEST_SKIP() << "root without mknod: would risk /dev";
  const fs::path full = *full_node, null = *null_node;
  const std::optional<std::string> error = error_of(write_file_atomically(full.string(), "x"));
  ASSERT_TRUE(error.has_value()) << full << " took a write";
  EXPECT_NE(error->find(full.string()), std::string::npos) << *error;
  EXPECT_NE(error->find(std::strerror(ENOSPC)), std::string::npos) << *error;
  EXPECT_TRUE(fs::is_character_file(full)) << full << " is no longer a device";
  EXPECT_EQ(error_of(write_file_atomically(null.string(), "anything")), std::nullopt);
  EXPECT_TRUE(fs::is_character_file(null)) << null << " is no longer a device";
  for (const std::string& name : listing()) {
    EXPECT_TRUE(name == "full" || name == "null") << "left behind: " << name;
  }
}

// `--junit /dev/stdout` with stdout redirected to a file: the output lands in stdout at its
// position, between what was written before and after, and the file is not replaced (which
// would send the rest of stdout to an unlinked file). The path is a link in the scratch
// directory to /proc/self/fd/1, where /dev/stdout leads: a regression replaces that link, not
// the system's /dev/stdout. Run in a child, whose stdout can move.
TEST_F(write_file_atomically_test, a_link_to_stdout_writes_into_stdout_in_order) {
  const fs::path out = dir_ / "stdout", link = dir_ / "stdout-link";
  fs::create_symlink("/proc/self/fd/1", link);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ::dup2(fd, STDOUT_FILENO) < 0) ::_exit(2);
    if (::write(STDOUT_FILENO, "before\n", 7) != 7) ::_exit(3);
    if (!write_file_atomically(link.string(), "junit\n")) ::_exit(4);
    if (::write(STDOUT_FILENO, "after\n", 6) != 6) ::_exit(5);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(contents(out), "before\njunit\nafter\n");
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(listing(), (std::set<std::string>{"stdout", "stdout-link"}));
}

// The streaming form: nothing is visible before commit(), and an output dropped uncommitted
// leaves the old file and no temporary one.
TEST(atomic_output, publishes_at_commit_and_abandons_when_dropped) {
  const fs::path dir = test_support::fresh_test_dir("certharness_atomic_output"),
                 path = dir / "crawl.har";
  ASSERT_EQ(error_of(write_file_atomically(path.string(), "old")), std::nullopt);
  const auto read = [&] {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  {
    atomic_output out;
    ASSERT_EQ(error_of(out.open(path.string())), std::nullopt);
    ASSERT_EQ(error_of(out.write("part one, ")), std::nullopt);
    EXPECT_EQ(read(), "old");
    ASSERT_EQ(error_of(out.write("part two")), std::nullopt);
  }  // dropped
  EXPECT_EQ(read(), "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  atomic_output out;
  ASSERT_EQ(error_of(out.open(path.string())), std::nullopt);
  ASSERT_EQ(error_of(out.write("part one, ")), std::nullopt);
  ASSERT_EQ(error_of(out.write("part two")), std::nullopt);
  ASSERT_EQ(error_of(out.commit()), std::nullopt);
  EXPECT_EQ(read(), "part one, part two");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace certharness
