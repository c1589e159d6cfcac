// `certharness replay`: offline re-check of HAR recordings (see replay_run.hpp).
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api_credentials.hpp"
#include "certharness/conformance/replay_run.hpp"
#include "certharness/har/har.hpp"
#include "certharness/io/bounded_input.hpp"
#include "certharness/report/run_report.hpp"
#include "command_output.hpp"
#include "commands.hpp"
#include "engine_option.hpp"
#include "input_limit_options.hpp"
#include "option_checks.hpp"
#include "spec_option.hpp"

namespace certharness::cli {
namespace {

struct replay_args {
  std::vector<std::string> paths;
  std::size_t max_pages = replay_options{}.max_pages;
  bool drift = false;
  std::string junit_path;
  std::string format = "text";
  decode_limits limits = k_har_archive_limits;
  spec_option spec;
  validation_engine engine = validation_engine::compiled;
};

// The archive in `path` (a file, a pipe, "-" for standard input), or the one line that says
// why it cannot be replayed. At most the byte limit + 1 bytes are read.
result<std::vector<har_entry>> read_archive(const std::string& path, const decode_limits& limits) {
  const std::size_t limit = std::min(limits.max_bytes, k_max_bytes_ceiling);
  result<bounded_bytes> read = read_bounded(path, limit);
  if (!read) return failure(std::move(read).error());
  const bounded_bytes& in = *read;
  if (in.over_limit) {
    return failure(path + ": the archive is " + in.over_limit_message(limit, limits.max_bytes));
  }
  result<std::vector<har_entry>> archive = read_har(in.bytes, limits);
  if (!archive) return failure(path + ": " + archive.error());
  return archive;
}

int replay_with(replay_args& args, command_output& output) {
  const contract* spec = args.spec.resolve(output);
  if (!spec) return 2;
  std::vector<std::vector<har_entry>> archives;
  archives.reserve(args.paths.size());
  for (const std::string& path : args.paths) {
    result<std::vector<har_entry>> archive = read_archive(path, args.limits);
    if (!archive) {
      output.message(archive.error());
      return 2;
    }
    archives.push_back(*std::move(archive));
  }
  replay_options options;
  options.max_pages = args.max_pages;
  options.drift = args.drift;
  options.spec = *spec;
  options.engine = args.engine;
  return output.publish(replay(std::move(archives), options), args.format, args.junit_path);
}

// Every byte goes through `output`: a recording may hold the key or organization id of the
// environment (a browser's HAR keeps Authorization), and they stay out of the report too.
int run_replay_command(replay_args& args) {
  command_output output("replay", secret_redactor(secrets_from_environment()));
  return output.run([&] { return replay_with(args, output); });
}

}  // namespace

command_runner add_replay_command(CLI::App& app) {
  auto args = std::make_shared<replay_args>();
  CLI::App* cmd = app.add_subcommand(
      "replay", "Offline re-check of HAR recordings (this tool's, a browser's or mitmproxy's)");
  cmd->add_option("FILE.har", args->paths, "HAR archives to replay (- for standard input)")
      ->required();
  cmd->add_option("--max-pages", args->max_pages,
                  "The crawl's bound on the pages of one walk (judges list.max_pages)")
      ->check(whole_number<std::size_t>(1, k_max_pages_bound))
      ->capture_default_str();
  cmd->add_flag("--drift", args->drift,
                "Sum per operation the response fields its schema does not declare and the "
                "declared fields never seen (notes: the exit code is unchanged)");
  cmd->add_option("--junit", args->junit_path, "Write a JUnit XML report");
  cmd->add_option("--format", args->format, "Report format on stdout")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  add_input_limit_options(*cmd, args->limits, "archive");
  args->spec.add_to(*cmd);
  add_engine_option(*cmd, args->engine);
  return [args] { return run_replay_command(*args); };
}

}  // namespace certharness::cli
