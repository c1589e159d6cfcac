#include "fake_api_faults.hpp"

#include <algorithm>
#include <vector>

#include "certharness/fake_api/fake_api.hpp"

namespace certharness {
namespace {

const std::vector<fault_info> k_catalogue = {
    {fake_fault::first_id_mismatch, "first-id-mismatch",
     "list: first_id names the page's second item (a made-up id on one-item pages)"},
    {fake_fault::last_id_mismatch, "last-id-mismatch",
     "list: last_id names the page's second-to-last item (a made-up id on one-item pages)"},
    {fake_fault::empty_ids_not_null, "empty-ids-not-null",
     "list: an empty page has first_id and last_id \"\" instead of null"},
    {fake_fault::over_limit, "over-limit",
     "list: pages hold limit + 1 items when there are enough"},
    {fake_fault::wrong_order, "wrong-order",
     "list: two inner items of a page with different created_at are swapped"},
    {fake_fault::duplicate_across_pages, "duplicate-across-pages",
     "list: a page after a cursor starts with the cursor's item again (limit >= 2)"},
    {fake_fault::cursor_loop, "cursor-loop",
     "list: after is ignored and has_more is always true (the same page forever)"},
    {fake_fault::has_more_lies, "has-more-lies",
     "list: has_more is true on the last non-empty page"},
    {fake_fault::asc_desc_inconsistent, "asc-desc-inconsistent",
     "list: order=asc never shows the certificate with the smallest id"},
    {fake_fault::bad_content_type, "bad-content-type", "every response: Content-Type text/html"},
    {fake_fault::trailing_comma_json, "trailing-comma-json",
     "every body: a comma before the final '}'"},
    {fake_fault::truncated_body, "truncated-body",
     "every response: Content-Length promises more bytes than are sent"},
    {fake_fault::missing_required, "missing-required", "list: items lack the required \"active\""},
    {fake_fault::wrong_type, "wrong-type", "every certificate's \"name\" is the number 42"},
    {fake_fault::validity_inverted, "validity-inverted",
     "every certificate: valid_at and expires_at swapped"},
    {fake_fault::get_wrong_object, "get-wrong-object",
     "GET by id answers object \"organization.certificate\""},
    {fake_fault::get_mismatch, "get-mismatch",
     "GET by id answers a name with \" (stale)\" appended, unlike the list"},
    {fake_fault::error_shape, "error-shape", "404 bodies are {\"detail\":\"Not found\"}"},
    {fake_fault::accepts_invalid_limit, "accepts-invalid-limit",
     "list: an integer limit outside 1..100 is clamped and answered 200"},
    {fake_fault::upload_activates, "upload-activates",
     "upload activates the certificate for the organization"},
    {fake_fault::details_mismatch, "details-mismatch",
     "every certificate: valid_at and expires_at one day later than the PEM says"},
    {fake_fault::content_mismatch, "content-mismatch",
     "include=content answers the PEM of another certificate"},
    {fake_fault::delete_keeps, "delete-keeps",
     "a deleted certificate is still answered by GET by id"},
    {fake_fault::too_many_requests_without_retry_after, "429-without-retry-after",
     "every 5th request, and any rate-limited one, is a 429 without Retry-After"},
    {fake_fault::slow, "slow", "every response is delayed by the slow delay (15 s by default)"},
    {fake_fault::strict_deleted_cursor, "strict-deleted-cursor",
     "list: an after naming a deleted certificate is a 400, not the page after its position"},
};

}  // namespace

const std::vector<fault_info>& fault_catalogue() { return k_catalogue; }

std::optional<fake_fault> parse_fault(std::string_view name) {
  for (const fault_info& f : k_catalogue) {
    if (f.name == name) return f.fault;
  }
  return std::nullopt;
}

namespace fake_api_internal {

// Replaces the value of every member `key` (or removes the member, when `value` is nullopt) in
// compact JSON written by models::encode. Member names cannot be confused with string
// contents: inside an encoded string every '"' is escaped, so '"key":' right after '{' or ','
// only occurs at a member. Values are strings or literals here, never containers.
void rewrite_member(std::string& json, std::string_view key,
                    std::optional<std::string_view> value) {
  const std::string pattern = "\"" + std::string(key) + "\":";
  for (std::size_t at = json.find(pattern); at != std::string::npos; at = json.find(pattern, at)) {
    if (at == 0 || (json[at - 1] != ',' && json[at - 1] != '{')) {
      at += pattern.size();
      continue;
    }
    std::size_t end = at + pattern.size();
    if (end < json.size() && json[end] == '"') {
      for (++end; end < json.size() && json[end] != '"'; ++end) {
        if (json[end] == '\\') ++end;
      }
      ++end;
    } else {
      end = json.find_first_of(",}]", end);
    }
    end = std::min(end, json.size());
    if (value) {
      json.replace(at + pattern.size(), end - at - pattern.size(), *value);
      at += pattern.size() + value->size();
    } else if (json[at - 1] == ',') {
      json.erase(at - 1, end - at + 1);
      --at;
    } else {
      json.erase(at, end - at + (end < json.size() && json[end] == ',' ? 1 : 0));
    }
  }
}

}  // namespace fake_api_internal
}  // namespace certharness
