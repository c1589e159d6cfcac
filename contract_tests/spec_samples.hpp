// What the spec-concern tests share: a document parsed from a test's text, and the component
// schemas the official excerpt's family reaches.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certharness/spec/openapi_document.hpp"

namespace certharness::test_support {

// A test's own document; a test whose document does not parse is broken, not failing.
inline openapi_document parsed_openapi(std::string_view text) {
  auto doc = parse_openapi(text, "test");
  if (!doc) throw std::runtime_error("test document: " + doc.error().describe("test"));
  return std::move(*doc);
}

// The 15 component schemas of the family in the official excerpt (f85dbe2), sorted.
inline const std::vector<std::string> k_official_schema_names{
    "Certificate",
    "DeleteCertificateResponse",
    "Error",
    "ErrorResponse",
    "ListCertificatesResponse",
    "ListProjectCertificatesResponse",
    "ModifyCertificateRequest",
    "OrganizationCertificate",
    "OrganizationCertificateActivationResponse",
    "OrganizationCertificateDeactivationResponse",
    "OrganizationProjectCertificate",
    "OrganizationProjectCertificateActivationResponse",
    "OrganizationProjectCertificateDeactivationResponse",
    "ToggleCertificatesRequest",
    "UploadCertificateRequest",
};

}  // namespace certharness::test_support
