#include "input_limit_options.hpp"

namespace certharness::cli {

void add_input_limit_options(CLI::App& cmd, decode_limits& limits, const std::string& what) {
  cmd.add_option("--max-depth", limits.max_depth, "Deepest nesting accepted in a " + what)
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}))
      ->capture_default_str();
  cmd.add_option("--max-bytes", limits.max_bytes, "Largest " + what + " accepted (e.g. 200MB)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
}

}  // namespace certharness::cli
