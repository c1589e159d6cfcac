#include "spec_option.hpp"

#include <utility>

namespace certharness::cli {

void spec_option::add_to(CLI::App& cmd) {
  cmd.add_option("--spec", path_,
                 "OpenAPI document (the official openapi.yaml or openapi.json, whole or cut to the "
                 "certificates family) to hold the API to instead of the built-in contract")
      ->type_name("PATH");
}

const contract* spec_option::resolve(command_output& output) {
  if (!given()) return &contract::builtin();
  if (loaded_) return &*loaded_;
  auto loaded = contract::load(path_);
  if (!loaded) {
    output.message("--spec " + loaded.error().describe(path_));
    return nullptr;
  }
  loaded_.emplace(std::move(*loaded));
  return &*loaded_;
}

}  // namespace certharness::cli
