#include "certharness/io/atomic_file.hpp"

#include "certharness/io/ascii_text.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

namespace certharness {

namespace {

namespace fs = std::filesystem;

// As the kernel's own bound on a chain of symlinks (MAXSYMLINKS).
constexpr int k_max_symlink_hops = 40;

// 0 or the errno of the failed write.
int write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

std::string directory_of(const std::string& path) {
  std::string directory = fs::path(path).parent_path().string();
  return directory.empty() ? "." : directory;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// A link in /proc/<pid>/fd or /proc/<pid>/task/<tid>/fd (what /dev/stdout and /dev/fd/N lead
// to) names an open file, not a path: its readlink text may be "pipe:[123]" or a deleted
// file's name. Says whether `link` is one, and its descriptor number when it is this process's.
struct fd_link {
  bool is = false;
  int own_fd = -1;  // -1: another process's
};

fd_link proc_fd_link(const std::string& link) {
  const std::unique_ptr<char, decltype(&std::free)> parent(
      ::realpath(directory_of(link).c_str(), nullptr), &std::free);
  if (!parent) return {};
  const std::string_view dir(parent.get());
  if (!dir.starts_with("/proc/") || !dir.ends_with("/fd")) return {};
  const std::string_view between = dir.substr(6, dir.size() - 9);  // "<pid>[/task/<tid>]"
  const std::string_view pid = between.substr(0, between.find('/'));
  const std::string_view rest = between.substr(pid.size());
  if (!all_digits(pid) ||
      (!rest.empty() && !(rest.starts_with("/task/") && all_digits(rest.substr(6))))) {
    return {};
  }
  const std::string name = fs::path(link).filename().string();
  if (!all_digits(name) || name.size() > 9 || pid != std::to_string(::getpid())) return {true, -1};
  return {true, std::stoi(name)};
}

}  // namespace

result<void> atomic_output::fail(std::string_view step, int error) {
  abandon();
  error_ = "cannot write " + path_ + ": " + std::string(step) + ": " + std::strerror(error);
  return failure(*error_);
}

result<void> atomic_output::open(const std::string& path) {
  abandon();
  error_.reset();
  path_ = path;
  // Follow symlinks by hand: a dangling one still names the file to create, which realpath
  // cannot say, and /proc fd links must be caught before their text is taken for a path.
  std::string at = path;
  for (int hop = 0;; ++hop) {
    struct stat st {};
    if (::lstat(at.c_str(), &st) != 0) {
      if (errno != ENOENT) return fail("looking it up", errno);
      target_ = at;  // a new file, or the missing target of a dangling symlink
      break;
    }
    if (S_ISLNK(st.st_mode)) {
      if (hop == k_max_symlink_hops) return fail("following its symlinks", ELOOP);
      if (const fd_link fd = proc_fd_link(at); fd.is) {
        target_ = at;
        fd_ = fd.own_fd >= 0 ? ::fcntl(fd.own_fd, F_DUPFD_CLOEXEC, 0)
                             : ::open(at.c_str(), O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
        if (fd_ < 0) return fail("opening it", errno);
        return {};
      }
      std::string text(PATH_MAX, '\0');
      const ssize_t n = ::readlink(at.c_str(), text.data(), text.size());
      if (n < 0) return fail("reading its symlink", errno);
      if (static_cast<std::size_t>(n) >= text.size())
        return fail("reading its symlink", ENAMETOOLONG);
      text.resize(static_cast<std::size_t>(n));
      at = (fs::path(at).parent_path() / text).string();  // an absolute `text` replaces it
      continue;
    }
    if (S_ISDIR(st.st_mode)) return fail("opening it", EISDIR);
    if (!S_ISREG(st.st_mode)) {
      // FIFO, device, socket: no truncation (a device has no length), no creation.
      target_ = at;
      fd_ = ::open(at.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
      if (fd_ < 0) return fail("opening it", errno);
      return {};
    }
    target_ = at;
    break;
  }

  // A regular file or a new one: replaced whole at commit().
  struct stat old {};
  const bool replacing = ::stat(target_.c_str(), &old) == 0 && S_ISREG(old.st_mode);
  for (int attempt = 0; fd_ < 0 && attempt < 8; ++attempt) {  // retried only on a name clash
    temp_ = target_ + ".tmp." + std::to_string(::getpid()) + "." + random_hex();
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0 && errno != EEXIST) break;
  }
  if (fd_ < 0) {
    const int error = errno;
    temp_.clear();  // never made: nothing to remove
    return fail("creating a temporary file", error);
  }
  // A report replacing a 0600 one must not become readable by others.
  if (replacing && ::fchmod(fd_, old.st_mode & 07777) != 0) return fail("setting its mode", errno);
  return {};
}

result<void> atomic_output::write(std::string_view data) {
  if (error_) return failure(*error_);
  if (fd_ < 0) return fail("writing", EBADF);
  if (const int error = write_all(fd_, data)) return fail("writing", error);
  return {};
}

result<void> atomic_output::commit() {
  if (error_) return failure(*error_);
  if (fd_ < 0) return fail("committing", EBADF);
  const int fd = fd_;
  fd_ = -1;
  if (temp_.empty()) {
    // Written straight into a FIFO, a device or an open file: closing is all there is.
    if (::close(fd) != 0 && errno != EINTR) return fail("closing", errno);
    return {};
  }
  // From here every failure removes the temporary file, so the target is the old one or none.
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    return fail("syncing", error);
  }
  if (::close(fd) != 0) return fail("closing", errno);
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    return fail("renaming the temporary file over it", errno);
  }
  temp_.clear();
  // The rename survives a crash only once the directory is synced. Some filesystems cannot
  // sync a directory (EINVAL); there is nothing more to do on those.
  const int dir_fd = ::open(directory_of(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return fail("opening its directory", errno);
  const int error = ::fsync(dir_fd) != 0 && errno != EINVAL ? errno : 0;
  ::close(dir_fd);
  if (error != 0) return fail("syncing its directory", error);
  return {};
}

void atomic_output::abandon() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
}

result<void> write_file_atomically(const std::string& path, std::string_view contents) {
  atomic_output out;
  if (result<void> opened = out.open(path); !opened) return opened;
  if (result<void> written = out.write(contents); !written) return written;
  return out.commit();
}

}  // namespace certharness
