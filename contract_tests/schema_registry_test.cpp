// The compiled schemas: official examples pass, each kind of violation is reported once with
// its keyword at an RFC 6901 pointer, undeclared properties are noted, and validation is safe
// from several threads.
#include "certharness/schema/schema_registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "certharness/json/json_document.hpp"
#include "certharness/json/json_pointer.hpp"
#include "spec_samples.hpp"
#include "test_support.hpp"

namespace certharness {
namespace {

const schema_registry& registry() { return schema_registry::builtin(); }

// Validates `json` against `schema`; a document that does not decode fails the test.
findings check(std::string_view schema, std::string_view json) {
  const decode_result decoded = decode_json(json);
  if (!decoded.ok()) {
    ADD_FAILURE() << "test document does not decode: "
                  << test_support::describe_findings(decoded.problems) << json;
    return {};
  }
  return registry().validate(decoded.document->root(), schema);
}

findings with_check(const findings& fs, std::string_view check) {
  findings out;
  for (const finding& f : fs) {
    if (f.check == check) out.push_back(f);
  }
  return out;
}

findings errors(const findings& fs) { return with_check(fs, "schema"); }
findings notes(const findings& fs) { return with_check(fs, "schema.unknown_property"); }

// `text` with its first `from` replaced by `to`; `from` must occur.
std::string replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  const std::size_t at = s.find(from);
  if (at == std::string::npos) throw std::logic_error("test bug: no " + std::string(from));
  return s.replace(at, from.size(), to);
}

// `pattern` with its "@" replaced by `value`.
std::string with(std::string_view pattern, std::string_view value) {
  return replaced(pattern, "@", value);
}

// Expects exactly one finding in `fs`, and returns it.
finding only(const findings& fs) {
  EXPECT_EQ(fs.size(), 1u) << test_support::describe_findings(fs);
  return fs.empty() ? finding{} : fs.front();
}

constexpr std::string_view certificate =
    R"({"object": "certificate", "id": "cert_abc", "name": "My Example Certificate",
        "created_at": 1234567,
        "certificate_details": {"valid_at": 12345667, "expires_at": 12345678,
          "content": "-----BEGIN CERTIFICATE-----\nMIIDeT...\n-----END CERTIFICATE-----"}})";

constexpr std::string_view organization_certificate =
    R"({"object": "organization.certificate", "id": "cert_abc", "name": "Example",
        "active": true, "created_at": 1234567,
        "certificate_details": {"valid_at": 12345667, "expires_at": 12345678}})";

constexpr std::string_view project_certificate =
    R"({"object": "organization.project.certificate", "id": "cert_abc", "name": "Example",
        "active": true, "created_at": 1234567,
        "certificate_details": {"valid_at": 12345667, "expires_at": 12345678}})";

std::string list_of(std::string_view items) {
  return with(R"({"object": "list", "data": [@], "first_id": "cert_abc",
                  "last_id": "cert_abc", "has_more": false})",
              items);
}

TEST(schema_registry, names_lists_every_component) {
  const std::vector<std::string>& expected = test_support::k_official_schema_names;
  EXPECT_EQ(registry().names(), expected);
  EXPECT_TRUE(registry().contains("Certificate"));
  EXPECT_FALSE(registry().contains("Certificate.json"));
  EXPECT_FALSE(registry().contains(""));
  EXPECT_THROW(registry().validate(decode_json("{}").document->root(), "Nope"),
               std::invalid_argument);
}

struct example {
  const char* schema;
  std::string json;
};

void PrintTo(const example& e, std::ostream* os) { *os << e.schema; }

class official_example : public ::testing::TestWithParam<example> {};

TEST_P(official_example, passes_without_findings) {
  const findings fs = check(GetParam().schema, GetParam().json);
  EXPECT_TRUE(fs.empty()) << test_support::describe_findings(fs);
}

