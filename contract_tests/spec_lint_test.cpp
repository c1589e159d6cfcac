// spec_lint: the examples of an OpenAPI document and its consistency, for the certificates
// family. Each rule on small documents; then the official excerpt (six response examples are not
// JSON: trailing commas) and the family's history (the first version's cert_id).
#include "certharness/spec/spec_lint.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "certharness/findings/check_catalogue.hpp"
#include "certharness/json/json_pointer.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "certharness/spec/contract.hpp"
#include "certharness/spec/openapi_document.hpp"
#include "test_support.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;

const fs::path k_excerpt =
    fs::path(CERTHARNESS_SCHEMA_DIR) / "reference" / "openai-certificates.openapi.json";
const fs::path k_history = fs::path(CERTHARNESS_CORPUS_DIR) / "specs" / "history";

spec_lint_report lint_text(const std::string& json) {
  auto document = parse_openapi(json, "test");
  if (!document) {
    ADD_FAILURE() << document.error().describe("test");
    return {};
  }
  return lint_spec(document->root(), schema_registry::builtin());
}

spec_lint_report lint_file(const fs::path& path) {
  auto document = load_openapi_file(path.string());
  if (!document) {
    ADD_FAILURE() << document.error().describe(path.string());
    return {};
  }
  return lint_spec(document->root(), schema_registry::builtin());
}

std::vector<finding> of_check(const spec_lint_report& r, check_id check) {
  std::vector<finding> out;
  for (const run_finding& f : r.findings) {
    if (f.what.check == check) out.push_back(f.what);
  }
  return out;
}

std::string dump(const spec_lint_report& r) {
  std::string out;
  for (const run_finding& f : r.findings) {
    out += f.request + ": " + f.group + ": " + f.what.pointer + ": " + f.what.check + ": " +
           f.what.message + "\n";
  }
  return out;
}

// A family document: `paths` and `components` members spliced in.
std::string document(const std::string& paths, const std::string& components = "{}") {
  return R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":)" + paths +
         R"(,"components":)" + components + "}";
}

// One GET on /organization/certificates/{certificate_id} with `extra` members in the operation.
std::string get_operation(const std::string& extra,
                          const std::string& parameters =
                              R"([{"name":"certificate_id","in":"path","required":true,
                                   "schema":{"type":"string"}}])") {
  return document(R"({"/organization/certificates/{certificate_id}":{"get":{
      "operationId":"getCertificate","parameters":)" +
                      parameters + R"(,
      "responses":{"200":{"description":"ok","content":{"application/json":{
        "schema":{"$ref":"#/components/schemas/Certificate"}}}}})" +
                      extra + "}}}",
                  R"({"schemas":{"Certificate":{"type":"object"}}})");
}

const std::string k_certificate_text =
    R"({\n  \"object\": \"certificate\",\n  \"id\": \"cert_abc\",\n  \"name\": \"n\",\n)"
    R"(  \"created_at\": 1,\n  \"certificate_details\": {\"valid_at\": 1, \"expires_at\": 2}\n})";

// --- consistency --------------------------------------------------------------------------

TEST(spec_lint, a_consistent_operation_has_no_finding) {
  const spec_lint_report r = lint_text(get_operation(""));
  EXPECT_TRUE(r.findings.empty()) << dump(r);
  EXPECT_EQ(r.operations, std::vector<std::string>{"getCertificate"});
  EXPECT_EQ(r.groups.at("consistency").at("spec.path_parameter").passed, 1U);
  EXPECT_EQ(r.groups.at("consistency").at("spec.no_success_schema").passed, 1U);
}

TEST(spec_lint, a_template_parameter_nobody_declares_and_a_declared_one_not_in_the_template) {
  const spec_lint_report r =
      lint_text(get_operation("", R"([{"name":"cert_id","in":"path","required":true}])"));
  const std::vector<finding> found = of_check(r, checks::spec_path_parameter);
  ASSERT_EQ(found.size(), 2U) << dump(r);
  EXPECT_EQ(found[0].pointer,
            "/paths/~1organization~1certificates~1{certificate_id}/get/parameters/0");
  EXPECT_NE(found[0].message.find("\"cert_id\" is not in the path template"), std::string::npos)
      << found[0].message;
  EXPECT_EQ(found[1].pointer, "/paths/~1organization~1certificates~1{certificate_id}/get");
  EXPECT_NE(found[1].message.find("has {certificate_id}, but no in: path parameter"),
            std::string::npos)
      << found[1].message;
  EXPECT_EQ(r.groups.at("consistency").at("spec.path_parameter").failed, 1U);
}

