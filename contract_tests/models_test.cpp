// Typed models: decoding follows the official spec's schemas exactly (type, required, null,
// enum, integer, array bounds), reports the first offending value, and encode round-trips.
#include "certharness/schema/models.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace certharness::models {
namespace {

using namespace std::string_literals;

// The documents these tests decode; kept alive for the json_values that point into them.
json_document parse(std::string_view text) {
  decode_result r = decode_json(text);
  if (!r.document) {
    ADD_FAILURE() << "not JSON: " << text;
    r = decode_json("null");
  }
  return std::move(*r.document);
}

std::string describe(const decode_error& e) {
  return e.check + " at '" + e.pointer + "': " + e.message;
}

template <typename T>
T expect_decodes(const decoded<T>& d) {
  if (const auto* e = std::get_if<decode_error>(&d)) {
    ADD_FAILURE() << "expected success, got " << describe(*e);
    return T{};
  }
  return std::get<T>(d);
}

template <typename T>
decode_error expect_fails(const decoded<T>& d) {
  if (const auto* e = std::get_if<decode_error>(&d)) return *e;
  ADD_FAILURE() << "expected a decode_error, got a value";
  return {};
}

// decode(parse(encode(x))) == x, and encode's output is strict JSON.
template <typename T>
void expect_round_trip(decoded<T> (*decode)(const json_value&), const T& x) {
  const std::string text = encode(x);
  const decode_result r = decode_json(text);
  ASSERT_TRUE(r.ok()) << text;
  EXPECT_EQ(expect_decodes(decode(r.document->root())), x) << text;
}

// ---- Valid documents decode to the expected values.

constexpr std::string_view official_certificate = R"({
  "object": "certificate",
  "id": "cert_abc",
  "name": "My Certificate",
  "created_at": 1234567,
  "certificate_details": {
    "valid_at": 1234567,
    "expires_at": 12345678,
    "content": "-----BEGIN CERTIFICATE----- MIIGAjCCA...6znFlOW+ -----END CERTIFICATE-----"
  }
})";

TEST(models_certificate, decodes_the_official_example) {
  const json_document doc = parse(official_certificate);
  certificate expected;
  expected.object = "certificate";
  expected.id = "cert_abc";
  expected.name = "My Certificate";
  expected.created_at = 1234567;
  expected.certificate_details.valid_at = 1234567;
  expected.certificate_details.expires_at = 12345678;
  expected.certificate_details.content =
      "-----BEGIN CERTIFICATE----- MIIGAjCCA...6znFlOW+ -----END CERTIFICATE-----";
  const certificate got = expect_decodes(decode_certificate(doc.root()));
  EXPECT_EQ(got, expected);
  EXPECT_FALSE(got.active.has_value());
  expect_round_trip(decode_certificate, got);
}

TEST(models_certificate, accepts_each_object_value_and_active) {
  for (const char* object :
       {"certificate", "organization.certificate", "organization.project.certificate"}) {
    const json_document doc = parse(R"({"object":")"s + object +
                                    R"(","id":"c","name":null,"created_at":0,)"
                                    R"("certificate_details":{},"active":false})");
    const certificate got = expect_decodes(decode_certificate(doc.root()));
    EXPECT_EQ(got.object, object);
    EXPECT_FALSE(got.name.has_value());
    EXPECT_EQ(got.active, std::optional<bool>(false));
    EXPECT_EQ(got.certificate_details, certificate_details{});
    expect_round_trip(decode_certificate, got);
  }
}

TEST(models_certificate, encodes_compactly_in_spec_order) {
  const json_document doc = parse(R"({"active":true,"certificate_details":{"content":"p",
      "expires_at":2,"valid_at":1},"created_at":3,"name":null,"id":"c","object":"certificate",
      "extra":[1,2]})");
  EXPECT_EQ(encode(expect_decodes(decode_certificate(doc.root()))),
            R"({"object":"certificate","id":"c","name":null,"created_at":3,)"
            R"("certificate_details":{"valid_at":1,"expires_at":2,"content":"p"},"active":true})");
}

constexpr std::string_view org_certificate = R"({
  "object": "organization.certificate",
  "id": "cert_abc",
  "name": "My Example Certificate",
  "active": true,
  "created_at": 1234567,
  "certificate_details": {"valid_at": 12345667, "expires_at": 12345678}
})";

