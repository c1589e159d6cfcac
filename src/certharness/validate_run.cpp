#include "certharness/validate_run.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <system_error>
#include <thread>

#include "certharness/schema_placement.hpp"
#include "certharness/schema_registry.hpp"

namespace certharness {
namespace fs = std::filesystem;

subject_report validate_document(std::string subject, std::string_view bytes,
                                 const validate_options& options) {
  subject_report r;
  r.subject = std::move(subject);
  decode_result decoded = decode_json(bytes, options.limits);
  r.problems = std::move(decoded.problems);
  if (decoded.document) {
    const json_value& root = decoded.document->root();
    if (options.schema) {
      r.schema = options.schema;
      r.placed_by = "option";
    } else {
      placement p = place_schema(root);
      if (p.schema) {
        r.schema = std::move(p.schema);
        r.placed_by = std::move(p.reason);
      } else {
        r.problems.push_back(finding{"schema.unplaced", severity::error, "", "",
                                     "cannot tell which schema applies: " + p.reason,
                                     std::nullopt});
      }
    }
    if (r.schema) {
      findings schema_findings = schema_registry::builtin().validate(root, *r.schema);
      r.problems.insert(r.problems.end(), std::make_move_iterator(schema_findings.begin()),
                        std::make_move_iterator(schema_findings.end()));
    }
  }
  r.valid = !has_error(r.problems);
  return r;
}

std::optional<input_error> collect_inputs(const std::vector<std::string>& paths,
                                          const std::optional<std::string>& stdin_bytes,
                                          std::vector<validate_input>& out) {
  for (const std::string& path : paths) {
    if (path == "-") {
      if (std::any_of(out.begin(), out.end(), [](const validate_input& i) { return i.bytes; })) {
        return input_error{"-: standard input can be read only once"};
      }
      out.push_back(validate_input{"-", stdin_bytes.value_or(std::string())});
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
      return input_error{path + ": " + ec.message()};
    }
    if (!fs::exists(st)) return input_error{path + ": no such file or directory"};
    if (!fs::is_directory(st)) {
      out.push_back(validate_input{path, std::nullopt});
      continue;
    }
    std::vector<std::string> found;
    // increment() that fails leaves the iterator at end: test ec before comparing with end,
    // or an unreadable subdirectory ends the walk silently.
    fs::recursive_directory_iterator it(path, fs::directory_options::none, ec);
    while (!ec && it != fs::recursive_directory_iterator()) {
      if (it->path().extension() == ".json" && it->is_regular_file(ec)) {
        found.push_back(it->path().string());
      }
      if (!ec) it.increment(ec);
    }
    if (ec) return input_error{path + ": cannot list directory: " + ec.message()};
    if (found.empty()) return input_error{path + ": no *.json file in this directory"};
    std::sort(found.begin(), found.end());
    for (std::string& f : found) out.push_back(validate_input{std::move(f), std::nullopt});
  }
  return std::nullopt;
}

namespace {

// Reads at most max_bytes + 1 bytes: enough to know a file is over the limit without
// holding a hostile 10 GB file in memory.
std::optional<std::string> read_bounded(const std::string& path, std::size_t max_bytes,
                                        std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open: " + std::strerror(errno);
    return std::nullopt;
  }
  std::string bytes;
  // One byte past the limit says "too large"; the decoder never takes more than the ceiling.
  const std::size_t cap = std::min(max_bytes, k_max_bytes_ceiling) + 1;
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  bytes.resize(ec ? std::min<std::size_t>(cap, 1 << 16) : std::min<std::size_t>(cap, size));
  std::size_t got = 0;
  while (in && got < cap) {
    if (got == bytes.size()) bytes.resize(std::min(cap, bytes.size() * 2 + 4096));
    in.read(bytes.data() + got, static_cast<std::streamsize>(bytes.size() - got));
    got += static_cast<std::size_t>(in.gcount());
  }
  if (in.bad()) {
    error = path + ": read error";
    return std::nullopt;
  }
  bytes.resize(got);
  return bytes;
}

}  // namespace

std::optional<input_error> validate_inputs(const std::vector<validate_input>& inputs,
                                           const validate_options& options,
                                           validate_report& report) {
  schema_registry::builtin();  // compile once before the workers start
  report.subjects.assign(inputs.size(), subject_report{});
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::optional<input_error> first_error;

  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < inputs.size();) {
      const validate_input& in = inputs[i];
      if (in.bytes) {
        report.subjects[i] = validate_document(in.subject, *in.bytes, options);
        continue;
      }
      std::string error;
      std::optional<std::string> bytes = read_bounded(in.subject, options.limits.max_bytes, error);
      if (!bytes) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = input_error{error};
        continue;
      }
      report.subjects[i] = validate_document(in.subject, *bytes, options);
    }
  };
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(inputs.size(), 1)));
  std::vector<std::thread> workers;
  for (unsigned j = 1; j < jobs; ++j) workers.emplace_back(work);
  work();
  for (std::thread& t : workers) t.join();
  if (first_error) return first_error;
  report.summary = summarize(report.subjects);
  return std::nullopt;
}

summary_counts summarize(const std::vector<subject_report>& subjects) {
  summary_counts c;
  c.subjects = subjects.size();
  for (const subject_report& s : subjects) {
    ++(s.valid ? c.valid : c.invalid);
    for (const finding& f : s.problems) count_severity(c, f.level);
  }
  return c;
}

void count_severity(summary_counts& counts, severity s) noexcept {
  switch (s) {
    case severity::error:
      ++counts.errors;
      break;
    case severity::warning:
      ++counts.warnings;
      break;
    case severity::note:
      ++counts.notes;
      break;
  }
}

}  // namespace certharness
