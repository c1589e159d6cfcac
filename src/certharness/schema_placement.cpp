#include "certharness/schema_placement.hpp"

#include <array>
#include <string_view>
#include <utility>

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

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::optional<placement> place_list(const json_value& data) {
  if (!data.is_array()) return std::nullopt;
  if (data.size() == 0) {
    // Both list schemas differ only in their items: for an empty list they agree.
    return placement{"ListCertificatesResponse",
                     "\"object\": \"list\" with no items (both list schemas agree on it)"};
  }
  std::string_view item_object;
  for (const json_value& item : data) {
    const json_value* o = item.is_object() ? item.find("object") : nullptr;
    if (!o || !o->is_string()) return std::nullopt;
    if (item_object.empty()) {
      item_object = o->as_string();
    } else if (o->as_string() != item_object) {
      return std::nullopt;  // mixed kinds: refuse to guess
    }
  }
  const std::string reason = "\"object\": \"list\" with items " + quoted(item_object);
  if (item_object == "organization.certificate") return placement{"ListCertificatesResponse", reason};
  if (item_object == "organization.project.certificate") {
    return placement{"ListProjectCertificatesResponse", reason};
  }
  return std::nullopt;
}

}  // namespace

std::optional<placement> place_schema(const json_value& root) {
  if (!root.is_object()) return std::nullopt;
  if (const json_value* object = root.find("object"); object && object->is_string()) {
    const std::string_view value = object->as_string();
    if (value == "list") {
      const json_value* data = root.find("data");
      return data ? place_list(*data) : std::nullopt;
    }
    for (const auto& [object_type, schema] : k_by_object) {
      if (value == object_type) return placement{std::string(schema), "\"object\": " + quoted(value)};
    }
    return std::nullopt;
  }
  if (root.find("error")) return placement{"ErrorResponse", "an \"error\" member"};
  if (root.find("certificate_ids")) {
    return placement{"ToggleCertificatesRequest", "a \"certificate_ids\" member"};
  }
  if (root.find("certificate")) {
    return placement{"UploadCertificateRequest", "a \"certificate\" member"};
  }
  return std::nullopt;
}

}  // namespace certharness
