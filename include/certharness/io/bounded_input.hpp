// Reading an input whose size nobody vouches for (a file, a FIFO, a device, standard input) with
// a limit: at most limit + 1 bytes are ever read, enough to tell "over the limit" without holding
// a hostile 10 GB file, or /dev/zero, in memory. `validate` and `replay` read through it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "certharness/findings/result.hpp"

namespace certharness {

// What a bounded read got.
struct bounded_bytes {
  std::string bytes;                  // the whole input; empty when over_limit
  bool over_limit = false;            // the input has more bytes than the limit
  std::optional<std::uint64_t> size;  // the file system's size, for regular files only

  // For an input over `limit`: "N bytes, over the limit of LIMIT bytes" with the real size when
  // the file system knows it, otherwise "over the limit of LIMIT bytes" (never the limit + 1
  // bytes read to tell); then how to change the limit: "(raise it with --max-bytes)", or
  // "(the hard ceiling)" when `limit` is less than the `asked` one.
  std::string over_limit_message(std::size_t limit, std::size_t asked) const;
};

// An input opened for one bounded read. Move-only; closes what it opened.
//
// A FIFO or pipe is read only if it has a writer when it is read: one with no writer (nobody
// ever opened it for writing, or its writer closed it without writing) is refused at once
// rather than waited for forever. `-` (standard input) is read as it is, blocking, as the user
// chose it.
class bounded_input {
 public:
  // "-" is standard input (left open). Anything else is opened read-only without waiting for
  // a FIFO's writer; a directory is refused. Error: one line naming the path.
  static result<bounded_input> open(const std::string& path);

  bounded_input(bounded_input&& other) noexcept;
  bounded_input& operator=(bounded_input&& other) noexcept;
  bounded_input(const bounded_input&) = delete;
  bounded_input& operator=(const bounded_input&) = delete;
  ~bounded_input();

  const std::string& path() const noexcept { return path_; }

  // The most bytes read_at_most(limit) will hold: a regular file's size when within the limit,
  // 0 when over it (it is not read at all), limit + 1 for anything else.
  std::size_t bytes_to_hold(std::size_t limit) const noexcept;

  // Reads the input, at most limit + 1 bytes of it. Error: one line naming the path.
  result<bounded_bytes> read_at_most(std::size_t limit);

 private:
  bounded_input(std::string path, int fd, bool owned, bool pipe,
                std::optional<std::uint64_t> size) noexcept;

  std::string path_;
  int fd_ = -1;
  bool owned_ = false;  // opened here (closed by the destructor); standard input is not
  bool pipe_ = false;   // a FIFO or pipe opened here: refused when it has no writer
  std::optional<std::uint64_t> size_;  // regular files opened here
};

// open() then read_at_most().
result<bounded_bytes> read_bounded(const std::string& path, std::size_t limit);

}  // namespace certharness
