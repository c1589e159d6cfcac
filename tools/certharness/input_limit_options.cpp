#include "input_limit_options.hpp"

#include "option_checks.hpp"

namespace certharness::cli {

void add_input_limit_options(CLI::App& cmd, decode_limits& limits, const std::string& what) {
  cmd.add_option("--max-depth", limits.max_depth, "Deepest nesting accepted in a " + what)
      ->check(whole_number<std::size_t>(1, 10'000'000))
      ->capture_default_str();
  cmd.add_option("--max-bytes", limits.max_bytes, "Largest " + what + " accepted (e.g. 200MB)")
      ->check(no_minus_sign())
      ->transform(CLI::AsSizeValue(false))
      ->check(whole_number<std::size_t>(1, k_max_bytes_ceiling))
      ->capture_default_str();
}

}  // namespace certharness::cli
