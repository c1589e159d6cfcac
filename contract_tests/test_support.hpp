// Helpers every kind of suite shares (unit, contract, e2e): reading a file whole, and a scratch
// directory per test. Suite-specific helpers live beside it: corpus_files.hpp (the labelled
// corpus), cli_process.hpp and serve_process.hpp (e2e), report_reading.hpp (JSON reports).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "certharness/findings/finding.hpp"

namespace certharness::test_support {

// Findings as text for failure messages and for comparing two runs: every field a finding has.
inline std::string describe_findings(const findings& fs) {
  std::string s;
  for (const finding& f : fs) {
    s += "  " + std::string(to_string(f.level)) + " " + f.check + " [" + f.keyword + "] at '" +
         f.pointer + "'";
    if (!f.other_pointer.empty()) s += " (other '" + f.other_pointer + "')";
    if (f.position) s += " (offset " + std::to_string(f.position->offset) + ")";
    s += ": " + f.message + "\n";
  }
  return s.empty() ? "  (no findings)\n" : s;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// An empty directory named after the suite's prefix, the process and the running test, so
// tests running in parallel (ctest -j) never share one. The caller removes it (TearDown).
inline std::filesystem::path fresh_test_dir(const std::string& prefix) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      (prefix + "_" + std::to_string(::getpid()) + "_" +
       ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace certharness::test_support
