#include "certharness/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

namespace certharness {

namespace {

std::string random_hex() {
  std::random_device device;
  const std::uint64_t v = std::uint64_t{device()} << 32 | device();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

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

}  // namespace

std::optional<std::string> write_file_atomically(const std::string& path,
                                                 std::string_view contents) {
  const auto failure = [&](std::string_view step, int error) {
    return "cannot write " + path + ": " + std::string(step) + ": " + std::strerror(error);
  };
  std::string directory = std::filesystem::path(path).parent_path().string();
  if (directory.empty()) directory = ".";

  std::string temp;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 8; ++attempt) {  // retried only on a name clash
    temp = path + ".tmp." + std::to_string(::getpid()) + "." + random_hex();
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) return failure("creating a temporary file", errno);

  // From here every failure removes the temporary file, so the target is the old one or none.
  std::string_view step = "writing";
  int error = write_all(fd, contents);
  if (error == 0 && ::fsync(fd) != 0) {
    error = errno;
    step = "syncing";
  }
  if (::close(fd) != 0 && error == 0) {
    error = errno;
    step = "closing";
  }
  if (error == 0 && ::rename(temp.c_str(), path.c_str()) != 0) {
    error = errno;
    step = "renaming the temporary file over it";
  }
  if (error != 0) {
    ::unlink(temp.c_str());
    return failure(step, error);
  }

  // The rename survives a crash only once the directory is synced. Some filesystems cannot
  // sync a directory (EINVAL); there is nothing more to do on those.
  const int dir_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return failure("opening its directory", errno);
  error = ::fsync(dir_fd) != 0 && errno != EINVAL ? errno : 0;
  ::close(dir_fd);
  if (error != 0) return failure("syncing its directory", error);
  return std::nullopt;
}

}  // namespace certharness
