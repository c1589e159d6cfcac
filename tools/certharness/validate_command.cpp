#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api_credentials.hpp"
#include "certharness/report/report.hpp"
#include "certharness/validate/validate_run.hpp"
#include "command_output.hpp"
#include "commands.hpp"
#include "engine_option.hpp"
#include "input_limit_options.hpp"
#include "option_checks.hpp"
#include "spec_option.hpp"

namespace certharness::cli {
namespace {

struct validate_args {
  std::string schema;
  std::string format = "text";
  decode_limits limits;
  unsigned jobs = 0;
  std::vector<std::string> paths;
  spec_option spec;
  validation_engine engine = validation_engine::compiled;
};

std::string join_names(const schema_registry& schemas) {
  std::string s;
  for (const std::string& n : schemas.names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

int validate_with(validate_args& args, command_output& output) {
  const contract* spec = args.spec.resolve(output);
  if (!spec) return 2;
  validate_options options;
  options.spec = *spec;
  if (!args.schema.empty()) {
    if (!spec->schemas().contains(args.schema)) {
      output.message("unknown schema \"" + args.schema + "\" (known" +
                     (args.spec.given() ? " to " + args.spec.path() : std::string()) + ": " +
                     join_names(spec->schemas()) + ")");
      return 2;
    }
    options.schema = args.schema;
  }
  options.limits = args.limits;
  options.jobs = args.jobs;
  options.engine = args.engine;

  const result<std::vector<validate_input>> inputs = collect_inputs(args.paths);
  if (!inputs) {
    output.message(inputs.error());
    return 2;
  }
  const result<validate_report> validated = validate_inputs(*inputs, options);
  if (!validated) {
    output.message(validated.error());
    return 2;
  }
  const validate_report& report = *validated;
  if (args.format == "json") {
    output.report(render_json(report));
  } else {
    const bool color = isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
    output.report(render_text(report, color));
  }
  return report.summary.invalid == 0 ? 0 : 1;
}

// Through the same output as crawl and replay: a report that cannot be written exits 2, and the
// environment's key and organization id stay out of it (a recorded document may echo them).
int run_validate(validate_args& args) {
  command_output output("validate", secret_redactor(secrets_from_environment()));
  return output.finish(validate_with(args, output));
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
  args->spec.add_to(*cmd);
  add_engine_option(*cmd, args->engine);
  cmd->add_option("--jobs,-j", args->jobs, "Worker threads (default or 0: one per core)")
      ->check(whole_number(0u, 1024u));
  cmd->add_option("PATH", args->paths, "Files, directories (*.json, recursive) or - for stdin")
      ->required();
  return [args] { return run_validate(*args); };
}

}  // namespace certharness::cli
