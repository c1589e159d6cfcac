// Running the built `certharness` CLI from an e2e suite: each test gets a scratch directory, and
// a run captures the exit code, stdout, stderr and, when stdout is JSON, the report.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "certharness/json/json_document.hpp"
#include "corpus_files.hpp"
#include "test_support.hpp"

namespace certharness::test_support {

struct cli_result {
  int exit_code = -1;
  std::string out, err;
  std::optional<json_document> report;  // stdout decoded, when it is strict JSON
};

// Runs `<env> certharness <args>` through the shell (`env` and `args` already quoted), its
// output in `dir`.
inline cli_result run_cli(const std::filesystem::path& dir, const std::string& env,
                          const std::string& args, const std::string& stdin_path = "/dev/null") {
  const std::filesystem::path out = dir / "stdout", err = dir / "stderr";
  const std::string cmd = env + " '" + CERTHARNESS_CLI + "' " + args + " <'" + stdin_path +
                          "' >'" + out.string() + "' 2>'" + err.string() + "'";
  const int status = std::system(cmd.c_str());
  cli_result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  decode_result d = decode_json(r.out);
  if (d.ok()) r.report = std::move(d.document);
  return r;
}

}  // namespace certharness::test_support
