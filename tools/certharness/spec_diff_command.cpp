// `certharness spec-diff OLD NEW`: what changed in the certificates family's contract from one
// OpenAPI document to another (see spec_diff.hpp). Exit 0: no breaking change (notes and
// warnings only, or nothing); 1: a breaking change (an error finding); 2: a document that cannot
// be read (the message names the file and the place in it) or a JUnit file not written.
#include <memory>
#include <string>

#include "api_credentials.hpp"
#include "certharness/spec/openapi_document.hpp"
#include "certharness/spec/spec_diff.hpp"
#include "command_output.hpp"
#include "commands.hpp"

namespace certharness::cli {
namespace {

struct spec_diff_args {
  std::string old_path, new_path;
  std::string format = "text";
  std::string junit_path;
};

int spec_diff_with(const spec_diff_args& args, command_output& output) {
  result<openapi_document, spec_error> old_document = load_openapi_file(args.old_path);
  if (!old_document) {
    output.message(old_document.error().describe(args.old_path));
    return 2;
  }
  result<openapi_document, spec_error> new_document = load_openapi_file(args.new_path);
  if (!new_document) {
    output.message(new_document.error().describe(args.new_path));
    return 2;
  }
  result<run_report, spec_error> report = diff_openapi(*old_document, *new_document);
  if (!report) {
    output.message(report.error().describe(args.old_path + " -> " + args.new_path));
    return 2;
  }
  return output.publish(*report, args.format, args.junit_path);
}

}  // namespace

command_runner add_spec_diff_command(CLI::App& app) {
  auto args = std::make_shared<spec_diff_args>();
  CLI::App* cmd = app.add_subcommand(
      "spec-diff", "What changed in the certificates family between two OpenAPI documents");
  cmd->add_option("OLD", args->old_path, "The earlier document (JSON or YAML)")->required();
  cmd->add_option("NEW", args->new_path, "The later document (JSON or YAML)")->required();
  cmd->add_option("--format", args->format, "Report format on stdout")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--junit", args->junit_path, "Write a JUnit XML report");
  return [args] {
    // As every command: the environment's key never reaches the output, whatever a document holds.
    command_output output("spec-diff", secret_redactor(secrets_from_environment()));
    return output.run([&] { return spec_diff_with(*args, output); });
  };
}

}  // namespace certharness::cli
