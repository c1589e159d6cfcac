// What a request to the fake API says (credentials, query, JSON body), read strictly, and the
// errors it is answered with (an ErrorResponse each). Internal to the fake API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certharness/findings/result.hpp"
#include "certharness/http/http_message.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/schema/operation_table.hpp"

namespace certharness::fake_api_internal {

inline constexpr std::size_t k_max_toggle_ids = 10;

struct api_error {
  int status = 400;
  std::string message;
  std::optional<std::string> param;
  std::optional<std::string> code;
  std::string type = "invalid_request_error";
};

// Request text echoed in an error message, as valid UTF-8 without control characters, short.
std::string echo(std::string_view text);

api_error not_found(std::string_view id, std::string param);
api_error missing(std::string param);
api_error invalid_type(std::string param, std::string_view expected, const json_value& got);

enum class credentials { present, missing, malformed };

// RFC 6750: "Bearer" (any case), one or more spaces, a non-empty token.
credentials bearer_credentials(const header_list& headers);

using query_list = std::vector<std::pair<std::string, std::string>>;

struct page_query {
  std::int64_t limit = 0;  // the table's default when not given
  bool ascending = false;
  std::optional<std::string_view> after;
};

// limit, order and after of a request to `list`, each at most once, by the operation table's
// rules for `list` (limit's default and bounds -- clamped instead of refused when
// `clamp_limit` -- and order's default and enum).
result<page_query, api_error> parse_page_query(const query_list& query, const operation& list,
                                               bool clamp_limit);

// The body as a JSON object (strictly decoded), or the 400 to answer.
result<json_document, api_error> json_object_body(std::string_view body);

// ToggleCertificatesRequest: certificate_ids, 1..10 strings.
result<std::vector<std::string_view>, api_error> certificate_ids(const json_value& body);

}  // namespace certharness::fake_api_internal
