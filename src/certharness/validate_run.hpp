// `certharness validate` as a library call: inputs in, a report out. No printing, no exit.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/finding.hpp"
#include "certharness/json_document.hpp"

namespace certharness {

struct validate_options {
  std::optional<std::string> schema;  // forced schema name; otherwise placed per document
  decode_limits limits;
  unsigned jobs = 0;  // worker threads; 0 = one per core
};

struct subject_report {
  std::string subject;              // path as given/found, or "-" for stdin
  std::optional<std::string> schema;  // nullopt when it could not be placed or decoded
  std::string placed_by;            // "option", or what in the document decided the schema
  bool valid = false;               // no error finding
  findings problems;
};

struct summary_counts {
  std::size_t subjects = 0, valid = 0, invalid = 0, errors = 0, warnings = 0, notes = 0;
};

struct validate_report {
  std::vector<subject_report> subjects;
  summary_counts summary;
};

// One document. `bytes` may be anything.
subject_report validate_document(std::string subject, std::string_view bytes,
                                 const validate_options& options);

// A subject to read: a file path, or "-" for bytes already read from stdin.
struct validate_input {
  std::string subject;
  std::optional<std::string> bytes;  // set for stdin
};

struct input_error {
  std::string message;  // one line, names the path
};

// Expands PATH arguments: files as given, directories walked recursively for *.json (sorted),
// "-" read from `stdin_bytes`. Fails on a path that does not exist or cannot be listed.
std::optional<input_error> collect_inputs(const std::vector<std::string>& paths,
                                          const std::optional<std::string>& stdin_bytes,
                                          std::vector<validate_input>& out);

// Validates every input on `options.jobs` threads; the report keeps input order.
// A file that cannot be read is an input_error (the run could not be carried out).
std::optional<input_error> validate_inputs(const std::vector<validate_input>& inputs,
                                           const validate_options& options,
                                           validate_report& report);

summary_counts summarize(const std::vector<subject_report>& subjects);

// Adds one finding of severity `s` to the errors/warnings/notes counts.
void count_severity(summary_counts& counts, severity s) noexcept;

}  // namespace certharness
