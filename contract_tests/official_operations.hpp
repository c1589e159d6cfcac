// The certificates family of the official document (openai/openai-openapi f85dbe2) as operation
// rows written out by hand, parameter for parameter: what the table read from the document must
// equal (operation_table_test: the built-in table; operation_reader_test: the whole document and
// the 2026-08-14 version). Written out here, where no code reads it, so the reader is compared
// with something it is not. And the field-by-field comparison, whose failures name the operation,
// the field, the expected and the actual value.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "certharness/schema/operation_table.hpp"

namespace certharness::official_operations {

inline operation_parameter path_parameter(std::string name) {
  operation_parameter p;
  p.name = std::move(name);
  p.in = parameter_location::path;
  p.required = true;
  return p;
}

// limit, after, order of both lists. limit's 1..100 is in its description only.
inline std::vector<operation_parameter> page_parameters() {
  operation_parameter limit;
  limit.name = "limit";
  limit.type = parameter_type::integer;
  limit.default_value = "20";
  limit.minimum = 1;
  limit.maximum = 100;
  limit.bounds_in_prose_only = true;
  operation_parameter after;
  after.name = "after";
  operation_parameter order;
  order.name = "order";
  order.default_value = "desc";
  order.allowed = {"asc", "desc"};
  return {limit, after, order};
}

inline operation_parameter include_parameter() {
  operation_parameter include;
  include.name = "include";
  include.type = parameter_type::string_array;
  include.allowed = {"content"};
  include.brackets = true;
  return include;
}

// Every operation answers its success schema with 200, and 429 TooManyRequests (an
// ErrorResponse with Retry-After).
inline std::vector<operation_response> answers(std::string success) {
  return {{200, std::move(success), {}}, {429, "ErrorResponse", {"Retry-After"}}};
}

inline std::vector<operation> rows() {
  using k = certificate_operation;
  using s = operation_scope;
  const std::string org_list = "/organization/certificates";
  const std::string org_one = "/organization/certificates/{certificate_id}";
  const std::string project_list = "/organization/projects/{project_id}/certificates";
  const std::string org_list_at = "/paths/~1organization~1certificates";
  const std::string org_one_at = "/paths/~1organization~1certificates~1{certificate_id}";
  const std::string project_list_at = "/paths/~1organization~1projects~1{project_id}~1certificates";
  const operation_parameter id = path_parameter("certificate_id");
  const operation_parameter project = path_parameter("project_id");
  std::vector<operation_parameter> project_page = page_parameters();
  project_page.insert(project_page.begin(), project);
  return {
      {"listOrganizationCertificates", k::list_certificates, "GET", org_list, s::organization, true,
       page_parameters(), std::nullopt, answers("ListCertificatesResponse"), org_list_at + "/get"},
      {"uploadCertificate",
       k::upload_certificate,
       "POST",
       org_list,
       s::organization,
       false,
       {},
       "UploadCertificateRequest",
       answers("Certificate"),
       org_list_at + "/post"},
      {"getCertificate",
       k::get_certificate,
       "GET",
       org_one,
       s::organization,
       false,
       {id, include_parameter()},
       std::nullopt,
       answers("Certificate"),
       org_one_at + "/get"},
      {"modifyCertificate",
       k::modify_certificate,
       "POST",
       org_one,
       s::organization,
       false,
       {id},
       "ModifyCertificateRequest",
       answers("Certificate"),
       org_one_at + "/post"},
      {"deleteCertificate",
       k::delete_certificate,
       "DELETE",
       org_one,
       s::organization,
       false,
       {id},
       std::nullopt,
       answers("DeleteCertificateResponse"),
       org_one_at + "/delete"},
      {"activateOrganizationCertificates",
       k::activate_certificates,
       "POST",
       org_list + "/activate",
       s::organization,
       false,
       {},
       "ToggleCertificatesRequest",
       answers("OrganizationCertificateActivationResponse"),
       org_list_at + "~1activate/post"},
      {"deactivateOrganizationCertificates",
       k::deactivate_certificates,
       "POST",
       org_list + "/deactivate",
       s::organization,
       false,
       {},
       "ToggleCertificatesRequest",
       answers("OrganizationCertificateDeactivationResponse"),
       org_list_at + "~1deactivate/post"},
      {"listProjectCertificates", k::list_project_certificates, "GET", project_list, s::project,
       true, project_page, std::nullopt, answers("ListProjectCertificatesResponse"),
       project_list_at + "/get"},
      {"activateProjectCertificates",
       k::activate_project_certificates,
       "POST",
       project_list + "/activate",
       s::project,
       false,
       {project},
       "ToggleCertificatesRequest",
       answers("OrganizationProjectCertificateActivationResponse"),
       project_list_at + "~1activate/post"},
      {"deactivateProjectCertificates",
       k::deactivate_project_certificates,
       "POST",
       project_list + "/deactivate",
       s::project,
       false,
       {project},
       "ToggleCertificatesRequest",
       answers("OrganizationProjectCertificateDeactivationResponse"),
       project_list_at + "~1deactivate/post"},
  };
}

// ---- Comparison

template <class T>
std::string shown(const T& v) {
  std::ostringstream out;
  if constexpr (std::is_same_v<T, std::string>) {
    out << '"' << v << '"';
  } else if constexpr (std::is_enum_v<T>) {
    out << static_cast<int>(v);
  } else if constexpr (std::is_same_v<T, bool>) {
    out << (v ? "true" : "false");
  } else {
    out << v;
  }
  return out.str();
}
template <class T>
std::string shown(const std::optional<T>& v) {
  return v ? shown(*v) : "(none)";
}
template <class T>
std::string shown(const std::vector<T>& v) {
  std::string out = "[";
  for (const T& x : v) out += (out.size() > 1 ? ", " : "") + shown(x);
  return out + "]";
}

// One failure per differing field: "<where>: <field>: expected X, actual Y".
template <class T>
void expect_field(const std::string& where, std::string_view field, const T& expected,
                  const T& actual) {
  if (!(expected == actual)) {
    ADD_FAILURE() << where << ": " << field << ": expected " << shown(expected) << ", actual "
                  << shown(actual);
  }
}

inline void expect_same_parameter(const std::string& where, const operation_parameter& e,
                                  const operation_parameter& a) {
  expect_field(where, "name", e.name, a.name);
  expect_field(where, "in", e.in, a.in);
  expect_field(where, "type", e.type, a.type);
  expect_field(where, "required", e.required, a.required);
  expect_field(where, "default", e.default_value, a.default_value);
  expect_field(where, "enum", e.allowed, a.allowed);
  expect_field(where, "minimum", e.minimum, a.minimum);
  expect_field(where, "maximum", e.maximum, a.maximum);
  expect_field(where, "bounds_in_prose_only", e.bounds_in_prose_only, a.bounds_in_prose_only);
  expect_field(where, "implied_by_template", e.implied_by_template, a.implied_by_template);
  expect_field(where, "brackets", e.brackets, a.brackets);
}

inline void expect_same_operation(const std::string& source, const operation& e,
                                  const operation& a) {
  const std::string where = source + ": " + e.id;
  expect_field(where, "operationId", e.id, a.id);
  expect_field(where, "kind", e.kind, a.kind);
  expect_field(where, "method", e.method, a.method);
  expect_field(where, "path", e.path, a.path);
  expect_field(where, "scope", e.scope, a.scope);
  expect_field(where, "is_list", e.is_list, a.is_list);
  expect_field(where, "request_schema", e.request_schema, a.request_schema);
  expect_field(where, "pointer", e.pointer, a.pointer);
  expect_field(where, "parameter count", e.parameters.size(), a.parameters.size());
  for (std::size_t i = 0; i < std::min(e.parameters.size(), a.parameters.size()); ++i) {
    expect_same_parameter(
        where + ": parameter " + std::to_string(i) + " (" + e.parameters[i].name + ")",
        e.parameters[i], a.parameters[i]);
  }
  expect_field(where, "response count", e.responses.size(), a.responses.size());
  for (std::size_t i = 0; i < std::min(e.responses.size(), a.responses.size()); ++i) {
    const std::string at = where + ": response " + std::to_string(e.responses[i].status);
    expect_field(at, "status", e.responses[i].status, a.responses[i].status);
    expect_field(at, "schema", e.responses[i].schema, a.responses[i].schema);
    expect_field(at, "headers", e.responses[i].headers, a.responses[i].headers);
  }
}

inline void expect_same_rows(const std::string& source, const std::vector<operation>& expected,
                             const std::vector<operation>& actual) {
  expect_field(source, "row count", expected.size(), actual.size());
  for (std::size_t i = 0; i < std::min(expected.size(), actual.size()); ++i) {
    expect_same_operation(source + ": row " + std::to_string(i), expected[i], actual[i]);
  }
}

}  // namespace certharness::official_operations
