// Negative probes: requests that each break one rule of the API, and the rules themselves, with
// where the spec states each. Crawl sends the probes; replay recognises them (and any request
// breaking the same rules) with the same functions, so both judge an answer alike: by the
// operation's schema for its status, with request.accepted_invalid for a 2xx.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certharness/conformance/response_checks.hpp"
#include "certharness/schema/operation_table.hpp"
#include "certharness/spec/contract.hpp"

namespace certharness {

using query_list = std::vector<std::pair<std::string, std::string>>;  // decoded, in order

// The queries crawl sends to a list endpoint, one broken rule each: limit 0, 101, -1 and "abc",
// order "sideways".
const std::vector<query_list>& list_probe_queries();

// The id crawl GETs expecting a 404. Replay takes any id with this id's prefix
// ("cert_certharness_does_not_exist") for the probe.
extern const std::string_view k_unknown_certificate_id;
bool is_unknown_certificate_probe(std::string_view id);

// The rule a list request's query breaks and where the spec states it, e.g. "limit=0 is out of
// range (the spec's description says 1..100; its schema sets no bounds)"; nullopt when none.
// The first value of a repeated parameter counts. The rules are those `operations` gives the
// organization list (none when it has no such operation).
std::optional<std::string> broken_list_rule(
    const query_list& query, const operation_table& operations = contract::builtin().operations());

// What the answer to a list request with `query` is judged by: the list's schema, and the rule
// it breaks, if any.
response_expectation list_expectation(
    std::string success_schema, const query_list& query,
    const operation_table& operations = contract::builtin().operations());

// What the answer to a GET of `id` is judged by: GET by id's success schema in `operations`
// (Certificate), and for the unknown-id probe the rule that an id no certificate has is
// answered 404.
response_expectation get_certificate_expectation(
    std::string_view id, const operation_table& operations = contract::builtin().operations());

// A GET of a certificate this run deleted: GET by id's success schema, expected 404.
response_expectation get_deleted_certificate_expectation(
    const operation_table& operations = contract::builtin().operations());

}  // namespace certharness
