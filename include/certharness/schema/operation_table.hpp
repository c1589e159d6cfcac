// The operations of the certificates API as data: one row per operation (method, path template,
// parameters and their documented constraints, request schema, response schema per status, list
// or single, organization or project scope). Every place that spells, matches or builds a path
// of the API asks this table: the fake API's router, replay's router, crawl's requests, schema
// placement and fuzz_url. The rows are read from an OpenAPI document by the spec concern
// (spec/operation_reader.hpp, which documents how each field is read); builtin() is the table
// read from the official excerpt compiled in (schemas/reference/), so nobody writes a row by hand.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certharness/findings/result.hpp"

namespace certharness {

// The operations certharness knows how to drive (crawl), fake (serve) and judge (replay). A row
// of a table read from a document may have none: the document has it, certharness cannot drive it.
enum class certificate_operation {
  list_certificates,                // GET  /organization/certificates
  upload_certificate,               // POST /organization/certificates
  get_certificate,                  // GET  /organization/certificates/{certificate_id}
  modify_certificate,               // POST /organization/certificates/{certificate_id}
  delete_certificate,               // DELETE /organization/certificates/{certificate_id}
  activate_certificates,            // POST /organization/certificates/activate
  deactivate_certificates,          // POST /organization/certificates/deactivate
  list_project_certificates,        // GET  /organization/projects/{project_id}/certificates
  activate_project_certificates,    // POST .../projects/{project_id}/certificates/activate
  deactivate_project_certificates,  // POST .../projects/{project_id}/certificates/deactivate
};

enum class operation_scope { organization, project };
enum class parameter_location { path, query, header, cookie };
// `other`: a schema certharness does not drive (boolean, number, object, an array of
// non-strings, no schema): the row keeps the parameter so reports can name it.
enum class parameter_type { string, integer, string_array, other };

struct operation_parameter {
  std::string name;  // as the document names it: "limit", "certificate_id", "include"
  parameter_location in = parameter_location::query;
  parameter_type type = parameter_type::string;
  bool required = false;
  std::optional<std::string> default_value;  // "20", "desc"
  std::vector<std::string> allowed;          // the schema's enum (of the items, for an array)
  std::optional<std::int64_t> minimum, maximum;
  // The bounds are stated only in the description ("between 1 and 100"), not in the schema:
  // reports say where a rule comes from.
  bool bounds_in_prose_only = false;
  // The path template has {name} but the document does not declare it (the family's first
  // version named GET's parameter cert_id against {certificate_id}): read as a required string,
  // the inconsistency left to spec-lint.
  bool implied_by_template = false;
  // An array sent as "name[]=v" (e.g. include[]=content). A CONVENTION of certharness, not the
  // document's: OpenAPI's default for an array query parameter is style form, explode true
  // ("include=content"); the official SDKs send brackets, and the API takes them, so the reader
  // sets this for every array query parameter.
  bool brackets = false;

  std::string query_name() const { return brackets ? name + "[]" : name; }
};

struct operation_response {
  int status = 200;
  std::string schema;  // a schema_registry name: "Certificate"; "" for no JSON body or inline
  std::vector<std::string> headers;  // documented response headers: "Retry-After"
};

struct operation {
  std::string id;  // the document's operationId: "listOrganizationCertificates"
  std::optional<certificate_operation> kind;
  std::string method;  // "GET", "POST", "DELETE"
  std::string path;    // template: "/organization/certificates/{certificate_id}"
  operation_scope scope = operation_scope::organization;
  bool is_list = false;  // a cursor-paginated list (limit/after/order)
  std::vector<operation_parameter> parameters;
  // The JSON body's schema (a registry name; "" for a schema the document writes inline);
  // nullopt: no JSON body.
  std::optional<std::string> request_schema;
  std::vector<operation_response> responses;
  // Where the operation is in the document it was read from, a JSON Pointer
  // ("/paths/~1organization~1certificates/get"), so reports and spec-lint can name it.
  std::string pointer;

  const operation_parameter* parameter(std::string_view name) const;
  const operation_response* response(int status) const;
  // The schema of the (first) documented 2xx answer; "" when there is none.
  std::string_view success_schema() const;
};

// Path parameters by name, values decoded (as sent, before percent-encoding).
using path_parameters = std::vector<std::pair<std::string, std::string>>;
// Query parameters in order, decoded, repeats kept.
using query_parameters = std::vector<std::pair<std::string, std::string>>;

// A path matched to one template: the operations on it (in table order, one per method) and
// the values of its parameters.
struct path_match {
  std::vector<const operation*> operations;
  path_parameters parameters;

