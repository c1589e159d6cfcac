// Subcommands of the certharness CLI. Each registers its options and returns the exit code:
// 0 pass, 1 findings, 2 the run could not be carried out.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace certharness::cli {

using command_runner = std::function<int()>;

command_runner add_validate_command(CLI::App& app);
command_runner add_serve_command(CLI::App& app);
command_runner add_crawl_command(CLI::App& app);
command_runner add_replay_command(CLI::App& app);
command_runner add_spec_schemas_command(CLI::App& app);
command_runner add_spec_lint_command(CLI::App& app);
command_runner add_spec_diff_command(CLI::App& app);

}  // namespace certharness::cli
