// Every check id a conformance run can report, with its severity and meaning: the README's
// check table, the reports' per-check table and every finding's severity come from here.
//
// Code names a check by its constant, `checks::list_cursor_stall`, never by its text: a
// check_id can only be made here, from a row of the table, so an id the catalogue does not know
// does not compile, and a finding's severity is the catalogue's (finding's constructor takes it
// from the check_id). contract_tests/vocabulary_test.cpp keeps the ids' text out of the rest
// of the source tree.
#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <span>
#include <string_view>

namespace certharness {

enum class severity { note, warning, error };

std::string_view to_string(severity s) noexcept;

struct check_info {
  std::string_view id;       // e.g. "list.cursor_stall"
  severity level;            // the severity its findings carry
  std::string_view meaning;  // one line
};

// Grouped by family, in the order a response is judged (transport, bytes, schema, then the
// API's own rules), write checks last. The README's check table mirrors this list; a test
// keeps the two in step. A new check is a row here, a constant in `checks` below and a row
// of the README table.
inline constexpr check_info k_check_catalogue[] = {
    {"http.status", severity::error,
     "The status code is not one the operation answers for this request"},
    {"http.content_type", severity::error,
     "A JSON body without a Content-Type of application/json"},
    {"http.transport", severity::error,
     "No complete response after every retry: connection, TLS, timeout or a truncated body"},
    {"http.retry_after", severity::warning, "A 429 without a valid Retry-After header"},
    {"json.syntax", severity::error, "The body is not RFC 8259 JSON"},
    {"json.duplicate_key", severity::error, "An object has the same key twice"},
    {"json.limits", severity::error,
     "Over the size or depth limits, or too many numbers beyond double range"},
    {"json.number_range", severity::warning,
     "An integer beyond +/-2^53: JavaScript clients lose precision"},
    {"schema", severity::error, "The body violates the schema for its operation and status"},
    {"schema.unknown_property", severity::note, "A property the spec does not declare (API drift)"},
    {"schema.unplaced", severity::error, "The document does not say which schema it is"},
    {"error.shape", severity::error, "An error status whose body is not an ErrorResponse"},
    {"request.accepted_invalid", severity::error,
     "A negative probe (bad limit or order, unknown id) was answered 2xx"},
    {"list.first_id", severity::error, "first_id is not the id of the page's first item"},
    {"list.last_id", severity::error, "last_id is not the id of the page's last item"},
    {"list.empty_ids", severity::error,
     "first_id and last_id are not null exactly when data is empty"},
    {"list.limit", severity::error, "A page holds more items than the limit asked for"},
    {"list.order", severity::error,
     "created_at is not monotone for the order, within or across pages"},
    {"list.duplicate_id", severity::error, "An id appears on two pages of one walk"},
    {"list.cursor_stall", severity::error,
     "has_more is true with a cursor that repeats or does not advance"},
    {"list.has_more", severity::error, "has_more is true but the next page is empty"},
    {"list.consistency", severity::error,
     "Walks in asc and desc order, or at different limits, disagree on the set of ids"},
    {"list.max_pages", severity::error, "The walk hit --max-pages before has_more turned false"},
    {"cert.object", severity::error, "The object type is wrong for the endpoint"},
    {"cert.validity", severity::error, "certificate_details.valid_at is after expires_at"},
    {"cert.consistency", severity::error,
     "GET by id disagrees with the list item on id, name, created_at or certificate_details"},
    {"upload.content", severity::error,
     "The uploaded certificate's content is not the PEM that was sent"},
    {"upload.details", severity::error,
     "valid_at/expires_at differ from the uploaded PEM's notBefore/notAfter"},
    {"upload.activates", severity::error, "A fresh upload is active; it must start inactive"},
    {"modify.name", severity::error,
     "A rename is not reflected by the response, GET by id or the list"},
    {"toggle.result", severity::error,
     "An activate/deactivate response, or the active state listed after it, is wrong"},
    {"delete.still_present", severity::error, "A deleted certificate is still answered or listed"},
    {"cleanup.failed", severity::error,
     "A certificate made by --write-checks could not be removed"},
    {"run.budget", severity::error,
     "crawl stopped at --max-requests or --max-kept-mb before it was done"},
    {"drift.undeclared_field", severity::note,
     "replay --drift: responses of an operation carry a field its schema does not declare"},
    {"drift.unseen_field", severity::note,
     "replay --drift: a field the operation's schema declares is in none of its responses"},
};

std::span<const check_info> check_catalogue() noexcept;
std::optional<check_info> find_check(std::string_view id) noexcept;

struct checks;

// One row of the catalogue. Only `checks` makes them, so every check_id names a catalogued check.
class check_id {
 public:
  constexpr std::string_view id() const noexcept { return k_check_catalogue[row_].id; }
  constexpr severity level() const noexcept { return k_check_catalogue[row_].level; }
  constexpr const check_info& info() const noexcept { return k_check_catalogue[row_]; }

