// A crawl_session over the in-memory fake API, for unit tests of crawl's parts (walks, probes,
// write checks): what they send is answered by fake_api::handle, recorded in `report` and judged
// by the real exchange_judge; no HTTP, retries, budget or deadline.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "certharness/conformance/crawl_session.hpp"
#include "certharness/fake_api/fake_api.hpp"
#include "certharness/http/http_message.hpp"
#include "certharness/http/url.hpp"

namespace certharness::test_support {

class in_memory_session final : public crawl_session {
 public:
  // The parts drive and judge by `spec` (the fake itself is the built-in contract).
  explicit in_memory_session(fake_api_options options, const contract& spec = contract::builtin())
      : api(std::move(options)),
        judge_(
            report, [this](run_finding f) { report.findings.push_back(std::move(f)); }, spec) {}

  fake_api api;
  run_report report;
  std::size_t max_requests = 10'000;  // a bound on every test's loop
  // The session fails (as crawl's first-request gate does) once this many requests are sent.
  std::optional<std::size_t> fail_after;
  std::size_t pages = 0;
  bool cleaning = false;
  bool cleaned = false;  // begin_cleanup and end_cleanup were both called

  bool stopping() const override { return failed_ || report.requests.size() >= max_requests; }
  bool failed() const override { return failed_; }
  void fail(std::string) override { failed_ = true; }

  std::optional<client_response> fetch(const std::string& method, const std::string& path_query,
                                       const std::optional<std::string>& body,
                                       const std::string& group) override {
    const std::optional<request_target> target = parse_request_target(path_query);
    http_request request{method,
                         path_query.substr(0, path_query.find('?')),
                         target ? target->query : decltype(request_target::query){},
                         {{"Authorization", "Bearer sk-in-memory-test"}},
                         body.value_or("")};
    http_response answer = api.handle(request);
    report.requests.push_back(request_record{method + " " + path_query, answer.status, 1, "", ""});
    judge_.transport(report.requests.back(), group);
    if (fail_after && report.requests.size() >= *fail_after) failed_ = true;
    return client_response{answer.status, std::move(answer.headers), std::move(answer.body), {}};
  }

  std::optional<checked_response> exchange(const std::string& method, const std::string& path_query,
                                           const std::optional<std::string>& body,
                                           const std::string& group,
                                           const response_expectation& expect) override {
    const std::optional<client_response> answer = fetch(method, path_query, body, group);
    if (!answer) return std::nullopt;
    return judge_.response(*answer, expect, group, report.requests.back().request);
  }

  const request_record& last_request() const override { return last_of(report.requests); }
  std::size_t sent_count() const override { return report.requests.size(); }
  exchange_judge& judge() override { return judge_; }
  void keep(std::size_t) override {}
  void count_page() override { ++pages; }
  void begin_cleanup() override { cleaning = true; }
  void end_cleanup() override {
    cleaned = cleaning;
    cleaning = false;
  }

  // Error findings as "check in group", sorted, for messages and comparisons.
  std::vector<std::string> errors() const {
    std::vector<std::string> out;
    for (const run_finding& f : report.findings) {
      if (f.what.level == severity::error) out.push_back(f.what.check + " in " + f.group);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  exchange_judge judge_;
  bool failed_ = false;
};

// A fake API seeded with `certs` certificates and the given faults.
inline fake_api_options seeded_api(std::size_t certs, std::set<fake_fault> faults = {}) {
  fake_api_options options;
  options.seed_certs = certs;
  options.faults = std::move(faults);
  return options;
}

}  // namespace certharness::test_support