  const operation* with_method(std::string_view method) const;  // nullptr: no such operation
  std::string allowed_methods() const;                          // "GET, POST" (for Allow)
  std::string_view parameter(std::string_view name) const;      // "" when absent
};

struct operation_match {
  const operation* op = nullptr;
  path_parameters parameters;

  std::string_view parameter(std::string_view name) const;  // "" when absent
};

// The segments of a path template ("/a/{b}" -> "a", "{b}"), or why it is not one: it must be
// "/segment/..." with non-empty segments, each literal (no '{', '}' or '%') or one "{name}".
result<std::vector<std::string>> template_segments(std::string_view path);
// The template with its parameters' names dropped ("/a/{}/b"): to OpenAPI and to matching, two
// templates of one shape are the same path.
std::string template_shape(std::span<const std::string> segments);

// The operation certharness knows at `method` (upper case) on `path`, whatever its template's
// parameters are called ("/organization/certificates/{x}" GET is get_certificate), so older
// documents map too. nullopt: an operation certharness cannot drive, or a malformed template.
std::optional<certificate_operation> certificate_operation_of(std::string_view method,
                                                              std::string_view path);
// project when the template is below "/organization/projects/{...}/", organization otherwise.
operation_scope scope_of(std::string_view path);

class operation_table {
 public:
  // Throws std::invalid_argument for a row whose path is not a template (template_segments), a
  // template parameter the row does not declare in path, or two rows with the same method and
  // template shape. (The reader of a document checks all three first: it never throws.)
  explicit operation_table(std::vector<operation> operations);

  // The official contract compiled in: the table read from the embedded excerpt (the ten
  // operations of the certificates family). Defined in the spec concern (operation_reader.cpp),
  // which reads documents; this concern stays below it. Throws std::logic_error only for a defect
  // of the build (the excerpt does not read), which operation_table_test rules out.
  static const operation_table& builtin();

  const std::vector<operation>& operations() const noexcept { return operations_; }
  const operation* find(certificate_operation kind) const noexcept;
  // Throws std::out_of_range when the table has no row of that kind.
  const operation& at(certificate_operation kind) const;

  // The template a path below the base path matches exactly. `segments` are decoded (see
  // path_segments); a parameter matches one non-empty segment. Concrete templates win over
  // templated ones, as OpenAPI matches them ("/certificates/activate" is not the id
  // "activate"). nullopt: no template of this table.
  std::optional<path_match> match_path(std::span<const std::string> segments) const;
  // As above on a raw path ("/organization/certificates/cert%2Fx": split at '/' before each
  // segment is decoded, so the id is "cert/x"). nullopt too for a malformed escape, or more
  // segments than any template has (checked before splitting: a hostile path costs nothing).
  std::optional<path_match> match_path(std::string_view raw_path) const;

  // The operation of `method` on the longest template matching a suffix of `segments`, the
  // segments before it being any base path ("/v1", a proxy prefix, none). A suffix whose path
  // has no operation for the method gives way to shorter ones.
  std::optional<operation_match> match_suffix(std::string_view method,
                                              std::span<const std::string> segments) const;

  // The path of `op` with its parameters percent-encoded ("/organization/certificates/
  // cert%2Fx"), and the target with a query ("...?limit=7&order=desc", names and values
  // encoded, in order). An empty value makes an empty segment, which no template matches:
  // callers do not build paths from empty ids. Throws std::invalid_argument when a parameter
  // of the template is not given.
  static std::string build_path(const operation& op, const path_parameters& parameters);
  static std::string build_target(const operation& op, const path_parameters& parameters,
                                  const query_parameters& query);

  // Shorthands over at(kind) for the callers that drive a known operation (they throw
  // std::out_of_range as at() does, std::invalid_argument as build_path does).
  std::string path(certificate_operation kind, const path_parameters& parameters = {}) const;
  std::string target(certificate_operation kind, const path_parameters& parameters,
                     const query_parameters& query) const;
  std::string success_schema(certificate_operation kind) const;

  // The most segments any template has.
  std::size_t max_segments() const noexcept { return max_segments_; }

 private:
  std::vector<operation> operations_;
  std::vector<std::vector<std::string>> templates_;  // per row: segments, "{name}" for a parameter
  std::size_t max_segments_ = 0;
};

}  // namespace certharness
