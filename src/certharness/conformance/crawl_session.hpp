// What the parts of a crawl (walks, negative probes, write checks) talk to: a session that sends
// requests, records them in the report and judges their answers. crawl_run.cpp implements it
// over HTTP (retries, the run's budget, should_stop); the parts never see the transport.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "certharness/conformance/exchange_judge.hpp"
#include "certharness/conformance/response_checks.hpp"
#include "certharness/http/http_message.hpp"
#include "certharness/report/run_report.hpp"

namespace certharness {

class crawl_session {
 public:
  virtual ~crawl_session() = default;

  // True once nothing more should be sent: should_stop, a fatal problem, the budget, or (while
  // cleaning up) the cleanup deadline.
  virtual bool stopping() const = 0;
  // True once the run cannot be carried out (no connection or 401 on the first request, ...).
  virtual bool failed() const = 0;
  // Ends the run as one that could not be carried out (exit 2).
  virtual void fail(std::string why) = 0;

  // A request to `path_query` below the base URL, with bounded retries, recorded in the report
  // (last_request()); a transport failure is a finding in `group`. nullopt: no answer, or not
  // sent (stopping; then last_request() is not this one).
  virtual std::optional<client_response> fetch(const std::string& method,
                                               const std::string& path_query,
                                               const std::optional<std::string>& body,
                                               const std::string& group) = 0;

  // fetch, then the common checks on the answer (findings in `group`).
  virtual std::optional<checked_response> exchange(const std::string& method,
                                                   const std::string& path_query,
                                                   const std::optional<std::string>& body,
                                                   const std::string& group,
                                                   const response_expectation& expect) = 0;

  // The last request recorded; an empty record before the first one.
  virtual const request_record& last_request() const = 0;
  // How many requests were recorded (sent, or attempted and failed): whether a request went out.
  virtual std::size_t sent_count() const = 0;
  virtual exchange_judge& judge() = 0;

  // Counts `bytes` more kept until the end of the run (crawl_options::max_kept_bytes).
  virtual void keep(std::size_t bytes) = 0;
  virtual void count_page() = 0;  // for progress

  // Between the two, requests go out under the cleanup's own deadline and budget rather than
  // should_stop and max_requests: what the cleanup removes was made by this run.
  virtual void begin_cleanup() = 0;
  virtual void end_cleanup() = 0;

  // The contract the session drives and judges by (its judge's).
  const contract& spec() { return judge().spec(); }

  // A GET whose answer gets the common checks.
  std::optional<checked_response> get(const std::string& path_query, const std::string& group,
                                      const response_expectation& expect) {
    return exchange("GET", path_query, std::nullopt, group, expect);
  }

  // The JSON object root of the last answer when it was a 2xx, or nothing (the common checks
  // said why): an error body shaped like a success is not one.
  std::optional<json_value> object_root(const std::optional<checked_response>& r) const {
    if (!r || !r->document || !last_answered_2xx() || !r->document->root().is_object()) {
      return std::nullopt;
    }
    return r->document->root();
  }
  bool last_answered_2xx() const { return last_request().status / 100 == 2; }

 protected:
  // last_request() of a report: its last request, or an empty record when there is none yet.
  static const request_record& last_of(const std::vector<request_record>& requests) {
    static const request_record none{};
    return requests.empty() ? none : requests.back();
  }
};

}  // namespace certharness
