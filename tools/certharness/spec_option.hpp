// --spec PATH, declared once for every command that holds the API to a contract (validate, crawl,
// replay, spec-lint, spec-schemas): the official openapi.yaml/openapi.json, whole or cut to the
// family, read at run time. Without it, the contract compiled in.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "certharness/spec/contract.hpp"
#include "command_output.hpp"

namespace certharness::cli {

class spec_option {
 public:
  void add_to(CLI::App& cmd);

  bool given() const noexcept { return !path_.empty(); }
  const std::string& path() const noexcept { return path_; }

  // The contract to run with: the built-in one, or the document --spec names, loaded once. On a
  // document that cannot be used, one message naming the file and the place in it, and nullptr:
  // the command exits 2.
  const contract* resolve(command_output& output);

 private:
  std::string path_;
  std::optional<contract> loaded_;
};

}  // namespace certharness::cli
