#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "certharness/report.hpp"
#include "certharness/schema_registry.hpp"
#include "certharness/validate_run.hpp"
#include "commands.hpp"
#include "option_checks.hpp"
#include "input_limit_options.hpp"

namespace certharness::cli {
namespace {

struct validate_args {
  std::string schema;
  std::string format = "text";
  decode_limits limits;
  unsigned jobs = 0;
  std::vector<std::string> paths;
};

std::string join_names() {
  std::string s;
  for (const std::string& n : schema_registry::builtin().names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

int run_validate(const validate_args& args) {
  validate_options options;
  if (!args.schema.empty()) {
    if (!schema_registry::builtin().contains(args.schema)) {
      std::cerr << "certharness validate: unknown schema \"" << args.schema
                << "\" (known: " << join_names() << ")\n";
      return 2;
    }
    options.schema = args.schema;
  }
  options.limits = args.limits;
  options.jobs = args.jobs;

  std::vector<validate_input> inputs;
  if (auto err = collect_inputs(args.paths, inputs)) {
    std::cerr << "certharness validate: " << err->message << "\n";
    return 2;
  }
  validate_report report;
  if (auto err = validate_inputs(inputs, options, report)) {
    std::cerr << "certharness validate: " << err->message << "\n";
    return 2;
  }
  if (args.format == "json") {
    std::cout << render_json(report);
  } else {
    const bool color = isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
    std::cout << render_text(report, color);
  }
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "certharness validate: cannot write the report\n";
    return 2;
  }
  return report.summary.invalid == 0 ? 0 : 1;
}

}  // namespace

command_runner add_validate_command(CLI::App& app) {
  auto args = std::make_shared<validate_args>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "Check recorded responses against the certificates API contract");
  cmd->add_option("--schema", args->schema,
                  "Schema to use for every document (default: chosen from each document)");
  cmd->add_option("--format", args->format, "Report format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  add_input_limit_options(*cmd, args->limits, "document");
  cmd->add_option("--jobs,-j", args->jobs, "Worker threads (default or 0: one per core)")
      ->check(whole_number(0u, 1024u));
  cmd->add_option("PATH", args->paths, "Files, directories (*.json, recursive) or - for stdin")
      ->required();
  return [args] { return run_validate(*args); };
}

}  // namespace certharness::cli