scoped_certificate expected_org_certificate() {
  scoped_certificate c;
  c.object = "organization.certificate";
  c.id = "cert_abc";
  c.name = "My Example Certificate";
  c.created_at = 1234567;
  c.valid_at = 12345667;
  c.expires_at = 12345678;
  c.active = true;
  return c;
}

TEST(models_scoped_certificate, decodes_organization_and_project_kinds) {
  const json_document org = parse(org_certificate);
  EXPECT_EQ(expect_decodes(decode_organization_certificate(org.root())),
            expected_org_certificate());
  expect_round_trip(decode_organization_certificate, expected_org_certificate());

  const json_document project = parse(R"({"object":"organization.project.certificate",
      "id":"cert_p","name":null,"created_at":5,"certificate_details":{},"active":false})");
  scoped_certificate expected;
  expected.object = "organization.project.certificate";
  expected.id = "cert_p";
  expected.created_at = 5;
  EXPECT_EQ(expect_decodes(decode_organization_project_certificate(project.root())), expected);
  expect_round_trip(decode_organization_project_certificate, expected);
}

TEST(models_scoped_certificate, content_in_details_is_an_ignored_unknown_member) {
  const json_document doc = parse(R"({"object":"organization.certificate","id":"c",
      "name":"n","created_at":1,"certificate_details":{"content":5,"valid_at":2},"active":true})");
  const scoped_certificate got = expect_decodes(decode_organization_certificate(doc.root()));
  EXPECT_EQ(got.valid_at, std::optional<std::int64_t>(2));
  EXPECT_EQ(encode(got),
            R"({"object":"organization.certificate","id":"c","name":"n","created_at":1,)"
            R"("certificate_details":{"valid_at":2},"active":true})");
}

TEST(models_list, decodes_organization_and_project_lists) {
  const json_document doc =
      parse(R"({"object":"list","data":[)"s + std::string(org_certificate) +
            R"(],"first_id":"cert_abc","last_id":"cert_abc","has_more":true})");
  certificate_list expected;
  expected.object = "list";
  expected.data = {expected_org_certificate()};
  expected.first_id = "cert_abc";
  expected.last_id = "cert_abc";
  expected.has_more = true;
  EXPECT_EQ(expect_decodes(decode_list_certificates_response(doc.root())), expected);
  expect_round_trip(decode_list_certificates_response, expected);

  const json_document empty =
      parse(R"({"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false})");
  const certificate_list got =
      expect_decodes(decode_list_project_certificates_response(empty.root()));
  EXPECT_EQ(got, (certificate_list{"list", {}, std::nullopt, std::nullopt, false}));
  EXPECT_EQ(encode(got),
            R"({"data":[],"first_id":null,"last_id":null,"has_more":false,"object":"list"})");
  expect_round_trip(decode_list_project_certificates_response, got);
}

TEST(models_list, items_must_be_of_the_list_kind) {
  const json_document doc = parse(R"({"object":"list","data":[)"s + std::string(org_certificate) +
                                  R"(],"first_id":null,"last_id":null,"has_more":false})");
  const decode_error e = expect_fails(decode_list_project_certificates_response(doc.root()));
  EXPECT_EQ(e.check, "schema");
  EXPECT_EQ(e.pointer, "/data/0/object");
}

