// The operation reader: each rule of the header over small documents (merged path/operation
// parameters, "$ref"s, bounds in prose, kinds, the list rule, implied path parameters), every
// malformed shape an error naming its JSON Pointer, and the real documents: the three historical
// versions of the family and the whole official document.
#include "certharness/spec/operation_reader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "certharness/spec/openapi_document.hpp"
#include "official_operations.hpp"

namespace certharness {
namespace {

using k = certificate_operation;

// A document whose "paths" member is `paths` and "components" member `components`.
std::string document(const std::string& paths, const std::string& components = "{}") {
  return R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":)" + paths +
         R"(,"components":)" + components + "}";
}

// A response object answering `schema` (a component name) as JSON.
std::string answers(const std::string& schema) {
  return R"({"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/)" +
         schema + R"("}}}})";
}

const std::string k_schemas = R"({"schemas":{
  "Thing":{"type":"object","properties":{"id":{"type":"string"}}},
  "Things":{"type":"object","properties":{"data":{"type":"array"},"has_more":{"type":"boolean"}}},
  "Alias":{"$ref":"#/components/schemas/Things"}}})";

result<std::vector<operation>, spec_error> read(const std::string& text) {
  auto doc = parse_openapi(text, "test");
  if (!doc) return failure(std::move(doc).error());
  return read_operations(doc->root());
}

std::vector<operation> read_ok(const std::string& text) {
  auto rows = read(text);
  EXPECT_TRUE(rows) << rows.error().describe("test") << "\n" << text;
  return rows ? std::move(*rows) : std::vector<operation>{};
}

const operation* row(const std::vector<operation>& rows, std::string_view id) {
  for (const operation& op : rows) {
    if (op.id == id) return &op;
  }
  ADD_FAILURE() << "no row " << id;
  return nullptr;
}

