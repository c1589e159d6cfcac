// Range checks for the CLI's numeric options. CLI11 2.1's own conversions are not enough: an
// unsigned option takes "-1" as 2^64-1, a too-large number saturates instead of failing, "010"
// is read as octal, and "nan" passes every CLI::Range (NaN compares false both ways), so a
// refused value would otherwise become a huge count or an undefined float-to-integer cast.
// A refusal is a CLI::ValidationError, which names the option ("--timeout: ...", exit 2).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <system_error>

#include <CLI/CLI.hpp>

namespace certharness::cli {

// The largest --max-pages of crawl and replay (replay judges list.max_pages by crawl's bound).
inline constexpr std::size_t k_max_pages_bound = 1'000'000;

// A whole number min..max in plain decimal digits. The text is rewritten in canonical form
// ("007" -> "7") so that CLI11's conversion after it reads the same number.
template <class T>
CLI::Validator whole_number(T min, T max) {
  const std::string range = std::to_string(min) + ".." + std::to_string(max);
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        T value{};
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
            value > max) {
          return "wants a whole number in " + range + ", got \"" + text + "\"";
        }
        text = std::to_string(value);
        return {};
      },
      "INT in " + range);
}

// A finite number min..max: no NaN, no infinity, nothing that overflows a duration later.
inline CLI::Validator finite_number(double min, double max) {
  const std::string range = CLI::detail::to_string(min) + ".." + CLI::detail::to_string(max);
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = text.empty() ? NAN : std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value) ||
            value < min || value > max) {
          return "wants a number in " + range + ", got \"" + text + "\"";
        }
        return {};
      },
      "NUMBER in " + range);
}

// Before a unit transform (CLI::AsSizeValue), which reads "-5" as 2^64-5.
inline CLI::Validator no_minus_sign() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (text.find('-') != std::string::npos)
          return "must not be negative, got \"" + text + "\"";
        return {};
      },
      "");
}

}  // namespace certharness::cli