TEST(models_toggle_response, each_of_the_four_kinds) {
  struct kind {
    decoded<certificate_toggle_response> (*decode)(const json_value&);
    const char* object;
    const char* item_object;
  };
  const kind kinds[] = {
      {decode_organization_certificate_activation_response, "organization.certificate.activation",
       "organization.certificate"},
      {decode_organization_certificate_deactivation_response,
       "organization.certificate.deactivation", "organization.certificate"},
      {decode_organization_project_certificate_activation_response,
       "organization.project.certificate.activation", "organization.project.certificate"},
      {decode_organization_project_certificate_deactivation_response,
       "organization.project.certificate.deactivation", "organization.project.certificate"},
  };
  for (const kind& k : kinds) {
    SCOPED_TRACE(k.object);
    const std::string item = R"({"object":")"s + k.item_object +
                             R"(","id":"c","name":null,"created_at":1,"certificate_details":{},)"
                             R"("active":true})";
    const json_document doc = parse(R"({"object":")"s + k.object + R"(","data":[)" + item + "]}");
    const certificate_toggle_response got = expect_decodes(k.decode(doc.root()));
    EXPECT_EQ(got.object, k.object);
    ASSERT_EQ(got.data.size(), 1u);
    EXPECT_EQ(got.data[0].object, k.item_object);
    EXPECT_TRUE(got.data[0].active);
    expect_round_trip(k.decode, got);

    // The other kinds' object values, and items of the other scope, are rejected.
    for (const kind& other : kinds) {
      if (&other == &k) continue;
      const json_document wrong = parse(R"({"object":")"s + other.object + R"(","data":[]})");
      EXPECT_EQ(expect_fails(k.decode(wrong.root())).pointer, "/object");
    }
    const std::string other_item = R"({"object":"certificate","id":"c","name":null,)"
                                   R"("created_at":1,"certificate_details":{},"active":true})";
    const json_document wrong_item =
        parse(R"({"object":")"s + k.object + R"(","data":[)" + other_item + "]}");
    EXPECT_EQ(expect_fails(k.decode(wrong_item.root())).pointer, "/data/0/object");
  }
}

TEST(models_small_schemas, decode_and_round_trip) {
  const json_document deleted = parse(R"({"object":"certificate.deleted","id":"cert_abc"})");
  const delete_certificate_response d =
      expect_decodes(decode_delete_certificate_response(deleted.root()));
  EXPECT_EQ(d, (delete_certificate_response{"certificate.deleted", "cert_abc"}));
  expect_round_trip(decode_delete_certificate_response, d);

  const json_document upload = parse(R"({"certificate":"PEM","name":"n"})");
  const upload_certificate_request u =
      expect_decodes(decode_upload_certificate_request(upload.root()));
  EXPECT_EQ(u, (upload_certificate_request{"PEM", "n"}));
  EXPECT_EQ(encode(u), R"({"name":"n","certificate":"PEM"})");
  expect_round_trip(decode_upload_certificate_request, u);
  expect_round_trip(decode_upload_certificate_request, upload_certificate_request{"PEM", {}});

  const json_document modify = parse(R"({})");
  const modify_certificate_request m =
      expect_decodes(decode_modify_certificate_request(modify.root()));
  EXPECT_EQ(m, modify_certificate_request{});
  EXPECT_EQ(encode(m), "{}");
  expect_round_trip(decode_modify_certificate_request, modify_certificate_request{"new"});

  const json_document toggle = parse(R"({"certificate_ids":["cert_abc","cert_def"]})");
  const toggle_certificates_request t =
      expect_decodes(decode_toggle_certificates_request(toggle.root()));
  EXPECT_EQ(t.certificate_ids, (std::vector<std::string>{"cert_abc", "cert_def"}));
  expect_round_trip(decode_toggle_certificates_request, t);

  const json_document error =
      parse(R"({"error":{"message":"m","type":"invalid_request_error","param":null,"code":"x"}})");
  const error_response e = expect_decodes(decode_error_response(error.root()));
  EXPECT_EQ(e, (error_response{{"invalid_request_error", "m", std::nullopt, "x"}}));
  EXPECT_EQ(encode(e),
            R"({"error":{"code":"x","message":"m","param":null,"type":"invalid_request_error"}})");
  expect_round_trip(decode_error_response, e);
}

// ---- Member-by-member rules, driven from one valid document per schema.

struct member {
  std::string_view key;
  std::string_view value;  // valid JSON text
  bool required;
  bool nullable;
};

struct schema_members {
  std::string_view schema;
  std::vector<member> members;
};

std::string object_text(const std::vector<member>& members, std::size_t replaced,
                        std::string_view replacement, bool drop) {
  std::string out = "{";
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i == replaced && drop) continue;
    if (out.size() > 1) out += ",";
    out += "\"" + std::string(members[i].key) + "\":";
    out += i == replaced ? replacement : members[i].value;
  }
  return out + "}";
}

