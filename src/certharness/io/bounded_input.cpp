#include "certharness/io/bounded_input.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

namespace certharness {

std::string bounded_bytes::over_limit_message(std::size_t limit, std::size_t asked) const {
  return (size ? std::to_string(*size) + " bytes, over" : std::string("over")) + " the limit of " +
         std::to_string(limit) + " bytes" +
         (limit < asked ? " (the hard ceiling)" : " (raise it with --max-bytes)");
}

bounded_input::bounded_input(std::string path, int fd, bool owned, bool pipe,
                             std::optional<std::uint64_t> size) noexcept
    : path_(std::move(path)), fd_(fd), owned_(owned), pipe_(pipe), size_(size) {}

bounded_input::bounded_input(bounded_input&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      owned_(std::exchange(other.owned_, false)),
      pipe_(other.pipe_),
      size_(other.size_) {}

bounded_input& bounded_input::operator=(bounded_input&& other) noexcept {
  if (this != &other) {
    if (owned_) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    owned_ = std::exchange(other.owned_, false);
    pipe_ = other.pipe_;
    size_ = other.size_;
  }
  return *this;
}

bounded_input::~bounded_input() {
  if (owned_) ::close(fd_);
}

result<bounded_input> bounded_input::open(const std::string& path) {
  if (path == "-") return bounded_input("-", STDIN_FILENO, false, false, std::nullopt);
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever if none
  // comes. read_at_most() tells "no writer" from "no data yet" by the first read.
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return failure(path + ": cannot open: " + std::strerror(errno));
  bounded_input in(path, fd, true, false, std::nullopt);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return failure(path + ": cannot open: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return failure(path + ": is a directory");
  if (S_ISREG(st.st_mode)) in.size_ = static_cast<std::uint64_t>(st.st_size);
  in.pipe_ = S_ISFIFO(st.st_mode);
  return in;
}

std::size_t bounded_input::bytes_to_hold(std::size_t limit) const noexcept {
  if (size_) return *size_ > limit ? 0 : static_cast<std::size_t>(*size_);
  return limit == std::numeric_limits<std::size_t>::max() ? limit : limit + 1;
}

result<bounded_bytes> bounded_input::read_at_most(std::size_t limit) {
  bounded_bytes out;
  out.size = size_;
  if (size_ && *size_ > limit) {  // the file system says so: nothing to read
    out.over_limit = true;
    return out;
  }
  // One byte past the limit says "over the limit".
  const std::size_t cap = limit == std::numeric_limits<std::size_t>::max() ? limit : limit + 1;
  std::string& bytes = out.bytes;
  if (size_) bytes.resize(static_cast<std::size_t>(*size_));  // a file can still grow: cap holds
  std::size_t got = 0;
  bool first = true;
  char chunk[1 << 16];
  while (got < cap) {
    const bool into_bytes = got < bytes.size();
    char* const to = into_bytes ? bytes.data() + got : chunk;
    const std::size_t want = into_bytes ? bytes.size() - got : std::min(sizeof chunk, cap - got);
    const ssize_t n = ::read(fd_, to, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // A writer is there but has not written yet (or a non-blocking standard input): wait.
      first = false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, -1) < 0 && errno != EINTR) {
        return failure(path_ + ": cannot read: " + std::strerror(errno));
      }
      continue;
    }
    if (n < 0) return failure(path_ + ": cannot read: " + std::strerror(errno));
    if (n == 0) {
      if (first && pipe_) {
        return failure(path_ +
                       ": a FIFO or pipe with no writer (it is read only while a writer has it "
                       "open)");
      }
      break;
    }
    first = false;
    if (!into_bytes) {
      bytes.resize(got);
      bytes.append(chunk, static_cast<std::size_t>(n));
    }
    got += static_cast<std::size_t>(n);
  }
  bytes.resize(got);
  if (got > limit) {
    out.over_limit = true;
    out.size.reset();  // it grew past what the file system said
    std::string().swap(bytes);
  }
  return out;
}

result<bounded_bytes> read_bounded(const std::string& path, std::size_t limit) {
  result<bounded_input> opened = bounded_input::open(path);
  if (!opened) return failure(std::move(opened).error());
  return opened->read_at_most(limit);
}

}  // namespace certharness
