#include "certharness/findings/check_catalogue.hpp"

#include <algorithm>

namespace certharness {

// Grouped by family, in the order a response is judged (transport, bytes, schema, then the
// API's own rules), write checks last. The README's check table mirrors this list; a test
// keeps the two in step.
const std::vector<check_info>& check_catalogue() {
  using enum severity;
  static const std::vector<check_info> catalogue = {
      {"http.status", error, "The status code is not one the operation answers for this request"},
      {"http.content_type", error, "A JSON body without a Content-Type of application/json"},
      {"http.transport", error,
       "No complete response after every retry: connection, TLS, timeout or a truncated body"},
      {"http.retry_after", warning, "A 429 without a valid Retry-After header"},
      {"json.syntax", error, "The body is not RFC 8259 JSON"},
      {"json.duplicate_key", error, "An object has the same key twice"},
      {"json.limits", error,
       "Over the size or depth limits, or too many numbers beyond double range"},
      {"json.number_range", warning,
       "An integer beyond +/-2^53: JavaScript clients lose precision"},
      {"schema", error, "The body violates the schema for its operation and status"},
      {"schema.unknown_property", note, "A property the spec does not declare (API drift)"},
      {"schema.unplaced", error, "The document does not say which schema it is"},
      {"error.shape", error, "An error status whose body is not an ErrorResponse"},
      {"request.accepted_invalid", error,
       "A negative probe (bad limit or order, unknown id) was answered 2xx"},
      {"list.first_id", error, "first_id is not the id of the page's first item"},
      {"list.last_id", error, "last_id is not the id of the page's last item"},
      {"list.empty_ids", error, "first_id and last_id are not null exactly when data is empty"},
      {"list.limit", error, "A page holds more items than the limit asked for"},
      {"list.order", error, "created_at is not monotone for the order, within or across pages"},
      {"list.duplicate_id", error, "An id appears on two pages of one walk"},
      {"list.cursor_stall", error,
       "has_more is true with a cursor that repeats or does not advance"},
      {"list.has_more", error, "has_more is true but the next page is empty"},
      {"list.consistency", error,
       "Walks in asc and desc order, or at different limits, disagree on the set of ids"},
      {"list.max_pages", error, "The walk hit --max-pages before has_more turned false"},
      {"cert.object", error, "The object type is wrong for the endpoint"},
      {"cert.validity", error, "certificate_details.valid_at is after expires_at"},
      {"cert.consistency", error,
       "GET by id disagrees with the list item on id, name, created_at or certificate_details"},
      {"upload.content", error, "The uploaded certificate's content is not the PEM that was sent"},
      {"upload.details", error,
       "valid_at/expires_at differ from the uploaded PEM's notBefore/notAfter"},
      {"upload.activates", error, "A fresh upload is active; it must start inactive"},
      {"modify.name", error, "A rename is not reflected by the response, GET by id or the list"},
      {"toggle.result", error,
       "An activate/deactivate response, or the active state listed after it, is wrong"},
      {"delete.still_present", error, "A deleted certificate is still answered or listed"},
      {"cleanup.failed", error, "A certificate made by --write-checks could not be removed"},
      {"run.budget", error, "crawl stopped at --max-requests or --max-kept-mb before it was done"},
  };
  return catalogue;
}

std::optional<check_info> find_check(std::string_view id) {
  const auto& all = check_catalogue();
  const auto it =
      std::find_if(all.begin(), all.end(), [id](const check_info& c) { return c.id == id; });
  if (it == all.end()) return std::nullopt;
  return *it;
}

}  // namespace certharness
