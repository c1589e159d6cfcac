// certharness: contract testing and fuzzing harness for the OpenAI certificates API.
#include <cstdio>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "certharness/version.hpp"
#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"certharness: contract testing for the OpenAI organization certificates API"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "certharness " + std::string{certharness::k_version});
  const std::vector<std::pair<std::string, certharness::cli::command_runner>> commands{
      {"validate", certharness::cli::add_validate_command(app)},
      {"serve", certharness::cli::add_serve_command(app)},
      {"crawl", certharness::cli::add_crawl_command(app)},
      {"replay", certharness::cli::add_replay_command(app)},
      {"spec-schemas", certharness::cli::add_spec_schemas_command(app)},
      {"spec-lint", certharness::cli::add_spec_lint_command(app)},
      {"spec-diff", certharness::cli::add_spec_diff_command(app)},
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    // One line, as every "could not run" message (CLI11's own adds a second).
    std::cerr << "certharness: " << e.what() << " (see certharness --help)\n";
    return 2;
  }
  try {
    for (const auto& [name, run] : commands) {
      if (app.got_subcommand(name)) return run();
    }
  } catch (const std::bad_alloc&) {
    std::cerr << "certharness: out of memory\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "certharness: " << e.what() << "\n";
    return 2;
  }
  return 2;
}