INSTANTIATE_TEST_SUITE_P(
    schema_registry, official_example,
    ::testing::Values(
        example{"Certificate", std::string(certificate)},
        example{"DeleteCertificateResponse",
                R"({"object": "certificate.deleted", "id": "cert_abc"})"},
        example{"Error", R"({"code": null, "message": "Invalid certificate", "param": null,
                             "type": "invalid_request_error"})"},
        example{"ErrorResponse", R"({"error": {"code": "invalid_certificate", "message": "x",
                                               "param": "certificate", "type": "invalid"}})"},
        example{"ListCertificatesResponse", list_of(organization_certificate)},
        example{"ListProjectCertificatesResponse", list_of(project_certificate)},
        example{"ModifyCertificateRequest", R"({"name": "Renamed certificate"})"},
        example{"OrganizationCertificate", std::string(organization_certificate)},
        example{"OrganizationCertificateActivationResponse",
                with(R"({"object": "organization.certificate.activation", "data": [@]})",
                     organization_certificate)},
        example{"OrganizationCertificateDeactivationResponse",
                with(R"({"object": "organization.certificate.deactivation", "data": [@]})",
                     organization_certificate)},
        example{"OrganizationProjectCertificate", std::string(project_certificate)},
        example{"OrganizationProjectCertificateActivationResponse",
                with(R"({"object": "organization.project.certificate.activation",
                         "data": [@]})",
                     project_certificate)},
        example{"OrganizationProjectCertificateDeactivationResponse",
                with(R"({"object": "organization.project.certificate.deactivation",
                         "data": [@]})",
                     project_certificate)},
        example{"ToggleCertificatesRequest", R"({"certificate_ids": ["cert_abc", "cert_def"]})"},
        example{"UploadCertificateRequest",
                R"({"name": "My Example Certificate",
                    "certificate": "-----BEGIN CERTIFICATE-----\nMIIDeT...\n-----END CERTIFICATE-----"})"}),
    [](const ::testing::TestParamInfo<example>& info) { return std::string(info.param.schema); });

std::string certificate_created_at(std::string_view value) {
  return replaced(certificate, "\"created_at\": 1234567", "\"created_at\": " + std::string(value));
}

TEST(schema_registry, integers_are_decided_by_value_not_spelling) {
  for (const char* value : {"1", "1.0", "1e3", "1E+2", "2.50e1", "-0", "-0.0",
                            "18446744073709551616", "-9223372036854775809"}) {
    const findings fs = check("Certificate", certificate_created_at(value));
    EXPECT_TRUE(fs.empty()) << value << ": " << test_support::describe_findings(fs);
  }
}

TEST(schema_registry, non_integers_fail_type_at_their_pointer) {
  struct rejected {
    const char* value;
    const char* message;
  };
  for (const rejected& r : {rejected{"1.5", "expected integer, got number 1.5"},
                            rejected{"1e-1", "expected integer, got number 1e-1"},
                            rejected{R"("1")", R"(expected integer, got string "1")"},
                            rejected{"null", "expected integer, got null"}}) {
    const finding f = only(check("Certificate", certificate_created_at(r.value)));
    EXPECT_EQ(f.check, "schema") << r.value;
    EXPECT_EQ(f.level, severity::error) << r.value;
    EXPECT_EQ(f.keyword, "type") << r.value;
    EXPECT_EQ(f.pointer, "/created_at") << r.value;
    EXPECT_EQ(f.message, r.message) << r.value;
  }
}

TEST(schema_registry, nested_violation_has_the_full_pointer) {
  const std::string bad = replaced(organization_certificate, "12345667", "12345667.5");
  const finding f = only(check("ListCertificatesResponse",
                               list_of(std::string(organization_certificate) + "," + bad)));
  EXPECT_EQ(f.pointer, "/data/1/certificate_details/valid_at");
  EXPECT_EQ(f.keyword, "type");
}

