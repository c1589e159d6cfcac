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
    // spec-lint: the OpenAPI document itself, for the family (spec/spec_lint.hpp).
    {"spec.example_recovered", severity::note,
     "An example that is not JSON is JSON once its trailing commas are dropped: judged so"},
    {"spec.example_unjudged", severity::note,
     "An example whose schema is not a component the contract holds: decoded, not judged"},
    {"spec.path_parameter", severity::error,
     "A path template's {param} is not a declared path parameter, or a declared one is not in it"},
    {"spec.unresolved_ref", severity::error,
     "A $ref reached from the family is external, malformed or resolves to nothing"},
    {"spec.no_success_schema", severity::error,
     "An operation has no 2xx response with an application/json schema"},
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
    {"crawl.not_exercised", severity::warning,
     "An operation of the contract crawl did not drive: it cannot, or the contract lacks it"},
    // spec-diff: what changed between two OpenAPI documents (spec/spec_diff.hpp).
    {"diff.operation_added", severity::note,
     "An operation the new document has and the old one lacks"},
    {"diff.operation_removed", severity::error,
     "An operation of the old document is gone: clients calling it break"},
    {"diff.path_parameter_renamed", severity::warning,
     "A path parameter has another name: same URL, but generated clients name their arguments by "
     "it"},
    {"diff.parameter_added", severity::note, "A new optional parameter"},
    {"diff.parameter_removed", severity::warning,
     "A parameter is no longer declared: clients that send it may be refused or ignored"},
    {"diff.parameter_required", severity::error,
     "A parameter is new and required, or now required: clients that omit it break"},
    {"diff.parameter_optional", severity::note, "A required parameter is now optional"},
    {"diff.request_field_added", severity::note,
     "A new optional request body field (or an optional body)"},
    {"diff.request_field_removed", severity::error,
     "A request body field (or the body) is gone: clients that send the old shape break"},
    {"diff.request_field_required", severity::error,
     "A request body field (or the body) is new and required, or now required: clients that send "
     "the old shape break"},
    {"diff.request_field_optional", severity::note,
     "A required request body field (or the body) is now optional"},
    {"diff.request_narrowed", severity::error,
     "A parameter or request value the old document allowed is refused: type, null, enum value or "
     "bound"},
    {"diff.request_widened", severity::note,
     "A parameter or request value accepts more: type, null, enum value or bound"},
    {"diff.request_default", severity::warning,
     "A parameter or request field's default changed: clients that omit it get other behaviour"},
    {"diff.response_field_added", severity::note,
     "A new response field (or a body where there was none)"},
    {"diff.response_field_removed", severity::error,
     "A response field (or the body) is gone: clients that read it break"},
    {"diff.response_field_optional", severity::error,
     "A required response field (or header) is now optional: clients that rely on it break"},
    {"diff.response_field_required", severity::note,
     "An optional response field (or header) is now required"},
    {"diff.response_type", severity::error,
     "A response value can have a type it could not have before: clients that parse it break"},
    {"diff.response_nullable", severity::error,
     "A response value can now be null: clients that do not expect null break"},
    {"diff.response_not_nullable", severity::note, "A response value can no longer be null"},
    {"diff.response_enum_added", severity::warning,
     "A response value has a new enum value: clients that switch exhaustively over the values "
     "break"},
    {"diff.response_enum_removed", severity::note, "A response enum value is gone"},
    {"diff.response_widened", severity::warning,
     "A response value's bound or pattern was relaxed: clients that relied on it may break"},
    {"diff.response_narrowed", severity::note,
     "A response value is more constrained: a type, bound or pattern fewer values meet"},
    {"diff.format", severity::note,
     "A value's format annotation changed (generated clients may type it differently)"},
    {"diff.status_added", severity::warning,
     "An operation answers a new status code: clients that handle only the documented ones may "
     "break"},
    {"diff.status_removed", severity::warning,
     "A status code is no longer documented for an operation: clients expecting it may break"},
    {"diff.response_header_added", severity::note, "A response has a new header"},
    {"diff.response_header_removed", severity::error,
     "A response header is gone: clients that read it break"},
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
  static constexpr check_id spec_example_recovered{"spec.example_recovered"};
  static constexpr check_id spec_example_unjudged{"spec.example_unjudged"};
  static constexpr check_id spec_path_parameter{"spec.path_parameter"};
  static constexpr check_id spec_unresolved_ref{"spec.unresolved_ref"};
  static constexpr check_id spec_no_success_schema{"spec.no_success_schema"};
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
  static constexpr check_id crawl_not_exercised{"crawl.not_exercised"};
  static constexpr check_id diff_operation_added{"diff.operation_added"};
  static constexpr check_id diff_operation_removed{"diff.operation_removed"};
  static constexpr check_id diff_path_parameter_renamed{"diff.path_parameter_renamed"};
  static constexpr check_id diff_parameter_added{"diff.parameter_added"};
  static constexpr check_id diff_parameter_removed{"diff.parameter_removed"};
  static constexpr check_id diff_parameter_required{"diff.parameter_required"};
  static constexpr check_id diff_parameter_optional{"diff.parameter_optional"};
  static constexpr check_id diff_request_field_added{"diff.request_field_added"};
  static constexpr check_id diff_request_field_removed{"diff.request_field_removed"};
  static constexpr check_id diff_request_field_required{"diff.request_field_required"};
  static constexpr check_id diff_request_field_optional{"diff.request_field_optional"};
  static constexpr check_id diff_request_narrowed{"diff.request_narrowed"};
  static constexpr check_id diff_request_widened{"diff.request_widened"};
  static constexpr check_id diff_request_default{"diff.request_default"};
  static constexpr check_id diff_response_field_added{"diff.response_field_added"};
  static constexpr check_id diff_response_field_removed{"diff.response_field_removed"};
  static constexpr check_id diff_response_field_optional{"diff.response_field_optional"};
  static constexpr check_id diff_response_field_required{"diff.response_field_required"};
  static constexpr check_id diff_response_type{"diff.response_type"};
  static constexpr check_id diff_response_nullable{"diff.response_nullable"};
  static constexpr check_id diff_response_not_nullable{"diff.response_not_nullable"};
  static constexpr check_id diff_response_enum_added{"diff.response_enum_added"};
  static constexpr check_id diff_response_enum_removed{"diff.response_enum_removed"};
  static constexpr check_id diff_response_widened{"diff.response_widened"};
  static constexpr check_id diff_response_narrowed{"diff.response_narrowed"};
  static constexpr check_id diff_format{"diff.format"};
  static constexpr check_id diff_status_added{"diff.status_added"};
  static constexpr check_id diff_status_removed{"diff.status_removed"};
  static constexpr check_id diff_response_header_added{"diff.response_header_added"};
  static constexpr check_id diff_response_header_removed{"diff.response_header_removed"};
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
      spec_example_recovered,
      spec_example_unjudged,
      spec_path_parameter,
      spec_unresolved_ref,
      spec_no_success_schema,
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
      crawl_not_exercised,
      diff_operation_added,
      diff_operation_removed,
      diff_path_parameter_renamed,
      diff_parameter_added,
      diff_parameter_removed,
      diff_parameter_required,
      diff_parameter_optional,
      diff_request_field_added,
      diff_request_field_removed,
      diff_request_field_required,
      diff_request_field_optional,
      diff_request_narrowed,
      diff_request_widened,
      diff_request_default,
      diff_response_field_added,
      diff_response_field_removed,
      diff_response_field_optional,
      diff_response_field_required,
      diff_response_type,
      diff_response_nullable,
      diff_response_not_nullable,
      diff_response_enum_added,
      diff_response_enum_removed,
      diff_response_widened,
      diff_response_narrowed,
      diff_format,
      diff_status_added,
      diff_status_removed,
      diff_response_header_added,
      diff_response_header_removed,
      drift_undeclared_field,
      drift_unseen_field,
  };
};

}  // namespace certharness
