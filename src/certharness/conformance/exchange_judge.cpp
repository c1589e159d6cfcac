#include "certharness/conformance/exchange_judge.hpp"

#include <utility>

#include "certharness/conformance/negative_probes.hpp"
#include "certharness/http/retry_after.hpp"

namespace certharness {

std::optional<retry_cause> retry_cause_of(int status, const header_list& headers,
                                          std::chrono::system_clock::time_point received) {
  if (status == 0) return retry_cause{"transport error", std::nullopt};
  if (status != 429 && status < 500) return std::nullopt;
  retry_cause out{std::to_string(status), requested_retry_delay(headers, received)};
  if (out.delay) out.reason += " (Retry-After " + std::to_string(out.delay->count()) + " s)";
  return out;
}

std::optional<retry_cause> retry_cause_of(const har_entry& attempt) {
  const auto received =
      attempt.started + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                            std::chrono::duration<double, std::milli>(attempt.time_ms));
  return retry_cause_of(attempt.status, attempt.response_headers, received);
}

exchange_judge::exchange_judge(run_report& report, finding_sink add, const contract& spec,
                               validation_engine engine)
    : report_(report), add_(std::move(add)), spec_(spec), engine_(engine) {}

void exchange_judge::add(const std::string& group, const std::string& request, finding f) {
  add_(run_finding{group, request, std::move(f)});
}

void exchange_judge::retried_attempt(int status, const header_list& headers,
                                     const std::string& group, const std::string& request) {
  if (status != 429) return;
  const std::optional<std::string> problem =
      retry_after_problem(find_header(headers, "Retry-After"));
  record(report_.groups[group], checks::http_retry_after, !problem);
  if (problem) {
    add(group, request, finding{checks::http_retry_after, "", "", *problem, std::nullopt});
  }
}

void exchange_judge::transport(const request_record& sent, const std::string& group) {
  const bool answered = sent.status != 0;
  record(report_.groups[group], checks::http_transport, answered);
  if (answered) return;
  std::string message = sent.error.empty() ? "no response recorded" : sent.error;
  if (sent.attempts > 1) message += " (after " + std::to_string(sent.attempts) + " attempts)";
  add(group, sent.request,
      finding{checks::http_transport, "", "", std::move(message), std::nullopt});
}

checked_response exchange_judge::response(const client_response& response,
                                          const response_expectation& expect,
                                          const std::string& group, const std::string& request) {
  checked_response checked =
      check_response(response, expect, report_.groups[group], spec_.schemas(), engine_);
  for (finding& f : checked.findings) add(group, request, std::move(f));
  checked.findings.clear();
  return checked;
}

void exchange_judge::list_items(const json_value& root, const std::string& group,
                                const std::string& request, bool org,
                                const std::function<void(std::size_t)>& remembered) {
  findings found;
  auto items = check_list_items(root, report_.groups[group], found);
  for (finding& f : found) add(group, request, std::move(f));
  if (!org) return;
  for (auto& [id, fields] : items) {
    // A map node holds the key, the fields and about four pointers of its own.
    const std::size_t bytes = sizeof(std::pair<const std::string, certificate_fields>) +
                              4 * sizeof(void*) + 2 * id.size() + fields.name.size() +
                              fields.created_at.size() + fields.valid_at.size() +
                              fields.expires_at.size();
    if (listed_.emplace(std::move(id), std::move(fields)).second && remembered) remembered(bytes);
  }
}

void exchange_judge::merge_tally(const std::string& group, const check_tally& tally) {
  merge_into(report_.groups[group], tally);
}

certificate_fields exchange_judge::fetched(const json_value& root, const std::string& group,
                                           const std::string& request) {
  findings found;
  check_fetched_certificate(root, report_.groups[group], found);
  for (finding& f : found) add(group, request, std::move(f));
  return read_certificate_fields(root);
}

void exchange_judge::compare_with_list(const certificate_fields& got, const std::string& id,
                                       bool with_content, const std::string& group,
                                       const std::string& request) {
  const auto listed = listed_.find(id);
  if (listed == listed_.end()) return;  // nothing to compare with
  const auto differences = certificate_differences(got, id, listed->second, with_content);
  record(report_.groups[group], checks::cert_consistency, differences.empty());
  for (const auto& [pointer, message] : differences) {
    add(group, request,
        finding{checks::cert_consistency, pointer, "",
                "GET by id disagrees with the list: " + message, std::nullopt});
  }
}

bool exchange_judge::get_after_delete(const client_response& answer, const std::string& group,
                                      const std::string& request) {
  const bool answered_404 = answer.status == 404;
  if (answered_404)
    response(answer, get_deleted_certificate_expectation(spec_.operations()), group, request);
  verdict(group, checks::delete_still_present, answered_404, request, "",
          "GET by id answered " + std::to_string(answer.status) + " after the delete, not 404");
  return answered_404;
}

void exchange_judge::verdict(const std::string& group, check_id check, bool ok,
                             const std::string& request, std::string pointer, std::string message) {
  record(report_.groups[group], check, ok);
  if (!ok) {
    add(group, request, finding{check, std::move(pointer), "", std::move(message), std::nullopt});
  }
}

}  // namespace certharness