TEST(schema_registry, key_named_zero_and_index_zero_are_told_apart) {
  const std::string item =
      replaced(organization_certificate, R"("id": "cert_abc",)", R"("0": "index or key?",)");
  const findings fs =
      check("ListCertificatesResponse", with(R"({"0": {"0": 0}, "object": "list", "data": [@],
                                     "first_id": null, "last_id": null, "has_more": false})",
                                             item));
  const finding missing = only(errors(fs));
  EXPECT_EQ(missing.pointer, "/data/0");
  EXPECT_EQ(missing.keyword, "required");
  EXPECT_EQ(missing.message, R"(missing required property "id")");
  const findings ns = notes(fs);
  ASSERT_EQ(ns.size(), 2u) << test_support::describe_findings(fs);
  EXPECT_EQ(ns[0].pointer, "/0");
  EXPECT_EQ(ns[1].pointer, "/data/0/0");
}

TEST(schema_registry, pointer_tokens_are_escaped) {
  const findings fs =
      check("ModifyCertificateRequest", R"({"a/b~c": 1, "x]": 2, "[y]": 3, "~": 4, "": 5})");
  const findings ns = notes(fs);
  ASSERT_EQ(ns.size(), 5u) << test_support::describe_findings(fs);
  EXPECT_EQ(ns[0].pointer, "/a~1b~0c");
  EXPECT_EQ(ns[1].pointer, "/x]");
  EXPECT_EQ(ns[2].pointer, "/[y]");
  EXPECT_EQ(ns[3].pointer, "/~0");
  EXPECT_EQ(ns[4].pointer, "/");
}

TEST(schema_registry, missing_required_is_reported_at_the_object) {
  const findings root = errors(check("Certificate", R"({"object": "certificate", "id": "c",
      "created_at": 1, "certificate_details": {}})"));
  const finding f = only(root);
  EXPECT_EQ(f.keyword, "required");
  EXPECT_EQ(f.pointer, "");
  EXPECT_EQ(f.message, R"(missing required property "name")");

  // One finding per property, in valijson's (sorted) order.
  const findings all = errors(check("DeleteCertificateResponse", "{}"));
  ASSERT_EQ(all.size(), 2u) << test_support::describe_findings(all);
  EXPECT_EQ(all[0].message, R"(missing required property "id")");
  EXPECT_EQ(all[1].message, R"(missing required property "object")");

  const std::string item = replaced(organization_certificate, R"("active": true,)", "");
  const finding nested = only(errors(check("ListCertificatesResponse", list_of(item))));
  EXPECT_EQ(nested.pointer, "/data/0");
  EXPECT_EQ(nested.message, R"(missing required property "active")");
}

std::string certificate_object(std::string_view value) {
  return replaced(certificate, R"("object": "certificate")", "\"object\": " + std::string(value));
}

TEST(schema_registry, enum_accepts_its_values_and_rejects_others) {
  for (const char* value : {R"("certificate")", R"("organization.certificate")",
                            R"("organization.project.certificate")"}) {
    const findings fs = check("Certificate", certificate_object(value));
    EXPECT_TRUE(fs.empty()) << value << ": " << test_support::describe_findings(fs);
  }
  const finding f = only(check("Certificate", certificate_object(R"("foo")")));
  EXPECT_EQ(f.keyword, "enum");
  EXPECT_EQ(f.pointer, "/object");
  EXPECT_EQ(f.message, R"(value "foo" is not one of "certificate", "organization.certificate", )"
                       R"("organization.project.certificate")");
}

TEST(schema_registry, enum_compares_whole_strings_nul_bytes_included) {
  const finding f = only(check("Certificate", certificate_object(R"("certificate\u0000")")));
  EXPECT_EQ(f.keyword, "enum");
  EXPECT_NE(f.message.find(R"("certificate\u0000")"), std::string::npos) << f.message;
  EXPECT_EQ(only(check("Certificate", certificate_object(R"("Certificate")"))).keyword, "enum");
}

TEST(schema_registry, wrong_type_for_an_enum_is_one_type_finding) {
  const finding f = only(check("Certificate", certificate_object("5")));
  EXPECT_EQ(f.keyword, "type");
  EXPECT_EQ(f.pointer, "/object");
  EXPECT_EQ(f.message, "expected string, got number 5");
}