TEST(spec_lint, a_path_level_parameter_declares_for_every_operation_and_required_is_required) {
  const std::string doc = document(R"({"/organization/projects/{project_id}/certificates":{
      "parameters":[{"name":"project_id","in":"path","required":true}],
      "get":{"operationId":"a","responses":{"200":{"content":{"application/json":{"schema":{}}}}}},
      "post":{"operationId":"b","parameters":[{"name":"project_id","in":"path"}],
              "responses":{"200":{"content":{"application/json":{"schema":{}}}}}}}})");
  const spec_lint_report r = lint_text(doc);
  const std::vector<finding> found = of_check(r, checks::spec_path_parameter);
  ASSERT_EQ(found.size(), 1U) << dump(r);
  EXPECT_EQ(found[0].pointer,
            "/paths/~1organization~1projects~1{project_id}~1certificates/post/parameters/0");
  EXPECT_NE(found[0].message.find("b: path parameter \"project_id\" is not \"required\": true"),
            std::string::npos)
      << found[0].message;
}

TEST(spec_lint, a_parameter_through_ref_counts_and_a_malformed_template_is_reported) {
  const std::string doc = document(
      R"({"/organization/certificates/{certificate_id}":{"delete":{"operationId":"d",
            "parameters":[{"$ref":"#/components/parameters/Id"}],
            "responses":{"200":{"content":{"application/json":{"schema":{}}}}}}},
          "/organization/certificates/{x":{"get":{"operationId":"e",
            "responses":{"200":{"content":{"application/json":{"schema":{}}}}}}}})",
      R"({"parameters":{"Id":{"name":"certificate_id","in":"path","required":true}}})");
  const spec_lint_report r = lint_text(doc);
  const std::vector<finding> found = of_check(r, checks::spec_path_parameter);
  ASSERT_EQ(found.size(), 1U) << dump(r);
  EXPECT_EQ(found[0].pointer, "/paths/~1organization~1certificates~1{x");
  EXPECT_NE(found[0].message.find("is malformed"), std::string::npos) << found[0].message;
}

TEST(spec_lint, refs_must_resolve_locally_and_cycles_end) {
  const std::string doc = document(
      R"({"/organization/certificates":{"get":{"operationId":"list",
          "parameters":[{"$ref":"other.yaml#/components/parameters/Limit"}],
          "responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/A"}}}},
                       "429":{"$ref":"#/components/responses/Gone"}}}}})",
      R"({"schemas":{
          "A":{"type":"object","properties":{"b":{"$ref":"#/components/schemas/B"},
                                              "$ref":{"type":"string"},
                                              "bad":{"$ref":"#/components/schemas/Nope"},
                                              "num":{"$ref":7}},
               "example":{"$ref":"#/not/checked"}},
          "B":{"type":"array","items":{"$ref":"#/components/schemas/A"},
               "allOf":[{"$ref":"#"}]}}})");
  const spec_lint_report r = lint_text(doc);
  std::map<std::string, std::string> found;  // pointer -> message
  for (const finding& f : of_check(r, checks::spec_unresolved_ref)) found[f.pointer] = f.message;
  const std::map<std::string, std::string> expected = {
      {"/paths/~1organization~1certificates/get/parameters/0/$ref",
       "\"$ref\": \"other.yaml#/components/parameters/Limit\" is external: not followed (the "
       "family is read from this document alone)"},
      {"/paths/~1organization~1certificates/get/responses/429/$ref",
       "\"$ref\": \"#/components/responses/Gone\" points at nothing in the document"},
      {"/components/schemas/A/properties/bad/$ref",
       "\"$ref\": \"#/components/schemas/Nope\" points at nothing in the document"},
      {"/components/schemas/A/properties/num/$ref", "\"$ref\" is not a string"},
  };
  EXPECT_EQ(found, expected) << dump(r);
  // A -> B -> A, and B -> the whole document (walked as a schema): each walked once; the refs
  // that resolve pass.
  EXPECT_EQ(r.groups.at("consistency").at("spec.unresolved_ref").passed, 4U);
}

