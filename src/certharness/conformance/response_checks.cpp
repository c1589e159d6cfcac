#include "certharness/conformance/response_checks.hpp"

#include <algorithm>

#include "certharness/http/retry_after.hpp"
#include "certharness/io/ascii_text.hpp"
#include "certharness/json/text_escaping.hpp"
#include "certharness/schema/schema_registry.hpp"

namespace certharness {
namespace {

finding make(check_id check, std::string message, std::string pointer = "",
             std::string keyword = "") {
  return finding{check, std::move(pointer), std::move(keyword), std::move(message)};
}

// The ErrorResponse's message, to quote in an http.status finding.
std::string error_message_of(const std::optional<json_document>& doc) {
  if (!doc) return {};
  std::optional<json_value> error =
      doc->root().is_object() ? doc->root().find("error") : std::nullopt;
  std::optional<json_value> message =
      error && error->is_object() ? error->find("message") : std::nullopt;
  if (!message || !message->is_string()) return {};
  std::string m = excerpt(message->as_string(), 200);
  return ": \"" + m + "\"";
}

bool is_json_content_type(std::string_view value) {
  // "application/json ; charset=utf-8": OWS may stand before a parameter (RFC 9110 8.3.1).
  return ascii_iequals(trim_blanks(value.substr(0, value.find(';'))), "application/json");
}

}  // namespace

checked_response check_response(const client_response& response, const response_expectation& expect,
                                check_tally& tally, const schema_registry& schemas) {
  checked_response out;
  const int status = response.status;
  const bool ok_status = status >= 200 && status < 300;
  const bool client_error = status >= 400 && status < 500;

  decode_result decoded = decode_json(response.body);
  out.document = std::move(decoded.document);

  if (expect.broken_rule) {
    record(tally, checks::request_accepted_invalid, !ok_status);
    if (ok_status) {
      out.findings.push_back(make(checks::request_accepted_invalid,
                                  "an invalid request was answered " + std::to_string(status) +
                                      " (" + *expect.broken_rule +
                                      "); expected a 4xx ErrorResponse"));
    } else if (!client_error) {
      record(tally, checks::http_status, false);
      out.findings.push_back(make(checks::http_status, "expected a 4xx for an invalid request (" +
                                                           *expect.broken_rule + "), got " +
                                                           std::to_string(status) +
                                                           error_message_of(out.document)));
    }
  } else {
    record(tally, checks::http_status, ok_status);
    if (!ok_status) {
      out.findings.push_back(
          make(checks::http_status,
               "expected 2xx, got " + std::to_string(status) + error_message_of(out.document)));
    }
  }

  if (status == 429) {
    const std::optional<std::string> problem =
        retry_after_problem(find_header(response.headers, "Retry-After"));
    record(tally, checks::http_retry_after, !problem);
    if (problem) out.findings.push_back(make(checks::http_retry_after, *problem));
  }

  const std::optional<std::string_view> type = find_header(response.headers, "Content-Type");
  const bool json_type = type && is_json_content_type(*type);
  record(tally, checks::http_content_type, json_type);
  if (!json_type) {
    out.findings.push_back(
        make(checks::http_content_type,
             type ? "Content-Type is \"" + excerpt(*type, 80) + "\", expected application/json"
                  : "no Content-Type, expected application/json"));
  }

  for (const check_id check :
       {checks::json_syntax, checks::json_duplicate_key, checks::json_limits}) {
    const bool failed = std::any_of(decoded.problems.begin(), decoded.problems.end(),
                                    [&](const finding& f) { return f.check == check; });
    record(tally, check, !failed);
  }
  for (finding& f : decoded.problems) out.findings.push_back(std::move(f));

  // By the operation's schema for the status, whatever the request expected: a 2xx to a
  // negative probe is still a list page or a certificate. The spec defines no other bodies.
  const bool error_body = status >= 400;
  const std::string schema = error_body ? "ErrorResponse" : expect.success_schema;
  if (out.document && (ok_status || error_body) && schemas.contains(schema)) {
    findings schema_findings = schemas.validate(out.document->root(), schema);
    const check_id check = error_body ? checks::error_shape : checks::schema;
    const bool valid = std::none_of(schema_findings.begin(), schema_findings.end(),
                                    [](const finding& f) { return f.level == severity::error; });
    record(tally, check, valid);
    for (finding& f : schema_findings) {
      if (error_body && f.check == checks::schema) {
        f.check = checks::error_shape.id();
        f.message = "error body is not an ErrorResponse: " + f.message;
      }
      out.findings.push_back(std::move(f));
    }
  }
  out.success = ok_status && out.document &&
                std::none_of(out.findings.begin(), out.findings.end(),
                             [](const finding& f) { return f.level == severity::error; });
  return out;
}

}  // namespace certharness