std::string certificate_name(std::string_view value) {
  return replaced(certificate, R"("name": "My Example Certificate")",
                  "\"name\": " + std::string(value));
}

TEST(schema_registry, any_of_is_one_finding_naming_the_allowed_types) {
  EXPECT_TRUE(check("Certificate", certificate_name("null")).empty());
  EXPECT_TRUE(check("Certificate", certificate_name(R"("")")).empty());

  const finding f = only(check("Certificate", certificate_name("5")));
  EXPECT_EQ(f.keyword, "anyOf");
  EXPECT_EQ(f.pointer, "/name");
  EXPECT_EQ(f.message, "expected string or null, got number 5");
  EXPECT_EQ(only(check("Certificate", certificate_name("{}"))).message,
            "expected string or null, got object");
  EXPECT_EQ(only(check("Certificate", certificate_name("false"))).message,
            "expected string or null, got boolean false");
}

TEST(schema_registry, cross_file_ref_validates_list_items) {
  const finding f = only(check("ListCertificatesResponse", list_of(project_certificate)));
  EXPECT_EQ(f.keyword, "enum");
  EXPECT_EQ(f.pointer, "/data/0/object");
  EXPECT_EQ(f.message,
            R"(value "organization.project.certificate" is not one of "organization.certificate")");

  const finding g =
      only(check("ListProjectCertificatesResponse", list_of(organization_certificate)));
  EXPECT_EQ(g.pointer, "/data/0/object");
  // The referring schema's own "object" keeps its own enum.
  EXPECT_EQ(only(check("ListCertificatesResponse",
                       replaced(list_of(organization_certificate), R"("list")", R"("page")")))
                .message,
            R"(value "page" is not one of "list")");
}

TEST(schema_registry, error_response_follows_its_ref_to_error) {
  const finding missing = only(
      check("ErrorResponse", R"({"error": {"type": "invalid", "message": "m", "param": null}})"));
  EXPECT_EQ(missing.keyword, "required");
  EXPECT_EQ(missing.pointer, "/error");
  EXPECT_EQ(missing.message, R"(missing required property "code")");

  const finding code =
      only(check("ErrorResponse",
                 R"({"error": {"type": "invalid", "message": "m", "param": null, "code": 400}})"));
  EXPECT_EQ(code.keyword, "anyOf");
  EXPECT_EQ(code.pointer, "/error/code");

  const finding type = only(check("ErrorResponse", R"({"error": "boom"})"));
  EXPECT_EQ(type.keyword, "type");
  EXPECT_EQ(type.pointer, "/error");
  EXPECT_EQ(type.message, R"(expected object, got string "boom")");
}

TEST(schema_registry, toggle_request_bounds_its_ids) {
  const finding few = only(check("ToggleCertificatesRequest", R"({"certificate_ids": []})"));
  EXPECT_EQ(few.keyword, "minItems");
  EXPECT_EQ(few.pointer, "/certificate_ids");
  EXPECT_EQ(few.message, "expected at least 1 item, got 0");

  std::string ids = R"("c0")";
  for (int i = 1; i < 10; ++i) ids += ", \"c" + std::to_string(i) + "\"";
  EXPECT_TRUE(check("ToggleCertificatesRequest", with(R"({"certificate_ids": [@]})", ids)).empty());
  const finding many =
      only(check("ToggleCertificatesRequest", with(R"({"certificate_ids": [@, "c10"]})", ids)));
  EXPECT_EQ(many.keyword, "maxItems");
  EXPECT_EQ(many.message, "expected at most 10 items, got 11");

  const finding item = only(check("ToggleCertificatesRequest", R"({"certificate_ids": ["a", 1]})"));
  EXPECT_EQ(item.keyword, "type");
  EXPECT_EQ(item.pointer, "/certificate_ids/1");
}