// An operation that is a "$ref" names a new subject while its own label is in use (fuzz_spec_lint
// found the label read after the subjects grew).
TEST(spec_lint, an_operation_that_is_a_ref_keeps_its_name) {
  const spec_lint_report r = lint_text(document(
      R"({"/organization/certificates":{"get":{"$ref":"#/components/x"}}})", R"({"x":{}})"));
  // The operation, and what it refers to, walked as an operation too.
  const std::vector<finding> found = of_check(r, checks::spec_no_success_schema);
  ASSERT_EQ(found.size(), 2U) << dump(r);
  EXPECT_EQ(found[0].message.rfind("get /organization/certificates has no 2xx", 0), 0U)
      << found[0].message;
  EXPECT_EQ(found[1].message.rfind("components/x has no 2xx", 0), 0U) << found[1].message;
}

TEST(spec_lint, every_operation_needs_a_2xx_json_schema) {
  const std::string doc = document(
      R"({"/organization/certificates":{
            "get":{"operationId":"none","responses":{"204":{"description":"empty"},
                                                     "400":{"content":{"application/json":{"schema":{}}}}}},
            "post":{"operationId":"text","responses":{"200":{"content":{"text/plain":{"schema":{}}}}}}},
          "/organization/certificates/{certificate_id}":{
            "parameters":[{"name":"certificate_id","in":"path","required":true}],
            "delete":{"operationId":"range","responses":{"2XX":{"$ref":"#/components/responses/Deleted"}}},
            "get":{"operationId":"bare"}}})",
      R"({"responses":{"Deleted":{"content":{"application/json; charset=utf-8":{"schema":{}}}}}})");
  const spec_lint_report r = lint_text(doc);
  std::set<std::string> without;
  for (const run_finding& f : r.findings) {
    if (f.what.check == checks::spec_no_success_schema) without.insert(f.request);
  }
  EXPECT_EQ(without, (std::set<std::string>{"none", "text", "bare"})) << dump(r);
  EXPECT_EQ(r.groups.at("consistency").at("spec.no_success_schema").passed, 1U);
}

TEST(spec_lint, an_operation_without_an_operation_id_is_named_by_method_and_path) {
  const spec_lint_report r =
      lint_text(document(R"({"/organization/certificates":{"get":{"responses":{"204":{}}}}})"));
  EXPECT_EQ(r.operations, std::vector<std::string>{"get /organization/certificates"});
  ASSERT_EQ(r.findings.size(), 1U) << dump(r);
  EXPECT_EQ(r.findings[0].request, "get /organization/certificates");
  EXPECT_EQ(r.findings[0].what.message.rfind("get /organization/certificates has no 2xx", 0), 0U)
      << r.findings[0].what.message;
}

TEST(spec_lint, paths_outside_the_family_are_not_linted) {
  const spec_lint_report r = lint_text(document(R"({"/organization/projects/{p}/users/{id}":{
      "get":{"operationId":"other","responses":{}}}})"));
  EXPECT_TRUE(r.findings.empty()) << dump(r);
  EXPECT_TRUE(r.operations.empty());
}

// --- examples -----------------------------------------------------------------------------

TEST(spec_lint, a_valid_response_example_is_judged_against_the_success_schema) {
  const std::string doc = document(
      R"({"/organization/certificates/{certificate_id}":{"get":{"operationId":"getCertificate",
          "parameters":[{"name":"certificate_id","in":"path","required":true}],
          "responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Certificate"}}}}},
          "x-oaiMeta":{"examples":{"request":{"curl":"curl https://x {\n}","python":"{not json"},
                                   "response":")" +
      k_certificate_text + R"("}}}}})");
  const spec_lint_report r = lint_text(doc);
  // The schema is the registry's Certificate, not the document's (which has none here).
  EXPECT_EQ(r.examples, 2U) << dump(r);  // the response, and python's text starting with '{'
  EXPECT_EQ(r.judged, 1U) << dump(r);
  const std::vector<finding> syntax = of_check(r, checks::json_syntax);
  ASSERT_EQ(syntax.size(), 1U) << dump(r);
  EXPECT_EQ(syntax[0].pointer,
            "/paths/~1organization~1certificates~1{certificate_id}/get/"
            "x-oaiMeta/examples/request/python");
  EXPECT_TRUE(of_check(r, checks::schema).empty()) << dump(r);
  EXPECT_EQ(r.groups.at("examples").at("schema").passed, 1U);
}

