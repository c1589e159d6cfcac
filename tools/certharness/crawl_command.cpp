// `certharness crawl`: a conformance run of a live base URL (see crawl_run.hpp).
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "api_credentials.hpp"
#include "certharness/conformance/crawl_run.hpp"
#include "certharness/har/har.hpp"
#include "certharness/report/run_report.hpp"
#include "command_output.hpp"
#include "commands.hpp"
#include "engine_option.hpp"
#include "option_checks.hpp"
#include "spec_option.hpp"

namespace certharness::cli {
namespace {

struct crawl_args {
  std::string base_url = crawl_options{}.base_url;
  std::vector<std::string> projects;
  std::vector<int> limits = crawl_options{}.limits;
  std::vector<std::string> orders = crawl_options{}.orders;
  std::size_t max_pages = crawl_options{}.max_pages;
  double timeout_s = 30;
  int retries = crawl_options{}.retries;
  int backoff_ms = static_cast<int>(crawl_options{}.backoff_base.count());
  std::size_t max_requests = crawl_options{}.max_requests;
  std::size_t max_kept_mb = crawl_options{}.max_kept_bytes >> 20;
  std::string record_path;
  std::string junit_path;
  std::string format = "text";
  bool write_checks = false;
  spec_option spec;
  validation_engine engine = validation_engine::compiled;
};

constexpr const char* command_name = "crawl";

volatile sig_atomic_t g_interrupted = 0;
extern "C" void on_signal(int) { g_interrupted = 1; }

int crawl_with(crawl_args& args, const api_credentials& credentials, command_output& output) {
  // Before anything is opened or sent: a document that cannot be used stops the run (exit 2).
  const contract* spec = args.spec.resolve(output);
  if (!spec) return 2;
  crawl_options options;
  options.spec = *spec;
  options.base_url = args.base_url;
  options.projects = args.projects;
  options.limits = args.limits;
  options.orders = args.orders;
  options.max_pages = args.max_pages;
  options.max_requests = args.max_requests;
  options.max_kept_bytes = args.max_kept_mb << 20;
  options.timeout = std::chrono::milliseconds(static_cast<long long>(args.timeout_s * 1000));
  options.retries = args.retries;
  options.backoff_base = std::chrono::milliseconds(args.backoff_ms);
  options.write_checks = args.write_checks;
  options.engine = args.engine;
  options.admin_key = credentials.admin_key;
  options.organization = credentials.organization;

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  options.should_stop = [] { return g_interrupted != 0; };
  const bool tty = isatty(STDERR_FILENO);
  auto last_progress = std::chrono::steady_clock::now();
  if (tty) {
    options.on_progress = [&](const crawl_progress& p) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_progress < std::chrono::milliseconds(100)) return;
      last_progress = now;
      output.progress(std::to_string(p.requests) + " requests, " + std::to_string(p.pages) +
                      " pages, " + std::to_string(p.findings) + " findings");
    };
  }

  // Everything written is redacted and written whole, interrupted or not. The recording is
  // written entry by entry as the run goes (nothing of it kept in memory) and published at the
  // end; it is opened first, so a path that cannot be written stops the run before a request.
  const std::vector<std::string> secrets = credentials.secrets();
  command_output::stream record(output);
  std::size_t recorded = 0;
  if (!args.record_path.empty()) {
    if (!record.open(args.record_path)) return 2;
    record.write(render_har_header());
    options.on_exchange = [&](const har_entry& e) {
      record.write(render_har_entry(redacted(e, secrets), recorded++));
    };
  }

  const crawl_outcome outcome = run_crawl(options);
  if (tty) output.progress("\x1b[K");

  bool recorded_whole = true;
  if (!args.record_path.empty()) {
    record.write(render_har_footer());
    recorded_whole = record.commit();
  }
  if (outcome.fatal) {
    if (!args.junit_path.empty()) output.write_file(args.junit_path, render_junit(outcome.report));
    output.message(*outcome.fatal);
    return 2;
  }
  int status = output.publish(outcome.report, args.format, args.junit_path);
  if (!recorded_whole) status = 2;
  if (outcome.interrupted) {
    output.message("interrupted; the report and recording cover the " +
                   std::to_string(outcome.report.requests.size()) + " requests made");
    return 2;
  }
  return status;
}

// Every byte the command writes goes through `output`, so none holds a secret (the key, the
// organization id) whatever the server echoed. The secrets are read first: a message about a
// bad option may quote what the user typed, and that may hold them too.
int run_crawl_command(crawl_args& args) {
  const result<api_credentials> credentials = credentials_from_environment();
  if (!credentials) {
    command_output(command_name, secret_redactor(secrets_from_environment()))
        .message(credentials.error());
    return 2;
  }
  command_output output(command_name, secret_redactor(credentials->secrets()));
  return output.run([&] { return crawl_with(args, *credentials, output); });
}

}  // namespace

command_runner add_crawl_command(CLI::App& app) {
  auto args = std::make_shared<crawl_args>();
  CLI::App* cmd = app.add_subcommand(
      "crawl",
      "Conformance run of a live certificates API, read-only unless --write-checks (key from "
      "OPENAI_ADMIN_KEY)");
  cmd->add_option("--base-url", args->base_url, "API base URL")->capture_default_str();
  cmd->add_option("--project", args->projects,
                  "Also walk this project's certificates (repeatable)");
  // Lists are split by CLI11 and each item checked as it arrives (empty items are skipped).
  cmd->add_option("--limits", args->limits, "Page sizes to walk with, comma-separated")
      ->delimiter(',')
      ->check(whole_number(1, 100))
      ->capture_default_str();
  cmd->add_option("--orders", args->orders, "Orders to walk in, comma-separated")
      ->delimiter(',')
      ->check(CLI::IsMember({"asc", "desc"}))
      ->capture_default_str();
  cmd->add_option("--max-pages", args->max_pages, "Bound on the pages of one walk")
      ->check(whole_number<std::size_t>(1, k_max_pages_bound))
      ->capture_default_str();
  cmd->add_option("--timeout", args->timeout_s, "Seconds per request")
      ->check(finite_number(0.001, 86'400))
      ->capture_default_str();
  cmd->add_option("--retries", args->retries, "Retries per request on 429, 5xx, connection errors")
      ->check(whole_number(0, 10))
      ->capture_default_str();
  cmd->add_option("--backoff-ms", args->backoff_ms,
                  "First retry delay when no Retry-After; doubles per retry")
      ->check(whole_number(0, 60'000))
      ->capture_default_str();
  cmd->add_option("--max-requests", args->max_requests,
                  "Bound on the requests of the whole run, retries included")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}))
      ->capture_default_str();
  cmd->add_option("--max-kept-mb", args->max_kept_mb,
                  "Bound on what the run keeps in memory for its cross-checks, in MiB")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--record", args->record_path, "Write every exchange as HAR 1.2 (redacted)");
  cmd->add_option("--junit", args->junit_path, "Write a JUnit XML report");
  cmd->add_option("--format", args->format, "Report format on stdout")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("--write-checks", args->write_checks,
                "Also upload, rename, toggle and delete a throwaway certificate (cleaned up "
                "whatever happens)");
  args->spec.add_to(*cmd);
  add_engine_option(*cmd, args->engine);
  return [args] { return run_crawl_command(*args); };
}

}  // namespace certharness::cli