TEST(schema_registry, unknown_properties_are_noted_where_they_are) {
  const std::string item = replaced(
      replaced(organization_certificate, R"("valid_at")", R"("content": "PEM", "valid_at")"),
      R"("active")", R"("extra": {"deep": {"deeper": 1}}, "active")");
  const findings fs =
      check("ListCertificatesResponse", with(R"({"object": "list", "data": [@], "first_id": null,
                                     "last_id": null, "has_more": false, "next": "x"})",
                                             item));
  EXPECT_TRUE(errors(fs).empty()) << test_support::describe_findings(fs);
  ASSERT_EQ(fs.size(), 3u) << test_support::describe_findings(fs);
  EXPECT_EQ(fs[0].pointer, "/data/0/extra");
  EXPECT_EQ(fs[1].pointer, "/data/0/certificate_details/content");
  EXPECT_EQ(fs[2].pointer, "/next");
  for (const finding& f : fs) {
    EXPECT_EQ(f.check, "schema.unknown_property");
    EXPECT_EQ(f.level, severity::note);
    EXPECT_EQ(f.keyword, "additionalProperties");
  }
  EXPECT_EQ(fs[2].message,
            R"(property "next" is not in the spec (allowed: additional properties are permitted))");
  // Certificate declares certificate_details.content: no note there.
  EXPECT_TRUE(check("Certificate", certificate).empty());
}

TEST(schema_registry, no_notes_below_a_value_of_the_wrong_type) {
  const findings fs =
      check("Certificate", replaced(certificate, R"("certificate_details": {)",
                                    R"("certificate_details": [{"x": 1}], "y": {)"));
  ASSERT_EQ(fs.size(), 2u) << test_support::describe_findings(fs);
  EXPECT_EQ(fs[0].keyword, "type");
  EXPECT_EQ(fs[0].pointer, "/certificate_details");
  EXPECT_EQ(fs[1].pointer, "/y");
}

TEST(schema_registry, errors_come_in_document_order_then_notes) {
  const findings fs = check("Certificate", R"({"object": "x", "name": 1, "extra": true,
      "created_at": 1.5, "certificate_details": {"valid_at": "soon"}})");
  ASSERT_EQ(fs.size(), 6u) << test_support::describe_findings(fs);
  EXPECT_EQ(fs[0].pointer, "");  // missing "id"
  EXPECT_EQ(fs[1].pointer, "/object");
  EXPECT_EQ(fs[2].pointer, "/name");
  EXPECT_EQ(fs[3].pointer, "/created_at");
  EXPECT_EQ(fs[4].pointer, "/certificate_details/valid_at");
  EXPECT_EQ(fs[5].pointer, "/extra");
  EXPECT_EQ(fs[5].check, "schema.unknown_property");
}

// `n` copies of `item`, comma-separated.
std::string repeated(std::string_view item, std::size_t n) {
  std::string items;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) items += ",";
    items += item;
  }
  return items;
}

// A 1 MB page of half a million bad items is one problem: 100 findings and one for the rest,
// not half a million.
TEST(schema_registry, violations_are_capped_per_document) {
  constexpr std::size_t items = 500'001;
  const findings fs = check("ListCertificatesResponse", list_of(repeated("0", items)));
  ASSERT_EQ(fs.size(), k_max_findings_per_check + 1)
      << test_support::describe_findings(fs).substr(0, 2000);
  for (std::size_t i = 0; i < k_max_findings_per_check; ++i) {
    EXPECT_EQ(fs[i].check, "schema");
    EXPECT_EQ(fs[i].keyword, "type");
    EXPECT_EQ(fs[i].pointer, "/data/" + std::to_string(i));
  }
  const finding& rest = fs.back();
  EXPECT_EQ(rest.check, "schema");
  EXPECT_EQ(rest.level, severity::error);
  EXPECT_EQ(rest.pointer, "");
  // Only a window of each array's first items is explained, so the count is a lower bound.
  EXPECT_EQ(rest.message, "at least 901 more like the above, not listed");

  // Within the window the count is exact.
  const findings few = check("ListCertificatesResponse", list_of(repeated("0", 150)));
  ASSERT_EQ(few.size(), k_max_findings_per_check + 1)
      << test_support::describe_findings(few).substr(0, 2000);
  EXPECT_EQ(few.back().message, "50 more like the above, not listed");
}

