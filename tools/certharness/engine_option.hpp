// --engine compiled|valijson, declared once for every command that judges documents against the
// contract's schemas (validate, crawl, replay), so all three say and check the same thing.
#pragma once

#include <CLI/CLI.hpp>

#include "certharness/schema/schema_registry.hpp"

namespace certharness::cli {

// Binds the option to `engine` (default compiled); any other value exits 2 naming the option.
void add_engine_option(CLI::App& cmd, validation_engine& engine);

}  // namespace certharness::cli
