// Typed models of the certificates family, decoded from and encoded to JSON.
//
// The decoder is written from the official spec, independently of the schemas and valijson,
// so that the two can be checked against each other (same integer and null rules): a document
// decodes exactly when it has no "schema" error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "certharness/findings/finding.hpp"
#include "certharness/json/json_document.hpp"

namespace certharness::models {

// Unknown properties are accepted and ignored (the spec allows them); they are not kept.

struct certificate_details {
  std::optional<std::int64_t> valid_at;
  std::optional<std::int64_t> expires_at;
  std::optional<std::string> content;  // Certificate only; absent on the organization/project kinds
  bool operator==(const certificate_details&) const = default;
};

// Certificate: object is one of "certificate", "organization.certificate",
// "organization.project.certificate"; active optional.
struct certificate {
  std::string object;
  std::string id;
  std::optional<std::string> name;  // required, nullable
  std::int64_t created_at = 0;
  // Qualified: an unqualified type named like the member is ill-formed (GCC rejects it).
  models::certificate_details certificate_details;
  std::optional<bool> active;
  bool operator==(const certificate&) const = default;
};

// OrganizationCertificate ("organization.certificate") and OrganizationProjectCertificate
// ("organization.project.certificate"): active required, details without content.
struct scoped_certificate {
  std::string object;
  std::string id;
  std::optional<std::string> name;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> valid_at;
  std::optional<std::int64_t> expires_at;
  bool active = false;
  bool operator==(const scoped_certificate&) const = default;
};

// ListCertificatesResponse / ListProjectCertificatesResponse.
struct certificate_list {
  std::string object;  // "list"
  std::vector<scoped_certificate> data;
  std::optional<std::string> first_id;
  std::optional<std::string> last_id;
  bool has_more = false;
  bool operator==(const certificate_list&) const = default;
};

// The four activation/deactivation responses; the spec requires both object and data.
struct certificate_toggle_response {
  std::string object;  // e.g. "organization.certificate.activation"
  std::vector<scoped_certificate> data;
  bool operator==(const certificate_toggle_response&) const = default;
};

struct delete_certificate_response {
  std::string object;  // "certificate.deleted"
  std::string id;
  bool operator==(const delete_certificate_response&) const = default;
};

struct upload_certificate_request {
  std::string certificate;
  std::optional<std::string> name;
  bool operator==(const upload_certificate_request&) const = default;
};

struct modify_certificate_request {
  std::optional<std::string> name;
  bool operator==(const modify_certificate_request&) const = default;
};

struct toggle_certificates_request {
  std::vector<std::string> certificate_ids;  // 1..10
  bool operator==(const toggle_certificates_request&) const = default;
};

struct error_body {
  std::string type;
  std::string message;
  std::optional<std::string> param;  // required, nullable
  std::optional<std::string> code;   // required, nullable
  bool operator==(const error_body&) const = default;
};

struct error_response {
  error_body error;
  bool operator==(const error_response&) const = default;
};

// A decode failure: the pointer of the first offending value, the check id ("schema", or
// "json.number_range" for an integer that does not fit int64, reported only when the document
// has no schema error) and a message.
struct decode_error {
  std::string check;
  std::string pointer;
  std::string message;
};

template <typename T>
using decoded = std::variant<T, decode_error>;

// One decode function per schema name of schemas/; the names match schema_registry.
decoded<certificate> decode_certificate(const json_value& v);                      // Certificate
decoded<scoped_certificate> decode_organization_certificate(const json_value& v);  // OrganizationCertificate
decoded<scoped_certificate> decode_organization_project_certificate(const json_value& v);
decoded<certificate_list> decode_list_certificates_response(const json_value& v);
decoded<certificate_list> decode_list_project_certificates_response(const json_value& v);
decoded<certificate_toggle_response> decode_organization_certificate_activation_response(const json_value& v);
decoded<certificate_toggle_response> decode_organization_certificate_deactivation_response(const json_value& v);
decoded<certificate_toggle_response> decode_organization_project_certificate_activation_response(const json_value& v);
decoded<certificate_toggle_response> decode_organization_project_certificate_deactivation_response(const json_value& v);
decoded<delete_certificate_response> decode_delete_certificate_response(const json_value& v);
decoded<upload_certificate_request> decode_upload_certificate_request(const json_value& v);
decoded<modify_certificate_request> decode_modify_certificate_request(const json_value& v);
decoded<toggle_certificates_request> decode_toggle_certificates_request(const json_value& v);
decoded<error_response> decode_error_response(const json_value& v);

// Compact JSON, members in the order of the spec's "properties", optional members omitted when
// absent, nullable members written as null.
std::string encode(const certificate& v);
std::string encode(const scoped_certificate& v);
std::string encode(const certificate_list& v);
std::string encode(const certificate_toggle_response& v);
std::string encode(const delete_certificate_response& v);
std::string encode(const upload_certificate_request& v);
std::string encode(const modify_certificate_request& v);
std::string encode(const toggle_certificates_request& v);
std::string encode(const error_response& v);

// By schema name: decodes with the matching function and returns std::nullopt on success or
// the decode_error. Unknown name -> decode_error with check schema.unplaced (no schema of that
// name to place the document in), its message naming the name.
std::optional<decode_error> check_decodes(std::string_view schema_name, const json_value& v);

// By schema name: decode then encode (the canonical form); nullopt when it does not decode.
std::optional<std::string> reencode(std::string_view schema_name, const json_value& v);

}  // namespace certharness::models