const std::vector<schema_members>& all_schema_members() {
  static const std::string org_item =
      R"({"object":"organization.certificate","id":"c","name":null,"created_at":1,)"
      R"("certificate_details":{},"active":true})";
  static const std::string project_item =
      R"({"object":"organization.project.certificate","id":"c","name":null,"created_at":1,)"
      R"("certificate_details":{},"active":true})";
  static const std::string org_data = "[" + org_item + "]";
  static const std::string project_data = "[" + project_item + "]";
  static const std::vector<schema_members> all = {
      {"Certificate",
       {{"object", R"("certificate")", true, false},
        {"id", R"("cert_abc")", true, false},
        {"name", R"("n")", true, true},
        {"created_at", "1", true, false},
        {"certificate_details", R"({"valid_at":1,"expires_at":2,"content":"c"})", true, false},
        {"active", "true", false, false}}},
      {"OrganizationCertificate",
       {{"object", R"("organization.certificate")", true, false},
        {"id", R"("cert_abc")", true, false},
        {"name", R"("n")", true, true},
        {"created_at", "1", true, false},
        {"certificate_details", R"({"valid_at":1,"expires_at":2})", true, false},
        {"active", "true", true, false}}},
      {"OrganizationProjectCertificate",
       {{"object", R"("organization.project.certificate")", true, false},
        {"id", R"("cert_abc")", true, false},
        {"name", R"("n")", true, true},
        {"created_at", "1", true, false},
        {"certificate_details", R"({"valid_at":1,"expires_at":2})", true, false},
        {"active", "false", true, false}}},
      {"ListCertificatesResponse",
       {{"object", R"("list")", true, false},
        {"data", org_data, true, false},
        {"first_id", R"("c")", true, true},
        {"last_id", R"("c")", true, true},
        {"has_more", "false", true, false}}},
      {"ListProjectCertificatesResponse",
       {{"object", R"("list")", true, false},
        {"data", project_data, true, false},
        {"first_id", R"("c")", true, true},
        {"last_id", R"("c")", true, true},
        {"has_more", "true", true, false}}},
      {"OrganizationCertificateActivationResponse",
       {{"object", R"("organization.certificate.activation")", true, false},
        {"data", org_data, true, false}}},
      {"OrganizationCertificateDeactivationResponse",
       {{"object", R"("organization.certificate.deactivation")", true, false},
        {"data", org_data, true, false}}},
      {"OrganizationProjectCertificateActivationResponse",
       {{"object", R"("organization.project.certificate.activation")", true, false},
        {"data", project_data, true, false}}},
      {"OrganizationProjectCertificateDeactivationResponse",
       {{"object", R"("organization.project.certificate.deactivation")", true, false},
        {"data", project_data, true, false}}},
      {"DeleteCertificateResponse",
       {{"object", R"("certificate.deleted")", true, false}, {"id", R"("cert_abc")", true, false}}},
      {"UploadCertificateRequest",
       {{"name", R"("n")", false, false}, {"certificate", R"("PEM")", true, false}}},
      {"ModifyCertificateRequest", {{"name", R"("n")", false, false}}},
      {"ToggleCertificatesRequest", {{"certificate_ids", R"(["a"])", true, false}}},
      {"ErrorResponse",
       {{"error", R"({"code":"c","message":"m","param":"p","type":"t"})", true, false}}},
  };
  return all;
}

void expect_verdict(std::string_view schema, const std::string& text,
                    std::optional<std::string_view> failing_pointer) {
  SCOPED_TRACE(std::string(schema) + " " + text);
  const json_document doc = parse(text);
  const std::optional<decode_error> e = check_decodes(schema, doc.root());
  if (!failing_pointer) {
    EXPECT_FALSE(e.has_value()) << describe(*e);
    const std::optional<std::string> canonical = reencode(schema, doc.root());
    ASSERT_TRUE(canonical.has_value());
    // The canonical form is strict JSON, decodes, and is a fixed point.
    const decode_result again = decode_json(*canonical);
    ASSERT_TRUE(again.ok()) << *canonical;
    EXPECT_EQ(reencode(schema, again.document->root()), canonical);
    return;
  }
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->check, "schema") << describe(*e);
  EXPECT_EQ(e->pointer, *failing_pointer) << describe(*e);
  EXPECT_FALSE(reencode(schema, doc.root()).has_value());
}

