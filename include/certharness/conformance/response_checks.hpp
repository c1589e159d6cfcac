// The checks every response of a conformance run gets, whatever the endpoint: status, content
// type, strict JSON, schema by status (ErrorResponse for 4xx/5xx), Retry-After on 429.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/findings/check_tally.hpp"
#include "certharness/http/http_message.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "certharness/spec/contract.hpp"

namespace certharness {

struct response_expectation {
  // The operation's 2xx schema, e.g. "ListCertificatesResponse": a 2xx body is judged by it
  // whatever the request was (an answer is judged by its operation and status; ErrorResponse
  // for 4xx/5xx).
  std::string success_schema;
  // For a negative probe (see negative_probes.hpp): the rule the request breaks and where the
  // spec states it. A 4xx is then right and a 2xx is request.accepted_invalid, its message
  // quoting the rule. Otherwise only a 2xx is right (http.status).
  std::optional<std::string> broken_rule;
};

struct checked_response {
  std::optional<json_document> document;  // the body, when it is strict JSON
  bool success = false;                   // 2xx, JSON, and no error finding on the body
  std::vector<finding> findings;
};

// Runs http.status, request.accepted_invalid, http.content_type, http.retry_after (see
// retry_after.hpp), json.*, schema / schema.unknown_property (2xx) or error.shape (4xx/5xx),
// tallying each in `tally`, bodies judged by `schemas` (the run's contract) with `engine`
// deciding their validity (the findings are the same either way). A body whose schema
// the contract does not have (an operation documented without a 2xx schema, an older document
// without ErrorResponse) gets no schema verdict: there is nothing to judge it by. The response,
// whatever it holds, never makes it throw (only std::bad_alloc).
checked_response check_response(const client_response& response, const response_expectation& expect,
                                check_tally& tally,
                                const schema_registry& schemas = contract::builtin().schemas(),
                                validation_engine engine = validation_engine::compiled);

}  // namespace certharness