// The explanation reads only each array's first items (which is what bounds its memory): a
// violation beyond them is still found by the full pass, and reported at the array.
TEST(schema_registry, violation_beyond_the_explained_items_is_reported_at_the_array) {
  std::string items = repeated(organization_certificate, 1500);
  items += ", 0";
  const finding f = only(check("ListCertificatesResponse", list_of(items)));
  EXPECT_EQ(f.check, "schema");
  EXPECT_EQ(f.level, severity::error);
  EXPECT_EQ(f.pointer, "/data");
  EXPECT_EQ(f.message,
            "the document breaks its schema beyond the first 1000 items of this array (only those "
            "are explained)");
}

TEST(schema_registry, unknown_property_notes_are_capped_per_document) {
  const std::string item =
      replaced(organization_certificate, R"("active")", R"("extra": 1, "active")");
  const findings fs = check("ListCertificatesResponse", list_of(repeated(item, 130)));
  ASSERT_EQ(fs.size(), k_max_findings_per_check + 1)
      << test_support::describe_findings(fs).substr(0, 2000);
  EXPECT_EQ(fs[99].pointer, "/data/99/extra");
  EXPECT_EQ(fs.back().check, "schema.unknown_property");
  EXPECT_EQ(fs.back().level, severity::note);
  EXPECT_EQ(fs.back().message, "30 more like the above, not listed");
}