TEST(spec_lint, schema_findings_of_an_example_are_rerooted_under_it) {
  const std::string doc = get_operation(R"(,"x-oaiMeta":{"examples":{"response":
      "{\"object\": \"certificate\", \"id\": 7, \"name\": null, \"created_at\": 1, \"certificate_details\": {}, \"extra\": true}"}})");
  const spec_lint_report r = lint_text(doc);
  const std::string at =
      "/paths/~1organization~1certificates~1{certificate_id}/get/x-oaiMeta/examples/response";
  std::set<std::string> pointers;
  for (const finding& f : of_check(r, checks::schema)) {
    pointers.insert(f.pointer);
    EXPECT_EQ(f.message.rfind("the response example of getCertificate, as Certificate: ", 0), 0U)
        << f.message;
  }
  EXPECT_TRUE(pointers.contains(at + "/id")) << dump(r);
  const std::vector<finding> unknown = of_check(r, checks::schema_unknown_property);
  ASSERT_EQ(unknown.size(), 1U) << dump(r);
  EXPECT_EQ(unknown[0].pointer, at + "/extra");
}

TEST(spec_lint, trailing_commas_are_json_syntax_with_the_place_in_the_example_then_recovered) {
  const std::string doc = get_operation(
      R"(,"x-oaiMeta":{"examples":{"response":")" +
      std::string(R"({\n  \"object\": \"certificate\",\n  \"id\": \"cert_abc\",\n)"
                  R"(  \"name\": \"a,}\",\n  \"created_at\": 1,\n)"
                  R"(  \"certificate_details\": {\"valid_at\": 1, \"expires_at\": 2, },\n})") +
      R"("}})");
  const spec_lint_report r = lint_text(doc);
  const std::string at =
      "/paths/~1organization~1certificates~1{certificate_id}/get/x-oaiMeta/examples/response";
  const std::vector<finding> syntax = of_check(r, checks::json_syntax);
  ASSERT_EQ(syntax.size(), 1U) << dump(r);
  EXPECT_EQ(syntax[0].pointer, at);
  ASSERT_TRUE(syntax[0].position);
  EXPECT_EQ(syntax[0].position->line, 6U);  // the '}' after the comma, in the example's text
  EXPECT_EQ(syntax[0].position->column, 59U);
  EXPECT_NE(syntax[0].message.find("the response example of getCertificate is not JSON: trailing "
                                   "comma before '}' (line 6, column 59 of the example's text)"),
            std::string::npos)
      << syntax[0].message;
  const std::vector<finding> recovered = of_check(r, checks::spec_example_recovered);
  ASSERT_EQ(recovered.size(), 1U) << dump(r);
  EXPECT_EQ(recovered[0].pointer, at);
  // The comma inside "a,}" is the name's, not a trailing one.
  EXPECT_NE(recovered[0].message.find(
                "is valid JSON once the trailing commas at line 6, column 57 and line 6, column "
                "60 are dropped; so recovered, it is valid as Certificate"),
            std::string::npos)
      << recovered[0].message;
  EXPECT_EQ(r.judged, 1U);
  EXPECT_TRUE(of_check(r, checks::schema).empty()) << dump(r);
  EXPECT_EQ(r.groups.at("examples").at("json.syntax").failed, 1U);
  EXPECT_EQ(r.groups.at("examples").at("schema").passed, 1U);
}

