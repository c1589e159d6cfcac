#include "fake_api_requests.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "certharness/io/ascii_text.hpp"
#include "certharness/json/utf8.hpp"

namespace certharness::fake_api_internal {
namespace {

// A query parameter that may be given once: a repeat is ambiguous, so it is refused.
result<std::optional<std::string_view>, api_error> single_value(const query_list& query,
                                                                std::string_view name) {
  std::optional<std::string_view> value;
  for (const auto& [key, v] : query) {
    if (key != name) continue;
    if (value) {
      return failure(api_error{400, "Invalid '" + std::string(name) + "': given more than once.",
                               std::string(name), "invalid_value"});
    }
    value = v;
  }
  return value;
}

// limit's bounds as the operation table states them (none when it states none).
struct limit_bounds {
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
};

result<std::int64_t, api_error> parse_limit(std::string_view text, limit_bounds bounds,
                                            bool clamp) {
  std::int64_t limit = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, limit);
  if (text.empty() || ec == std::errc::invalid_argument || stop != end) {
    return failure(api_error{400,
                             "Invalid 'limit': expected an integer, but got '" + echo(text) + "'.",
                             "limit", "invalid_type"});
  }
  if (ec == std::errc::result_out_of_range) {
    limit = text.front() == '-' ? std::numeric_limits<std::int64_t>::min()
                                : std::numeric_limits<std::int64_t>::max();
  }
  if (clamp) return std::clamp(limit, bounds.min, bounds.max);
  if (limit < bounds.min) {
    return failure(api_error{400,
                             "Invalid 'limit': integer below minimum value. Expected a value >= " +
                                 std::to_string(bounds.min) + ".",
                             "limit", "integer_below_min_value"});
  }
  if (limit > bounds.max) {
    return failure(api_error{400,
                             "Invalid 'limit': integer above maximum value. Expected a value <= " +
                                 std::to_string(bounds.max) + ".",
                             "limit", "integer_above_max_value"});
  }
  return limit;
}

}  // namespace

// Request text echoed in an error message. Paths and ids arrive percent-decoded, so they can
// hold any byte: the echo is made valid UTF-8 (the body must stay JSON), without control
// characters (it also ends up in logs), and short.
std::string echo(std::string_view text) {
  constexpr std::size_t max_bytes = 64;
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (out.size() >= max_bytes) return out + "...";
    const std::size_t n = utf8_sequence_length(text, i);
    const auto c = static_cast<unsigned char>(text[i]);
    if (n == 0 || c < 0x20 || c == 0x7F) {
      out.push_back('?');
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

api_error not_found(std::string_view id, std::string param) {
  return {404, "No certificate found with id '" + echo(id) + "'.", std::move(param), std::nullopt};
}

api_error missing(std::string param) {
  return {400, "Missing required parameter: '" + param + "'.", param, "missing_required_parameter"};
}

api_error invalid_type(std::string param, std::string_view expected, const json_value& got) {
  std::string message = "Invalid type for '" + param + "': expected " + std::string(expected) +
                        ", but got " + std::string(to_string(got.type())) + " instead.";
  return {400, std::move(message), std::move(param), "invalid_type"};
}

// RFC 6750: "Bearer" (any case), one or more spaces, a non-empty token. The fake knows no keys,
// so any well-formed token is accepted; the token itself is never looked at again.
credentials bearer_credentials(const header_list& headers) {
  const std::optional<std::string_view> header = find_header(headers, "Authorization");
  const std::string_view value = header ? trim_blanks(*header) : std::string_view{};
  if (value.empty()) return credentials::missing;
  constexpr std::string_view scheme = "Bearer";
  if (value.size() <= scheme.size() || !ascii_iequals(value.substr(0, scheme.size()), scheme) ||
      value[scheme.size()] != ' ') {
    return credentials::malformed;
  }
  const std::string_view token = trim_blanks(value.substr(scheme.size()));
  const bool clean = !token.empty() && std::none_of(token.begin(), token.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F;
  });
  return clean ? credentials::present : credentials::malformed;
}

namespace {

// "'asc' and 'desc'", "'a', 'b' and 'c'".
std::string quoted_list(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += i + 1 == values.size() ? " and " : ", ";
    out += "'" + values[i] + "'";
  }
  return out;
}

}  // namespace

result<page_query, api_error> parse_page_query(const query_list& query, const operation& list,
                                               bool clamp_limit) {
  // The rules are the operation table's: limit's default and bounds, order's default and enum.
  const operation_parameter* limit_rule = list.parameter("limit");
  const operation_parameter* order_rule = list.parameter("order");
  limit_bounds bounds;
  page_query q;
  if (limit_rule) {
    bounds.min = limit_rule->minimum.value_or(bounds.min);
    bounds.max = limit_rule->maximum.value_or(bounds.max);
    const std::string fallback = limit_rule->default_value.value_or("");
    std::from_chars(fallback.data(), fallback.data() + fallback.size(), q.limit);
  }
  if (order_rule) q.ascending = order_rule->default_value == "asc";
  auto limit = single_value(query, "limit");
  if (!limit) return failure(std::move(limit).error());
  if (const auto& text = *limit) {
    auto parsed = parse_limit(*text, bounds, clamp_limit);
    if (!parsed) return failure(std::move(parsed).error());
    q.limit = *parsed;
  }
  auto order = single_value(query, "order");
  if (!order) return failure(std::move(order).error());
  if (const auto& text = *order) {
    const std::vector<std::string> orders =
        order_rule ? order_rule->allowed : std::vector<std::string>{};
    if (std::find(orders.begin(), orders.end(), *text) == orders.end()) {
      return failure(api_error{400,
                               "Invalid value for 'order': '" + echo(*text) +
                                   "'. Supported values are: " + quoted_list(orders) + ".",
                               "order", "invalid_value"});
    }
    q.ascending = *text == "asc";
  }
  auto after = single_value(query, "after");
  if (!after) return failure(std::move(after).error());
  q.after = *after;
  return q;
}

// The body as a JSON object (strictly decoded), or the 400 to answer.
result<json_document, api_error> json_object_body(std::string_view body) {
  decode_result decoded = decode_json(body);
  if (!decoded.ok()) {
    return failure(
        api_error{400,
                  "We could not parse the JSON body of your request. The API expects a JSON "
                  "object.",
                  std::nullopt, std::nullopt});
  }
  if (!decoded.document->root().is_object()) {
    return failure(
        api_error{400, "The request body must be a JSON object.", std::nullopt, std::nullopt});
  }
  return std::move(*decoded.document);
}

// ToggleCertificatesRequest: certificate_ids, 1..10 strings.
result<std::vector<std::string_view>, api_error> certificate_ids(const json_value& body) {
  const std::string param = "certificate_ids";
  std::optional<json_value> ids = body.find(param);
  if (!ids) return failure(missing(param));
  if (!ids->is_array()) return failure(invalid_type(param, "an array of strings", *ids));
  if (ids->size() == 0 || ids->size() > k_max_toggle_ids) {
    return failure(api_error{
        400,
        "Invalid '" + param + "': expected 1 to 10 ids, got " + std::to_string(ids->size()) + ".",
        param, ids->size() == 0 ? "empty_array" : "array_above_max_length"});
  }
  std::vector<std::string_view> out;
  for (const json_value& id : *ids) {
    if (!id.is_string()) return failure(invalid_type(param, "an array of strings", id));
    out.push_back(id.as_string());
  }
  return out;
}

}  // namespace certharness::fake_api_internal
