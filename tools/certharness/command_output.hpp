// The one path every byte `crawl` and `replay` write goes through: the report on stdout, the
// messages and the progress line on stderr, and the output files (JUnit, HAR). Each is redacted
// of the run's secrets in every spelling (secret_redaction.hpp) before it is written, and a
// failed write is remembered, so the command exits 2 rather than claim a report nobody got.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "certharness/har/secret_redaction.hpp"
#include "certharness/io/atomic_file.hpp"
#include "certharness/report/run_report.hpp"

namespace certharness::cli {

class command_output {
 public:
  // `command` names the messages ("certharness crawl: ...").
  command_output(std::string command, secret_redactor secrets);

  // The report, to stdout. By value: redacted in place, so a big report is not copied.
  void report(std::string text);
  // One line to stderr, "certharness <command>: <line>".
  void message(std::string_view line);
  // The progress line on a terminal: `text` after a carriage return, nothing else.
  void progress(std::string_view text);
  // `contents` to `path`, atomically; false after a message saying why it was not written.
  bool write_file(const std::string& path, std::string contents);

  // Flushes stdout: `status`, or 2 (with a message) when the report could not be written.
  int finish(int status);

  // `body`'s exit status through finish(); an exception it throws (out of memory, a library
  // error) becomes a message and exit 2, never a crash or an unredacted what().
  int run(const std::function<int()>& body);

  // A run's report as `format` ("text" or "json") on stdout, and as JUnit to `junit_path` when
  // that is not empty: 0 pass, 1 findings, 2 when the JUnit file could not be written.
  int publish(const run_report& report, const std::string& format, const std::string& junit_path);

  // A file written piece by piece as the run goes (the HAR), each piece redacted like every
  // other byte, and published whole (atomic_output) at commit.
  class stream {
   public:
    explicit stream(command_output& output) : output_(output) {}
    bool open(const std::string& path);  // false after a message saying why
    void write(std::string piece);       // the first failure is kept and reported by commit
    bool commit();                       // false after a message saying why
   private:
    command_output& output_;
    atomic_output file_;
    std::optional<std::string> error_;
  };

 private:
  std::string command_;
  secret_redactor secrets_;
  std::string report_error_;  // why writing stdout failed; empty while it has not
};

}  // namespace certharness::cli