TEST(operation_reader, merges_path_item_and_operation_parameters_as_openapi_says) {
  const auto rows = read_ok(document(R"({"/organization/projects/{project_id}/certificates":{
    "parameters":[
      {"name":"order","in":"query","schema":{"type":"string","enum":["asc"]}},
      {"name":"project_id","in":"path","required":true,"schema":{"type":"string"}},
      {"name":"trace","in":"header","schema":{"type":"string"}}],
    "get":{"operationId":"list","parameters":[
      {"name":"order","in":"query","schema":{"type":"string","enum":["asc","desc"],"default":"desc"}},
      {"name":"order","in":"cookie","schema":{"type":"boolean"}},
      {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":50}}],
      "responses":{"200":)" + answers("Thing") +
                                         "}}}}",
                                     k_schemas));
  ASSERT_EQ(rows.size(), 1u);
  const operation& op = rows[0];
  EXPECT_EQ(op.kind, k::list_project_certificates);
  EXPECT_EQ(op.scope, operation_scope::project);
  std::vector<std::string> names;
  for (const operation_parameter& p : op.parameters) names.push_back(p.name);
  // The path parameter first; the path item's others in place, overridden by (name, in); then
  // the operation's own.
  EXPECT_EQ(names, (std::vector<std::string>{"project_id", "order", "trace", "order", "limit"}));
  EXPECT_EQ(op.parameters[1].allowed, (std::vector<std::string>{"asc", "desc"}))
      << "the operation's order replaces the path item's";
  EXPECT_EQ(op.parameters[1].default_value, "desc");
  EXPECT_EQ(op.parameters[2].in, parameter_location::header);
  EXPECT_EQ(op.parameters[3].in, parameter_location::cookie) << "another `in`, another parameter";
  EXPECT_EQ(op.parameters[3].type, parameter_type::other);
  EXPECT_EQ(op.parameters[4].minimum, 1);
  EXPECT_EQ(op.parameters[4].maximum, 50);
  EXPECT_FALSE(op.parameters[4].bounds_in_prose_only);
  EXPECT_FALSE(op.is_list) << "no `after`";
}

TEST(operation_reader, follows_refs_to_parameters_bodies_responses_and_headers) {
  const std::string components = R"({
    "schemas":{"Thing":{"type":"object"},"ErrorResponse":{"type":"object"},
               "Names":{"type":"array","items":{"$ref":"#/components/schemas/Name"}},
               "Name":{"type":"string","enum":["a","b"]},
               "Limit":{"$ref":"#/components/schemas/Limit2"},
               "Limit2":{"type":["integer","null"],"exclusiveMinimum":0,"exclusiveMaximum":11}},
    "parameters":{"Id":{"$ref":"#/components/parameters/Id2"},
                  "Id2":{"name":"cert","in":"path","required":true,"schema":{"type":"string"}},
                  "Include":{"name":"include","in":"query","schema":{"$ref":"#/components/schemas/Names"}},
                  "Limit":{"name":"limit","in":"query","schema":{"$ref":"#/components/schemas/Limit"}}},
    "requestBodies":{"Body":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Thing"}}}}},
    "headers":{"RetryAfter":{"schema":{"type":"integer"}}},
    "responses":{"Limited":{"$ref":"#/components/responses/Limited2"},
                 "Limited2":{"description":"slow down",
                   "headers":{"Retry-After":{"$ref":"#/components/headers/RetryAfter"},"X-Other":{}},
                   "content":{"application/json":{"schema":{"$ref":"#/components/schemas/ErrorResponse"}}}}}})";
  const auto rows = read_ok(document(R"({"/organization/certificates/{cert}":{
    "parameters":[{"$ref":"#/components/parameters/Id"}],
    "get":{"operationId":"get","parameters":[{"$ref":"#/components/parameters/Include"},
                                             {"$ref":"#/components/parameters/Limit"}],
           "responses":{"200":)" + answers("Thing") +
                                         R"(,"429":{"$ref":"#/components/responses/Limited"}}},
    "post":{"operationId":"modify","requestBody":{"$ref":"#/components/requestBodies/Body"},
            "responses":{"200":{"description":"no body"},"default":{"description":"x"},"4XX":{"description":"x"}}}}})",
                                     components));
  ASSERT_EQ(rows.size(), 2u);
  const operation* get = row(rows, "get");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(get->kind, k::get_certificate) << "the template's parameter is called cert";
  ASSERT_EQ(get->parameters.size(), 3u);
  EXPECT_EQ(get->parameters[0].name, "cert");
  EXPECT_TRUE(get->parameters[0].required);
  EXPECT_FALSE(get->parameters[0].implied_by_template);
  const operation_parameter& include = get->parameters[1];
  EXPECT_EQ(include.type, parameter_type::string_array);
  EXPECT_EQ(include.allowed, (std::vector<std::string>{"a", "b"})) << "the items' enum";
  EXPECT_TRUE(include.brackets);
  EXPECT_EQ(include.query_name(), "include[]");
  const operation_parameter& limit = get->parameters[2];
  EXPECT_EQ(limit.type, parameter_type::integer) << "a type array is read without null";
  EXPECT_EQ(limit.minimum, 1) << "exclusiveMinimum 0";
  EXPECT_EQ(limit.maximum, 10) << "exclusiveMaximum 11";
  ASSERT_EQ(get->responses.size(), 2u);
  EXPECT_EQ(get->responses[1].status, 429);
  EXPECT_EQ(get->responses[1].schema, "ErrorResponse");
  EXPECT_EQ(get->responses[1].headers, (std::vector<std::string>{"Retry-After", "X-Other"}));
  EXPECT_EQ(get->success_schema(), "Thing");
  const operation* modify = row(rows, "modify");
  ASSERT_NE(modify, nullptr);
  EXPECT_EQ(modify->request_schema, "Thing");
  ASSERT_EQ(modify->responses.size(), 1u) << "default and 4XX are no status";
  EXPECT_EQ(modify->responses[0].schema, "");
}

