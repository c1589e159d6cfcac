#include "engine_option.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace certharness::cli {
namespace {

constexpr validation_engine k_engines[] = {validation_engine::compiled,
                                           validation_engine::valijson};

// By the library's own names (to_string), so the option cannot spell them differently.
std::optional<validation_engine> engine_named(std::string_view name) {
  for (const validation_engine e : k_engines) {
    if (to_string(e) == name) return e;
  }
  return std::nullopt;
}

}  // namespace

void add_engine_option(CLI::App& cmd, validation_engine& engine) {
  std::string names;
  for (const validation_engine e : k_engines) {
    names += (names.empty() ? "" : "|") + std::string(to_string(e));
  }
  cmd.add_option_function<std::string>(
         "--engine", [&engine](const std::string& name) { engine = *engine_named(name); },
         "Who decides whether a document is valid. compiled: the verdict program decides and "
         "valijson explains failures; valijson: valijson decides every document; findings are "
         "the same")
      ->check(CLI::Validator(
          [names](std::string& name) -> std::string {
            if (engine_named(name)) return {};
            return "wants one of " + names + ", got \"" + name + "\"";
          },
          names))
      ->default_str(std::string(to_string(engine)));
}

}  // namespace certharness::cli