std::string pointer_to(std::string_view key) { return "/" + std::string(key); }

TEST(models_members, the_valid_document_of_each_schema_decodes) {
  for (const schema_members& s : all_schema_members()) {
    expect_verdict(s.schema, object_text(s.members, s.members.size(), "", false), std::nullopt);
  }
}

TEST(models_members, each_required_member_missing_fails_at_the_object) {
  for (const schema_members& s : all_schema_members()) {
    for (std::size_t i = 0; i < s.members.size(); ++i) {
      const std::string text = object_text(s.members, i, "", true);
      if (!s.members[i].required) {
        expect_verdict(s.schema, text, std::nullopt);
        continue;
      }
      expect_verdict(s.schema, text, "");
      const json_document doc = parse(text);
      const std::optional<decode_error> e = check_decodes(s.schema, doc.root());
      ASSERT_TRUE(e.has_value());
      EXPECT_NE(e->message.find("\"" + std::string(s.members[i].key) + "\""), std::string::npos)
          << e->message;
    }
  }
}

TEST(models_members, null_only_where_the_spec_allows_it) {
  for (const schema_members& s : all_schema_members()) {
    for (std::size_t i = 0; i < s.members.size(); ++i) {
      const member& m = s.members[i];
      expect_verdict(s.schema, object_text(s.members, i, "null", false),
                     m.nullable ? std::nullopt : std::optional(pointer_to(m.key)));
    }
  }
}

TEST(models_members, wrong_types_fail_at_the_member) {
  for (const schema_members& s : all_schema_members()) {
    for (std::size_t i = 0; i < s.members.size(); ++i) {
      const member& m = s.members[i];
      for (std::string_view wrong : {"{}", "[]", "true", "12", "1.5", R"("s")"}) {
        const bool same_kind = wrong.substr(0, 1) == m.value.substr(0, 1) ||
                               (wrong == "true" && m.value == "false") ||
                               (wrong == "12" && m.value == "1");
        if (same_kind) continue;
        expect_verdict(s.schema, object_text(s.members, i, wrong, false), pointer_to(m.key));
      }
    }
  }
}

TEST(models_members, unknown_members_are_ignored_even_with_odd_keys) {
  for (const schema_members& s : all_schema_members()) {
    std::string text = object_text(s.members, s.members.size(), "", false);
    text.insert(1, R"("a~b/c":null,"":[1,{"x":2}],"ID":5,)");
    expect_verdict(s.schema, text, std::nullopt);
  }
}

// ---- Specific rules.

struct rejected {
  const char* name;
  std::string_view schema;
  std::string text;
  std::string_view check;
  std::string_view pointer;
  std::string_view message;  // a substring
};

void PrintTo(const rejected& c, std::ostream* os) { *os << c.name; }

class models_rejects : public ::testing::TestWithParam<rejected> {};

TEST_P(models_rejects, with_check_pointer_and_message) {
  const rejected& c = GetParam();
  const json_document doc = parse(c.text);
  const std::optional<decode_error> e = check_decodes(c.schema, doc.root());
  ASSERT_TRUE(e.has_value()) << c.name;
  EXPECT_EQ(e->check, c.check) << describe(*e);
  EXPECT_EQ(e->pointer, c.pointer) << describe(*e);
  EXPECT_NE(e->message.find(c.message), std::string::npos) << describe(*e);
}

std::string certificate_with(std::string_view created_at) {
  return R"({"object":"certificate","id":"c","name":null,"created_at":)" + std::string(created_at) +
         R"(,"certificate_details":{}})";
}

std::string list_of_three(std::string_view third_details) {
  const auto item = [](std::string_view details) {
    return R"({"object":"organization.certificate","id":"c","name":null,"created_at":1,)"
           R"("certificate_details":)" +
           std::string(details) + R"(,"active":true})";
  };
  return R"({"object":"list","data":[)" + item("{}") + "," + item(R"({"valid_at":1})") + "," +
         item(third_details) + R"(],"first_id":null,"last_id":null,"has_more":false})";
}

