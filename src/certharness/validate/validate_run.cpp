#include "certharness/validate/validate_run.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "certharness/io/bounded_input.hpp"
#include "certharness/io/byte_budget.hpp"
#include "certharness/schema/schema_placement.hpp"

namespace certharness {
namespace fs = std::filesystem;

subject_report validate_document(std::string subject, std::string bytes,
                                 const validate_options& options) {
  subject_report r;
  r.subject = std::move(subject);
  decode_result decoded = decode_owned_json(std::move(bytes), options.limits);
  r.problems = std::move(decoded.problems);
  if (decoded.document) {
    const json_value root = decoded.document->root();
    if (options.schema) {
      r.schema = options.schema;
      r.placed_by = "option";
    } else {
      placement p =
          place_schema(root, options.spec.get().operations(), options.spec.get().schemas());
      if (p.schema) {
        r.schema = std::move(p.schema);
        r.placed_by = std::move(p.reason);
      } else {
        r.problems.push_back(finding{checks::schema_unplaced, "", "",
                                     "cannot tell which schema applies: " + p.reason,
                                     std::nullopt});
      }
    }
    if (r.schema) {
      findings schema_findings = options.spec.get().schemas().validate(root, *r.schema);
      r.problems.insert(r.problems.end(), std::make_move_iterator(schema_findings.begin()),
                        std::make_move_iterator(schema_findings.end()));
    }
  }
  r.valid = !has_error(r.problems);
  return r;
}

namespace {

// The *.json regular files under `top`. A directory is listed with its own iterator so that an
// error names the entry or directory it is about, not `top`.
result<std::vector<std::string>> walk_directory(const fs::path& top) {
  std::vector<std::string> found;
  std::vector<fs::path> pending{top};
  while (!pending.empty()) {
    const fs::path dir = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    // increment() that fails leaves the iterator at end: test ec before comparing with end.
    for (fs::directory_iterator it(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      const fs::directory_entry& entry = *it;
      std::error_code entry_ec;
      // Recursion as recursive_directory_iterator did: into directories, not through links.
      if (fs::is_directory(entry.symlink_status(entry_ec))) {
        pending.push_back(entry.path());
        continue;
      }
      if (entry_ec) return failure(entry.path().string() + ": " + entry_ec.message());
      if (entry.path().extension() != ".json") continue;
      const fs::file_status target = entry.status(entry_ec);
      if (entry_ec) return failure(entry.path().string() + ": cannot read: " + entry_ec.message());
      if (fs::is_regular_file(target)) found.push_back(entry.path().string());
    }
    if (ec) return failure(dir.string() + ": cannot list directory: " + ec.message());
  }
  return found;
}

// The json.limits finding for an input over the byte limit, with its real size when known
// (a file) rather than the limit + 1 bytes read to tell.
finding over_limit_finding(const bounded_bytes& in, const decode_limits& limits) {
  const std::size_t limit = std::min(limits.max_bytes, k_max_bytes_ceiling);
  return finding{checks::json_limits, "", "",
                 "the input is " + in.over_limit_message(limit, limits.max_bytes), std::nullopt};
}

}  // namespace

result<std::vector<validate_input>> collect_inputs(const std::vector<std::string>& paths) {
  std::vector<validate_input> out;
  bool stdin_taken = false;
  for (const std::string& path : paths) {
    if (path == "-") {
      if (stdin_taken) return failure("-: standard input can be read only once");
      stdin_taken = true;
      out.push_back(validate_input{"-"});
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
      return failure(path + ": " + ec.message());
    }
    if (!fs::exists(st)) return failure(path + ": no such file or directory");
    if (!fs::is_directory(st)) {
      out.push_back(validate_input{path});
      continue;
    }
    result<std::vector<std::string>> walked = walk_directory(path);
    if (!walked) return failure(std::move(walked).error());
    std::vector<std::string>& found = *walked;
    if (found.empty()) return failure(path + ": no *.json file in this directory");
    std::sort(found.begin(), found.end());
    for (std::string& f : found) out.push_back(validate_input{std::move(f)});
  }
  return out;
}

result<validate_report> validate_inputs(const std::vector<validate_input>& inputs,
                                        const validate_options& options) {
  validate_report report;
  report.contract_source = options.spec.get().source();
  report.subjects.assign(inputs.size(), subject_report{});
  const std::size_t limit = std::min(options.limits.max_bytes, k_max_bytes_ceiling);
  byte_budget budget(limit + 1);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex failure_mutex;
  std::optional<std::pair<std::size_t, std::string>> first_error;  // lowest input index
  std::exception_ptr thrown;

  const auto input_failed = [&](std::size_t i, std::string message) {
    std::lock_guard lock(failure_mutex);
    if (!first_error || i < first_error->first) first_error.emplace(i, std::move(message));
    stop = true;  // inputs before i are taken already: the first error in input order stays
  };
  // noexcept: nothing may escape a thread (std::terminate); failures are kept and rethrown.
  const auto work = [&]() noexcept {
    try {
      for (std::size_t i; !stop && (i = next.fetch_add(1)) < inputs.size();) {
        const std::string& subject = inputs[i].subject;
        result<bounded_input> opened = bounded_input::open(subject);
        if (!opened) {
          input_failed(i, std::move(opened).error());
          continue;
        }
        bounded_input& in = *opened;
        // Held from the read to the end of the decoding, which costs a multiple of the bytes.
        const byte_budget::reservation held = budget.reserve(in.bytes_to_hold(limit));
        result<bounded_bytes> read = in.read_at_most(limit);
        if (!read) {
          input_failed(i, std::move(read).error());
          continue;
        }
        bounded_bytes& bytes = *read;
        if (bytes.over_limit) {
          subject_report& r = report.subjects[i];
          r.subject = subject;
          r.problems.push_back(over_limit_finding(bytes, options.limits));
          continue;
        }
        report.subjects[i] = validate_document(subject, std::move(bytes.bytes), options);
      }
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!thrown) thrown = std::current_exception();
      stop = true;
    }
  };
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs =
      static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(inputs.size(), 1)));
  std::vector<std::thread> workers;
  for (unsigned j = 1; j < jobs; ++j) {
    // Out of threads or memory for one: go on with the workers there are (the caller at least);
    // an exception here would unwind past joinable threads, which is std::terminate.
    try {
      workers.emplace_back(work);
    } catch (...) {
      break;
    }
  }
  work();
  for (std::thread& t : workers) t.join();
  if (thrown) std::rethrow_exception(thrown);
  if (first_error) return failure(std::move(first_error->second));
  report.summary = summarize(report.subjects);
  return report;
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
