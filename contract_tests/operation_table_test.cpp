// The operation table: the built-in one equals the family written out by hand
// (official_operations.hpp) field by field, every operation of the family once, paths matched and
// built as OpenAPI and the transport read them (split before decoding, concrete before
// templated), odd ids round-trip, kinds found whatever a template's parameters are called, and the
// table names exactly the schemas schemas/ holds.
#include "certharness/schema/operation_table.hpp"
#include "certharness/http/url.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "certharness/http/http_message.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "official_operations.hpp"

namespace certharness {
namespace {

using k = certificate_operation;

const operation_table& table() { return operation_table::builtin(); }

// The family as the official document lists it (openai/openai-openapi f85dbe2): operationId,
// method, template. Written out here so the table is compared with something it is not.
struct documented {
  k kind;
  const char* id;
  const char* method;
  const char* path;
};
const documented k_documented[] = {
    {k::list_certificates, "listOrganizationCertificates", "GET", "/organization/certificates"},
    {k::upload_certificate, "uploadCertificate", "POST", "/organization/certificates"},
    {k::get_certificate, "getCertificate", "GET", "/organization/certificates/{certificate_id}"},
    {k::modify_certificate, "modifyCertificate", "POST",
     "/organization/certificates/{certificate_id}"},
    {k::delete_certificate, "deleteCertificate", "DELETE",
     "/organization/certificates/{certificate_id}"},
    {k::activate_certificates, "activateOrganizationCertificates", "POST",
     "/organization/certificates/activate"},
    {k::deactivate_certificates, "deactivateOrganizationCertificates", "POST",
     "/organization/certificates/deactivate"},
    {k::list_project_certificates, "listProjectCertificates", "GET",
     "/organization/projects/{project_id}/certificates"},
    {k::activate_project_certificates, "activateProjectCertificates", "POST",
     "/organization/projects/{project_id}/certificates/activate"},
    {k::deactivate_project_certificates, "deactivateProjectCertificates", "POST",
     "/organization/projects/{project_id}/certificates/deactivate"},
};

// The path parameters of `op`, each set to `value`.
path_parameters ids_of(const operation& op, const std::string& value) {
  path_parameters out;
  for (const operation_parameter& p : op.parameters) {
    if (p.in == parameter_location::path) out.emplace_back(p.name, value);
  }
  return out;
}

// The table read from the embedded excerpt is the family as written out by hand, row by row.
TEST(operation_table, builtin_is_the_official_family_field_by_field) {
  official_operations::expect_same_rows("built-in", official_operations::rows(),
                                        table().operations());
}

TEST(operation_table, has_the_ten_documented_operations_once_each) {
  ASSERT_EQ(table().operations().size(), std::size(k_documented));
  for (const documented& d : k_documented) {
    const operation* op = table().find(d.kind);
    ASSERT_NE(op, nullptr) << d.id;
    EXPECT_EQ(op->id, d.id);
    EXPECT_EQ(op->method, d.method) << d.id;
    EXPECT_EQ(op->path, d.path) << d.id;
    EXPECT_EQ(op->scope, std::string_view(d.path).find("{project_id}") != std::string_view::npos
                             ? operation_scope::project
                             : operation_scope::organization)
        << d.id;
    EXPECT_EQ(&table().at(d.kind), op);
  }
}

TEST(operation_table, constraints_are_the_documented_ones) {
  for (const k list : {k::list_certificates, k::list_project_certificates}) {
    const operation& op = table().at(list);
    EXPECT_TRUE(op.is_list) << op.id;
    const operation_parameter* limit = op.parameter("limit");
    ASSERT_NE(limit, nullptr) << op.id;
    EXPECT_EQ(limit->type, parameter_type::integer);
    EXPECT_EQ(limit->minimum, 1);
    EXPECT_EQ(limit->maximum, 100);
    EXPECT_TRUE(limit->bounds_in_prose_only) << "the schema sets no bounds; the prose does";
    EXPECT_EQ(limit->default_value, "20");
    const operation_parameter* order = op.parameter("order");
    ASSERT_NE(order, nullptr) << op.id;
    EXPECT_EQ(order->allowed, (std::vector<std::string>{"asc", "desc"}));
    EXPECT_EQ(order->default_value, "desc");
    ASSERT_NE(op.parameter("after"), nullptr) << op.id;
    EXPECT_EQ(op.parameter("after")->in, parameter_location::query);
  }
  const operation_parameter* include = table().at(k::get_certificate).parameter("include");
  ASSERT_NE(include, nullptr);
  EXPECT_EQ(include->type, parameter_type::string_array);
  EXPECT_EQ(include->allowed, std::vector<std::string>{"content"});
  EXPECT_EQ(include->query_name(), "include[]");
  for (const operation& op : table().operations()) {
    EXPECT_EQ(op.is_list, op.parameter("limit") != nullptr) << op.id;
    const operation_response* limited = op.response(429);
    ASSERT_NE(limited, nullptr) << op.id << ": 429 TooManyRequests is documented on all ten";
    EXPECT_EQ(limited->schema, "ErrorResponse") << op.id;
    EXPECT_EQ(limited->headers, std::vector<std::string>{"Retry-After"}) << op.id;
    EXPECT_EQ(op.request_schema.has_value(), op.method == "POST") << op.id;
    EXPECT_FALSE(op.success_schema().empty()) << op.id;
  }
}

TEST(operation_table, every_operation_matches_its_own_built_path) {
  for (const operation& op : table().operations()) {
    for (const std::string id : {"cert_1", "proj_abc"}) {
      const path_parameters ids = ids_of(op, id);
      const std::string path = operation_table::build_path(op, ids);
      const std::optional<path_match> m = table().match_path(path);
      ASSERT_TRUE(m.has_value()) << op.id << " " << path;
      EXPECT_EQ(m->with_method(op.method), &op) << op.id << " " << path;
      EXPECT_EQ(m->parameters, ids) << op.id << " " << path;
    }
  }
}

TEST(operation_table, odd_ids_round_trip_through_build_and_match) {
  const std::vector<std::string> odd = {
      "cert/x", "100%", "%2F",    "a?b#c", "sp ace", "Zertifikat-für-Köln",       "証明書",  "🔐",
      ".",      "..",   "a/../b", "+",     "&=;",    std::string("nul\0byte", 8), "\xff\xfe"};
  for (const operation& op : table().operations()) {
    if (ids_of(op, "x").empty()) continue;
    for (const std::string& id : odd) {
      const path_parameters ids = ids_of(op, id);
      const std::string path = operation_table::build_path(op, ids);
      EXPECT_EQ(std::count(path.begin(), path.end(), '/'),
                std::count(op.path.begin(), op.path.end(), '/'))
          << op.id << ": the id added a segment: " << path;
      const std::optional<path_match> m = table().match_path(path);
      ASSERT_TRUE(m.has_value()) << op.id << " " << path;
      EXPECT_EQ(m->with_method(op.method), &op) << op.id << " " << path;
      EXPECT_EQ(m->parameters, ids) << op.id << " " << path;
    }
  }
  EXPECT_EQ(
      operation_table::build_path(table().at(k::get_certificate), {{"certificate_id", "cert/x %"}}),
      "/organization/certificates/cert%2Fx%20%25");
}

TEST(operation_table, concrete_paths_win_over_templated_ones) {
  for (const std::string word : {"activate", "deactivate"}) {
    const std::optional<path_match> m = table().match_path("/organization/certificates/" + word);
    ASSERT_TRUE(m.has_value()) << word;
    EXPECT_EQ(m->allowed_methods(), "POST") << word;
    EXPECT_EQ(m->with_method("GET"), nullptr) << word << " is no certificate id";
    EXPECT_TRUE(m->parameters.empty()) << word;
  }
  // An encoded letter is still the literal: segments are compared decoded.
  const std::optional<path_match> encoded =
      table().match_path("/organization/certificates/%61ctivate");
  ASSERT_TRUE(encoded.has_value());
  EXPECT_EQ(encoded->allowed_methods(), "POST");
  const std::optional<path_match> one = table().match_path("/organization/certificates/cert_1");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->allowed_methods(), "GET, POST, DELETE");
  EXPECT_EQ(one->parameter("certificate_id"), "cert_1");
  EXPECT_EQ(table().match_path("/organization/certificates")->allowed_methods(), "GET, POST");
  EXPECT_EQ(table().match_path("/organization/projects/p/certificates")->allowed_methods(), "GET");
}

TEST(operation_table, paths_that_are_no_template_do_not_match) {
  for (const char* path :
       {"/", "", "organization/certificates", "/organization/certificates/",
        "//organization/certificates", "/organization//certificates", "/organization/users",
        "/organization/certificates/cert_1/extra", "/organization/projects//certificates",
        "/organization/projects/p/certificates/cert_1", "/organization/certificates/bad%zz",
        "/v1/organization/certificates", "/organization/certificates/a/b/c/d/e/f/g/h"}) {
    EXPECT_FALSE(table().match_path(std::string_view(path)).has_value()) << path;
  }
}

TEST(operation_table, suffix_matching_takes_any_base_path_and_the_longest_template) {
  const auto segments = [](std::string_view raw) { return *path_segments(raw); };
  const auto m = table().match_suffix("GET", segments("/v1/organization/certificates/cert%2F1"));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->op->kind, k::get_certificate);
  EXPECT_EQ(m->parameter("certificate_id"), "cert/1");
  // Both the project toggle (project "organization") and, under the base
  // "/organization/projects", the organization toggle fit: the longest template wins.
  const auto both = table().match_suffix(
      "POST", segments("/organization/projects/organization/certificates/activate"));
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(both->op->kind, k::activate_project_certificates);
  EXPECT_EQ(both->parameter("project_id"), "organization");
  // A path without the method gives way to a shorter suffix that has it.
  const auto shorter =
      table().match_suffix("GET", segments("/organization/projects/organization/certificates"));
  ASSERT_TRUE(shorter.has_value());
  EXPECT_EQ(shorter->op->kind, k::list_project_certificates);
  EXPECT_FALSE(table().match_suffix("GET", segments("/v1/organization/certificates/activate")));
  EXPECT_FALSE(table().match_suffix("PUT", segments("/organization/certificates/cert_1")));
  EXPECT_FALSE(table().match_suffix("GET", segments("/")));
}