INSTANTIATE_TEST_SUITE_P(
    spec, models_rejects,
    ::testing::Values(
        rejected{"root_array", "Certificate", "[]", "schema", "", "expected object, got array"},
        rejected{"root_null", "ErrorResponse", "null", "schema", "", "expected object, got null"},
        rejected{"type_message", "DeleteCertificateResponse",
                 R"({"object":"certificate.deleted","id":5})", "schema", "/id",
                 "expected string, got number"},
        rejected{"nullable_type_message", "Certificate",
                 R"({"object":"certificate","id":"c","name":1,"created_at":1,)"
                 R"("certificate_details":{}})",
                 "schema", "/name", "expected string or null, got number"},
        rejected{"missing_message", "DeleteCertificateResponse",
                 R"({"object":"certificate.deleted"})", "schema", "",
                 R"(missing required property "id")"},
        rejected{"certificate_object_enum", "Certificate",
                 R"({"object":"organization.certificate.activation","id":"c","name":null,)"
                 R"("created_at":1,"certificate_details":{}})",
                 "schema", "/object", "one of"},
        rejected{"org_object_is_not_certificate", "OrganizationCertificate",
                 R"({"object":"certificate","id":"c","name":null,"created_at":1,)"
                 R"("certificate_details":{},"active":true})",
                 "schema", "/object", R"(expected "organization.certificate")"},
        rejected{"delete_object_enum", "DeleteCertificateResponse",
                 R"({"object":"certificate","id":"c"})", "schema", "/object",
                 "certificate.deleted"},
        rejected{"list_object_enum", "ListCertificatesResponse",
                 R"({"object":"List","data":[],"first_id":null,"last_id":null,"has_more":false})",
                 "schema", "/object", R"(expected "list")"},
        rejected{"certificate_content_type", "Certificate",
                 R"({"object":"certificate","id":"c","name":null,"created_at":1,)"
                 R"("certificate_details":{"content":["a"]}})",
                 "schema", "/certificate_details/content", "expected string, got array"},
        rejected{"details_valid_at_null", "Certificate",
                 R"({"object":"certificate","id":"c","name":null,"created_at":1,)"
                 R"("certificate_details":{"valid_at":null}})",
                 "schema", "/certificate_details/valid_at", "expected integer, got null"},
        rejected{"created_at_1_5", "Certificate", certificate_with("1.5"), "schema", "/created_at",
                 "expected integer, got number"},
        rejected{"created_at_1e_minus_400", "Certificate", certificate_with("1e-400"), "schema",
                 "/created_at", "integer"},
        rejected{"created_at_string", "Certificate", certificate_with(R"("1")"), "schema",
                 "/created_at", "expected integer, got string"},
        rejected{"created_at_2_pow_63", "Certificate", certificate_with("9223372036854775808"),
                 "json.number_range", "/created_at", "9223372036854775808"},
        rejected{"created_at_2_pow_64", "Certificate", certificate_with("18446744073709551616"),
                 "json.number_range", "/created_at", "int64"},
        rejected{"created_at_below_int64", "Certificate", certificate_with("-9223372036854775809"),
                 "json.number_range", "/created_at", "int64"},
        rejected{"created_at_1e400", "Certificate", certificate_with("1e400"), "json.number_range",
                 "/created_at", "1e400"},
        rejected{"nested_pointer", "ListCertificatesResponse",
                 list_of_three(R"({"valid_at":1,"expires_at":1.5})"), "schema",
                 "/data/2/certificate_details/expires_at", "expected integer"},
        rejected{"nested_number_range", "ListCertificatesResponse",
                 list_of_three(R"({"expires_at":1e19})"), "json.number_range",
                 "/data/2/certificate_details/expires_at", "int64"},
        rejected{
            "first_error_in_document_order", "Certificate",
            R"({"id":5,"object":"nope","name":null,"created_at":1.5,"certificate_details":[]})",
            "schema", "/id", "expected string"},
        rejected{
            "first_error_in_document_order_reversed", "Certificate",
            R"({"certificate_details":[],"created_at":1.5,"name":null,"object":"nope","id":5})",
            "schema", "/certificate_details", "expected object"},
        rejected{"first_item_error_wins", "OrganizationCertificateActivationResponse",
                 R"({"object":"organization.certificate.activation","data":[{"object":"x"},5]})",
                 "schema", "/data/0", "missing required property"},
        rejected{"schema_error_wins_over_an_earlier_number_range", "Certificate",
                 R"({"object":"certificate","id":"c","name":null,"created_at":1e30,)"
                 R"("certificate_details":5})",
                 "schema", "/certificate_details", "expected object"},
        rejected{"first_number_range_in_document_order", "ListCertificatesResponse",
                 list_of_three(R"({"valid_at":-1e19,"expires_at":1e19})"), "json.number_range",
                 "/data/2/certificate_details/valid_at", "-1e19"},
        rejected{"schema_error_before_later_number_range", "Certificate",
                 R"({"object":"certificate","id":"c","name":null,"certificate_details":5,)"
                 R"("created_at":1e30})",
                 "schema", "/certificate_details", "expected object"},
        rejected{"missing_required_before_member_errors", "Certificate",
                 R"({"object":5,"id":"c","name":null,"created_at":1})", "schema", "",
                 R"("certificate_details")"},
        rejected{"certificate_ids_empty", "ToggleCertificatesRequest", R"({"certificate_ids":[]})",
                 "schema", "/certificate_ids", "at least 1"},
        rejected{"certificate_ids_eleven", "ToggleCertificatesRequest",
                 R"({"certificate_ids":["1","2","3","4","5","6","7","8","9","10","11"]})", "schema",
                 "/certificate_ids", "at most 10"},
        rejected{"certificate_ids_bounds_before_items", "ToggleCertificatesRequest",
                 R"({"certificate_ids":[1,2,3,4,5,6,7,8,9,10,11]})", "schema", "/certificate_ids",
                 "at most 10"},
        rejected{"certificate_ids_item_number", "ToggleCertificatesRequest",
                 R"({"certificate_ids":["a","b","c",4]})", "schema", "/certificate_ids/3",
                 "expected string, got number"},
        rejected{"certificate_ids_item_null", "ToggleCertificatesRequest",
                 R"({"certificate_ids":[null]})", "schema", "/certificate_ids/0",
                 "expected string, got null"},
        rejected{"toggle_response_missing_data",
                 "OrganizationProjectCertificateDeactivationResponse",
                 R"({"object":"organization.project.certificate.deactivation"})", "schema", "",
                 R"("data")"},
        rejected{"error_message_null", "ErrorResponse",
                 R"({"error":{"code":null,"message":null,"param":null,"type":"t"}})", "schema",
                 "/error/message", "expected string, got null"},
        rejected{"error_body_missing_code", "ErrorResponse",
                 R"({"error":{"message":"m","param":null,"type":"t"}})", "schema", "/error",
                 R"("code")"},
        rejected{"unknown_schema", "Certificates", std::string(official_certificate),
                 "schema.unplaced", "", "Certificates"}),
    [](const ::testing::TestParamInfo<rejected>& info) { return std::string(info.param.name); });

