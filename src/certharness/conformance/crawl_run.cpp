#include "certharness/conformance/crawl_run.hpp"

#include <algorithm>
#include <thread>
#include <utility>

#include "certharness/conformance/crawl_coverage.hpp"
#include "certharness/conformance/crawl_probes.hpp"
#include "certharness/conformance/crawl_session.hpp"
#include "certharness/conformance/crawl_walks.hpp"
#include "certharness/conformance/exchange_judge.hpp"
#include "certharness/conformance/write_checks.hpp"
#include "certharness/http/http_client.hpp"
#include "certharness/http/url.hpp"

namespace certharness {
namespace {

// Cleanup runs after an interrupt too, so it gets a bound of its own instead of should_stop.
constexpr std::chrono::milliseconds k_cleanup_budget{15'000};

// The HAR entry of one attempt, before its answer.
har_entry attempt_entry(const client_request& request) {
  har_entry entry;
  entry.started = std::chrono::system_clock::now();
  entry.method = request.method;
  entry.url = request.url;
  entry.request_headers = request.headers;
  if (request.body) {
    entry.request_body = request.body;
    entry.request_mime_type = "application/json";
  }
  return entry;
}

// The answer (or the transport error) of an attempt, into its HAR entry.
void record_answer(har_entry& entry, const result<client_response, transport_error>& answer) {
  if (answer) {
    entry.status = answer->status;
    entry.response_headers = answer->headers;
    entry.time_ms = std::chrono::duration<double, std::milli>(answer->elapsed).count();
  } else {
    entry.error = answer.error().message;
  }
}

// The first request decides whether the run can be carried out at all: no connection, or the
// key refused. nullopt: it can.
std::optional<std::string> first_request_problem(
    const std::string& base, const std::optional<client_response>& answer,
    const result<client_response, transport_error>& sent, const std::string& error) {
  if (!answer && !sent && sent.error().no_connection) {
    return "no connection to " + base + ": " + error;
  }
  if (answer && answer->status == 401) {
    return "the API refused the key (401) on the first request: check OPENAI_ADMIN_KEY";
  }
  return std::nullopt;
}

class crawler final : public crawl_session {
 public:
  explicit crawler(const crawl_options& options)
      : options_(options),
        client_(client_options{options.timeout, options.timeout}),
        cleanup_client_(client_options{std::min(options.timeout, k_cleanup_budget),
                                       std::min(options.timeout, k_cleanup_budget)}),
        judge_(
            report_, [this](run_finding f) { add(std::move(f)); }, options.spec, options.engine) {
    report_.command = "crawl";
    report_.contract_source = options.spec.get().source();
  }

  crawl_outcome run() {
    crawl_outcome out;
    if (std::optional<std::string> problem = refuse_unsafe_base()) {
      out.fatal = std::move(problem);
      return out;
    }
    if (std::find(options_.projects.begin(), options_.projects.end(), "") !=
        options_.projects.end()) {
      out.fatal = "--project must name a project; an empty id would walk another path";
      return out;
    }
    // What of the contract this run leaves out, said first; the parts skip it.
    for (run_finding& f : not_exercised(options_)) add(std::move(f));
    walk_every_list(*this, options_);
    if (fatal_) return finish(std::move(out));
    if (!stopping()) get_each_listed(*this);
    if (!stopping()) send_negative_probes(*this);
    // After the reads, so that they see the organization as it was.
    if (options_.write_checks && !stopping()) run_write_checks(*this, options_.max_pages);
    return finish(std::move(out));
  }

  // ---- crawl_session

  bool stopping() const override {
    if (cleanup_deadline_) return std::chrono::steady_clock::now() >= *cleanup_deadline_;
    return fatal_.has_value() || budget_hit_ || (options_.should_stop && options_.should_stop());
  }
  bool failed() const override { return fatal_.has_value(); }
  void fail(std::string why) override { fatal_ = std::move(why); }

  // A request, recorded in the report; a transport failure is a finding in `group`.
  std::optional<client_response> fetch(const std::string& method, const std::string& path_query,
                                       const std::optional<std::string>& body,
                                       const std::string& group) override {
    request_record sent;
    std::optional<client_response> response = send(method, path_query, body, group, sent);
    if (sent.attempts == 0) return std::nullopt;  // not sent: stopped or out of budget
    keep(sizeof sent + sent.request.size() + sent.error.size() + sent.retries.size());
    report_.requests.push_back(sent);
    // After a fatal first request the run reports the problem, not a finding.
    if (response || !fatal_) judge_.transport(report_.requests.back(), group);
    return response;
  }

  // A request whose response gets the common checks; findings go to `group`.
  std::optional<checked_response> exchange(const std::string& method, const std::string& path_query,
                                           const std::optional<std::string>& body,
                                           const std::string& group,
                                           const response_expectation& expect) override {
    const std::optional<client_response> response = fetch(method, path_query, body, group);
    if (!response) return std::nullopt;
    checked_response checked =
        judge_.response(*response, expect, group, report_.requests.back().request);
    progress();
    return checked;
  }

  const request_record& last_request() const override { return last_of(report_.requests); }
  std::size_t sent_count() const override { return report_.requests.size(); }
  exchange_judge& judge() override { return judge_; }

  // Counts `bytes` more kept until the end of the run; past the bound the run stops.
  void keep(std::size_t bytes) override {
    kept_bytes_ += bytes;
    if (kept_bytes_ <= options_.max_kept_bytes || budget_hit_) return;
    over_budget(report_.requests.empty() ? "" : report_.requests.back().request,
                "the run keeps " + std::to_string(kept_bytes_) +
                    " bytes for its cross-checks, over its bound of " +
                    std::to_string(options_.max_kept_bytes) +
                    " (--max-kept-mb): it stopped after this request");
  }
  void count_page() override { ++pages_; }

  void begin_cleanup() override {
    cleanup_deadline_ = std::chrono::steady_clock::now() + k_cleanup_budget;
  }
  void end_cleanup() override { cleanup_deadline_.reset(); }

 private:
  // Requests go to the base as libcurl read it when the gate passed it, so what was checked is
  // what is sent.
  std::optional<std::string> refuse_unsafe_base() {
    base_url_check checked = check_base_url(options_.base_url);
    base_ = std::move(checked.url);
    return checked.problem;
  }

  void wait(std::chrono::milliseconds delay) {
    const auto until = std::chrono::steady_clock::now() + delay;
    while (!stopping() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  void add(run_finding f) {
    keep(sizeof f + f.group.size() + f.request.size() + f.what.check.size() +
         f.what.pointer.size() + f.what.keyword.size() + f.what.message.size());
    report_.findings.push_back(std::move(f));
    progress();
  }

  // ---- the run's budget (crawl_options::max_requests, max_kept_bytes)

  // Whether `request` may be sent; the first refusal is the run.budget finding. The cleanup of
  // --write-checks is never refused: what it removes was made by this run.
  bool within_request_budget(const std::string& request) {
    if (cleanup_deadline_ || requests_sent_ < options_.max_requests) return true;
    over_budget(request, "the run reached its bound of " + std::to_string(options_.max_requests) +
                             " requests (--max-requests) before it was done: this request and "
                             "the rest of the run were not sent");
    return false;
  }

  void over_budget(const std::string& request, std::string message) {
    if (budget_hit_) return;
    budget_hit_ = true;  // first: add() below keeps bytes too
    add(run_finding{"run", request,
                    finding{checks::run_budget, "", "", std::move(message), std::nullopt}});
  }

  void progress() {
    if (options_.on_progress) {
      options_.on_progress(
          crawl_progress{report_.requests.size(), pages_, report_.findings.size()});
    }
  }

  client_request request_to(const std::string& method, const std::string& path_query,
                            const std::optional<std::string>& body) const {
    client_request request;
    request.method = method;
    request.url = base_ + path_query;
    request.headers.emplace_back("Authorization", "Bearer " + options_.admin_key);
    if (options_.organization) {
      request.headers.emplace_back("OpenAI-Organization", *options_.organization);
    }
    request.headers.emplace_back("Accept", "application/json");
    if (body) request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    return request;
  }

  // One request with bounded retries on 429, 5xx and connection errors; every attempt is
  // recorded. Returns the last response, if any.
  std::optional<client_response> send(const std::string& method, const std::string& path_query,
                                      const std::optional<std::string>& body,
                                      const std::string& group, request_record& record) {
    const client_request request = request_to(method, path_query, body);
    record.request = method + " " + request.url;
    record.attempts = 0;  // stays 0 when nothing is sent
    std::optional<client_response> last;
    std::optional<retry_cause> retry;  // why the previous attempt is retried
    for (int attempt = 1;; ++attempt) {
      // Nothing starts after a stop, not even a retry at the end of its wait (the cleanup of
      // --write-checks aside: stopping() then means its deadline), nor beyond the budget.
      if (stopping() || !within_request_budget(record.request)) break;
      if (attempt > 1) {
        // The final response gets every check; a retried attempt only the retried-429 rule.
        if (last) judge_.retried_attempt(last->status, last->headers, group, record.request);
        record.retries += (record.retries.empty() ? "" : "; ") + retry->reason;
      }
      record.attempts = attempt;
      ++requests_sent_;
      har_entry entry = attempt_entry(request);
      result<client_response, transport_error> sent =
          (cleanup_deadline_ ? cleanup_client_ : client_).send(request);
      record_answer(entry, sent);
      const std::string error = entry.error;
      if (sent) {
        // From when the answer came, as replay computes it from the recording.
        const auto received =
            entry.started +
            std::chrono::duration_cast<std::chrono::system_clock::duration>(sent->elapsed);
        retry = retry_cause_of(sent->status, sent->headers, received);
        record.status = sent->status;
        record.error.clear();
        last = std::move(*sent);
      } else {
        retry = retry_cause_of(0, {}, entry.started);
        record.status = 0;
        record.error = error;
        last.reset();
      }
      if (options_.on_exchange) {
        // Lent to the entry, not copied: a body may be tens of megabytes.
        if (last) entry.response_body = std::move(last->body);
        options_.on_exchange(entry);
        if (last) last->body = std::move(entry.response_body);
      }
      if (first_request_) {
        first_request_ = false;
        fatal_ = first_request_problem(base_, last, sent, record.error);
        if (fatal_) return last;
      }
      if (!retry || attempt > options_.retries || stopping()) break;
      const auto backoff =
          std::min(options_.backoff_cap, options_.backoff_base * (1 << std::min(attempt - 1, 16)));
      wait(retry->delay ? std::min<std::chrono::milliseconds>(*retry->delay, options_.backoff_cap)
                        : backoff);
    }
    return last;
  }

  crawl_outcome finish(crawl_outcome out) {
    record(report_.groups["run"], checks::run_budget, !budget_hit_);
    out.report = std::move(report_);
    out.fatal = fatal_;
    out.interrupted = !fatal_ && options_.should_stop && options_.should_stop();
    return out;
  }

  const crawl_options& options_;
  http_client client_;
  http_client cleanup_client_;  // shorter timeouts: cleanup must end within its budget
  std::optional<std::chrono::steady_clock::time_point> cleanup_deadline_;  // set while cleaning
  std::string base_;
  run_report report_;
  exchange_judge judge_;
  std::optional<std::string> fatal_;
  bool first_request_ = true;
  std::size_t pages_ = 0;
  std::size_t requests_sent_ = 0;  // attempts, retries included
  std::size_t kept_bytes_ = 0;     // see keep()
  bool budget_hit_ = false;
};

}  // namespace

crawl_outcome run_crawl(const crawl_options& options) { return crawler(options).run(); }

}  // namespace certharness
