// Writing a report or a recording so that nothing is ever written half, and so that what the
// path points at (a symlink, a FIFO, a device, the terminal) is written to, never replaced.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "certharness/findings/result.hpp"

namespace certharness {

// An output file written piece by piece and published whole at commit(). Where `path` leads:
// - Symlinks are followed to their final target (at most 40 hops, else ELOOP); a dangling one
//   is followed too, and its target created, as the shell's `>` does. The link stays a link.
// - A regular file or a new path: a temporary file "<target>.tmp.<pid>.<random>" in the
//   target's directory, with the permission bits of the file it replaces; commit() fsyncs it,
//   renames it over the target and fsyncs the directory. Readers see the old file or the new
//   one, never half of one; abandoning (or any failure) removes the temporary file. The
//   target's hard links to other names, and its owner, are not kept.
// - Any other existing file (FIFO, character or block device, terminal) is opened for writing
//   (no truncation, no creation; a FIFO waits for a reader, as the shell's `>` does, and a
//   signal ends the wait with an error) and written straight into: there is nothing to replace
//   atomically, and what was written before a failure stays written.
// - A /proc/<pid>/fd/N link (where /dev/stdout, /dev/stderr and /dev/fd/N lead) names an open
//   file, not a path: it is written straight into, through the open descriptor when it is one
//   of this process's, so `--junit /dev/stdout` lands in stdout in order whatever stdout is.
// - A directory is refused.
// Errors are one line naming the path; after the first, write() does nothing and commit()
// returns that error. Neither copyable nor movable.
class atomic_output {
 public:
  atomic_output() = default;
  atomic_output(const atomic_output&) = delete;
  atomic_output& operator=(const atomic_output&) = delete;
  ~atomic_output() { abandon(); }

  result<void> open(const std::string& path);
  result<void> write(std::string_view data);
  // Publishes what was written (see above); the output is closed afterwards, whatever happens.
  result<void> commit();
  // Closes without publishing: a temporary file is removed, a direct write is left as it is.
  void abandon();

 private:
  result<void> fail(std::string_view step, int error);

  std::string path_;    // as given, for messages
  std::string target_;  // the file written or replaced
  std::string temp_;    // empty when writing straight into target_
  int fd_ = -1;
  std::optional<std::string> error_;
};

// open + write + commit of `contents` (see atomic_output).
result<void> write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace certharness