TEST(spec_lint, many_trailing_commas_are_dropped_in_one_pass_and_listed_first_five) {
  // 20,000 arrays "[1,]" in one list, with CRLF line ends: positions count bytes and '\n' as the
  // decoder's do (position_of).
  std::string text = "[";
  for (int i = 0; i < 20000; ++i) text += (i ? ",\\r\\n" : "") + std::string("[1,]");
  text += "]";
  const spec_lint_report r =
      lint_text(get_operation(R"(,"x-oaiMeta":{"examples":{"response":")" + text + R"("}})"));
  const std::vector<finding> recovered = of_check(r, checks::spec_example_recovered);
  ASSERT_EQ(recovered.size(), 1U) << dump(r);
  EXPECT_NE(recovered[0].message.find("the trailing commas at line 1, column 4, line 2, column 3, "
                                      "line 3, column 3, line 4, column 3, line 5, column 3 and "
                                      "19995 more are dropped; so recovered, "),
            std::string::npos)
      << recovered[0].message;
  std::string unescaped = text;  // the example's own text, for position_of
  for (std::size_t at; (at = unescaped.find("\\r\\n")) != std::string::npos;) {
    unescaped.replace(at, 4, "\r\n");
  }
  ASSERT_TRUE(recovered[0].position);
  const text_position expected = position_of(unescaped, unescaped.find(",]"));
  EXPECT_EQ(recovered[0].position->offset, expected.offset);
  EXPECT_EQ(recovered[0].position->line, expected.line);
  EXPECT_EQ(recovered[0].position->column, expected.column);
}

TEST(spec_lint, an_example_that_stays_broken_without_its_trailing_commas_is_not_recovered) {
  for (const std::string text : {R"([1,,])",
                                 R"({\"a\": 1,})"
                                 "x",
                                 R"({,})", R"([1, 2)"}) {
    const spec_lint_report r =
        lint_text(get_operation(R"(,"x-oaiMeta":{"examples":{"response":")" + text + R"("}})"));
    EXPECT_EQ(of_check(r, checks::json_syntax).size(), 1U) << text << "\n" << dump(r);
    EXPECT_TRUE(of_check(r, checks::spec_example_recovered).empty()) << text << "\n" << dump(r);
    EXPECT_EQ(r.judged, 0U) << text;
  }
}

TEST(spec_lint, the_recovered_text_findings_say_recovered) {
  const spec_lint_report r = lint_text(get_operation(
      R"(,"x-oaiMeta":{"examples":{"response":"{\"object\": \"certificate\", \"id\": 7,}"}})"));
  const std::vector<finding> recovered = of_check(r, checks::spec_example_recovered);
  ASSERT_EQ(recovered.size(), 1U) << dump(r);
  const std::vector<finding> all = of_check(r, checks::schema);
  EXPECT_NE(recovered[0].message.find("; so recovered, it has " + std::to_string(all.size()) +
                                      " findings as Certificate, marked (recovered)"),
            std::string::npos)
      << recovered[0].message;
  const std::vector<finding> schema = of_check(r, checks::schema);
  ASSERT_FALSE(schema.empty()) << dump(r);
  for (const finding& f : schema) {
    EXPECT_NE(f.message.find("getCertificate (recovered), as Certificate: "), std::string::npos)
        << f.message;
  }
}

TEST(spec_lint, media_type_parameter_and_schema_examples) {
  const std::string doc = document(
      R"({"/organization/certificates":{"post":{"operationId":"upload",
          "parameters":[{"name":"q","in":"query","schema":{"type":"string"},"example":"x"}],
          "requestBody":{"content":{"application/json":{
            "schema":{"$ref":"#/components/schemas/UploadCertificateRequest"},
            "example":{"name":"n"},
            "examples":{"good":{"value":{"certificate":"PEM"}},
                        "shared":{"$ref":"#/components/examples/Shared"},
                        "far":{"externalValue":"https://example.com/x.json"}}}}},
          "responses":{"200":{"content":{"application/json":{
            "schema":{"$ref":"#/components/schemas/Certificate"}}}}}}}})",
      R"({"examples":{"Shared":{"value":{"certificate":7}}},
          "schemas":{"Certificate":{"type":"object","x-oaiMeta":{"example":")" +
          k_certificate_text + R"("},
            "properties":{"id":{"type":"string","example":"cert_abc","examples":["a","b"]}}},
          "UploadCertificateRequest":{"type":"object"}}})");
  const spec_lint_report r = lint_text(doc);
  const std::string body =
      "/paths/~1organization~1certificates/post/requestBody/content/"
      "application~1json";
  // example missing "certificate"; Shared's certificate is not a string; good is good.
  std::set<std::string> schema_pointers;
  for (const finding& f : of_check(r, checks::schema)) schema_pointers.insert(f.pointer);
  EXPECT_EQ(
      schema_pointers,
      (std::set<std::string>{body + "/example", "/components/examples/Shared/value/certificate"}))
      << dump(r);
  std::set<std::string> unjudged;
  for (const finding& f : of_check(r, checks::spec_example_unjudged)) unjudged.insert(f.pointer);
  EXPECT_EQ(unjudged,
            (std::set<std::string>{"/paths/~1organization~1certificates/post/parameters/0/example",
                                   body + "/examples/far/externalValue",
                                   "/components/schemas/Certificate/properties/id/example",
                                   "/components/schemas/Certificate/properties/id/examples/0",
                                   "/components/schemas/Certificate/properties/id/examples/1"}))
      << dump(r);
  // parameter, media type example, good, Shared, far, x-oaiMeta, id's three.
  EXPECT_EQ(r.examples, 9U) << dump(r);
  EXPECT_EQ(r.judged, 4U) << dump(r);
}