TEST(operation_table, targets_carry_the_query_encoded_in_order) {
  const operation& list = table().at(k::list_certificates);
  EXPECT_EQ(operation_table::build_target(list, {}, {{"limit", "7"}, {"order", "desc"}}),
            "/organization/certificates?limit=7&order=desc");
  EXPECT_EQ(operation_table::build_target(list, {}, {}), "/organization/certificates");
  EXPECT_EQ(
      operation_table::build_target(table().at(k::get_certificate), {{"certificate_id", "c 1"}},
                                    {{"include[]", "content"}, {"after", "a&b=c"}}),
      "/organization/certificates/c%201?include%5B%5D=content&after=a%26b%3Dc");
  EXPECT_THROW(operation_table::build_path(table().at(k::get_certificate), {}),
               std::invalid_argument);
}

TEST(operation_table, a_table_can_be_built_at_run_time_and_refuses_malformed_rows) {
  operation op;
  op.id = "getThing";
  op.kind = std::nullopt;
  op.method = "GET";
  op.path = "/things/{thing_id}";
  operation_parameter id;
  id.name = "thing_id";
  id.in = parameter_location::path;
  id.required = true;
  op.parameters = {id};
  op.responses = {{200, "Thing", {}}};
  const operation_table things({op});
  const auto m = things.match_path(std::string_view("/things/t%2F1"));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->with_method("GET")->id, "getThing");
  EXPECT_EQ(m->parameter("thing_id"), "t/1");
  EXPECT_EQ(things.find(k::get_certificate), nullptr);
  EXPECT_THROW(things.at(k::get_certificate), std::out_of_range);

  for (const char* bad : {"things/{thing_id}", "/things//{thing_id}", "/things/{other}",
                          "/things/{thing_id", "/things/%7B"}) {
    operation broken = op;
    broken.path = bad;
    EXPECT_THROW(operation_table({broken}), std::invalid_argument) << bad;
  }
  EXPECT_THROW(operation_table({op, op}), std::invalid_argument) << "a duplicate row";
  operation renamed = op;
  renamed.path = "/things/{other}";
  renamed.parameters[0].name = "other";
  EXPECT_THROW(operation_table({op, renamed}), std::invalid_argument)
      << "templates equal but for their parameter's name are one path";
  renamed.method = "DELETE";
  EXPECT_NO_THROW(operation_table({op, renamed})) << "another method on it is another operation";
}

