// The judgement of exchanges, written once for crawl (answers as they arrive) and replay
// (answers from a recording), so that record → replay gives the crawl's findings by
// construction: which attempts are retried and why, the retried-429 rule, the wording of a
// transport failure, the common response checks, cert.validity of listed items and the
// cert.consistency of a GET by id with them, and a GET of a certificate the run deleted.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "certharness/conformance/certificate_checks.hpp"
#include "certharness/conformance/response_checks.hpp"
#include "certharness/har/har.hpp"
#include "certharness/http/http_message.hpp"
#include "certharness/report/run_report.hpp"
#include "certharness/spec/contract.hpp"

namespace certharness {

// The groups both commands put findings in (a walk's group is its walk_spec::label()).
inline constexpr std::string_view k_get_by_id_group = "get by id";
inline constexpr std::string_view k_negative_probes_group = "negative probes";
inline constexpr std::string_view k_write_checks_group = "write checks";

// Why an attempt is retried, as request_record::retries words it, and how long its answer asked
// to wait.
struct retry_cause {
  std::string reason;                         // "transport error", "503", "429 (Retry-After 2 s)"
  std::optional<std::chrono::seconds> delay;  // the Retry-After asked for, if any
};

// An attempt answered `status` (0: no answer) is retried on no answer, 429 and 5xx; nullopt
// otherwise. `received` is when the answer came: a Retry-After date without a Date header counts
// from it (see requested_retry_delay).
std::optional<retry_cause> retry_cause_of(int status, const header_list& headers,
                                          std::chrono::system_clock::time_point received);

// The same, of a recorded attempt: its answer came time_ms after it started.
std::optional<retry_cause> retry_cause_of(const har_entry& attempt);

// Judges exchanges into a run_report: tallies go to report.groups, findings to `add` (crawl
// counts their bytes against its budget; replay appends them), bodies by the schemas and
// operations of `spec`, which must outlive the judge, their validity decided by `engine`.
class exchange_judge {
 public:
  using finding_sink = std::function<void(run_finding)>;
  exchange_judge(run_report& report, finding_sink add, const contract& spec = contract::builtin(),
                 validation_engine engine = validation_engine::compiled);

  // The contract answers are judged by; the parts of a crawl drive the same one.
  const contract& spec() const noexcept { return spec_; }

  // An attempt answered 429 that is retried still owes a Retry-After (http.retry_after); other
  // retried attempts are not judged. The last attempt gets every check.
  void retried_attempt(int status, const header_list& headers, const std::string& group,
                       const std::string& request);

  // http.transport of a request: passed when it has an answer; otherwise a finding quoting the
  // transport error ("no response recorded" when there is none), with the attempts made.
  void transport(const request_record& sent, const std::string& group);

  // The common checks of response_checks.hpp, tallied in `group`, findings added.
  checked_response response(const client_response& response, const response_expectation& expect,
                            const std::string& group, const std::string& request);

  // cert.validity for every item of a list page; items of the organization list (`org`) are
  // remembered, the first of each id, for cert.consistency. `remembered` is told the bytes of
  // each item newly remembered (crawl counts them against its budget).
  void list_items(const json_value& root, const std::string& group, const std::string& request,
                  bool org, const std::function<void(std::size_t)>& remembered = {});
  const std::map<std::string, certificate_fields>& listed() const { return listed_; }

  // cert.object and cert.validity of a GET by id body; what it says, for compare_with_list.
  certificate_fields fetched(const json_value& root, const std::string& group,
                             const std::string& request);

  // cert.consistency of a GET by id of `id` (with include[]=content or not) with the remembered
  // list item of that id; nothing when the list had none.
  void compare_with_list(const certificate_fields& got, const std::string& id, bool with_content,
                         const std::string& group, const std::string& request);

  // A GET of a certificate this run deleted: delete.still_present unless it is answered 404,
  // whose body gets the common checks (it is still an API answer: an ErrorResponse). Any other
  // answer is only delete.still_present: the request is valid, what is wrong is that the delete
  // did not take. Returns whether it was answered 404.
  bool get_after_delete(const client_response& response, const std::string& group,
                        const std::string& request);

  // Tallies `check` in `group`; a failure is an error finding at `pointer`.
  void verdict(const std::string& group, check_id check, bool ok, const std::string& request,
               std::string pointer, std::string message);

  // Findings and tallies judged elsewhere (list_walk's list.* checks).
  void add(run_finding f) { add_(std::move(f)); }
  void merge_tally(const std::string& group, const check_tally& tally);

 private:
  void add(const std::string& group, const std::string& request, finding f);

  run_report& report_;
  finding_sink add_;
  const contract& spec_;
  validation_engine engine_;
  std::map<std::string, certificate_fields> listed_;
};

}  // namespace certharness
