// Writing a report or a recording so that nothing is ever written half.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certharness {

// Writes `contents` to `path` atomically ("<path>.tmp.<pid>.<random>" in the same directory,
// fsync, rename, fsync of the directory): readers see the old file or the new one, never half
// of one, and no temporary file is left after a failure. Error: one line naming the path.
std::optional<std::string> write_file_atomically(const std::string& path,
                                                 std::string_view contents);

}  // namespace certharness
