// spec_diff: the family's history diffed version by version (every change the issue lists, and
// nothing else: the exact findings are asserted), each document against itself (no change), one
// small case per kind of change, and hostile documents ($ref cycles, missing targets, a DAG
// reached along exponentially many paths).
#include "certharness/spec/spec_diff.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "certharness/findings/check_catalogue.hpp"
#include "certharness/report/run_report.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;

const fs::path k_history = fs::path(CERTHARNESS_CORPUS_DIR) / "specs" / "history";
const fs::path k_first = k_history / "certificates-2025-04-29-498c71dd.json";
const fs::path k_second = k_history / "certificates-2026-05-13-5162af98.json";
const fs::path k_third = k_history / "certificates-2026-08-14-ca34204c.json";
const fs::path k_excerpt =
    fs::path(CERTHARNESS_SCHEMA_DIR) / "reference" / "openai-certificates.openapi.json";

openapi_document load(const fs::path& path) {
  auto doc = load_openapi_file(path.string());
  if (!doc) ADD_FAILURE() << doc.error().describe(path.string());
  return doc ? std::move(*doc) : openapi_document{};
}

run_report diff(const openapi_document& a, const openapi_document& b) {
  auto report = diff_openapi(a, b);
  if (!report) {
    ADD_FAILURE() << report.error().describe("diff");
    return {};
  }
  return std::move(*report);
}

