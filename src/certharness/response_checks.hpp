// The checks every response of a conformance run gets, whatever the endpoint: status, content
// type, strict JSON, schema by status (ErrorResponse for 4xx/5xx), Retry-After on 429.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/check_tally.hpp"
#include "certharness/http_client.hpp"
#include "certharness/json_document.hpp"

namespace certharness {

struct response_expectation {
  // The schema of a 2xx body, e.g. "ListCertificatesResponse".
  std::string success_schema;
  // A negative probe (limit 0, an unknown id, ...): any 4xx is right, 2xx is
  // request.accepted_invalid. Otherwise only 2xx is right (http.status).
  bool negative_probe = false;
};

struct checked_response {
  std::optional<json_document> document;  // the body, when it is strict JSON
  bool success = false;                   // 2xx, JSON, and no error finding on the body
  std::vector<finding> findings;
};

// Runs http.status, request.accepted_invalid, http.content_type, http.retry_after, json.*,
// schema / schema.unknown_property (2xx) or error.shape (4xx/5xx), tallying each in `tally`.
// What is wrong with a 429's Retry-After (absent, or neither delay-seconds >= 1 nor an
// HTTP-date); nullopt when it is fine.
std::optional<std::string> retry_after_problem(std::optional<std::string_view> value);

checked_response check_response(const client_response& response,
                                const response_expectation& expect, check_tally& tally);

}  // namespace certharness
