// `certharness validate` as a library call: inputs in, a report out. No printing, no exit.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/findings/finding.hpp"
#include "certharness/findings/result.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/spec/contract.hpp"

namespace certharness {

struct validate_options {
  // What documents are placed by and judged against (--spec); the one compiled in by default.
  std::reference_wrapper<const contract> spec = contract::builtin();
  std::optional<std::string> schema;  // forced schema name; otherwise placed per document
  decode_limits limits;
  unsigned jobs = 0;  // worker threads; 0 = one per core
};

struct subject_report {
  std::string subject;                // path as given/found, or "-" for stdin
  std::optional<std::string> schema;  // nullopt when it could not be placed or decoded
  std::string placed_by;              // "option", or what in the document decided the schema
  bool valid = false;                 // no error finding
  findings problems;
};

struct summary_counts {
  std::size_t subjects = 0, valid = 0, invalid = 0, errors = 0, warnings = 0, notes = 0;
};

struct validate_report {
  std::vector<subject_report> subjects;
  summary_counts summary;
  std::string contract_source{k_builtin_contract_source};  // contract::source() of options.spec
};

// One document. `bytes` may be anything; the document keeps them (no copy of a large file).
// Throws std::invalid_argument when options.schema is set to a name options.spec's schemas do
// not contain (the CLI checks it first); otherwise only std::bad_alloc.
subject_report validate_document(std::string subject, std::string bytes,
                                 const validate_options& options);

// A subject to read: a file path, or "-" for standard input.
struct validate_input {
  std::string subject;
};

// Expands PATH arguments: files as given, directories walked recursively for *.json regular
// files (sorted; symbolic links to directories are not followed), "-" at most once. Fails on a
// path that does not exist, and on any entry of a directory that cannot be examined (a
// subdirectory that cannot be listed, a *.json that is a broken or looping symbolic link),
// naming that entry: a run never leaves out a file silently. Error: one line naming the path.
result<std::vector<validate_input>> collect_inputs(const std::vector<std::string>& paths);

// Validates every input on `options.jobs` threads; the report keeps input order.
// - Each input is read through bounded_input: at most limits.max_bytes + 1 bytes (a regular
//   file over the limit is not read at all); over the limit is a json.limits finding giving
//   the file's real size, or "over the limit" when it has none (a pipe, a device).
// - The workers together hold at most limits.max_bytes + 1 input bytes at once (a byte_budget;
//   an input larger than that runs alone), so memory does not grow with `jobs`.
// - An input that cannot be read (or a FIFO with no writer) is the error (one line naming the
//   path): the run could not be carried out. The first one in input order is returned.
// - When threads cannot be started, the inputs are validated on those that could (at least the
//   caller's). std::bad_alloc (or any other exception: std::invalid_argument for an unknown
//   options.schema, see validate_document) from any worker is rethrown here, after every
//   worker has stopped.
result<validate_report> validate_inputs(const std::vector<validate_input>& inputs,
                                        const validate_options& options);

summary_counts summarize(const std::vector<subject_report>& subjects);

// Adds one finding of severity `s` to the errors/warnings/notes counts.
void count_severity(summary_counts& counts, severity s) noexcept;

}  // namespace certharness