  friend constexpr bool operator==(const check_id&, const check_id&) noexcept = default;
  // A finding's check (a std::string) against a constant: `f.check == checks::schema`.
  friend constexpr bool operator==(check_id a, std::string_view text) noexcept {
    return a.id() == text;
  }

 private:
  friend struct checks;
  // Does not compile for an id the catalogue lacks (no constant expression throws).
  consteval explicit check_id(std::string_view id) : row_(row_of(id)) {}
  static consteval std::size_t row_of(std::string_view id) {
    for (std::size_t i = 0; i < std::size(k_check_catalogue); ++i) {
      if (k_check_catalogue[i].id == id) return i;
    }
    throw "not a check id of k_check_catalogue";
  }
  std::size_t row_;
};

// The constants: the id with '.' spelled '_'.
struct checks {
  static constexpr check_id http_status{"http.status"};
  static constexpr check_id http_content_type{"http.content_type"};
  static constexpr check_id http_transport{"http.transport"};
  static constexpr check_id http_retry_after{"http.retry_after"};
  static constexpr check_id json_syntax{"json.syntax"};
  static constexpr check_id json_duplicate_key{"json.duplicate_key"};
  static constexpr check_id json_limits{"json.limits"};
  static constexpr check_id json_number_range{"json.number_range"};
  static constexpr check_id schema{"schema"};
  static constexpr check_id schema_unknown_property{"schema.unknown_property"};
  static constexpr check_id schema_unplaced{"schema.unplaced"};
  static constexpr check_id error_shape{"error.shape"};
  static constexpr check_id request_accepted_invalid{"request.accepted_invalid"};
  static constexpr check_id list_first_id{"list.first_id"};
  static constexpr check_id list_last_id{"list.last_id"};
  static constexpr check_id list_empty_ids{"list.empty_ids"};
  static constexpr check_id list_limit{"list.limit"};
  static constexpr check_id list_order{"list.order"};
  static constexpr check_id list_duplicate_id{"list.duplicate_id"};
  static constexpr check_id list_cursor_stall{"list.cursor_stall"};
  static constexpr check_id list_has_more{"list.has_more"};
  static constexpr check_id list_consistency{"list.consistency"};
  static constexpr check_id list_max_pages{"list.max_pages"};
  static constexpr check_id cert_object{"cert.object"};
  static constexpr check_id cert_validity{"cert.validity"};
  static constexpr check_id cert_consistency{"cert.consistency"};
  static constexpr check_id upload_content{"upload.content"};
  static constexpr check_id upload_details{"upload.details"};
  static constexpr check_id upload_activates{"upload.activates"};
  static constexpr check_id modify_name{"modify.name"};
  static constexpr check_id toggle_result{"toggle.result"};
  static constexpr check_id delete_still_present{"delete.still_present"};
  static constexpr check_id cleanup_failed{"cleanup.failed"};
  static constexpr check_id run_budget{"run.budget"};
  static constexpr check_id drift_undeclared_field{"drift.undeclared_field"};
  static constexpr check_id drift_unseen_field{"drift.unseen_field"};

  // Every constant, in catalogue order: the test that each row has exactly one.
  static constexpr check_id all[] = {
      http_status,
      http_content_type,
      http_transport,
      http_retry_after,
      json_syntax,
      json_duplicate_key,
      json_limits,
      json_number_range,
      schema,
      schema_unknown_property,
      schema_unplaced,
      error_shape,
      request_accepted_invalid,
      list_first_id,
      list_last_id,
      list_empty_ids,
      list_limit,
      list_order,
      list_duplicate_id,
      list_cursor_stall,
      list_has_more,
      list_consistency,
      list_max_pages,
      cert_object,
      cert_validity,
      cert_consistency,
      upload_content,
      upload_details,
      upload_activates,
      modify_name,
      toggle_result,
      delete_still_present,
      cleanup_failed,
      run_budget,
      drift_undeclared_field,
      drift_unseen_field,
  };
};

}  // namespace certharness