TEST(operation_reader, names_schemas_only_for_component_refs) {
  const auto rows = read_ok(document(R"({"/organization/certificates":{
    "get":{"responses":{"200":{"description":"inline","content":{"application/json":{"schema":{"type":"object"}}}}}},
    "post":{"requestBody":{"content":{"multipart/form-data":{"schema":{"$ref":"#/components/schemas/Thing"}}}},
            "responses":{"201":{"description":"x","content":{"application/json":{"schema":{"$ref":"#/components/schemas/A~1B"}}}}}}}})",
                                     R"({"schemas":{"Thing":{},"A/B":{}}})"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, "") << "no operationId";
  EXPECT_EQ(rows[0].success_schema(), "") << "an inline schema has no registry name";
  EXPECT_EQ(rows[1].request_schema, std::nullopt) << "no JSON body";
  EXPECT_EQ(rows[1].responses[0].schema, "A/B") << "the pointer token unescaped";
}

// References written in any form a URI fragment allows, and to any place in the document (not
// only components), resolve alike.
TEST(operation_reader, resolves_encoded_and_deep_refs) {
  const auto rows =
      read_ok(document(R"({"/organization/certificates":{
    "get":{"operationId":"list","parameters":[{"name":"order","in":"query","schema":{"type":"string"}}],
           "responses":{"200":{"description":"x","content":{"application/json":{"schema":{"$ref":"#/components/schemas/A%20B"}}}}}},
    "post":{"operationId":"upload",
            "parameters":[{"$ref":"#/paths/~1organization~1certificates/get/parameters/0"}],
            "requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Thing/properties/inner"}}}},
            "responses":{"200":{"$ref":"#/paths/~1organization~1certificates/get/responses/200"}}}}})",
                       R"({"schemas":{"A B":{},"Thing":{"properties":{"inner":{}}}}})"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].success_schema(), "A B") << "percent-decoded";
  ASSERT_EQ(rows[1].parameters.size(), 1u);
  EXPECT_EQ(rows[1].parameters[0].name, "order");
  EXPECT_EQ(rows[1].request_schema, "") << "a part of a component is no registry name";
  EXPECT_EQ(rows[1].success_schema(), "A B");
}

TEST(operation_reader, bounds_in_prose_are_read_from_a_small_set_of_phrasings) {
  struct {
    const char* text;
    prose_bounds expected;
  } cases[] = {
      {"A limit on the number of objects to be returned. Limit can range between 1 and 100, and "
       "the default is 20.\n",
       {1, 100}},
      {"Limit can range between 1 and 10,000, and the default is 10,000.", {1, 10000}},
      {"BETWEEN 0 AND 1000", {0, 1000}},
      {"Any value from 5 to 50.", {5, 50}},
      {"between -3 and 3", {-3, 3}},
      {"At least 2 items.", {2, std::nullopt}},
      {"no less than 2", {2, std::nullopt}},
      {"a minimum of 2", {2, std::nullopt}},
      {"At most 7.", {std::nullopt, 7}},
      {"no more than 7", {std::nullopt, 7}},
      {"a maximum of 7", {std::nullopt, 7}},
      {"at least 1 and at most 9", {1, 9}},
      {"between 1 and 100. At most 100.", {1, 100}},  // said twice, alike
      // Nothing: no phrasing, or one that contradicts itself; never a guess.
      {"Number of events to retrieve.", {}},
      {"Defaults to 20.", {}},
      {"The maximum number of items is 100", {}},
      {"between requests and responses", {}},
      {"1-100", {}},
      {"between 1 and 100. At most 50.", {}},
      {"between 100 and 1", {}},
      {"between 1 and 99999999999999999999", {}},
      {"betweenness 1 and 2", {}},
      {"", {}},
  };
  for (const auto& c : cases) {
    const prose_bounds got = bounds_from_prose(c.text);
    EXPECT_EQ(got, c.expected) << c.text << ": got " << got.minimum.value_or(-999) << ".."
                               << got.maximum.value_or(-999);
  }
}

