// The labelled corpus as test parameters: corpus/responses/<Schema>/{valid,invalid}/*.json.
// Adding a file adds a test case, with no code.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace certharness::test_support {

struct corpus_file {
  std::string path;      // absolute
  std::string relative;  // e.g. "Certificate/invalid/schema--missing-id.json"
  std::string schema;    // directory name
  bool expect_valid = false;
  std::string expected_check;  // for invalid files: the part of the name before "--"
};

inline void PrintTo(const corpus_file& f, std::ostream* os) { *os << f.relative; }

inline std::vector<corpus_file> corpus_files() {
  namespace fs = std::filesystem;
  std::vector<corpus_file> out;
  const fs::path root = fs::path(CERTHARNESS_CORPUS_DIR) / "responses";
  if (!fs::exists(root)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    const fs::path label_dir = entry.path().parent_path();
    corpus_file f;
    f.path = entry.path().string();
    f.relative = fs::relative(entry.path(), root).string();
    f.schema = label_dir.parent_path().filename().string();
    f.expect_valid = label_dir.filename() == "valid";
    if (!f.expect_valid) {
      const std::string stem = entry.path().stem().string();
      const std::size_t dash = stem.find("--");
      f.expected_check = dash == std::string::npos ? "" : stem.substr(0, dash);
    }
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(),
            [](const corpus_file& a, const corpus_file& b) { return a.relative < b.relative; });
  return out;
}

// gtest parameter names allow only [A-Za-z0-9_].
inline std::string test_name_of(const corpus_file& f) {
  std::string name;
  for (char c : f.relative) {
    name.push_back((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
  }
  return name;
}

}  // namespace certharness::test_support
