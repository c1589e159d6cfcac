// --max-bytes and --max-depth, declared once for the commands that read hostile inputs
// (validate: each document; replay: each archive), so both say and check the same thing.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "certharness/json/json_document.hpp"

namespace certharness::cli {

// Binds the options to `limits` (whose values are the defaults shown); `what` names what they
// limit ("document", "archive").
void add_input_limit_options(CLI::App& cmd, decode_limits& limits, const std::string& what);

}  // namespace certharness::cli
