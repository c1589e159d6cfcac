// `certharness spec-lint`: the contract's OpenAPI document itself, for the certificates family:
// its examples decoded and judged, its path parameters, $refs and success schemas (spec_lint.hpp).
#include <memory>
#include <string>
#include <utility>

#include "api_credentials.hpp"
#include "certharness/report/run_report.hpp"
#include "certharness/spec/contract.hpp"
#include "certharness/spec/spec_lint.hpp"
#include "command_output.hpp"
#include "commands.hpp"
#include "spec_option.hpp"

namespace certharness::cli {
namespace {

struct spec_lint_args {
  spec_option spec;
  std::string format = "text";
  std::string junit_path;
};

// The lint as a run report: its subjects are the family's operations.
run_report as_run_report(spec_lint_report lint) {
  run_report report;
  report.command = "spec-lint";
  report.subjects_are_operations = true;
  for (std::string& operation : lint.operations) {
    request_record subject;
    subject.request = std::move(operation);
    report.requests.push_back(std::move(subject));
  }
  report.findings = std::move(lint.findings);
  report.groups = std::move(lint.groups);
  return report;
}

int spec_lint_with(spec_lint_args& args, command_output& output) {
  // Without --spec, the built-in document against the built-in schemas; with it, the loaded
  // document against the schemas translated from it.
  const contract* c = args.spec.resolve(output);
  if (c == nullptr) return 2;
  return output.publish(as_run_report(lint_spec(*c)), args.format, args.junit_path);
}

int run_spec_lint(spec_lint_args& args) {
  command_output output("spec-lint", secret_redactor(secrets_from_environment()));
  return output.run([&] { return spec_lint_with(args, output); });
}

}  // namespace

command_runner add_spec_lint_command(CLI::App& app) {
  auto args = std::make_shared<spec_lint_args>();
  CLI::App* cmd = app.add_subcommand(
      "spec-lint",
      "Check the OpenAPI document itself for the certificates family: its examples (decoded "
      "strictly and judged by their schemas), path parameters, $refs and success schemas");
  args->spec.add_to(*cmd);
  cmd->add_option("--format", args->format, "Report format on stdout")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--junit", args->junit_path, "Write a JUnit XML report");
  return [args] { return run_spec_lint(*args); };
}

}  // namespace certharness::cli
