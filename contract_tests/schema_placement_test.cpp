// Which schema a document is placed under, and that it refuses to guess.
#include "certharness/schema/schema_placement.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "edited_contract.hpp"

namespace certharness {
namespace {

placement place(const std::string& text, const contract& spec = contract::builtin()) {
  const decode_result r = decode_json(text);
  EXPECT_TRUE(r.document.has_value()) << text;
  return r.document ? place_schema(r.document->root(), spec.operations(), spec.schemas())
                    : placement{};
}

TEST(place_schema, by_object_type) {
  const std::pair<const char*, const char*> cases[] = {
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
  };
  for (const auto& [object, schema] : cases) {
    const placement p = place(std::string(R"({"id":"x","object":")") + object + "\"}");
    EXPECT_EQ(p.schema, std::optional<std::string>(schema)) << object;
    EXPECT_NE(p.reason.find(object), std::string::npos) << p.reason;
  }
}

TEST(place_schema, lists_by_their_items) {
  EXPECT_EQ(place(R"({"object":"list","data":[{"object":"organization.certificate"}]})").schema,
            "ListCertificatesResponse");
  EXPECT_EQ(place(R"({"object":"list","data":[{},{"object":"organization.project.certificate"}]})")
                .schema,
            "ListProjectCertificatesResponse");
  EXPECT_EQ(place(R"({"object":"list","data":[]})").schema, "ListCertificatesResponse");
  EXPECT_EQ(place(R"({"object":"list","data":null})").schema, "ListCertificatesResponse");
  const placement mixed = place(R"({"object":"list","data":[{"object":"organization.certificate"},)"
                                R"({"object":"organization.project.certificate"}]})");
  EXPECT_FALSE(mixed.schema.has_value());
  EXPECT_NE(mixed.reason.find("mixing"), std::string::npos) << mixed.reason;
}

TEST(place_schema, errors_and_request_bodies) {
  EXPECT_EQ(place(R"({"error":{}})").schema, "ErrorResponse");
  EXPECT_EQ(place(R"({"certificate_ids":[]})").schema, "ToggleCertificatesRequest");
  EXPECT_EQ(place(R"({"certificate":"-----BEGIN"})").schema, "UploadCertificateRequest");
}

TEST(place_schema, refuses_to_guess) {
  for (const char* text : {R"({"name":"renamed"})", R"({})", R"([])", R"("certificate")",
                           R"({"object":"certificate.bogus"})", R"({"object":7})"}) {
    const placement p = place(text);
    EXPECT_FALSE(p.schema.has_value()) << text << " placed as " << p.schema.value_or("");
    EXPECT_NE(p.reason.find("--schema"), std::string::npos) << text << ": " << p.reason;
  }
}

// A contract read from another document names its own schemas: a document is never placed under
// a schema the contract does not have, nor by an operation it lacks; the reason says which.
TEST(place_schema, by_the_contract_it_is_given) {
  using k = certificate_operation;
  const contract renamed = test_support::edited_contract([](std::vector<operation>& rows) {
    for (operation& op : rows) {
      for (operation_response& r : op.responses) {
        if (r.schema == "ListCertificatesResponse") r.schema = "ListCertificatesResponseV0";
      }
    }
    test_support::without(rows, k::upload_certificate);
  });
  const placement list = place(R"({"object":"list","data":[]})", renamed);
  EXPECT_FALSE(list.schema.has_value()) << *list.schema;
  EXPECT_EQ(
      list.reason,
      "the contract has no schema ListCertificatesResponseV0 (by \"object\": \"list\"; no item "
      "names its kind, checked as the organization list): name the schema with --schema");
  const placement upload = place(R"({"certificate":"-----BEGIN"})", renamed);
  EXPECT_FALSE(upload.schema.has_value()) << *upload.schema;
  EXPECT_EQ(upload.reason,
            "the contract has no operation naming the schema (by a \"certificate\" member): name "
            "the schema with --schema");
  // What the contract still has places as before.
  EXPECT_EQ(place(R"({"certificate_ids":[]})", renamed).schema, "ToggleCertificatesRequest");
  EXPECT_EQ(place(R"({"object":"certificate"})", renamed).schema, "Certificate");
}

}  // namespace
}  // namespace certharness
