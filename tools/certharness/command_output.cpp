#include "command_output.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <utility>

namespace certharness::cli {
namespace {

// False with errno set when not all of `text` reached `stream`'s buffer or the file.
bool put(std::FILE* stream, std::string_view text) {
  errno = 0;
  return std::fwrite(text.data(), 1, text.size(), stream) == text.size() && !std::ferror(stream);
}

std::string error_text() { return errno != 0 ? std::strerror(errno) : "write error"; }

}  // namespace

command_output::command_output(std::string command, secret_redactor secrets)
    : command_(std::move(command)), secrets_(std::move(secrets)) {}

void command_output::report(std::string text) {
  if (!report_error_.empty()) return;
  secrets_.redact(text);
  if (!put(stdout, text)) report_error_ = error_text();
}

void command_output::message(std::string_view line) {
  // Nowhere to say that stderr failed; the exit code says the rest.
  put(stderr, secrets_.redacted("certharness " + command_ + ": " + std::string(line) + "\n"));
}

void command_output::progress(std::string_view text) {
  put(stderr, secrets_.redacted("\r" + std::string(text)));
}

bool command_output::write_file(const std::string& path, std::string contents) {
  secrets_.redact(contents);
  if (const result<void> written = write_file_atomically(path, contents); !written) {
    message(written.error());
    return false;
  }
  return true;
}

bool command_output::stream::open(const std::string& path) {
  error_.reset();
  if (const result<void> opened = file_.open(path); !opened) error_ = opened.error();
  if (error_) output_.message(*error_);
  return !error_;
}

void command_output::stream::write(std::string piece) {
  if (error_) return;
  output_.secrets_.redact(piece);
  if (const result<void> written = file_.write(piece); !written) error_ = written.error();
}

bool command_output::stream::commit() {
  if (!error_) {
    if (const result<void> committed = file_.commit(); !committed) error_ = committed.error();
  }
  if (error_) output_.message(*error_);
  return !error_;
}

int command_output::finish(int status) {
  errno = 0;
  if (std::fflush(stdout) != 0 && report_error_.empty()) report_error_ = error_text();
  if (report_error_.empty()) return status;
  message("cannot write the report to standard output: " + report_error_);
  return 2;
}

int command_output::run(const std::function<int()>& body) {
  try {
    return finish(body());
  } catch (const std::bad_alloc&) {
    message("out of memory");
  } catch (const std::exception& e) {
    message(e.what());
  }
  return finish(2);
}

int command_output::publish(const run_report& report, const std::string& format,
                            const std::string& junit_path) {
  int status = report.has_error() ? 1 : 0;
  if (!junit_path.empty() && !write_file(junit_path, render_junit(report))) status = 2;
  this->report(format == "json" ? render_run_json(report)
                                : render_run_text(report, isatty(STDOUT_FILENO) &&
                                                              std::getenv("NO_COLOR") == nullptr));
  return status;
}

}  // namespace certharness::cli