TEST(template_segments, splits_templates_and_refuses_what_is_none) {
  EXPECT_EQ(*template_segments("/a/{b}/c"), (std::vector<std::string>{"a", "{b}", "c"}));
  EXPECT_EQ(template_shape(*template_segments("/a/{b}/c")), "/a/{}/c");
  EXPECT_EQ(template_shape(*template_segments("/a")), "/a");
  for (const char* bad : {"", "a/b", "/", "/a//b", "/a/", "/a/{b", "/a/b}", "/a/{}", "/a/{{b}}",
                          "/a/x{b}", "/a/%7B"}) {
    EXPECT_FALSE(template_segments(bad)) << bad;
  }
}

TEST(certificate_operation_of, maps_method_and_template_whatever_the_parameters_are_called) {
  for (const documented& d : k_documented) {
    EXPECT_EQ(certificate_operation_of(d.method, d.path), d.kind) << d.id;
  }
  EXPECT_EQ(certificate_operation_of("GET", "/organization/certificates/{cert_id}"),
            k::get_certificate);
  EXPECT_EQ(certificate_operation_of("POST", "/organization/projects/{p}/certificates/activate"),
            k::activate_project_certificates);
  for (const auto& [method, path] : std::vector<std::pair<const char*, const char*>>{
           {"PUT", "/organization/certificates/{certificate_id}"},
           {"get", "/organization/certificates"},
           {"GET", "/organization/certificates/{certificate_id}/content"},
           {"POST", "/organization/certificates/rotate"},
           {"GET", "/organization/projects/abc/certificates"},
           {"GET", "/organization/certificates/{a"}}) {
    EXPECT_EQ(certificate_operation_of(method, path), std::nullopt) << method << " " << path;
  }
  EXPECT_EQ(scope_of("/organization/projects/{x}/certificates"), operation_scope::project);
  EXPECT_EQ(scope_of("/organization/projects/{x}/certificates/new"), operation_scope::project);
  EXPECT_EQ(scope_of("/organization/certificates/{x}"), operation_scope::organization);
  EXPECT_EQ(scope_of("/organization/projects/abc/certificates"), operation_scope::organization);
}

