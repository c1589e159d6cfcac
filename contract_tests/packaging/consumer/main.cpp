// Decodes two documents and validates them with the installed library's built-in schemas: the
// complete one passes, the one without its "id" fails. Exit 0 when both are judged so.
#include <cstdio>

#include "certharness/json/json_document.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "certharness/version.hpp"

bool passes(const char* json) {
  const certharness::decode_result decoded = certharness::decode_json(json);
  return decoded.ok() && !certharness::has_error(certharness::schema_registry::builtin().validate(
                             decoded.document->root(), "DeleteCertificateResponse"));
}

int main() {
  const bool ok = passes(R"({"object": "certificate.deleted", "id": "cert_abc"})") &&
                  !passes(R"({"object": "certificate.deleted"})");
  std::printf("certharness %s: %s\n", certharness::k_version.data(), ok ? "ok" : "misjudged");
  return ok ? 0 : 1;
}