TEST(models_integers, integer_spellings_and_edges) {
  struct accepted {
    const char* text;
    std::int64_t value;
  };
  for (const accepted& a :
       {accepted{"1.0", 1}, accepted{"1e3", 1000}, accepted{"1E+3", 1000}, accepted{"0.1e1", 1},
        accepted{"100e-2", 1}, accepted{"-0", 0}, accepted{"-0.0", 0}, accepted{"-1", -1},
        accepted{"9223372036854775807", std::numeric_limits<std::int64_t>::max()},
        accepted{"-9223372036854775808", std::numeric_limits<std::int64_t>::min()},
        accepted{"9.223372036854775807e18", std::numeric_limits<std::int64_t>::max()}}) {
    SCOPED_TRACE(a.text);
    const json_document doc = parse(certificate_with(a.text));
    const certificate got = expect_decodes(decode_certificate(doc.root()));
    EXPECT_EQ(got.created_at, a.value);
    expect_round_trip(decode_certificate, got);
  }
  const json_document minus_zero = parse(certificate_with("-0"));
  EXPECT_NE(reencode("Certificate", minus_zero.root())->find(R"("created_at":0,)"),
            std::string::npos);
}

// With a duplicate key (a json.duplicate_key error already), the first member is judged, as
// valijson's 'properties' judges it: a bad later value is not a schema error in either layer.
TEST(models_duplicates, only_the_first_member_is_judged) {
  for (const char* text : {
           R"({"object":"certificate","id":"a","id":5,"name":null,"created_at":1,)"
           R"("certificate_details":{}})",
           R"({"object":"certificate","id":"a","name":null,"created_at":1,)"
           R"("certificate_details":{"valid_at":1,"valid_at":"x"}})",
       }) {
    const json_document doc = parse(text);
    EXPECT_FALSE(check_decodes("Certificate", doc.root()).has_value()) << text;
  }
  const json_document bad_first = parse(
      R"({"object":"certificate","id":5,"id":"a","name":null,"created_at":1,)"
      R"("certificate_details":{}})");
  const std::optional<decode_error> e = check_decodes("Certificate", bad_first.root());
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->pointer, "/id");
}

