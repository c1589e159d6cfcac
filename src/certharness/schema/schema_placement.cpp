#include "certharness/schema/schema_placement.hpp"

#include <array>
#include <string_view>
#include <utility>

#include "certharness/json/text_escaping.hpp"

namespace certharness {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 8> k_by_object{{
    {"certificate", "Certificate"},
    {"organization.certificate", "OrganizationCertificate"},
    {"organization.project.certificate", "OrganizationProjectCertificate"},
    {"certificate.deleted", "DeleteCertificateResponse"},
    {"organization.certificate.activation", "OrganizationCertificateActivationResponse"},
    {"organization.certificate.deactivation", "OrganizationCertificateDeactivationResponse"},
    {"organization.project.certificate.activation",
     "OrganizationProjectCertificateActivationResponse"},
    {"organization.project.certificate.deactivation",
     "OrganizationProjectCertificateDeactivationResponse"},
}};

// A document value quoted as a JSON string: escaped, whatever bytes it holds.
std::string quoted(std::string_view s) {
  std::string out;
  append_json_string(out, excerpt(s, 80));
  return out;
}

placement placed(std::string_view schema, std::string reason) {
  return placement{std::string(schema), std::move(reason)};
}

placement unplaced(std::string reason) { return placement{std::nullopt, std::move(reason)}; }

// The operation table says which schema answers which list and which body each request takes.
std::string_view list_schema(const operation_table& table, operation_scope scope) {
  for (const operation& op : table.operations()) {
    if (op.is_list && op.scope == scope) return op.success_schema();
  }
  return {};
}

std::string_view request_schema(const operation_table& table, certificate_operation kind) {
  const operation* op = table.find(kind);
  return op && op->request_schema ? std::string_view(*op->request_schema) : std::string_view{};
}

// The two list schemas differ only in their items' `object`: the items decide.
placement place_list(const operation_table& table, const std::optional<json_value>& data) {
  bool org = false, project = false;
  if (data && data->is_array()) {
    for (const json_value& item : *data) {
      std::optional<json_value> o = item.is_object() ? item.find("object") : std::nullopt;
      if (!o || !o->is_string()) continue;
      org |= o->as_string() == "organization.certificate";
      project |= o->as_string() == "organization.project.certificate";
    }
  }
  if (org && project) {
    return unplaced(
        "a \"list\" mixing \"organization.certificate\" and \"organization.project.certificate\" "
        "items: name the list schema with --schema");
  }
  if (project) {
    return placed(list_schema(table, operation_scope::project),
                  "\"object\": \"list\" with \"organization.project.certificate\" items");
  }
  if (org) {
    return placed(list_schema(table, operation_scope::organization),
                  "\"object\": \"list\" with \"organization.certificate\" items");
  }
  // Empty, or no item says: both list schemas give the same verdict on everything but the
  // items' `object`, which is then wrong for both.
  return placed(list_schema(table, operation_scope::organization),
                "\"object\": \"list\"; no item names its kind, checked as the organization list");
}

placement place_by_content(const json_value& root, const operation_table& table) {
  if (!root.is_object()) {
    return unplaced("the document is " + std::string(to_string(root.type())) +
                    ", not an object: name the schema with --schema");
  }
  if (const std::optional<json_value> object = root.find("object")) {
    if (!object->is_string()) {
      return unplaced("\"object\" is " + std::string(to_string(object->type())) +
                      ", not a string: name the schema with --schema");
    }
    const std::string_view value = object->as_string();
    if (value == "list") return place_list(table, root.find("data"));
    for (const auto& [object_type, schema] : k_by_object) {
      if (value == object_type) return placed(schema, "\"object\": " + quoted(value));
    }
    return unplaced("unknown object type " + quoted(value) + ": name the schema with --schema");
  }
  if (root.find("error")) return placed("ErrorResponse", "an \"error\" member");
  if (root.find("certificate_ids")) {
    return placed(request_schema(table, certificate_operation::activate_certificates),
                  "a \"certificate_ids\" member");
  }
  if (root.find("certificate")) {
    return placed(request_schema(table, certificate_operation::upload_certificate),
                  "a \"certificate\" member");
  }
  return unplaced(
      "no \"object\", \"error\", \"certificate_ids\" or \"certificate\" member says what this is: "
      "name the schema with --schema");
}

}  // namespace

placement place_schema(const json_value& root, const operation_table& operations,
                       const schema_registry& schemas) {
  placement p = place_by_content(root, operations);
  // An older or newer document may lack the schema the content names (or the operation that
  // names it): say so, rather than judge by a schema the contract does not have.
  if (p.schema && p.schema->empty()) {
    return unplaced("the contract has no operation naming the schema (by " + p.reason +
                    "): name the schema with --schema");
  }
  if (p.schema && !schemas.contains(*p.schema)) {
    return unplaced("the contract has no schema " + *p.schema + " (by " + p.reason +
                    "): name the schema with --schema");
  }
  return p;
}

}  // namespace certharness