// "operation | check | pointer (new) | other_pointer (old)", one per finding, sorted.
std::vector<std::string> entries(const run_report& r) {
  std::vector<std::string> out;
  for (const run_finding& f : r.findings) {
    out.push_back(f.request + " | " + f.what.check + " | " + f.what.pointer + " | " +
                  f.what.other_pointer);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += "  " + l + "\n";
  return out;
}

// Sorted expected against sorted actual, naming what is missing and what is extra.
void expect_entries(const run_report& r, std::vector<std::string> expected,
                    const std::string& what) {
  std::sort(expected.begin(), expected.end());
  const std::vector<std::string> actual = entries(r);
  std::vector<std::string> missing, extra;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  EXPECT_TRUE(missing.empty() && extra.empty()) << what << "\nmissing:\n"
                                                << joined(missing) << "not a change (extra):\n"
                                                << joined(extra);
}

std::string e(const std::string& op, check_id check, const std::string& pointer,
              const std::string& other) {
  return op + " | " + std::string(check.id()) + " | " + pointer + " | " + other;
}

const std::string C = "/components/schemas/";

void append(std::vector<std::string>& to, const std::vector<std::string>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

// A certificate object from the first version (Certificate) to `now` in the second: name may be
// null, the three times gained format unixtime; a family-specific object (not Certificate) also
// lost the other object types, certificate_details.content, and requires active.
std::vector<std::string> certificate_changes(const std::string& op, const std::string& now) {
  const std::string o = C + "Certificate/properties/", n = C + now + "/properties/";
  std::vector<std::string> out = {
      e(op, checks::diff_response_nullable, n + "name", o + "name"),
      e(op, checks::diff_format, n + "created_at", o + "created_at"),
      e(op, checks::diff_format, n + "certificate_details/properties/valid_at",
        o + "certificate_details/properties/valid_at"),
      e(op, checks::diff_format, n + "certificate_details/properties/expires_at",
        o + "certificate_details/properties/expires_at"),
  };
  if (now != "Certificate") {
    append(out, {
                    e(op, checks::diff_response_enum_removed, n + "object", o + "object"),
                    e(op, checks::diff_response_field_removed, n + "certificate_details",
                      o + "certificate_details/properties/content"),
                    e(op, checks::diff_response_field_required, n + "active", o + "active"),
                });
  }
  return out;
}

// A list: optional non-null first_id/last_id became required and nullable.
std::vector<std::string> list_changes(const std::string& op, const std::string& list,
                                      const std::string& item) {
  const std::string o = C + "ListCertificatesResponse/properties/", n = C + list + "/properties/";
  std::vector<std::string> out = {
      e(op, checks::diff_response_field_required, n + "first_id", o + "first_id"),
      e(op, checks::diff_response_nullable, n + "first_id", o + "first_id"),
      e(op, checks::diff_response_field_required, n + "last_id", o + "last_id"),
      e(op, checks::diff_response_nullable, n + "last_id", o + "last_id"),
  };
  append(out, certificate_changes(op, item));
  return out;
}

// activate/deactivate: a list before, an activation object after (its own object type, no
// first_id/last_id/has_more).
std::vector<std::string> activation_changes(const std::string& op, const std::string& now,
                                            const std::string& item) {
  const std::string o = C + "ListCertificatesResponse";
  std::vector<std::string> out = {
      e(op, checks::diff_response_enum_added, C + now + "/properties/object",
        o + "/properties/object"),
      e(op, checks::diff_response_enum_removed, C + now + "/properties/object",
        o + "/properties/object"),
      e(op, checks::diff_response_field_removed, C + now, o + "/properties/first_id"),
      e(op, checks::diff_response_field_removed, C + now, o + "/properties/last_id"),
      e(op, checks::diff_response_field_removed, C + now, o + "/properties/has_more"),
  };
  append(out, certificate_changes(op, item));
  return out;
}

const std::string k_list = "GET /organization/certificates";
const std::string k_upload = "POST /organization/certificates";
const std::string k_activate = "POST /organization/certificates/activate";
const std::string k_deactivate = "POST /organization/certificates/deactivate";
const std::string k_get = "GET /organization/certificates/{certificate_id}";
const std::string k_modify = "POST /organization/certificates/{certificate_id}";
const std::string k_delete = "DELETE /organization/certificates/{certificate_id}";
const std::string k_project_list = "GET /organization/projects/{project_id}/certificates";
const std::string k_project_activate =
    "POST /organization/projects/{project_id}/certificates/activate";
const std::string k_project_deactivate =
    "POST /organization/projects/{project_id}/certificates/deactivate";
const std::vector<std::string> k_operations = {
    k_list,   k_upload, k_activate,     k_deactivate,       k_get,
    k_modify, k_delete, k_project_list, k_project_activate, k_project_deactivate};

// Inspected by hand, finding by finding, against the two documents.
TEST(spec_diff_history, first_to_second_version_reports_each_change_and_nothing_else) {
  const run_report r = diff(load(k_first), load(k_second));
  std::vector<std::string> expected = {
      // Upload: `content` became `certificate`, still required.
      e(k_upload, checks::diff_request_field_removed, C + "UploadCertificateRequest",
        C + "UploadCertificateRequest/properties/content"),
      e(k_upload, checks::diff_request_field_required,
        C + "UploadCertificateRequest/properties/certificate", C + "UploadCertificateRequest"),
      // GET's path parameter was declared as cert_id against {certificate_id}.
      e(k_get, checks::diff_path_parameter_renamed,
        "/paths/~1organization~1certificates~1{certificate_id}/get/parameters/0",
        "/paths/~1organization~1certificates~1{certificate_id}/get/parameters/0"),
      // Modify: name is no longer required.
      e(k_modify, checks::diff_request_field_optional,
        C + "ModifyCertificateRequest/properties/name",
        C + "ModifyCertificateRequest/properties/name"),
  };
  append(expected, list_changes(k_list, "ListCertificatesResponse", "OrganizationCertificate"));
  append(expected, list_changes(k_project_list, "ListProjectCertificatesResponse",
                                "OrganizationProjectCertificate"));
  append(expected, certificate_changes(k_upload, "Certificate"));
  append(expected, certificate_changes(k_get, "Certificate"));
  append(expected, certificate_changes(k_modify, "Certificate"));
  append(expected, activation_changes(k_activate, "OrganizationCertificateActivationResponse",
                                      "OrganizationCertificate"));
  append(expected, activation_changes(k_deactivate, "OrganizationCertificateDeactivationResponse",
                                      "OrganizationCertificate"));
  append(expected,
         activation_changes(k_project_activate, "OrganizationProjectCertificateActivationResponse",
                            "OrganizationProjectCertificate"));
  append(expected, activation_changes(k_project_deactivate,
                                      "OrganizationProjectCertificateDeactivationResponse",
                                      "OrganizationProjectCertificate"));
  expect_entries(r, expected, "2025-04-29 -> 2026-05-13");
  EXPECT_TRUE(r.has_error());
  std::vector<std::string> subjects;
  for (const request_record& s : r.requests) subjects.push_back(s.request);
  EXPECT_EQ(subjects, k_operations);
}

TEST(spec_diff_history, second_to_third_version_adds_429_with_retry_after_to_all_ten_operations) {
  const run_report r = diff(load(k_second), load(k_third));
  std::vector<std::string> expected;
  for (const std::string& op : k_operations) {
    const std::string method = op.substr(0, op.find(' '));
    std::string path = "/paths/";
    for (char c : op.substr(op.find(' ') + 1))
      path += c == '/' ? std::string("~1") : std::string(1, c);
    std::string lower;
    for (char c : method) lower.push_back(static_cast<char>(std::tolower(c)));
    expected.push_back(e(op, checks::diff_status_added, path + "/" + lower + "/responses/429",
                         path + "/" + lower + "/responses"));
  }
  expect_entries(r, expected, "2026-05-13 -> 2026-08-14");
  for (const run_finding& f : r.findings) {
    EXPECT_NE(f.what.message.find("with header Retry-After"), std::string::npos) << f.what.message;
    EXPECT_NE(f.what.message.find("TooManyRequests"), std::string::npos) << f.what.message;
  }
  EXPECT_FALSE(r.has_error()) << "a new documented status breaks no client for sure";
}

TEST(spec_diff_history, third_version_to_todays_excerpt_is_no_change) {
  expect_entries(diff(load(k_third), load(k_excerpt)), {}, "2026-08-14 -> excerpt f85dbe2");
}

TEST(spec_diff_history, every_document_diffed_with_itself_is_no_change) {
  for (const fs::path& p : {k_first, k_second, k_third, k_excerpt}) {
    const openapi_document doc = load(p);
    const run_report r = diff(doc, doc);
    expect_entries(r, {}, p.filename().string() + " with itself");
    EXPECT_EQ(r.requests.size(), 10U) << p;
    // Two loads of one file are two trees: equal by meaning, not by address.
    expect_entries(diff(doc, load(p)), {}, p.filename().string() + " with a second load");
  }
}

// The messages name the field and both sides' facts.
TEST(spec_diff_history, messages_name_the_field_and_both_sides) {
  const run_report r = diff(load(k_first), load(k_second));
  const auto message = [&](const std::string& op, check_id check, const std::string& field) {
    for (const run_finding& f : r.findings) {
      if (f.request == op && f.what.check == check && f.what.message.starts_with(field + ":")) {
        return f.what.message;
      }
    }
    return std::string("(none)");
  };
  EXPECT_EQ(message(k_list, checks::diff_response_nullable, "/data/*/name"),
            "/data/*/name: may now be null (was string; now string or null)");
  EXPECT_EQ(message(k_list, checks::diff_response_nullable, "/first_id"),
            "/first_id: may now be null (was string; now string or null)");
  EXPECT_EQ(message(k_upload, checks::diff_request_field_removed, "/content"),
            "/content: removed (was required, string)");
  EXPECT_EQ(message(k_upload, checks::diff_request_field_required, "/certificate"),
            "/certificate: new required field (string)");
  EXPECT_EQ(message(k_get, checks::diff_path_parameter_renamed,
                    "path parameter cert_id -> "
                    "certificate_id"),
            "(none)");  // the renaming has no field: its message is the whole fact
  EXPECT_EQ(message(k_activate, checks::diff_response_enum_added, "/object"),
            "/object: enum value \"organization.certificate.activation\" added (was \"list\"; now "
            "\"organization.certificate.activation\")");
  bool renamed = false;
  for (const run_finding& f : r.findings) {
    renamed = renamed || f.what.message == "path parameter cert_id -> certificate_id";
  }
  EXPECT_TRUE(renamed);
}

TEST(spec_diff_whole_document, the_official_yaml_against_the_excerpt_is_no_change) {
  const fs::path yaml = fs::path(CERTHARNESS_SHARED_REFERENCE_DIR) / "openapi-f85dbe2.yaml";
  if (!fs::exists(yaml)) GTEST_SKIP() << yaml << " is absent (the whole official document)";
  auto whole = load_openapi_file(yaml.string());
  ASSERT_TRUE(whole) << whole.error().describe(yaml.string());
  const openapi_document excerpt = load(k_excerpt);
  const run_report r = diff(*whole, excerpt);
  expect_entries(r, {}, "whole document -> excerpt");
  EXPECT_EQ(r.requests.size(), 10U);
  expect_entries(diff(excerpt, *whole), {}, "excerpt -> whole document");
  expect_entries(diff(*whole, *whole), {}, "whole document with itself");
}

// --- one small case per kind of change ----------------------------------------------------

// A document with one operation (GET on the family's list path) and the given schemas.
std::string doc(const std::string& operation, const std::string& schemas = "{}",
                const std::string& extra_paths = "") {
  return R"({"openapi":"3.1.0","paths":{"/organization/certificates":{"get":)" + operation + "}" +
         extra_paths + R"(},"components":{"schemas":)" + schemas + "}}";
}

// An operation whose 200 body is `body` and that takes `parameters`.
std::string op(const std::string& body, const std::string& parameters = "[]",
               const std::string& more = "") {
  return R"({"parameters":)" + parameters +
         R"(,"responses":{"200":{"content":{"application/json":{"schema":)" + body + "}}}" + more +
         "}}";
}

openapi_document parsed(const std::string& text) {
  auto d = parse_openapi(text, "inline");
  if (!d) ADD_FAILURE() << d.error().describe("inline") << "\n" << text;
  return d ? std::move(*d) : openapi_document{};
}

struct change_case {
  const char* name;
  std::string old_text, new_text;
  // "check | pointer | other_pointer", the operation left out.
  std::vector<std::string> expected;
};

std::string x(check_id check, const std::string& pointer, const std::string& other) {
  return std::string(check.id()) + " | " + pointer + " | " + other;
}

const std::string P = "/paths/~1organization~1certificates/get";
const std::string B = P + "/responses/200/content/application~1json/schema";
const std::string Q = P + "/parameters/0";

std::vector<change_case> change_cases() {
  const std::string limit = R"([{"name":"limit","in":"query","schema":{"type":"integer"}}])";
  return {
      {"same meaning spelled differently (component renamed, type array vs anyOf)",
       doc(op(R"({"$ref":"#/components/schemas/A"})"),
           R"({"A":{"type":"object","properties":{"n":{"type":["string","null"]}}}})"),
       doc(op(R"({"$ref":"#/components/schemas/B"})"),
           R"({"B":{"properties":{"n":{"anyOf":[{"type":"string"},{"type":"null"}]}},"type":"object"}})"),
       {}},
      {"response type changed",
       doc(op(R"({"type":"object","properties":{"n":{"type":"string"}}})")),
       doc(op(R"({"type":"object","properties":{"n":{"type":"integer"}}})")),
       {x(checks::diff_response_type, B + "/properties/n", B + "/properties/n")}},
      {"response value narrowed and no longer nullable",
       doc(op(R"({"properties":{"n":{"type":["number","null"]}}})")),
       doc(op(R"({"properties":{"n":{"type":"integer"}}})")),
       {x(checks::diff_response_narrowed, B + "/properties/n", B + "/properties/n"),
        x(checks::diff_response_not_nullable, B + "/properties/n", B + "/properties/n")}},
      {"response field added, removed, no longer required",
       doc(op(R"({"properties":{"a":{},"b":{}},"required":["a","b"]})")),
       doc(op(R"({"properties":{"a":{},"c":{}},"required":["c"]})")),
       {x(checks::diff_response_field_optional, B + "/properties/a", B + "/properties/a"),
        x(checks::diff_response_field_added, B + "/properties/c", B),
        x(checks::diff_response_field_removed, B, B + "/properties/b")}},
      {"nested array items are followed",
       doc(op(R"({"properties":{"data":{"items":{"properties":{"k":{"enum":["a"]}}}}}})")),
       doc(op(R"({"properties":{"data":{"items":{"properties":{"k":{"enum":["a","b"]}}}}}})")),
       {x(checks::diff_response_enum_added, B + "/properties/data/items/properties/k",
          B + "/properties/data/items/properties/k")}},
      {"response bound relaxed and tightened",
       doc(op(R"({"properties":{"s":{"maxLength":5},"t":{"minimum":1}}})")),
       doc(op(R"({"properties":{"s":{"maxLength":9},"t":{"minimum":2}}})")),
       {x(checks::diff_response_widened, B + "/properties/s", B + "/properties/s"),
        x(checks::diff_response_narrowed, B + "/properties/t", B + "/properties/t")}},
      {"parameter added optional, and required",
       doc(op("{}")),
       doc(op("{}", R"([{"name":"a","in":"query","schema":{}},
                        {"name":"b","in":"header","required":true,"schema":{}}])")),
       {x(checks::diff_parameter_added, Q, P),
        x(checks::diff_parameter_required, P + "/parameters/1", P)}},
      {"parameter removed",
       doc(op("{}", limit)),
       doc(op("{}")),
       {x(checks::diff_parameter_removed, P, Q)}},
      {"parameter now required",
       doc(op("{}", limit)),
       doc(op("{}",
              R"([{"name":"limit","in":"query","required":true,"schema":{"type":"integer"}}])")),
       {x(checks::diff_parameter_required, Q, Q)}},
      {"parameter constraints: maximum, type, enum, default",
       doc(op(
           "{}",
           R"([{"name":"limit","in":"query","schema":{"type":"integer","maximum":100,"default":20}},
                       {"name":"order","in":"query","schema":{"enum":["asc","desc"]}}])")),
       doc(op(
           "{}",
           R"([{"name":"limit","in":"query","schema":{"type":"number","maximum":50,"default":10}},
                       {"name":"order","in":"query","schema":{"enum":["asc"]}}])")),
       {x(checks::diff_request_widened, Q + "/schema", Q + "/schema"),
        x(checks::diff_request_narrowed, Q + "/schema", Q + "/schema"),
        x(checks::diff_request_default, Q + "/schema", Q + "/schema"),
        x(checks::diff_request_narrowed, P + "/parameters/1/schema", P + "/parameters/1/schema")}},
      {"path parameter renamed in the template and its declaration",
       R"({"openapi":"3.1.0","paths":{"/organization/certificates/{a}":{"get":{"parameters":[{"name":"a","in":"path","required":true,"schema":{"type":"string"}}]}}}})",
       R"({"openapi":"3.1.0","paths":{"/organization/certificates/{b}":{"get":{"parameters":[{"name":"b","in":"path","required":true,"schema":{"type":"string"}}]}}}})",
       {x(checks::diff_path_parameter_renamed,
          "/paths/~1organization~1certificates~1{b}/get/parameters/0",
          "/paths/~1organization~1certificates~1{a}/get/parameters/0")}},
      {"request body: field now required, request value narrowed by null, body now required",
       doc(R"({"requestBody":{"content":{"application/json":{"schema":{"properties":{"a":{"type":["string","null"]}}}}}}})"),
       doc(R"({"requestBody":{"required":true,"content":{"application/json":{"schema":{"properties":{"a":{"type":"string"}},"required":["a"]}}}}})"),
       {x(checks::diff_request_field_required, P + "/requestBody", P + "/requestBody"),
        x(checks::diff_request_field_required,
          P + "/requestBody/content/application~1json/schema/properties/a",
          P + "/requestBody/content/application~1json/schema/properties/a"),
        x(checks::diff_request_narrowed,
          P + "/requestBody/content/application~1json/schema/properties/a",
          P + "/requestBody/content/application~1json/schema/properties/a")}},
      {"request field added and removed",
       doc(R"({"requestBody":{"content":{"application/json":{"schema":{"properties":{"a":{}}}}}}})"),
       doc(R"({"requestBody":{"content":{"application/json":{"schema":{"properties":{"b":{}},"additionalProperties":false}}}}})"),
       {x(checks::diff_request_field_added,
          P + "/requestBody/content/application~1json/schema/properties/b",
          P + "/requestBody/content/application~1json/schema"),
        x(checks::diff_request_field_removed, P + "/requestBody/content/application~1json/schema",
          P + "/requestBody/content/application~1json/schema/properties/a"),
        x(checks::diff_request_narrowed, P + "/requestBody/content/application~1json/schema",
          P + "/requestBody/content/application~1json/schema")}},
      {"status removed, header added and removed",
       doc(op("{}", "[]", R"(,"404":{},"201":{"headers":{"X-Old":{"schema":{}}}})")),
       doc(op("{}", "[]", R"(,"201":{"headers":{"x-new":{"schema":{}}}})")),
       {x(checks::diff_status_removed, P + "/responses", P + "/responses/404"),
        x(checks::diff_response_header_added, P + "/responses/201/headers/x-new",
          P + "/responses/201"),
        x(checks::diff_response_header_removed, P + "/responses/201",
          P + "/responses/201/headers/X-Old")}},
      {"header names are case-insensitive; format annotation changed",
       doc(op("{}", "[]", R"(,"429":{"headers":{"Retry-After":{"schema":{"type":"integer"}}}})")),
       doc(op(
           "{}", "[]",
           R"(,"429":{"headers":{"retry-after":{"schema":{"type":"integer","format":"int32"}}}})")),
       {x(checks::diff_format, P + "/responses/429/headers/retry-after/schema",
          P + "/responses/429/headers/Retry-After/schema")}},
      {"operation added and removed",
       doc(op("{}")),
       R"({"openapi":"3.1.0","paths":{"/organization/certificates":{"post":{}}}})",
       {x(checks::diff_operation_added, "/paths/~1organization~1certificates/post",
          "/paths/~1organization~1certificates"),
        x(checks::diff_operation_removed, "/paths/~1organization~1certificates", P)}},
      {"paths outside the family are not compared",
       doc(op("{}"), "{}", R"(,"/organization/users":{"get":{}})"),
       doc(op("{}"), "{}", R"(,"/organization/users":{"post":{}})"),
       {}},
      {"additional properties now allowed in a response",
       doc(op(R"({"additionalProperties":false})")),
       doc(op(R"({"additionalProperties":true})")),
       {x(checks::diff_response_widened, B, B)}},
      {"anyOf alternatives compared one by one, and counted",
       doc(op(R"({"properties":{"a":{"anyOf":[{"type":"string","maxLength":3},{"type":"integer"}]},
                                "b":{"oneOf":[{"type":"string"},{"type":"integer"}]},
                                "c":{"anyOf":[{"type":"string"},{"type":"string","minLength":1}]}}})")),
       doc(op(R"({"properties":{"a":{"anyOf":[{"type":"string","maxLength":4},{"type":"integer"}]},
                                "b":{"oneOf":[{"type":"string"},{"type":"integer"},{"type":"boolean"}]},
                                "c":{"anyOf":[{"type":"string"},{"type":"string","minLength":1},{"type":"string","maxLength":0}]}}})")),
       {x(checks::diff_response_widened, B + "/properties/a/anyOf/0", B + "/properties/a/anyOf/0"),
        x(checks::diff_response_type, B + "/properties/b", B + "/properties/b"),
        x(checks::diff_response_type, B + "/properties/c", B + "/properties/c")}},
      {"allOf merged; $ref with siblings",
       doc(op(R"({"allOf":[{"$ref":"#/components/schemas/A"},{"required":["x"]}]})"),
           R"({"A":{"properties":{"x":{"type":"string"}}}})"),
       doc(op(R"({"$ref":"#/components/schemas/A","required":["x"]})"),
           R"({"A":{"properties":{"x":{"type":"string"}}}})"),
       {}},
      {"$ref cycles end, and a missing $ref allows anything",
       doc(op(R"({"$ref":"#/components/schemas/A"})"),
           R"({"A":{"properties":{"self":{"$ref":"#/components/schemas/A"},"gone":{"$ref":"#/components/schemas/Missing"}}}})"),
       doc(op(R"({"$ref":"#/components/schemas/B"})"),
           R"({"B":{"properties":{"self":{"$ref":"#/components/schemas/C"},"gone":{"type":"string"}}},
               "C":{"properties":{"self":{"$ref":"#/components/schemas/B"},"gone":{"type":"string"}}}})"),
       {x(checks::diff_response_narrowed, "/components/schemas/B/properties/gone",
          "/components/schemas/A/properties/gone"),
        x(checks::diff_response_narrowed, "/components/schemas/C/properties/gone",
          "/components/schemas/A/properties/gone")}},
  };
}

TEST(spec_diff, reports_each_kind_of_change_where_it_is_in_both_documents) {
  for (const change_case& c : change_cases()) {
    const run_report r = diff(parsed(c.old_text), parsed(c.new_text));
    std::vector<std::string> actual;
    for (const run_finding& f : r.findings) {
      actual.push_back(f.what.check + " | " + f.what.pointer + " | " + f.what.other_pointer);
    }
    std::vector<std::string> expected = c.expected;
    std::sort(actual.begin(), actual.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(actual, expected) << c.name;
    // And nothing at all against itself, in either direction.
    EXPECT_TRUE(diff(parsed(c.old_text), parsed(c.old_text)).findings.empty()) << c.name;
    EXPECT_TRUE(diff(parsed(c.new_text), parsed(c.new_text)).findings.empty()) << c.name;
  }
}

// Each schema reached along 2^40 paths: the comparison visits each pair of places once per
// operation, so this is quick, and a document built to defeat that stops at max_steps.
TEST(spec_diff, a_ref_dag_reached_along_exponentially_many_paths_is_bounded) {
  std::string schemas = R"({"S0":{"type":"string"})";
  for (int i = 1; i <= 40; ++i) {
    const std::string prev = "#/components/schemas/S" + std::to_string(i - 1);
    schemas += ",\"S" + std::to_string(i) + R"(":{"properties":{"a":{"$ref":")" + prev +
               R"("},"b":{"$ref":")" + prev + R"("}}})";
  }
  schemas += "}";
  const openapi_document d = parsed(doc(op(R"({"$ref":"#/components/schemas/S40"})"), schemas));
  EXPECT_TRUE(diff(d, d).findings.empty());
  auto limited = diff_openapi(d, d, spec_diff_limits{50});
  ASSERT_FALSE(limited);
  EXPECT_NE(limited.error().message.find("50 schema steps"), std::string::npos)
      << limited.error().message;
}

TEST(spec_diff, more_findings_of_one_check_than_the_cap_end_in_one_left_out) {
  std::string old_props, new_props;
  for (std::size_t i = 0; i < k_max_findings_per_check + 5; ++i) {
    old_props += (i ? "," : "") + std::string("\"f") + std::to_string(i) + "\":{}";
  }
  const run_report r = diff(parsed(doc(op(R"({"properties":{)" + old_props + "}}"))),
                            parsed(doc(op(R"({"properties":{}})"))));
  ASSERT_EQ(r.findings.size(), k_max_findings_per_check + 1);
  EXPECT_EQ(r.findings.back().what.check, checks::diff_response_field_removed);
  EXPECT_EQ(r.findings.back().what.message, "5 more like the above, not listed");
}

// other_pointer reaches every report format when set, and changes nothing when it is not.
TEST(spec_diff, reports_show_the_old_pointer_beside_the_new_one) {
  const run_report r = diff(load(k_first), load(k_second));
  const std::string json = render_run_json(r);
  EXPECT_NE(
      json.find(
          R"("pointer":"/paths/~1organization~1certificates~1{certificate_id}/get/parameters/0","other_pointer":"/paths/~1organization~1certificates~1{certificate_id}/get/parameters/0")"),
      std::string::npos);
  EXPECT_NE(
      json.find(R"({"subject":"DELETE /organization/certificates/{certificate_id}","valid":true})"),
      std::string::npos);
  const std::string text = render_run_text(r, false);
  EXPECT_NE(text.find("GET /organization/certificates/{certificate_id}: parameters: "
                      "/paths/~1organization~1certificates~1{certificate_id}/get/parameters/0 "
                      "(old: /paths/~1organization~1certificates~1{certificate_id}/get/"
                      "parameters/0): warning: diff.path_parameter_renamed: path parameter "
                      "cert_id -> certificate_id\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("10 operations: 1 valid, 9 invalid (33 errors, 5 warnings, 48 notes)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(render_junit(r).find("(old: /components/schemas/Certificate/properties/name)"),
            std::string::npos);

  run_report plain;
  plain.command = "replay";
  plain.findings.push_back({"g", "GET x", finding{checks::schema, "/a", "type", "m"}});
  EXPECT_EQ(render_run_json(plain).find("other_pointer"), std::string::npos);
  EXPECT_EQ(render_run_text(plain, false).find("(old:"), std::string::npos);
}

}  // namespace
}  // namespace certharness