// The table names only schemas that schemas/ holds, and every file of schemas/ is named by the
// table or reached from a schema it names through $ref: no schema is orphaned, none missing.
TEST(operation_table, agrees_with_the_schema_files) {
  std::set<std::string> named;
  for (const operation& op : table().operations()) {
    if (op.request_schema) named.insert(*op.request_schema);
    for (const operation_response& r : op.responses) named.insert(r.schema);
  }
  const schema_registry& registry = schema_registry::builtin();
  for (const std::string& name : named) {
    EXPECT_TRUE(registry.contains(name))
        << name << " is named by the table; no schemas/" << name << ".json";
  }
  std::set<std::string> reached;
  std::vector<std::string> todo(named.begin(), named.end());
  while (!todo.empty()) {
    const std::string name = todo.back();
    todo.pop_back();
    if (!reached.insert(name).second) continue;
    const std::filesystem::path file =
        std::filesystem::path(CERTHARNESS_SCHEMA_DIR) / (name + ".json");
    std::ifstream in(file);
    ASSERT_TRUE(in) << file;
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    for (std::size_t at = s.find("\"$ref\""); at != std::string::npos;
         at = s.find("\"$ref\"", at + 1)) {
      const std::size_t open = s.find('"', s.find(':', at) + 1);
      const std::size_t close = s.find('"', open + 1);
      std::string target = s.substr(open + 1, close - open - 1);
      if (target.ends_with(".json")) target.resize(target.size() - 5);
      todo.push_back(target);
    }
  }
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(CERTHARNESS_SCHEMA_DIR)) {
    if (entry.path().extension() == ".json") files.insert(entry.path().stem().string());
  }
  EXPECT_EQ(reached, files) << "schemas/ and what the table reaches differ";
  EXPECT_EQ(std::set<std::string>(registry.names().begin(), registry.names().end()), files);
}

}  // namespace
}  // namespace certharness