TEST(operation_reader, prose_bounds_apply_to_integers_whose_schema_states_none) {
  const auto rows = read_ok(document(R"({"/organization/certificates":{"get":{
    "parameters":[
      {"name":"a","in":"query","description":"between 1 and 100","schema":{"type":"integer"}},
      {"name":"b","in":"query","description":"between 1 and 100","schema":{"type":"integer","maximum":50}},
      {"name":"c","in":"query","description":"between 1 and 100","schema":{"type":"string"}},
      {"name":"d","in":"query","description":"at most 9","schema":{"type":"integer"}},
      {"name":"e","in":"query","description":"the default","schema":{"type":"integer"}}],
    "responses":{"200":{"description":"x"}}}}})"));
  ASSERT_EQ(rows.size(), 1u);
  const operation& op = rows[0];
  EXPECT_EQ(op.parameter("a")->minimum, 1);
  EXPECT_EQ(op.parameter("a")->maximum, 100);
  EXPECT_TRUE(op.parameter("a")->bounds_in_prose_only);
  EXPECT_EQ(op.parameter("b")->minimum, std::nullopt) << "the schema's bounds, not the prose";
  EXPECT_EQ(op.parameter("b")->maximum, 50);
  EXPECT_FALSE(op.parameter("b")->bounds_in_prose_only);
  EXPECT_EQ(op.parameter("c")->minimum, std::nullopt) << "a string has no bounds";
  EXPECT_FALSE(op.parameter("c")->bounds_in_prose_only);
  EXPECT_EQ(op.parameter("d")->maximum, 9);
  EXPECT_TRUE(op.parameter("d")->bounds_in_prose_only);
  EXPECT_FALSE(op.parameter("e")->bounds_in_prose_only);
}

TEST(operation_reader, keeps_operations_it_cannot_drive_after_the_known_ones) {
  const auto rows = read_ok(document(R"({
    "/organization/certificates/{id}/rotate":{"post":{"operationId":"rotate","responses":{"200":{"description":"x"}}}},
    "/organization/certificates/{id}":{
      "put":{"operationId":"replace","responses":{"200":{"description":"x"}}},
      "delete":{"operationId":"delete","responses":{"200":{"description":"x"}}}},
    "/organization/certificates":{"get":{"operationId":"list","responses":{"200":{"description":"x"}}}},
    "/organization/users":{"get":{"operationId":"users","responses":{"200":{"description":"x"}}}},
    "/organization/projects/{p}/certificates/{c}":{"get":{"operationId":"projectOne","responses":{"200":{"description":"x"}}}}})"));
  std::vector<std::string> ids;
  for (const operation& op : rows) ids.push_back(op.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"list", "delete", "rotate", "replace", "projectOne"}))
      << "known kinds in their order, then the rest as the document has them; not the family's "
         "users";
  EXPECT_EQ(rows[2].kind, std::nullopt);
  EXPECT_EQ(rows[3].kind, std::nullopt);
  EXPECT_EQ(rows[4].kind, std::nullopt);
  EXPECT_EQ(rows[4].scope, operation_scope::project);
  EXPECT_EQ(rows[2].parameters.size(), 1u) << "{id} implied";
  auto doc = parse_openapi(
      document(
          R"({"/organization/certificates/{id}/rotate":{"post":{"responses":{"200":{"description":"x"}}}}})"),
      "t");
  ASSERT_TRUE(doc);
  auto table = read_operation_table(doc->root());
  ASSERT_TRUE(table) << table.error().describe("t");
  EXPECT_EQ(table->find(k::get_certificate), nullptr);
  ASSERT_TRUE(table->match_path(std::string_view("/organization/certificates/x/rotate")));
}

