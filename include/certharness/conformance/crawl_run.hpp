// `certharness crawl` as a library call: a conformance run of a live base URL, read-only unless
// write_checks is set.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "certharness/har/har.hpp"
#include "certharness/report/run_report.hpp"
#include "certharness/spec/contract.hpp"

namespace certharness {

struct crawl_progress {
  std::size_t requests = 0;
  std::size_t pages = 0;
  std::size_t findings = 0;
};

struct crawl_options {
  // What the run drives and judges by (--spec); the one compiled in by default. An operation it
  // cannot drive, or lacks, is a crawl.not_exercised finding (crawl_coverage.hpp).
  std::reference_wrapper<const contract> spec = contract::builtin();
  // --engine: who decides whether a body is valid (the findings are the same either way).
  validation_engine engine = validation_engine::compiled;
  std::string base_url = "https://api.openai.com/v1";
  std::vector<std::string> projects;
  std::vector<int> limits{1, 7, 100};
  std::vector<std::string> orders{"desc", "asc"};
  std::size_t max_pages = 1000;  // per walk
  std::chrono::milliseconds timeout{30'000};
  int retries = 3;                              // per request, on 429, 5xx and connection errors
  std::chrono::milliseconds backoff_base{250};  // doubled per retry unless Retry-After says
  std::chrono::milliseconds backoff_cap{30'000};
  std::string admin_key;                    // sent as Bearer; never in the report or the HAR
  std::optional<std::string> organization;  // OpenAI-Organization header
  // Upload, rename, toggle and delete a throwaway certificate after the read-only part; what
  // it made is removed whatever happens (even after should_stop), within its own deadline.
  bool write_checks = false;
  // Bounds on the whole run, whatever the server lists: requests sent (every attempt counts)
  // and bytes kept for the cross-checks (listed ids and fields, request records, findings).
  // Reaching one is a run.budget finding and the run stops there, as after should_stop;
  // cleanup of --write-checks still runs (its requests are not counted against the bound).
  std::size_t max_requests = 20'000;
  std::size_t max_kept_bytes = std::size_t{256} << 20;
  // Polled between requests and during waits; once it says stop, no request starts (the
  // cleanup of --write-checks aside, under its own deadline).
  std::function<bool()> should_stop;
  std::function<void(const crawl_progress&)> on_progress;
  // Every attempt as it happens, unredacted (redact before writing): the run keeps none, so a
  // recording is written as it goes rather than held in memory.
  std::function<void(const har_entry&)> on_exchange;
};

struct crawl_outcome {
  run_report report;
  // Set when the run could not be carried out (exit 2): bad base URL, the key would go over
  // plain http to a non-loopback host, or no connection / 401 on the very first request.
  std::optional<std::string> fatal;
  bool interrupted = false;
};

// Nothing the server sends makes it throw (problems are findings, or `fatal`); an exception from
// should_stop, on_progress or on_exchange propagates, and otherwise only std::bad_alloc.
crawl_outcome run_crawl(const crawl_options& options);

}  // namespace certharness
