#include "certharness/conformance/recorded_session.hpp"

#include <utility>

namespace certharness {

recorded_session::recorded_session(std::vector<har_entry>& entries, std::size_t first,
                                   run_report& report, exchange_judge& judge)
    : entries_(entries), next_(first), report_(report), judge_(judge) {}

std::optional<client_response> recorded_session::fetch(const std::string& method,
                                                       const std::string& path_query,
                                                       const std::optional<std::string>&,
                                                       const std::string& group) {
  // Crawl sent base + path_query, so the recorded URL ends with it.
  if (stopped_ || next_ >= entries_.size() || entries_[next_].method != method ||
      !entries_[next_].url.ends_with(path_query)) {
    stopped_ = true;
    return std::nullopt;
  }
  request_record sent{method + " " + entries_[next_].url, 0, 0, "", ""};
  for (;;) {
    har_entry& e = entries_[next_++];
    ++sent.attempts;
    const bool again = next_ < entries_.size() && entries_[next_].method == e.method &&
                       entries_[next_].url == e.url;
    if (const std::optional<retry_cause> retry = again ? retry_cause_of(e) : std::nullopt) {
      judge_.retried_attempt(e.status, e.response_headers, group, sent.request);
      sent.retries += (sent.retries.empty() ? "" : "; ") + retry->reason;
      continue;
    }
    sent.status = e.status;
    sent.error = e.status == 0 ? e.error : "";
    report_.requests.push_back(std::move(sent));
    judge_.transport(report_.requests.back(), group);
    if (e.status == 0) return std::nullopt;
    return client_response{e.status, std::move(e.response_headers), std::move(e.response_body), {}};
  }
}

std::optional<checked_response> recorded_session::exchange(const std::string& method,
                                                           const std::string& path_query,
                                                           const std::optional<std::string>& body,
                                                           const std::string& group,
                                                           const response_expectation& expect) {
  const std::optional<client_response> answer = fetch(method, path_query, body, group);
  if (!answer) return std::nullopt;
  checked_response checked =
      judge_.response(*answer, expect, group, report_.requests.back().request);
  if (observer_) observer_(next_ - 1, expect, checked);
  return checked;
}

}  // namespace certharness
