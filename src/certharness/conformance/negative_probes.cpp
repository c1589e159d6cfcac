#include "certharness/conformance/negative_probes.hpp"

#include <charconv>
#include <cstdint>

#include "certharness/json/text_escaping.hpp"

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

std::optional<std::string> broken_list_rule(const query_list& query) {
  if (const std::optional<std::string_view> limit = first_value(query, "limit")) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec == std::errc::result_out_of_range ||
        (ec == std::errc{} && end == limit->data() + limit->size())) {
      if (ec != std::errc{} || n < 1 || n > 100) {
        return "limit=" + shown(*limit) +
               " is out of range (the spec's description says 1..100; its schema sets no bounds)";
      }
    } else {
      return "limit=" + shown(*limit) + " is not an integer (the spec's schema says integer)";
    }
  }
  if (const std::optional<std::string_view> order = first_value(query, "order");
      order && *order != "asc" && *order != "desc") {
    return "order=" + shown(*order) + " is neither asc nor desc (the spec's schema enum)";
  }
  return std::nullopt;
}

response_expectation list_expectation(std::string success_schema, const query_list& query) {
  return {std::move(success_schema), broken_list_rule(query)};
}

response_expectation get_certificate_expectation(std::string_view id) {
  if (!is_unknown_certificate_probe(id)) return {"Certificate", std::nullopt};
  return {"Certificate", "no certificate has this id, so there is none to answer with"};
}

response_expectation get_deleted_certificate_expectation() {
  return {"Certificate", "this certificate was deleted earlier in the run"};
}

}  // namespace certharness
