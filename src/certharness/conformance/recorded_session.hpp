// A crawl_session over a recording: each request a part of crawl makes is answered by the next
// recorded exchange (its retried attempts included), recorded in the report and judged as crawl
// judged it live. Replay runs `--write-checks` again over their recording with it, so their
// findings are crawl's by construction.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "certharness/conformance/crawl_session.hpp"
#include "certharness/har/har.hpp"

namespace certharness {

class recorded_session final : public crawl_session {
 public:
  // Answers from entries[first] on; bodies and headers are moved out of the entries used.
  recorded_session(std::vector<har_entry>& entries, std::size_t first, run_report& report,
                   exchange_judge& judge);

  // The first entry no request used.
  std::size_t next() const { return next_; }

  // Told of each answer exchange() judged: the entry of its last attempt, what it was judged
  // by, and the judgement (replay --drift sums the bodies).
  using judged_observer =
      std::function<void(std::size_t entry, const response_expectation&, const checked_response&)>;
  void observe(judged_observer observer) { observer_ = std::move(observer); }

  // Stopping once a request does not match the next recorded one (method and target), or the
  // recording has ended: the live run stopped there too.
  bool stopping() const override { return stopped_ || failed_; }
  bool failed() const override { return failed_; }
  void fail(std::string) override { failed_ = true; }
  std::optional<client_response> fetch(const std::string& method, const std::string& path_query,
                                       const std::optional<std::string>& body,
                                       const std::string& group) override;
  std::optional<checked_response> exchange(const std::string& method, const std::string& path_query,
                                           const std::optional<std::string>& body,
                                           const std::string& group,
                                           const response_expectation& expect) override;
  const request_record& last_request() const override { return last_of(report_.requests); }
  std::size_t sent_count() const override { return report_.requests.size(); }
  exchange_judge& judge() override { return judge_; }
  void keep(std::size_t) override {}  // replay keeps the archive anyway
  void count_page() override {}
  void begin_cleanup() override {}
  void end_cleanup() override {}

 private:
  std::vector<har_entry>& entries_;
  std::size_t next_;
  run_report& report_;
  exchange_judge& judge_;
  bool stopped_ = false;
  bool failed_ = false;
  judged_observer observer_;
};

}  // namespace certharness