TEST(spec_lint, an_example_of_a_schema_the_contract_lacks_is_not_judged) {
  const std::string doc = document(
      R"({"/organization/certificates":{"get":{"operationId":"list",
          "responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Other"}}}}},
          "x-oaiMeta":{"examples":[{"response":"{}"},{"response":{"a":1}}]}}}})",
      R"({"schemas":{"Other":{"type":"object"}}})");
  const spec_lint_report r = lint_text(doc);
  const std::vector<finding> unjudged = of_check(r, checks::spec_example_unjudged);
  ASSERT_EQ(unjudged.size(), 2U) << dump(r);
  EXPECT_EQ(unjudged[0].pointer,
            "/paths/~1organization~1certificates/get/x-oaiMeta/examples/0/response");
  EXPECT_NE(unjudged[0].message.find("the response example 1 of list is not judged: the "
                                     "contract has no schema named \"Other\""),
            std::string::npos)
      << unjudged[0].message;
  EXPECT_EQ(unjudged[1].pointer,
            "/paths/~1organization~1certificates/get/x-oaiMeta/examples/1/response");
}

// --- bounds -------------------------------------------------------------------------------

TEST(spec_lint, findings_of_one_check_are_capped_with_one_left_out) {
  std::string properties;
  for (int i = 0; i < 150; ++i) {
    properties += (i ? "," : "") + std::string("\"p") + std::to_string(i) +
                  R"(":{"$ref":"#/components/schemas/Missing)" + std::to_string(i) + "\"}";
  }
  const std::string doc = document(
      R"({"/organization/certificates":{"get":{"operationId":"list",
          "responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/A"}}}}}}}})",
      R"({"schemas":{"A":{"properties":{)" + properties + "}}}}");
  const spec_lint_report r = lint_text(doc);
  const std::vector<finding> found = of_check(r, checks::spec_unresolved_ref);
  ASSERT_EQ(found.size(), 101U);
  EXPECT_EQ(found.back().message, "50 more like the above, not listed");
  EXPECT_EQ(r.groups.at("consistency").at("spec.unresolved_ref").failed, 150U);
}

TEST(spec_lint, deep_and_wide_schemas_are_walked_without_recursion) {
  // 250 levels of properties (the decoder's depth limit is 256), and a $ref chain through 2,000
  // components each pointing at the next: every one walked once.
  std::string deep = R"({"type":"object"})";
  for (int i = 0; i < 120; ++i) deep = R"({"properties":{"x":)" + deep + "}}";
  std::string chain;
  for (int i = 0; i < 2000; ++i) {
    chain += (i ? "," : "") + std::string("\"S") + std::to_string(i) +
             R"(":{"items":{"$ref":"#/components/schemas/S)" + std::to_string(i + 1) + "\"}}";
  }
  chain += R"(,"S2000":)" + deep;
  const std::string doc = document(
      R"({"/organization/certificates":{"get":{"operationId":"list",
          "responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/S0"}}}}}}}})",
      R"({"schemas":{)" + chain + "}}");
  const spec_lint_report r = lint_text(doc);
  EXPECT_TRUE(r.findings.empty()) << dump(r);
  EXPECT_EQ(r.groups.at("consistency").at("spec.unresolved_ref").passed, 2001U);
}