TEST(operation_reader, decides_is_list_from_limit_after_and_a_list_schema) {
  const std::string page =
      R"([{"name":"limit","in":"query","schema":{"type":"integer"}},{"name":"after","in":"query","schema":{"type":"string"}}])";
  const auto rows =
      read_ok(document(R"({
    "/organization/certificates":{
      "get":{"operationId":"list","parameters":)" +
                           page + R"(,"responses":{"200":)" + answers("Alias") + R"(}},
      "post":{"operationId":"post","parameters":)" +
                           page + R"(,"responses":{"200":)" + answers("Things") + R"(}}},
    "/organization/certificates/a":{
      "get":{"operationId":"notAList","parameters":)" +
                           page + R"(,"responses":{"200":)" + answers("Thing") + R"(}}},
    "/organization/certificates/b":{
      "get":{"operationId":"noAfter","parameters":[{"name":"limit","in":"query"}],"responses":{"200":)" +
                           answers("Things") + R"(}}}})",
                       k_schemas));
  EXPECT_TRUE(row(rows, "list")->is_list) << "through the $ref of Alias";
  EXPECT_FALSE(row(rows, "post")->is_list);
  EXPECT_FALSE(row(rows, "notAList")->is_list);
  EXPECT_FALSE(row(rows, "noAfter")->is_list);
}

TEST(operation_reader, implies_undeclared_template_parameters_and_drops_stray_ones) {
  const auto rows = read_ok(document(R"({"/organization/certificates/{certificate_id}":{
    "get":{"parameters":[{"name":"cert_id","in":"path","required":true,"schema":{"type":"integer"}},
                         {"name":"certificate_id","in":"query","schema":{"type":"integer"}}],
           "responses":{"200":{"description":"x"}}}}})"));
  ASSERT_EQ(rows.size(), 1u);
  const operation& op = rows[0];
  ASSERT_EQ(op.parameters.size(), 2u);
  EXPECT_EQ(op.parameters[0].name, "certificate_id");
  EXPECT_EQ(op.parameters[0].in, parameter_location::path);
  EXPECT_EQ(op.parameters[0].type, parameter_type::string);
  EXPECT_TRUE(op.parameters[0].required);
  EXPECT_TRUE(op.parameters[0].implied_by_template);
  EXPECT_EQ(op.parameters[1].in, parameter_location::query) << "a namesake in the query is kept";
  EXPECT_EQ(op.parameter("cert_id"), nullptr) << "no place for it in the URL";
  auto doc = parse_openapi(document(R"({"/organization/certificates/{certificate_id}":{
    "get":{"parameters":[{"name":"certificate_id","in":"query"}],"responses":{"200":{"description":"x"}}}}})"),
                           "t");
  ASSERT_TRUE(doc);
  auto table = read_operation_table(doc->root());
  ASSERT_TRUE(table) << table.error().describe("t");
  EXPECT_EQ(table->match_path(std::string_view("/organization/certificates/c1"))
                ->parameter("certificate_id"),
            "c1");
}

// Each malformed shape: an error at the JSON Pointer of what is wrong, never a throw.
TEST(operation_reader, malformed_operations_are_errors_naming_their_pointer) {
  const std::string op = "/paths/~1organization~1certificates/get";
  const std::string ok = R"("responses":{"200":{"description":"x"}})";
  const auto with = [](const std::string& get, const std::string& components = "{}") {
    return document(R"({"/organization/certificates":{"get":)" + get + "}}", components);
  };
  struct {
    std::string text;
    std::string pointer;
    std::string says;
  } cases[] = {
      {with("{}"), op, "no responses"},
      {with(R"({"responses":{}})"), op + "/responses", "no responses"},
      {with(R"({"responses":[]})"), op + "/responses", "no responses"},
      {with("[]"), op, "not an object"},
      {with(R"({"parameters":[{"in":"query"}],)" + ok + "}"), op + "/parameters/0", "name"},
      {with(R"({"parameters":[{"name":7,"in":"query"}],)" + ok + "}"), op + "/parameters/0",
       "name"},
      {with(R"({"parameters":[{"name":"x"}],)" + ok + "}"), op + "/parameters/0", "\"in\""},
      {with(R"({"parameters":[{"name":"x","in":"body"}],)" + ok + "}"), op + "/parameters/0/in",
       "\"body\" is not path, query, header or cookie"},
      {with(R"({"parameters":{},)" + ok + "}"), op + "/parameters", "not an array"},
      {with(R"({"parameters":[7],)" + ok + "}"), op + "/parameters/0", "not an object"},
      {with(R"({"parameters":[{"name":"x","in":"query"},{"name":"x","in":"query"}],)" + ok + "}"),
       op + "/parameters/1", "a second parameter \"x\""},
      {with(R"({"parameters":[{"$ref":"#/components/parameters/Nope"}],)" + ok + "}"),
       op + "/parameters/0/$ref", "does not resolve"},
      {with(R"({"parameters":[{"$ref":"other.yaml#/components/parameters/X"}],)" + ok + "}"),
       op + "/parameters/0/$ref", "does not resolve"},
      {with(R"({"parameters":[{"$ref":7}],)" + ok + "}"), op + "/parameters/0/$ref",
       "not a string"},
      {with(
           R"({"parameters":[{"$ref":"#/components/parameters/A"}],)" + ok + "}",
           R"({"parameters":{"A":{"$ref":"#/components/parameters/B"},"B":{"$ref":"#/components/parameters/A"}}})"),
       "/components/parameters/", "a cycle"},
      {with(R"({"parameters":[{"name":"x","in":"query","schema":{"$ref":"#/nope"}}],)" + ok + "}"),
       op + "/parameters/0/schema/$ref", "does not resolve"},
      {with(R"({"responses":{"200":{"$ref":"#/components/responses/Gone"}}})"),
       op + "/responses/200/$ref", "does not resolve"},
      {with(
           R"({"responses":{"200":{"description":"x","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Gone"}}}}}})"),
       op + "/responses/200/content/application~1json/schema/$ref", "does not resolve"},
      {with(R"({"responses":{"200":{"description":"x","headers":{"H":{"$ref":"#/x"}}}}})"),
       op + "/responses/200/headers/H/$ref", "does not resolve"},
      {with(R"({"requestBody":{"$ref":"#/components/requestBodies/Gone"},)" + ok + "}"),
       op + "/requestBody/$ref", "does not resolve"},
      {with(R"({"responses":{"2OO":{"description":"x"}}})"), op + "/responses/2OO",
       "not an HTTP status code"},
      {with(R"({"responses":{"600":{"description":"x"}}})"), op + "/responses/600",
       "not an HTTP status code"},
      {with(R"({"responses":{"200":7}})"), op + "/responses/200", "not an object"},
      {with(R"({"operationId":7,)" + ok + "}"), op + "/operationId", "not a string"},
      {document("[]"), "/paths", "not an object"},
      {document(R"({"/organization/certificates":7})"), "/paths/~1organization~1certificates",
       "not an object"},
      {document(R"({"/organization/certificates/{a}x":{"get":{)" + ok + "}}}"),
       "/paths/~1organization~1certificates~1{a}x", "not a template"},
      {document(R"({"/organization/certificates//x":{"get":{)" + ok + "}}}"),
       "/paths/~1organization~1certificates~1~1x", "not a template"},
      {document(R"({"/organization/certificates/{a}":{"get":{)" + ok +
                R"(}},"/organization/certificates/{b}":{"get":{)" + ok + "}}}"),
       "/paths/~1organization~1certificates~1{b}/get", "a second GET"},
  };
  for (const auto& c : cases) {
    result<std::vector<operation>, spec_error> rows = failure(spec_error{});
    ASSERT_NO_THROW(rows = read(c.text)) << c.text;
    ASSERT_FALSE(rows) << c.text;
    EXPECT_TRUE(rows.error().pointer.starts_with(c.pointer))
        << c.text << "\nexpected pointer " << c.pointer << ", actual " << rows.error().pointer;
    EXPECT_NE(rows.error().message.find(c.says), std::string::npos)
        << c.text << "\nexpected a message saying " << c.says << ", actual "
        << rows.error().message;
    auto doc = parse_openapi(c.text, "t");
    ASSERT_TRUE(doc);
    EXPECT_FALSE(read_operation_table(doc->root())) << c.text;
  }
}

TEST(operation_reader, a_document_without_the_family_has_no_rows) {
  EXPECT_TRUE(read_ok(R"({"openapi":"3.1.0"})").empty());
  EXPECT_TRUE(read_ok(document(R"({"/organization/users":{"get":{}}})")).empty())
      << "paths outside the family are not read at all";
}

// ---- The real documents

std::filesystem::path history(const char* name) {
  return std::filesystem::path(CERTHARNESS_CORPUS_DIR) / "specs" / "history" / name;
}

std::vector<operation> read_file_rows(const std::filesystem::path& path) {
  auto doc = load_openapi_file(path.string());
  EXPECT_TRUE(doc) << (doc ? "" : doc.error().describe(path.string()));
  if (!doc) return {};
  auto table = read_operation_table(doc->root());
  EXPECT_TRUE(table) << (table ? "" : table.error().describe(path.string()));
  return table ? table->operations() : std::vector<operation>{};
}

TEST(operation_reader, every_historical_version_reads_and_maps_the_ten_kinds) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(history(""))) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    const std::vector<operation> rows = read_file_rows(entry.path());
    EXPECT_EQ(rows.size(), 10u) << entry.path();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].kind, static_cast<certificate_operation>(i))
          << entry.path() << ": " << rows[i].id;
    }
  }
  EXPECT_EQ(files, 3u);
}

TEST(operation_reader, the_first_version_maps_all_ten_despite_cert_id) {
  const std::vector<operation> rows =
      read_file_rows(history("certificates-2025-04-29-498c71dd.json"));
  ASSERT_EQ(rows.size(), 10u);
  const operation& get = rows[static_cast<int>(k::get_certificate)];
  ASSERT_FALSE(get.parameters.empty());
  EXPECT_EQ(get.parameters[0].name, "certificate_id");
  EXPECT_TRUE(get.parameters[0].implied_by_template)
      << "the document declares cert_id against {certificate_id}";
  EXPECT_EQ(get.parameter("cert_id"), nullptr);
  ASSERT_NE(get.parameter("include"), nullptr);
  // The others declared no path parameter at all in that version.
  for (const k kind :
       {k::modify_certificate, k::delete_certificate, k::list_project_certificates}) {
    const operation& op = rows[static_cast<int>(kind)];
    ASSERT_FALSE(op.parameters.empty()) << op.id;
    EXPECT_TRUE(op.parameters[0].implied_by_template) << op.id;
  }
  EXPECT_EQ(rows[static_cast<int>(k::activate_certificates)].success_schema(),
            "ListCertificatesResponse");
  EXPECT_FALSE(rows[static_cast<int>(k::activate_certificates)].is_list)
      << "a list schema answering a POST is no paginated list";
  for (const operation& op : rows) {
    EXPECT_EQ(op.response(429), nullptr) << op.id << ": 429 came on 2026-08-14";
    EXPECT_EQ(op.is_list, op.method == "GET" && op.parameter("limit") != nullptr) << op.id;
  }
}

TEST(operation_reader, the_2026_08_14_version_has_429_with_retry_after_on_all_ten) {
  const std::vector<operation> rows =
      read_file_rows(history("certificates-2026-08-14-ca34204c.json"));
  ASSERT_EQ(rows.size(), 10u);
  for (const operation& op : rows) {
    const operation_response* limited = op.response(429);
    ASSERT_NE(limited, nullptr) << op.id;
    EXPECT_EQ(limited->schema, "ErrorResponse") << op.id;
    EXPECT_EQ(limited->headers, std::vector<std::string>{"Retry-After"}) << op.id;
  }
  // Its operations are today's, field by field.
  official_operations::expect_same_rows("2026-08-14", official_operations::rows(), rows);
}

// The whole official document (the whole API, YAML): the family cut out of it by its paths reads
// as the excerpt does.
TEST(operation_reader, the_whole_official_document_reads_as_the_excerpt) {
  const std::filesystem::path path =
      std::filesystem::path(CERTHARNESS_SHARED_REFERENCE_DIR) / "openapi-f85dbe2.yaml";
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << path << " is absent (CERTHARNESS_SHARED_REFERENCE_DIR)";
  }
  auto doc = load_openapi_file(path.string());
  ASSERT_TRUE(doc) << doc.error().describe(path.string());
  auto table = read_operation_table(doc->root());
  ASSERT_TRUE(table) << table.error().describe(path.string());
  official_operations::expect_same_rows(path.string(), official_operations::rows(),
                                        table->operations());
}

}  // namespace
}  // namespace certharness
