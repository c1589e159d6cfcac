// certharness spec-schemas [--spec PATH] --out DIR: the family's schemas translated from the
// official document (the built-in excerpt by default) into DIR/NAME.json, the draft-07 files
// valijson runs. schemas/ is this command's output over the excerpt; never edit it by hand.
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "api_credentials.hpp"
#include "certharness/spec/contract.hpp"
#include "certharness/spec/openapi_document.hpp"
#include "certharness/spec/schema_translation.hpp"
#include "command_output.hpp"
#include "commands.hpp"
#include "spec_option.hpp"

namespace certharness::cli {
namespace {

struct spec_schemas_args {
  spec_option spec;
  std::string out;
};

int spec_schemas_with(const spec_schemas_args& args, command_output& output) {
  // The document itself, not a contract: only its schemas are wanted here.
  std::optional<openapi_document> loaded;
  std::optional<json_value> root = contract::builtin().document().root();
  if (args.spec.given()) {
    auto document = load_openapi_file(args.spec.path());
    if (!document) {
      output.message("--spec " + document.error().describe(args.spec.path()));
      return 2;
    }
    loaded.emplace(std::move(*document));
    root = loaded->root();
  }
  const std::string source = args.spec.given() ? args.spec.path() : "built-in excerpt";
  auto translated = translate_family_schemas(*root);
  if (!translated) {
    output.message(translated.error().describe(source));
    return 2;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(args.out, ec)) {
    output.message("--out " + args.out + ": not a directory");
    return 2;
  }
  std::set<std::string> written;
  for (const translated_schema& schema : *translated) {
    const std::string file = schema.name + ".json";
    if (!output.write_file((std::filesystem::path(args.out) / file).string(), schema.text)) {
      return 2;
    }
    written.insert(file);
  }
  // A file a former translation wrote is not removed (the directory is the user's), but named.
  for (const auto& entry : std::filesystem::directory_iterator(args.out, ec)) {
    const std::string file = entry.path().filename().string();
    if (entry.path().extension() == ".json" && !written.contains(file)) {
      output.message(file + " is not a schema of this translation: remove it if it was one");
    }
  }
  output.report("wrote " + std::to_string(written.size()) + " schemas from " + source + " to " +
                args.out + "\n");
  return 0;
}

}  // namespace

command_runner add_spec_schemas_command(CLI::App& app) {
  auto args = std::make_shared<spec_schemas_args>();
  CLI::App* cmd = app.add_subcommand(
      "spec-schemas",
      "Translate the certificates family's schemas from the OpenAPI document into draft-07 "
      "files (schemas/ is this output over the built-in excerpt)");
  args->spec.add_to(*cmd);
  cmd->add_option("--out", args->out, "Directory to write NAME.json into")
      ->type_name("DIR")
      ->required();
  return [args] {
    command_output output("spec-schemas", secret_redactor(secrets_from_environment()));
    return output.run([&] { return spec_schemas_with(*args, output); });
  };
}

}  // namespace certharness::cli