TEST(spec_lint, parts_of_the_wrong_type_are_passed_over) {
  for (
      const std::string paths :
      {R"([])", R"({"/organization/certificates":[]})",
       R"({"/organization/certificates":{"get":7}})",
       R"({"/organization/certificates":{"get":{"parameters":{},"responses":[],"x-oaiMeta":[]}}})",
       R"({"/organization/certificates":{"parameters":[7,null,{"in":"path"}],"get":{"responses":{"200":7},"x-oaiMeta":{"examples":[7,{"request":7,"response":null}]}}}})"}) {
    const spec_lint_report r = lint_text(document(paths, R"({"schemas":[]})"));
    for (const run_finding& f : r.findings) {
      EXPECT_TRUE(f.what.check == checks::spec_no_success_schema ||
                  f.what.check == checks::spec_example_unjudged)
          << paths << "\n"
          << dump(r);
    }
  }
}

// --- the official document ----------------------------------------------------------------

// Response examples of the excerpt that are not JSON: operation -> the trailing commas, and the
// verdict on the recovered text (python3-jsonschema agrees: each is valid once recovered).
const std::map<std::string, std::string> k_broken = {
    {"listOrganizationCertificates",
     "the trailing comma at line 14, column 6 is dropped; so recovered, it is valid as "
     "ListCertificatesResponse"},
    {"activateOrganizationCertificates",
     "the trailing commas at line 25, column 6 and line 26, column 4 are dropped; so recovered, it "
     "is valid as OrganizationCertificateActivationResponse"},
    {"deactivateOrganizationCertificates",
     "the trailing commas at line 25, column 6 and line 26, column 4 are dropped; so recovered, it "
     "is valid as OrganizationCertificateDeactivationResponse"},
    {"listProjectCertificates",
     "the trailing comma at line 14, column 6 is dropped; so recovered, it is valid as "
     "ListProjectCertificatesResponse"},
    {"activateProjectCertificates",
     "the trailing commas at line 25, column 6 and line 26, column 4 are dropped; so recovered, it "
     "is valid as OrganizationProjectCertificateActivationResponse"},
    {"deactivateProjectCertificates",
     "the trailing commas at line 25, column 6 and line 26, column 4 are dropped; so recovered, it "
     "is valid as OrganizationProjectCertificateDeactivationResponse"},
};

void expect_the_six_broken_examples(const spec_lint_report& r) {
  const std::vector<finding> syntax = of_check(r, checks::json_syntax);
  std::map<std::string, const run_finding*> syntax_of, recovered_of;
  for (const run_finding& f : r.findings) {
    if (f.what.check == checks::json_syntax) syntax_of[f.request] = &f;
    if (f.what.check == checks::spec_example_recovered) recovered_of[f.request] = &f;
  }
  EXPECT_EQ(syntax.size(), 6U) << dump(r);
  EXPECT_EQ(syntax_of.size(), 6U) << dump(r);
  for (const auto& [operation, dropped] : k_broken) {
    SCOPED_TRACE(operation);
    ASSERT_TRUE(syntax_of.contains(operation)) << dump(r);
    const finding& s = syntax_of[operation]->what;
    EXPECT_TRUE(s.pointer.ends_with("/x-oaiMeta/examples/response")) << s.pointer;
    ASSERT_TRUE(s.position);
    // The ']' after the (last) trailing comma, in the example's own text.
    const bool list = operation.starts_with("list");
    EXPECT_EQ(s.position->line, list ? 15U : 26U);
    EXPECT_EQ(s.position->column, 3U);
    EXPECT_NE(s.message.find("is not JSON: trailing comma before ']' (line " +
                             std::string(list ? "15" : "26") + ", column 3 of the example's text)"),
              std::string::npos)
        << s.message;
    ASSERT_TRUE(recovered_of.contains(operation)) << dump(r);
    EXPECT_EQ(recovered_of[operation]->what.pointer, s.pointer);
    EXPECT_NE(recovered_of[operation]->what.message.find(dropped), std::string::npos)
        << recovered_of[operation]->what.message;
  }
  // Judged: the ten response examples (six of them recovered) and Certificate's x-oaiMeta one.
  EXPECT_EQ(r.judged, 11U) << dump(r);
  EXPECT_EQ(r.groups.at("examples").at("json.syntax").failed, 6U);
  EXPECT_EQ(r.groups.at("examples").at("json.syntax").passed, 5U);
  const check_count schema = r.groups.at("examples").at("schema");
  EXPECT_EQ(schema.passed + schema.failed, 11U);
}