TEST(schema_registry, concurrent_validation_matches_sequential) {
  struct job {
    const char* schema;
    std::string json;
  };
  const std::vector<job> jobs{
      {"Certificate", std::string(certificate)},
      {"Certificate", certificate_created_at("1.5")},
      {"Certificate", certificate_name("5")},
      {"Certificate", certificate_object(R"("foo")")},
      {"ListCertificatesResponse", list_of(project_certificate)},
      {"ListCertificatesResponse", list_of(std::string(organization_certificate) + "," +
                                           std::string(organization_certificate))},
      {"ErrorResponse", R"({"error": {"unknown": 1}})"},
      {"ToggleCertificatesRequest", R"({"certificate_ids": [], "x": 1})"},
  };
  std::vector<json_document> documents;
  std::vector<std::string> expected;
  for (const job& j : jobs) {
    documents.push_back(std::move(*decode_json(j.json).document));
    expected.push_back(
        test_support::describe_findings(registry().validate(documents.back().root(), j.schema)));
  }

  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        for (std::size_t k = 0; k < jobs.size(); ++k) {
          const std::size_t i = (k + std::size_t(t)) % jobs.size();  // threads overlap differently
          if (test_support::describe_findings(
                  registry().validate(documents[i].root(), jobs[i].schema)) != expected[i]) {
            ++mismatches;
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// Sources may come from a --spec document: whatever they say, an error naming the schema, never
// an exception.
TEST(schema_registry, sources_that_do_not_compile_are_errors_naming_the_schema) {
  struct {
    std::vector<schema_source> sources;
    const char* error_part;
  } cases[] = {
      {{{"A", "{"}}, "schema A: json.syntax"},
      {{{"A", R"({"type":"object","x":1,"x":2})"}}, "schema A: json.duplicate_key"},
      {{{"A", R"({"items":{"$ref":"B.json"}})"}}, "schema A: $ref \"B.json\" names no schema"},
      {{{"A", "{}"}, {"A", "{}"}}, "schema A: given twice"},
      {{{"A", R"({"allOf":[{}]})"}}, "schema A: keyword \"allOf\" is not modelled"},
      {{{"A", R"({"type":"text"})"}}, "schema A: unknown type \"text\""},
      {{{"A", "[]"}}, "schema A: a schema must be an object"},
      {{{"A", R"({"minItems":"1"})"}}, "schema A: minItems must be a whole number"},
  };
  for (auto& c : cases) {
    const std::string first_text = c.sources.front().text;
    auto r = schema_registry::from_sources(std::move(c.sources));
    ASSERT_FALSE(r) << first_text;
    EXPECT_NE(r.error().find(c.error_part), std::string::npos) << first_text << ": " << r.error();
  }
  auto ok = schema_registry::from_sources(
      {{"B", R"({"type":"string"})"}, {"A", R"({"items":{"$ref":"B.json"}})"}});
  ASSERT_TRUE(ok) << ok.error();
  EXPECT_EQ(ok->names(), (std::vector<std::string>{"A", "B"}));
  EXPECT_TRUE(errors(ok->validate(decode_json(R"(["x"])").document->root(), "A")).empty());
  EXPECT_EQ(errors(ok->validate(decode_json("[1]").document->root(), "A")).size(), 1u);
}

// ---- declared_patterns ----

TEST(schema_registry, declared_patterns_follow_refs_and_fold_items_in_schema_order) {
  const struct {
    const char* schema;
    std::vector<std::string> patterns;
  } cases[] = {
      {"ListCertificatesResponse",
       {"/data", "/data/*/object", "/data/*/id", "/data/*/name", "/data/*/created_at",
        "/data/*/certificate_details", "/data/*/certificate_details/valid_at",
        "/data/*/certificate_details/expires_at", "/data/*/active", "/first_id", "/last_id",
        "/has_more", "/object"}},
      {"Certificate",
       {"/object", "/id", "/name", "/created_at", "/certificate_details",
        "/certificate_details/valid_at", "/certificate_details/expires_at",
        "/certificate_details/content", "/active"}},
      {"ErrorResponse", {"/error", "/error/code", "/error/message", "/error/param", "/error/type"}},
      {"ToggleCertificatesRequest", {"/certificate_ids"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(registry().declared_patterns(c.schema), c.patterns) << c.schema;
  }
  EXPECT_THROW((void)registry().declared_patterns("NoSuchSchema"), std::invalid_argument);
}

// An oracle written apart, over the schema files themselves: every property under "properties",
// "items" (as "*"), "anyOf" branches and "$ref" (a sibling file), each once.
void oracle_patterns(const json_value& schema, const std::string& prefix, int depth,
                     std::vector<std::string>& out) {
  ASSERT_LT(depth, 16) << "test bug: a $ref cycle in schemas/";
  if (const std::optional<json_value> ref = schema.find("$ref")) {
    const std::string file(ref->as_string());
    const decode_result target =
        decode_json(test_support::read_file(std::filesystem::path(CERTHARNESS_SCHEMA_DIR) / file));
    ASSERT_TRUE(target.ok()) << file;
    oracle_patterns(target.document->root(), prefix, depth + 1, out);
    return;
  }
  if (const std::optional<json_value> properties = schema.find("properties")) {
    for (const json_value& p : *properties) {
      std::string pattern = prefix;
      append_pointer_token(pattern, p.key());
      if (std::find(out.begin(), out.end(), pattern) == out.end()) out.push_back(pattern);
      oracle_patterns(p, pattern, depth + 1, out);
    }
  }
  if (const std::optional<json_value> items = schema.find("items")) {
    oracle_patterns(*items, prefix + "/*", depth + 1, out);
  }
  if (const std::optional<json_value> any_of = schema.find("anyOf")) {
    for (const json_value& branch : *any_of) oracle_patterns(branch, prefix, depth + 1, out);
  }
}

TEST(schema_registry, declared_patterns_of_every_schema_match_its_file) {
  for (const std::string& name : registry().names()) {
    const decode_result file = decode_json(
        test_support::read_file(std::filesystem::path(CERTHARNESS_SCHEMA_DIR) / (name + ".json")));
    ASSERT_TRUE(file.ok()) << name;
    std::vector<std::string> want;
    oracle_patterns(file.document->root(), "", 0, want);
    EXPECT_FALSE(want.empty()) << name;
    EXPECT_EQ(registry().declared_patterns(name), want) << name;
  }
}

}  // namespace
}  // namespace certharness
