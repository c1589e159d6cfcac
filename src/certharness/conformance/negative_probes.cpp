#include "certharness/conformance/negative_probes.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "certharness/json/text_escaping.hpp"
#include "certharness/schema/operation_table.hpp"

namespace certharness {
namespace {

constexpr std::string_view k_unknown_id_prefix = "cert_certharness_does_not_exist";

std::optional<std::string_view> first_value(const query_list& query, std::string_view name) {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

// A recorded query value may be anything: quote a bounded prefix of it, its cut marked.
std::string shown(std::string_view value) { return excerpt(value, 40); }

// Where the table says limit's bounds come from: "the spec's description says 1..100; its
// schema sets no bounds".
std::string bounds_source(const operation_parameter& limit) {
  const std::string range = std::to_string(*limit.minimum) + ".." + std::to_string(*limit.maximum);
  return limit.bounds_in_prose_only
             ? "the spec's description says " + range + "; its schema sets no bounds"
             : "the spec's schema says " + range;
}

// "neither asc nor desc", "not one of a, b, c".
std::string none_of(const std::vector<std::string>& values) {
  if (values.size() == 2) return "neither " + values[0] + " nor " + values[1];
  std::string out = "not one of ";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + values[i];
  return out;
}

// "" when the contract has no GET by id: check_response then judges no body by a schema.
std::string get_certificate_schema(const operation_table& operations) {
  const operation* get = operations.find(certificate_operation::get_certificate);
  return get ? std::string(get->success_schema()) : std::string();
}

}  // namespace

const std::string_view k_unknown_certificate_id = "cert_certharness_does_not_exist_0";

const std::vector<query_list>& list_probe_queries() {
  static const std::vector<query_list> queries{{{"limit", "0"}},
                                               {{"limit", "101"}},
                                               {{"limit", "-1"}},
                                               {{"limit", "abc"}},
                                               {{"order", "sideways"}}};
  return queries;
}

bool is_unknown_certificate_probe(std::string_view id) {
  return id.starts_with(k_unknown_id_prefix);
}

std::optional<std::string> broken_list_rule(const query_list& query,
                                            const operation_table& operations) {
  // The rules of both lists are the operation table's (limit's bounds, order's enum).
  const operation* list = operations.find(certificate_operation::list_certificates);
  const operation_parameter* limit_rule = list ? list->parameter("limit") : nullptr;
  const operation_parameter* order_rule = list ? list->parameter("order") : nullptr;
  const std::optional<std::string_view> limit = first_value(query, "limit");
  if (limit && limit_rule) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec == std::errc::result_out_of_range ||
        (ec == std::errc{} && end == limit->data() + limit->size())) {
      if (limit_rule->minimum && limit_rule->maximum &&
          (ec != std::errc{} || n < *limit_rule->minimum || n > *limit_rule->maximum)) {
        return "limit=" + shown(*limit) + " is out of range (" + bounds_source(*limit_rule) + ")";
      }
    } else {
      return "limit=" + shown(*limit) + " is not an integer (the spec's schema says integer)";
    }
  }
  if (const std::optional<std::string_view> order = first_value(query, "order");
      order && order_rule && !order_rule->allowed.empty() &&
      std::find(order_rule->allowed.begin(), order_rule->allowed.end(), *order) ==
          order_rule->allowed.end()) {
    return "order=" + shown(*order) + " is " + none_of(order_rule->allowed) +
           " (the spec's schema enum)";
  }
  return std::nullopt;
}

response_expectation list_expectation(std::string success_schema, const query_list& query,
                                      const operation_table& operations) {
  return {std::move(success_schema), broken_list_rule(query, operations)};
}

response_expectation get_certificate_expectation(std::string_view id,
                                                 const operation_table& operations) {
  std::string schema = get_certificate_schema(operations);
  if (!is_unknown_certificate_probe(id)) return {std::move(schema), std::nullopt};
  return {std::move(schema), "no certificate has this id, so there is none to answer with"};
}

response_expectation get_deleted_certificate_expectation(const operation_table& operations) {
  return {get_certificate_schema(operations), "this certificate was deleted earlier in the run"};
}

}  // namespace certharness