TEST(spec_lint, the_official_excerpt_has_six_broken_response_examples_judged_recovered) {
  const spec_lint_report r = lint_file(k_excerpt);
  expect_the_six_broken_examples(r);
  EXPECT_EQ(r.operations.size(), 10U);
  for (const run_finding& f : r.findings) {
    EXPECT_NE(f.group, "consistency") << "the excerpt is consistent: " << f.what.message;
  }
  // Every other finding is about an example's content (the recovered ones say so) or a
  // property example of an inline schema, which the registry cannot judge by name.
  for (const run_finding& f : r.findings) {
    if (f.what.check == checks::schema || f.what.check == checks::schema_unknown_property) {
      EXPECT_TRUE(k_broken.contains(f.request) ==
                  (f.what.message.find("(recovered)") != std::string::npos))
          << f.what.message;
    }
  }
}

TEST(spec_lint, the_built_in_contract_is_the_excerpt) {
  expect_the_six_broken_examples(lint_spec(contract::builtin()));
}

TEST(spec_lint, the_whole_official_document_has_the_same_six) {
  const fs::path whole = fs::path(CERTHARNESS_SHARED_REFERENCE_DIR) / "openapi-f85dbe2.yaml";
  if (!fs::exists(whole)) GTEST_SKIP() << whole << " is absent";
  auto document = load_openapi_file(whole.string());
  ASSERT_TRUE(document) << document.error().describe(whole.string());
  expect_the_six_broken_examples(lint_spec(document->root(), schema_registry::builtin()));
}

TEST(spec_lint, the_first_version_of_the_family_names_get_parameter_cert_id) {
  const spec_lint_report r = lint_file(k_history / "certificates-2025-04-29-498c71dd.json");
  std::set<std::string> found;
  for (const run_finding& f : r.findings) {
    if (f.what.check == checks::spec_path_parameter) found.insert(f.request + " " + f.what.pointer);
  }
  const std::string id = "/paths/~1organization~1certificates~1{certificate_id}";
  const std::string project = "/paths/~1organization~1projects~1{project_id}~1certificates";
  const std::set<std::string> expected = {
      "getCertificate " + id + "/get/parameters/0",  // cert_id, not in the template
      "getCertificate " + id + "/get",               // {certificate_id}, not declared
      "modifyCertificate " + id + "/post",
      "deleteCertificate " + id + "/delete",
      "listProjectCertificates " + project + "/get",
      "activateProjectCertificates " + project + "~1activate/post",
      "deactivateProjectCertificates " + project + "~1deactivate/post",
  };
  EXPECT_EQ(found, expected) << dump(r);
  EXPECT_NE(dump(r).find("getCertificate: path parameter \"cert_id\" is not in the path template "
                         "/organization/certificates/{certificate_id}"),
            std::string::npos)
      << dump(r);
}

TEST(spec_lint, the_later_versions_declare_their_path_parameters) {
  for (const char* name :
       {"certificates-2026-05-13-5162af98.json", "certificates-2026-08-14-ca34204c.json"}) {
    const spec_lint_report r = lint_file(k_history / name);
    EXPECT_TRUE(of_check(r, checks::spec_path_parameter).empty()) << name << "\n" << dump(r);
    EXPECT_TRUE(of_check(r, checks::spec_unresolved_ref).empty()) << name << "\n" << dump(r);
    EXPECT_TRUE(of_check(r, checks::spec_no_success_schema).empty()) << name << "\n" << dump(r);
    EXPECT_EQ(of_check(r, checks::json_syntax).size(), 6U) << name;
  }
}

}  // namespace
}  // namespace certharness