TEST(models_duplicates, the_first_member_is_kept_when_all_are_valid) {
  const json_document doc = parse(R"({"object":"certificate","id":"first","id":"second",)"
                                  R"("name":"a","name":null,"created_at":1,"created_at":2,)"
                                  R"("certificate_details":{"valid_at":1},)"
                                  R"("certificate_details":{"valid_at":2,"content":"x"},)"
                                  R"("active":true,"active":false})");
  const certificate got = expect_decodes(decode_certificate(doc.root()));
  EXPECT_EQ(got.id, "first");
  EXPECT_EQ(got.name, std::optional<std::string>("a"));
  EXPECT_EQ(got.created_at, 1);
  EXPECT_EQ(got.certificate_details, (certificate_details{1, std::nullopt, std::nullopt}));
  EXPECT_EQ(got.active, std::optional<bool>(true));
}

TEST(models_strings, unicode_and_control_characters_round_trip) {
  const std::string name =
      "\xF0\x9F\x98\x80 \xE8\xAF\x81\xE4\xB9\xA6 "s + '\0' + " \"quoted\" \\ \n\t\x01 \xD9\x85";
  const json_document doc = parse(
      R"({"object":"certificate","id":"\u0000","name":"\ud83d\ude00 证书 \u0000 \"quoted\" \\ \n\t\u0001 م",)"
      R"("created_at":1,"certificate_details":{"content":"\u00e9"}})");
  const certificate got = expect_decodes(decode_certificate(doc.root()));
  EXPECT_EQ(got.name, std::optional<std::string>(name));
  EXPECT_EQ(got.id, "\0"s);
  EXPECT_EQ(got.certificate_details.content, std::optional<std::string>("\xC3\xA9"));
  expect_round_trip(decode_certificate, got);

  error_response e{{"t", name, "\0"s, "\xE4\xB8\xAD"}};
  expect_round_trip(decode_error_response, e);
}

TEST(models_dispatch, every_schema_name_and_unknown_names) {
  const json_document doc = parse(official_certificate);
  EXPECT_FALSE(check_decodes("Certificate", doc.root()).has_value());
  for (std::string_view name : {"", "certificate", "Error", "Certificate ", "Zzz", "AAA"}) {
    const std::optional<decode_error> e = check_decodes(name, doc.root());
    ASSERT_TRUE(e.has_value()) << name;
    EXPECT_EQ(e->check, checks::schema_unplaced.id());
    EXPECT_EQ(e->pointer, "");
    EXPECT_FALSE(reencode(name, doc.root()).has_value());
  }
  // Every schema name answers, and nothing throws on documents of the wrong shape.
  for (const schema_members& s : all_schema_members()) {
    for (std::string_view text : {"null", "0", R"("")", "[]", "{}", "[[[[{}]]]]", R"({"":{}})"}) {
      const json_document odd = parse(text);
      std::optional<decode_error> e;
      EXPECT_NO_THROW(e = check_decodes(s.schema, odd.root()));
      const bool modify_accepts = s.schema == "ModifyCertificateRequest" && text.front() == '{';
      EXPECT_EQ(e.has_value(), !modify_accepts) << s.schema << " " << text;
      if (e) {
        EXPECT_EQ(e->check, "schema") << s.schema << " " << text;
      }
    }
  }
}

}  // namespace
}  // namespace certharness::models
