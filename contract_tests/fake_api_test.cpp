// The fake certificates API, driven through handle() without sockets: every route and error of
// the official document, pagination walks over seeded lists, the state rules (cap, activation
// scopes, atomicity, delete), a long randomized session whose every response is validated
// against its schema, and each fault's effect (absent without the fault).
#include "certharness/fake_api/fake_api.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <variant>
#include <vector>

#include "certharness/fake_api/x509_certificate.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/schema/models.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "corpus_files.hpp"

namespace certharness {
namespace {

using query_list = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view k_token = "sk-admin-fake-api-test-secret";
constexpr std::int64_t k_not_before = 1'700'000'000;
constexpr std::int64_t k_not_after = 1'800'000'000;
constexpr std::int64_t k_first_created_at = 1'735'689'600;
const std::string k_certificates = "/organization/certificates";

std::string project_path(std::string_view project) {
  return "/organization/projects/" + std::string(project) + "/certificates";
}

// Made at run time: no private key is ever checked in (and this one is discarded).
const std::string& test_pem() {
  static const std::string pem = [] {
    self_signed_request r;
    r.common_name = "fake_api_test";
    r.not_before = k_not_before;
    r.not_after = k_not_after;
    return make_self_signed_certificate(r);
  }();
  return pem;
}

http_request request(std::string method, std::string path, std::string body = {},
                     query_list query = {}) {
  http_request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.query = std::move(query);
  r.headers = {{"Authorization", "Bearer " + std::string(k_token)}};
  r.body = std::move(body);
  return r;
}

http_request get(std::string path, query_list query = {}) {
  return request("GET", std::move(path), {}, std::move(query));
}
http_request post(std::string path, std::string body) {
  return request("POST", std::move(path), std::move(body));
}
http_request del(std::string path) { return request("DELETE", std::move(path)); }

std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

std::string upload_body(std::string_view pem, std::optional<std::string_view> name = {}) {
  std::string body = R"({"certificate":)" + json_string(pem);
  if (name) body += R"(,"name":)" + json_string(*name);
  return body + "}";
}

std::string ids_body(const std::vector<std::string>& ids) {
  models::toggle_certificates_request r;
  r.certificate_ids = ids;
  return models::encode(r);
}

fake_api_options seeded(std::size_t count, std::set<fake_fault> faults = {}) {
  fake_api_options o;
  o.seed_certs = count;
  o.seed = 7;
  o.faults = std::move(faults);
  return o;
}

// The body strictly decoded; a body that is not strict JSON fails the test.
json_document body_of(const http_response& r) {
  decode_result d = decode_json(r.body);
  if (!d.ok()) {
    ADD_FAILURE() << "not strict JSON (" << r.status
                  << "): " << test_support::describe_findings(d.problems) << r.body;
    d = decode_json("null");
  }
  return std::move(*d.document);
}

template <typename T>
T decode_as(const http_response& r, models::decoded<T> (*decode)(const json_value&)) {
  EXPECT_EQ(r.status, 200) << r.body;
  const json_document doc = body_of(r);
  auto d = decode(doc.root());
  if (const auto* e = std::get_if<models::decode_error>(&d)) {
    ADD_FAILURE() << e->check << " at '" << e->pointer << "': " << e->message << "\n" << r.body;
    return T{};
  }
  return std::get<T>(std::move(d));
}

models::certificate as_certificate(const http_response& r) {
  return decode_as(r, models::decode_certificate);
}

models::certificate_list as_list(const http_response& r) {
  return decode_as(r, models::decode_list_certificates_response);
}

// Expects an ErrorResponse with this status naming this param; returns its error member.
models::error_body expect_error(const http_response& r, int status,
                                std::optional<std::string> param) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(find_header(r.headers, "Content-Type"), "application/json");
  const json_document doc = body_of(r);
  auto d = models::decode_error_response(doc.root());
  if (!std::holds_alternative<models::error_response>(d)) {
    ADD_FAILURE() << "not an ErrorResponse: " << r.body;
    return {};
  }
  models::error_body e = std::get<models::error_response>(d).error;
  EXPECT_EQ(e.param, param) << r.body;
  EXPECT_FALSE(e.message.empty());
  return e;
}

// One page per request, after=last_id, until has_more is false; checks each page's own rules
// (ids, limit, has_more only on full pages, no empty page after the first).
std::vector<models::scoped_certificate> walk(fake_api& api, const std::string& path,
                                             std::size_t limit, std::string_view order) {
  const bool project = path != k_certificates;
  std::vector<models::scoped_certificate> items;
  std::optional<std::string> after;
  for (std::size_t pages = 0; pages < 10'000; ++pages) {
    query_list q = {{"limit", std::to_string(limit)}, {"order", std::string(order)}};
    if (after) q.emplace_back("after", *after);
    const http_response r = api.handle(get(path, q));
    const models::certificate_list page =
        project ? decode_as(r, models::decode_list_project_certificates_response) : as_list(r);
    if (page.data.empty()) {
      EXPECT_EQ(page.first_id, std::nullopt);
      EXPECT_EQ(page.last_id, std::nullopt);
      EXPECT_EQ(pages, 0u) << "has_more was true before an empty page";
    } else {
      EXPECT_EQ(page.first_id, page.data.front().id);
      EXPECT_EQ(page.last_id, page.data.back().id);
    }
    EXPECT_LE(page.data.size(), limit);
    if (page.has_more) {
      EXPECT_EQ(page.data.size(), limit);
    }
    for (const auto& c : page.data) {
      EXPECT_EQ(c.object,
                project ? "organization.project.certificate" : "organization.certificate");
    }
    items.insert(items.end(), page.data.begin(), page.data.end());
    if (!page.has_more || ::testing::Test::HasFailure()) return items;
    after = page.last_id;
  }
  ADD_FAILURE() << "the walk did not end";
  return items;
}

std::vector<std::string> ids_of(const std::vector<models::scoped_certificate>& items) {
  std::vector<std::string> ids;
  for (const auto& c : items) ids.push_back(c.id);
  return ids;
}

std::vector<models::scoped_certificate> everything(fake_api& api,
                                                   const std::string& path = k_certificates) {
  return walk(api, path, 100, "asc");
}

const models::scoped_certificate* item(const std::vector<models::scoped_certificate>& items,
                                       std::string_view id) {
  const auto it =
      std::find_if(items.begin(), items.end(), [&](const auto& c) { return c.id == id; });
  return it == items.end() ? nullptr : &*it;
}

std::string upload(fake_api& api, std::optional<std::string_view> name = {}) {
  return as_certificate(api.handle(post(k_certificates, upload_body(test_pem(), name)))).id;
}

// ---- Pagination.

TEST(fake_api_pagination, walks_yield_every_certificate_once_in_order_at_every_limit) {
  for (const std::size_t count : {0u, 1u, 20u, 50u, 101u}) {
    SCOPED_TRACE("certificates: " + std::to_string(count));
    fake_api api(seeded(count));
    ASSERT_EQ(api.certificate_count(), count);
    const auto reference = everything(api);
    ASSERT_EQ(reference.size(), count);
    // Strictly increasing (created_at, id): sorted, with the tie-break, and no id twice.
    for (std::size_t i = 1; i < reference.size(); ++i) {
      EXPECT_LT(std::tie(reference[i - 1].created_at, reference[i - 1].id),
                std::tie(reference[i].created_at, reference[i].id));
    }
    const std::vector<std::string> asc = ids_of(reference);
    const std::vector<std::string> desc(asc.rbegin(), asc.rend());
    for (const std::string& path : {k_certificates, project_path("proj_walk")}) {
      for (const std::size_t limit : {1u, 7u, 100u}) {
        SCOPED_TRACE(path + " limit " + std::to_string(limit));
        EXPECT_EQ(ids_of(walk(api, path, limit, "asc")), asc);
        EXPECT_EQ(ids_of(walk(api, path, limit, "desc")), desc);
      }
    }
  }
}

TEST(fake_api_pagination, seeded_lists_have_created_at_ties) {
  fake_api api(seeded(101));
  const auto items = everything(api);
  const auto tie = std::adjacent_find(items.begin(), items.end(), [](const auto& a, const auto& b) {
    return a.created_at == b.created_at;
  });
  EXPECT_NE(tie, items.end()) << "no tie: the tie-break is not exercised";
}

TEST(fake_api_pagination, defaults_are_limit_20_and_desc) {
  fake_api api(seeded(30));
  const auto all = everything(api);
  const models::certificate_list page = as_list(api.handle(get(k_certificates)));
  ASSERT_EQ(page.data.size(), 20u);
  EXPECT_TRUE(page.has_more);
  EXPECT_EQ(page.data.front().id, all.back().id);
  EXPECT_EQ(page.object, "list");
}

TEST(fake_api_pagination, bad_limit_order_and_after_are_400_naming_the_param) {
  fake_api api(seeded(5));
  for (const char* limit :
       {"0", "101", "-1", "abc", "", "1.5", "+5", "7 ", "99999999999999999999"}) {
    SCOPED_TRACE(limit);
    const auto e = expect_error(api.handle(get(k_certificates, {{"limit", limit}})), 400, "limit");
    EXPECT_EQ(e.type, "invalid_request_error");
  }
  for (const char* order : {"ASC", "random", ""}) {
    expect_error(api.handle(get(k_certificates, {{"order", order}})), 400, "order");
  }
  expect_error(api.handle(get(k_certificates, {{"after", "cert_unknown"}})), 400, "after");
  expect_error(api.handle(get(project_path("p"), {{"after", ""}})), 400, "after");
  expect_error(api.handle(get(k_certificates, {{"limit", "5"}, {"limit", "6"}})), 400, "limit");
  EXPECT_EQ(api.handle(get(k_certificates, {{"limit", "1"}, {"unknown", "x"}})).status, 200);
  EXPECT_EQ(api.handle(get(k_certificates, {{"limit", "100"}})).status, 200);
}

// The items strictly after `cursor` (a position that may be gone) in `order`, from `reference`
// (ascending), leaving out the deleted ones: what a page after that cursor must hold.
std::vector<std::string> expected_after(const std::vector<models::scoped_certificate>& reference,
                                        const models::scoped_certificate& cursor,
                                        const std::set<std::string>& deleted, bool ascending) {
  std::vector<std::string> out;
  for (const auto& c : reference) {
    const auto key = std::tie(c.created_at, c.id);
    const auto at = std::tie(cursor.created_at, cursor.id);
    if (!deleted.count(c.id) && (ascending ? at < key : key < at)) out.push_back(c.id);
  }
  if (!ascending) std::reverse(out.begin(), out.end());
  return out;
}

TEST(fake_api_pagination, a_deleted_cursor_answers_the_page_after_its_position_in_both_orders) {
  fake_api api(seeded(40));
  const auto reference = everything(api);
  ASSERT_EQ(reference.size(), 40u);
  std::set<std::string> deleted;
  // Every third certificate, ties with its neighbours included, first and last among them.
  for (std::size_t i = 0; i < reference.size(); i += (i + 4 >= reference.size() ? 1 : 3)) {
    const models::scoped_certificate& cursor = reference[i];
    ASSERT_EQ(api.handle(del(k_certificates + "/" + cursor.id)).status, 200);
    deleted.insert(cursor.id);
    for (const std::string& path : {k_certificates, project_path("proj_cursor")}) {
      for (const bool ascending : {true, false}) {
        SCOPED_TRACE(path + " cursor #" + std::to_string(i) + " " + cursor.id +
                     (ascending ? " asc" : " desc"));
        const query_list q = {
            {"limit", "100"}, {"order", ascending ? "asc" : "desc"}, {"after", cursor.id}};
        const http_response r = api.handle(get(path, q));
        ASSERT_EQ(r.status, 200) << r.body;
        const models::certificate_list page =
            path == k_certificates
                ? as_list(r)
                : decode_as(r, models::decode_list_project_certificates_response);
        EXPECT_EQ(ids_of(page.data), expected_after(reference, cursor, deleted, ascending));
        EXPECT_FALSE(page.has_more);
      }
    }
  }
  // The tie-break was exercised: some deleted cursor shares its second with a neighbour.
  const auto tied = [&](std::size_t i) {
    return (i > 0 && reference[i - 1].created_at == reference[i].created_at) ||
           (i + 1 < reference.size() && reference[i + 1].created_at == reference[i].created_at);
  };
  std::size_t tied_cursors = 0;
  for (std::size_t i = 0; i < reference.size(); ++i)
    tied_cursors += deleted.count(reference[i].id) && tied(i);
  EXPECT_GT(tied_cursors, 0u);
  // An id that never was is still refused.
  expect_error(api.handle(get(k_certificates, {{"after", "cert_never_was"}})), 400, "after");
}

TEST(fake_api_pagination, a_walk_survives_another_client_deleting_each_page_last_item) {
  // What an SDK auto-paginating while someone else cleans up sees: every page's last item (the
  // next cursor) is deleted before the next page is asked for.
  for (const char* order : {"asc", "desc"}) {
    SCOPED_TRACE(order);
    fake_api api(seeded(50));
    std::vector<std::string> expected = ids_of(everything(api));
    if (std::string_view(order) == "desc") std::reverse(expected.begin(), expected.end());
    std::vector<std::string> seen;
    std::optional<std::string> after;
    for (int pages = 0; pages < 100; ++pages) {
      query_list q = {{"limit", "7"}, {"order", order}};
      if (after) q.emplace_back("after", *after);
      const models::certificate_list page = as_list(api.handle(get(k_certificates, q)));
      const auto ids = ids_of(page.data);
      seen.insert(seen.end(), ids.begin(), ids.end());
      if (!page.has_more || ::testing::Test::HasFailure()) break;
      after = page.last_id;
      ASSERT_EQ(api.handle(del(k_certificates + "/" + *after)).status, 200);
    }
    EXPECT_EQ(seen, expected);  // each certificate once, in order, none skipped
  }
}

TEST(fake_api_pagination, deleted_cursors_are_remembered_up_to_the_bound) {
  fake_api_options o = seeded(6);
  o.deleted_cursor_memory = 3;
  fake_api api(o);
  const auto all = everything(api);
  for (std::size_t i = 0; i < 4; ++i) {
    ASSERT_EQ(api.handle(del(k_certificates + "/" + all[i].id)).status, 200);
  }
  // The first deleted was forgotten when the fourth went; the other three still have a place.
  expect_error(api.handle(get(k_certificates, {{"after", all[0].id}})), 400, "after");
  for (std::size_t i = 1; i < 4; ++i) {
    const http_response r =
        api.handle(get(k_certificates, {{"order", "asc"}, {"after", all[i].id}}));
    EXPECT_EQ(ids_of(as_list(r).data), (std::vector<std::string>{all[4].id, all[5].id})) << i;
  }
  o.deleted_cursor_memory = 0;  // remembers none: every deleted cursor is refused
  fake_api forgetful(o);
  const std::string id = everything(forgetful).front().id;
  ASSERT_EQ(forgetful.handle(del(k_certificates + "/" + id)).status, 200);
  expect_error(forgetful.handle(get(k_certificates, {{"after", id}})), 400, "after");
}

// ---- Upload, get, modify, delete.

TEST(fake_api_upload, answers_a_certificate_with_the_pem_validity_and_does_not_activate) {
  fake_api api(seeded(0));
  const http_response r = api.handle(post(k_certificates, upload_body(test_pem(), "Prod ✓")));
  const models::certificate c = as_certificate(r);
  EXPECT_EQ(c.object, "certificate");
  EXPECT_EQ(c.name, "Prod ✓");
  EXPECT_EQ(c.created_at, k_first_created_at);
  EXPECT_EQ(c.certificate_details.valid_at, k_not_before);
  EXPECT_EQ(c.certificate_details.expires_at, k_not_after);
  EXPECT_EQ(c.certificate_details.content, std::nullopt);
  EXPECT_EQ(c.active, std::nullopt);
  EXPECT_TRUE(c.id.starts_with("cert_"));

  const auto listed = everything(api);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_FALSE(listed[0].active);
  EXPECT_EQ(listed[0].name, "Prod ✓");

  // Without a name: null. The simulated clock moved one second per write.
  const models::certificate unnamed =
      as_certificate(api.handle(post(k_certificates, upload_body(test_pem()))));
  EXPECT_EQ(unnamed.name, std::nullopt);
  EXPECT_EQ(unnamed.created_at, k_first_created_at + 1);
}

TEST(fake_api_upload, bad_bodies_are_400_naming_the_param) {
  fake_api api(seeded(0));
  const std::string pem = json_string(test_pem());
  const std::pair<std::string, std::optional<std::string>> cases[] = {
      {"", std::nullopt},
      {"{", std::nullopt},
      {"[]", std::nullopt},
      {R"({"certificate":"a","certificate":"b"})", std::nullopt},  // duplicate key
      {R"({"name":"x"})", "certificate"},
      {R"({"certificate":5})", "certificate"},
      {R"({"certificate":null})", "certificate"},
      {R"({"certificate":"not a pem"})", "certificate"},
      {R"({"certificate":"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"})",
       "certificate"},
      {R"({"certificate":)" + pem + R"(,"name":5})", "name"},
      {R"({"certificate":)" + pem + R"(,"name":null})", "name"},
  };
  for (const auto& [body, param] : cases) {
    SCOPED_TRACE(body);
    expect_error(api.handle(post(k_certificates, body)), 400, param);
  }
  EXPECT_EQ(api.certificate_count(), 0u);
}

TEST(fake_api_upload, the_51st_certificate_is_refused) {
  fake_api api(seeded(0));
  for (int i = 0; i < 50; ++i)
    ASSERT_EQ(api.handle(post(k_certificates, upload_body(test_pem()))).status, 200);
  expect_error(api.handle(post(k_certificates, upload_body(test_pem()))), 400, std::nullopt);
  EXPECT_EQ(api.certificate_count(), 50u);
  // Deleting one makes room again.
  const std::string id = everything(api).front().id;
  ASSERT_EQ(api.handle(del(k_certificates + "/" + id)).status, 200);
  EXPECT_EQ(api.handle(post(k_certificates, upload_body(test_pem()))).status, 200);
}

TEST(fake_api_upload, seeded_certificates_do_not_count_against_the_cap) {
  // As the README promises: a server seeded past the cap (tools/demo-run seeds 120) still takes
  // 50 uploads, so crawl --write-checks can run against it.
  fake_api api(seeded(120));
  const std::string seeded_id = everything(api).front().id;
  std::string uploaded_id;
  for (int i = 0; i < 50; ++i) {
    uploaded_id = upload(api);
    ASSERT_FALSE(uploaded_id.empty()) << "upload " << i + 1;
  }
  expect_error(api.handle(post(k_certificates, upload_body(test_pem()))), 400, std::nullopt);
  EXPECT_EQ(api.certificate_count(), 170u);
  // Deleting a seeded certificate makes no room; deleting an uploaded one does.
  ASSERT_EQ(api.handle(del(k_certificates + "/" + seeded_id)).status, 200);
  expect_error(api.handle(post(k_certificates, upload_body(test_pem()))), 400, std::nullopt);
  ASSERT_EQ(api.handle(del(k_certificates + "/" + uploaded_id)).status, 200);
  EXPECT_EQ(api.handle(post(k_certificates, upload_body(test_pem()))).status, 200);
  EXPECT_EQ(api.certificate_count(), 169u);
}

TEST(fake_api_get, content_only_with_include_content_and_never_active) {
  fake_api api(seeded(0));
  const std::string id = upload(api, "n");
  const std::string path = k_certificates + "/" + id;
  const models::certificate plain = as_certificate(api.handle(get(path)));
  EXPECT_EQ(plain.object, "certificate");
  EXPECT_EQ(plain.certificate_details.content, std::nullopt);
  EXPECT_EQ(plain.active, std::nullopt);
  for (const char* key : {"include[]", "include"}) {
    const models::certificate c = as_certificate(api.handle(get(path, {{key, "content"}})));
    EXPECT_EQ(c.certificate_details.content, test_pem()) << key;
    EXPECT_EQ(c.active, std::nullopt);
  }
  expect_error(api.handle(get(path, {{"include[]", "owner"}})), 400, "include");
  expect_error(api.handle(get(path, {{"include", "content"}, {"include", "x"}})), 400, "include");
}

TEST(fake_api_get, unknown_ids_are_404_for_get_modify_and_delete) {
  fake_api api(seeded(3));
  for (const std::string& id :
       std::vector<std::string>{"cert_unknown", "\xff\x01odd", std::string(5000, 'x')}) {
    const std::string path = k_certificates + "/" + id;
    expect_error(api.handle(get(path)), 404, "certificate_id");
    expect_error(api.handle(post(path, R"({"name":"x"})")), 404, "certificate_id");
    expect_error(api.handle(del(path)), 404, "certificate_id");
  }
}

TEST(fake_api_modify, renames_only_and_checks_the_name_type) {
  fake_api api(seeded(0));
  const std::string id = upload(api, "before");
  const std::string path = k_certificates + "/" + id;
  const models::certificate renamed =
      as_certificate(api.handle(post(path, R"({"name":"after","active":true,"id":"x"})")));
  EXPECT_EQ(renamed.object, "certificate");
  EXPECT_EQ(renamed.id, id);
  EXPECT_EQ(renamed.name, "after");
  EXPECT_EQ(renamed.active, std::nullopt);
  EXPECT_EQ(as_certificate(api.handle(get(path))).name, "after");
  EXPECT_EQ(everything(api).front().name, "after");
  EXPECT_FALSE(everything(api).front().active) << "members other than name are ignored";
  EXPECT_EQ(as_certificate(api.handle(post(path, "{}"))).name, "after");
  expect_error(api.handle(post(path, R"({"name":5})")), 400, "name");
  expect_error(api.handle(post(path, R"({"name":null})")), 400, "name");
  expect_error(api.handle(post(path, "nope")), 400, std::nullopt);
}

TEST(fake_api_delete, refused_while_active_anywhere_then_deletes) {
  fake_api api(seeded(0));
  const std::string id = upload(api);
  const std::string path = k_certificates + "/" + id;
  const std::string ids = ids_body({id});

  ASSERT_EQ(api.handle(post(k_certificates + "/activate", ids)).status, 200);
  expect_error(api.handle(del(path)), 400, "certificate_id");
  ASSERT_EQ(api.handle(post(k_certificates + "/deactivate", ids)).status, 200);
  ASSERT_EQ(api.handle(post(project_path("proj_1") + "/activate", ids)).status, 200);
  expect_error(api.handle(del(path)), 400, "certificate_id");
  ASSERT_EQ(api.handle(post(project_path("proj_1") + "/deactivate", ids)).status, 200);

  const auto deleted = decode_as(api.handle(del(path)), models::decode_delete_certificate_response);
  EXPECT_EQ(deleted.object, "certificate.deleted");
  EXPECT_EQ(deleted.id, id);
  EXPECT_EQ(api.certificate_count(), 0u);
  expect_error(api.handle(get(path)), 404, "certificate_id");
  expect_error(api.handle(del(path)), 404, "certificate_id");
}

// ---- Activation.

TEST(fake_api_activation, answers_in_request_order_and_is_idempotent) {
  fake_api api(seeded(5));
  const auto all = everything(api);
  const std::vector<std::string> ids = {all[3].id, all[1].id};
  for (int round = 0; round < 2; ++round) {
    const auto on = decode_as(api.handle(post(k_certificates + "/activate", ids_body(ids))),
                              models::decode_organization_certificate_activation_response);
    EXPECT_EQ(on.object, "organization.certificate.activation");
    ASSERT_EQ(on.data.size(), 2u);
    EXPECT_EQ(on.data[0].id, ids[0]);
    EXPECT_EQ(on.data[1].id, ids[1]);
    for (const auto& c : on.data) {
      EXPECT_TRUE(c.active);
      EXPECT_EQ(c.object, "organization.certificate");
    }
  }
  const auto after = everything(api);
  for (const auto& c : after) EXPECT_EQ(c.active, c.id == ids[0] || c.id == ids[1]) << c.id;

  for (int round = 0; round < 2; ++round) {
    const auto off = decode_as(api.handle(post(k_certificates + "/deactivate", ids_body(ids))),
                               models::decode_organization_certificate_deactivation_response);
    EXPECT_EQ(off.object, "organization.certificate.deactivation");
    ASSERT_EQ(off.data.size(), 2u);
    for (const auto& c : off.data) EXPECT_FALSE(c.active);
  }
  for (const auto& c : everything(api)) EXPECT_FALSE(c.active);
}

TEST(fake_api_activation, one_unknown_id_fails_the_whole_request_and_changes_nothing) {
  fake_api api(seeded(5));
  const auto before = everything(api);
  const std::vector<std::string> ids = {before[0].id, before[2].id, "cert_missing"};
  for (const std::string& path : {k_certificates, project_path("proj_a")}) {
    expect_error(api.handle(post(path + "/activate", ids_body(ids))), 404, "certificate_ids");
    EXPECT_EQ(everything(api, path), everything(api, path)) << "state is stable";
    for (const auto& c : everything(api, path)) EXPECT_FALSE(c.active) << path;
  }
  EXPECT_EQ(everything(api), before);
}

TEST(fake_api_activation, bad_bodies_are_400_naming_certificate_ids) {
  fake_api api(seeded(12));
  const auto ids = ids_of(everything(api));
  const std::vector<std::string> eleven(ids.begin(), ids.begin() + 11);
  for (const std::string& path :
       {k_certificates + "/activate", project_path("p") + "/deactivate"}) {
    for (const std::string& body :
         {std::string(R"({"certificate_ids":[]})"), ids_body(eleven),
          std::string(R"({"certificate_ids":["cert_x",5]})"),
          std::string(R"({"certificate_ids":"cert_x"})"), std::string(R"({"ids":["cert_x"]})")}) {
      SCOPED_TRACE(path + " " + body);
      expect_error(api.handle(post(path, body)), 400, "certificate_ids");
    }
    expect_error(api.handle(post(path, "[1]")), 400, std::nullopt);
  }
  const std::vector<std::string> ten(ids.begin(), ids.begin() + 10);
  EXPECT_EQ(api.handle(post(k_certificates + "/activate", ids_body(ten))).status, 200);
}

TEST(fake_api_activation, each_project_has_its_own_state_apart_from_the_organization) {
  fake_api api(seeded(4));
  const auto all = everything(api);
  const std::vector<std::string> a = {all[0].id}, b = {all[1].id};
  const auto on = decode_as(api.handle(post(project_path("proj_a") + "/activate", ids_body(a))),
                            models::decode_organization_project_certificate_activation_response);
  EXPECT_EQ(on.object, "organization.project.certificate.activation");
  ASSERT_EQ(on.data.size(), 1u);
  EXPECT_EQ(on.data[0].object, "organization.project.certificate");
  EXPECT_TRUE(on.data[0].active);
  ASSERT_EQ(api.handle(post(k_certificates + "/activate", ids_body(b))).status, 200);

  const auto org = everything(api);
  const auto proj_a = everything(api, project_path("proj_a"));
  const auto proj_b = everything(api, project_path("proj_b"));
  EXPECT_FALSE(item(org, a[0])->active);
  EXPECT_TRUE(item(org, b[0])->active);
  EXPECT_TRUE(item(proj_a, a[0])->active);
  EXPECT_FALSE(item(proj_a, b[0])->active);
  for (const auto& c : proj_b) EXPECT_FALSE(c.active);
  EXPECT_EQ(proj_a.size(), all.size()) << "a project lists every certificate";

  const auto off = decode_as(api.handle(post(project_path("proj_a") + "/deactivate", ids_body(a))),
                             models::decode_organization_project_certificate_deactivation_response);
  EXPECT_EQ(off.object, "organization.project.certificate.deactivation");
  EXPECT_FALSE(item(everything(api, project_path("proj_a")), a[0])->active);
  EXPECT_TRUE(item(everything(api), b[0])->active);
}

// ---- Routing, auth, rate limit.

TEST(fake_api_routing, unknown_paths_are_404_and_wrong_methods_405_with_allow) {
  fake_api api(seeded(1));
  for (const std::string path :
       {"", "/", "/organization", "/organization/certificates/", "/organization//certificates",
        "/v1/organization/certificates", "/organization/certs", "/organization/projects/p",
        "/organization/projects//certificates", "/organization/projects/p/certificates/cert_x",
        "/organization/certificates/cert_x/extra", "/organization/\xff\x01\x7f"}) {
    SCOPED_TRACE(path);
    expect_error(api.handle(get(path)), 404, std::nullopt);
  }
  const std::tuple<std::string, std::string, std::string> wrong[] = {
      {"PUT", k_certificates, "GET, POST"},
      {"DELETE", k_certificates, "GET, POST"},
      {"PATCH", k_certificates + "/cert_x", "GET, POST, DELETE"},
      {"GET", k_certificates + "/activate", "POST"},
      {"DELETE", k_certificates + "/deactivate", "POST"},
      {"POST", project_path("p"), "GET"},
      {"GET", project_path("p") + "/activate", "POST"},
      {"get", k_certificates, "GET, POST"},
      {"\xff", k_certificates, "GET, POST"},
  };
  for (const auto& [method, path, allow] : wrong) {
    SCOPED_TRACE(method + " " + path);
    const http_response r = api.handle(request(method, path));
    expect_error(r, 405, std::nullopt);
    EXPECT_EQ(find_header(r.headers, "Allow"), allow);
  }
}

TEST(fake_api_routing, paths_are_split_before_their_segments_are_decoded) {
  fake_api api(seeded(2));
  // An encoded '/' stays inside its id: a lookup of "cert/x", not an unknown route.
  for (const char* method : {"GET", "POST", "DELETE"}) {
    SCOPED_TRACE(method);
    const auto e = expect_error(api.handle(request(method, k_certificates + "/cert%2Fx", "{}")),
                                404, "certificate_id");
    EXPECT_NE(e.message.find("'cert/x'"), std::string::npos) << e.message;
  }
  // Any escape of an id is that id; a project id may hold a '/', and is its own project.
  const std::string id = everything(api).front().id;
  std::string escaped;
  for (const char c : id) escaped += c == '_' ? std::string("%5F") : std::string(1, c);
  EXPECT_EQ(as_certificate(api.handle(get(k_certificates + "/" + escaped))).id, id);
  ASSERT_EQ(api.handle(post(project_path("a%2Fb") + "/activate", ids_body({id}))).status, 200);
  const auto in_ab = decode_as(api.handle(get(project_path("a%2Fb"))),
                               models::decode_list_project_certificates_response);
  ASSERT_EQ(in_ab.data.size(), 2u);
  EXPECT_TRUE(item(in_ab.data, id)->active);
  for (const std::string other : {"a", "b", "a%252Fb"}) {
    const auto list = decode_as(api.handle(get(project_path(other))),
                                models::decode_list_project_certificates_response);
    ASSERT_EQ(list.data.size(), 2u) << other;
    EXPECT_FALSE(item(list.data, id)->active) << other;
  }
  // A '/' never joins segments either, and malformed escapes are no route.
  for (const std::string path :
       {"/organization%2Fcertificates", "/organization/certificates%2Fcert_x",
        "/organization/certificates/%zz", "/organization/certificates/cert%2", "/%"}) {
    SCOPED_TRACE(path);
    expect_error(api.handle(get(path)), 404, std::nullopt);
  }
}

TEST(fake_api_auth, missing_or_malformed_bearer_is_401_and_the_token_never_echoed) {
  fake_api api(seeded(2));
  const std::string token(k_token);
  http_request none = get(k_certificates);
  none.headers.clear();
  EXPECT_EQ(expect_error(api.handle(none), 401, std::nullopt).code, std::nullopt);
  for (const std::string& value :
       std::vector<std::string>{"", "  ", "Basic " + token, "Bearer", "Bearer ", "Bearer" + token,
                                "Bearer a b", "Token " + token, token}) {
    SCOPED_TRACE(value);
    http_request r = get(k_certificates);
    r.headers = {{"authorization", value}};
    const http_response response = api.handle(r);
    const auto e = expect_error(response, 401, std::nullopt);
    EXPECT_EQ(e.type, "invalid_request_error");
    const bool blank = value.find_first_not_of(' ') == std::string::npos;
    EXPECT_EQ(e.code, blank ? std::nullopt : std::optional<std::string>("invalid_api_key"));
    EXPECT_EQ(response.body.find(token), std::string::npos);
    for (const auto& [name, v] : response.headers) EXPECT_EQ(v.find(token), std::string::npos);
  }
  for (const std::string& value :
       std::vector<std::string>{"bearer " + token, "BEARER   " + token, "Bearer x"}) {
    http_request r = get(k_certificates);
    r.headers = {{"AUTHORIZATION", value}};
    EXPECT_EQ(api.handle(r).status, 200) << value;
  }
  // Every route is guarded, not only the list.
  for (http_request r : {post(k_certificates, upload_body(test_pem())), get(k_certificates + "/x"),
                         post(project_path("p") + "/activate", ids_body({"x"}))}) {
    r.headers.clear();
    expect_error(api.handle(r), 401, std::nullopt);
  }
  EXPECT_EQ(api.certificate_count(), 2u);
}

// A clock the test moves by hand, so the token bucket is checked without timing anything.
struct manual_clock {
  std::shared_ptr<std::chrono::steady_clock::time_point> now =
      std::make_shared<std::chrono::steady_clock::time_point>();
  void advance(std::chrono::milliseconds d) const { *now += d; }
  std::function<std::chrono::steady_clock::time_point()> function() const {
    return [now = now] { return *now; };
  }
};

TEST(fake_api_rate_limit, an_empty_bucket_answers_429_with_retry_after) {
  const manual_clock clock;
  fake_api_options o = seeded(1);
  o.rate_limit_per_second = 2;  // burst 2
  o.clock = clock.function();
  fake_api api(o);
  EXPECT_EQ(api.handle(get(k_certificates)).status, 200);
  EXPECT_EQ(api.handle(get(k_certificates)).status, 200);
  const http_response limited = api.handle(get(k_certificates));
  const auto e = expect_error(limited, 429, std::nullopt);
  EXPECT_EQ(e.code, "rate_limit_exceeded");
  EXPECT_EQ(find_header(limited.headers, "Retry-After"), "1");
  clock.advance(std::chrono::milliseconds(500));  // one token back
  EXPECT_EQ(api.handle(get(k_certificates)).status, 200);
  EXPECT_EQ(api.handle(get(k_certificates)).status, 429);

  fake_api_options slow = seeded(0);
  slow.rate_limit_per_second = 0.25;  // burst 1, a token every 4 s
  slow.clock = clock.function();
  fake_api slow_api(slow);
  EXPECT_EQ(slow_api.handle(get(k_certificates)).status, 200);
  EXPECT_EQ(find_header(slow_api.handle(get(k_certificates)).headers, "Retry-After"), "4");

  for (const double bad : {0.0, -1.0, std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN()}) {
    fake_api_options o2;
    o2.rate_limit_per_second = bad;
    EXPECT_THROW(fake_api{o2}, std::invalid_argument) << bad;
  }
}

// ---- Seeding.

TEST(fake_api_seeding, reproducible_varied_and_consistent_with_the_pem) {
  fake_api a(seeded(60)), b(seeded(60));
  fake_api_options other = seeded(60);
  other.seed = 8;
  fake_api c(other);
  EXPECT_EQ(a.handle(get(k_certificates, {{"limit", "100"}})).body,
            b.handle(get(k_certificates, {{"limit", "100"}})).body);
  EXPECT_NE(everything(a).front().id, everything(c).front().id);

  const auto all = everything(a);
  std::size_t unnamed = 0, non_ascii = 0;
  std::set<std::pair<std::int64_t, std::int64_t>> validities;
  for (const auto& cert : all) {
    EXPECT_EQ(cert.id.size(), 29u);
    EXPECT_TRUE(cert.id.starts_with("cert_"));
    EXPECT_EQ(cert.id.find_first_not_of("0123456789abcdef", 5), std::string::npos) << cert.id;
    unnamed += !cert.name;
    non_ascii += cert.name && std::any_of(cert.name->begin(), cert.name->end(), [](char ch) {
                   return static_cast<unsigned char>(ch) >= 0x80;
                 });
    EXPECT_FALSE(cert.active);
    const models::certificate got =
        as_certificate(a.handle(get(k_certificates + "/" + cert.id, {{"include[]", "content"}})));
    auto read = read_pem_certificate(got.certificate_details.content.value_or(""));
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->not_before, cert.valid_at);
    EXPECT_EQ(read->not_after, cert.expires_at);
    validities.emplace(*cert.valid_at, *cert.expires_at);
  }
  EXPECT_GT(unnamed, 0u);
  EXPECT_GT(non_ascii, 0u);
  EXPECT_GT(validities.size(), 1u);
}

TEST(fake_api_seeding, a_thousand_certificates) {
  fake_api api(seeded(1000));
  EXPECT_EQ(api.certificate_count(), 1000u);
  EXPECT_EQ(walk(api, k_certificates, 100, "desc").size(), 1000u);
}

TEST(fake_api_threads, concurrent_requests_keep_the_state_consistent) {
  fake_api api(seeded(10));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&api] {
      for (int i = 0; i < 15; ++i) {
        api.handle(post(k_certificates, upload_body(test_pem())));
        api.handle(get(k_certificates, {{"limit", "100"}}));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(api.certificate_count(), 60u);  // 10 seeded + 50 of the 60 uploads: the cap
  EXPECT_EQ(everything(api).size(), 60u);
}

// ---- A long randomized session: every answer is strict JSON valid against its schema.

TEST(fake_api_session, every_response_validates_against_its_schema) {
  fake_api api(seeded(40));
  // One rng() call per statement, so every compiler draws in the same order.
  std::mt19937_64 rng(2024);
  std::vector<std::string> ids = ids_of(everything(api));
  const std::vector<std::string> projects = {"proj_a", "proj_b", "proj ü%20"};
  const auto below = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const auto some_id = [&]() -> std::string {
    switch (below(6)) {
      case 0:
        return "cert_unknown";
      case 1:
        return std::string("\xff\x00\"odd", 6);
      default:
        return ids.empty() ? "cert_none" : ids[below(ids.size())];
    }
  };
  // Mostly known ids (so toggles succeed), sometimes odd ones or a count outside 1..10.
  const auto some_ids = [&] {
    const bool known = below(4) != 0 && !ids.empty();
    std::vector<std::string> out(known ? 1 + below(10) : below(12));
    for (std::string& id : out) id = known ? ids[below(ids.size())] : some_id();
    return out;
  };
  const std::vector<std::string> limits = {"1", "7", "20", "100", "0", "101", "-1", "abc"};
  const std::vector<std::string> orders = {"asc", "desc", "sideways"};

  std::map<std::string, std::size_t> answered;  // schema -> count, to see the mix
  for (int i = 0; i < 3000; ++i) {
    http_request r;
    std::string schema;  // of a 200 answer
    const std::string project = projects[below(projects.size())];
    switch (below(10)) {
      case 0:
      case 1: {
        query_list q;
        if (below(2) != 0) q.emplace_back("limit", limits[below(limits.size())]);
        if (below(2) != 0) q.emplace_back("order", orders[below(orders.size())]);
        if (below(3) == 0) q.emplace_back("after", some_id());
        const bool in_project = below(2) != 0;
        r = get(in_project ? project_path(project) : k_certificates, q);
        schema = in_project ? "ListProjectCertificatesResponse" : "ListCertificatesResponse";
        break;
      }
      case 2: {
        const std::string bodies[] = {upload_body(test_pem(), "n" + std::to_string(i)),
                                      upload_body(test_pem()),
                                      upload_body("garbage"),
                                      R"({"certificate":1})",
                                      "{",
                                      R"({"name":"x"})"};
        r = post(k_certificates, bodies[below(std::size(bodies))]);
        schema = "Certificate";
        break;
      }
      case 3: {
        query_list q;
        if (below(2) != 0) {
          const char* key = below(2) != 0 ? "include[]" : "include";
          q.emplace_back(key, below(4) != 0 ? "content" : "nope");
        }
        r = get(k_certificates + "/" + some_id(), q);
        schema = "Certificate";
        break;
      }
      case 4: {
        const std::string path = k_certificates + "/" + some_id();
        r = post(path, below(4) != 0 ? R"({"name":"renamed )" + std::to_string(i) + "\"}"
                                     : R"({"name":false})");
        schema = "Certificate";
        break;
      }
      case 5:
        r = del(k_certificates + "/" + some_id());
        schema = "DeleteCertificateResponse";
        break;
      case 6:
      case 7: {
        const bool activate = below(2) != 0;
        const bool in_project = below(2) != 0;
        const std::string base = in_project ? project_path(project) : k_certificates;
        r = post(base + (activate ? "/activate" : "/deactivate"),
                 below(10) != 0 ? ids_body(some_ids()) : R"({"certificate_ids":[1]})");
        schema = std::string(in_project ? "OrganizationProject" : "Organization") + "Certificate" +
                 (activate ? "Activation" : "Deactivation") + "Response";
        break;
      }
      case 8: {
        const char* method = below(2) != 0 ? "PUT" : "GET";
        r = request(method, below(2) != 0 ? k_certificates + "/activate" : "/organization/nope");
        break;
      }
      default:
        r = get(k_certificates);
        r.headers = {{"Authorization", below(2) != 0 ? "Basic x" : ""}};
        break;
    }
    if (below(50) == 0) r.headers.clear();

    const http_response response = api.handle(r);
    SCOPED_TRACE(r.method + " " + r.path + " -> " + std::to_string(response.status) + " " +
                 response.body);
    ASSERT_EQ(find_header(response.headers, "Content-Type"), "application/json");
    ASSERT_TRUE(response.status == 200 || response.status == 400 || response.status == 401 ||
                response.status == 404 || response.status == 405);
    if (response.status == 200) {
      ASSERT_FALSE(schema.empty());
    } else {
      schema = "ErrorResponse";
    }
    ++answered[schema];
    const decode_result decoded = decode_json(response.body);
    ASSERT_TRUE(decoded.ok()) << test_support::describe_findings(decoded.problems);
    const findings problems = schema_registry::builtin().validate(decoded.document->root(), schema);
    ASSERT_TRUE(problems.empty()) << schema << ": " << test_support::describe_findings(problems);
    ASSERT_EQ(models::check_decodes(schema, decoded.document->root()), std::nullopt);

    if (response.status == 200 && r.method == "POST" && r.path == k_certificates) {
      ids.push_back(as_certificate(response).id);
    } else if (response.status == 200 && r.method == "DELETE") {
      std::erase(ids, r.path.substr(k_certificates.size() + 1));
    }
  }
  // Every 200 schema of the family and errors were answered, each many times.
  EXPECT_EQ(answered.size(), 9u);
  for (const auto& [schema, count] : answered) EXPECT_GE(count, 10u) << schema;
  EXPECT_EQ(api.certificate_count(), ids.size());
}

// ---- Faults: each shows its effect, and none shows without it.

http_response first_page(fake_api& api, query_list q = {{"limit", "5"}}) {
  return api.handle(get(k_certificates, std::move(q)));
}

std::string some_certificate_id(fake_api& api) { return as_list(first_page(api)).data.at(0).id; }

struct fault_case {
  fake_fault fault;
  std::function<bool(fake_api&)> shows;  // the fault's effect is visible
};

const std::vector<fault_case>& fault_cases() {
  static const std::vector<fault_case> cases = {
      {fake_fault::first_id_mismatch,
       [](fake_api& api) {
         const auto page = as_list(first_page(api));
         return page.first_id != page.data.front().id;
       }},
      {fake_fault::last_id_mismatch,
       [](fake_api& api) {
         const auto page = as_list(first_page(api));
         return page.last_id != page.data.back().id;
       }},
      {fake_fault::empty_ids_not_null,
       [](fake_api& api) {
         const std::string last = everything(api).back().id;
         const auto page = as_list(first_page(api, {{"order", "asc"}, {"after", last}}));
         return page.data.empty() && (page.first_id || page.last_id);
       }},
      {fake_fault::over_limit,
       [](fake_api& api) { return as_list(first_page(api)).data.size() > 5; }},
      {fake_fault::wrong_order,
       [](fake_api& api) {
         const auto data = as_list(first_page(api, {{"limit", "20"}})).data;
         return !std::is_sorted(data.begin(), data.end(), [](const auto& a, const auto& b) {
           return a.created_at > b.created_at;  // desc
         });
       }},
      {fake_fault::duplicate_across_pages,
       [](fake_api& api) {
         const auto one = as_list(first_page(api));
         const auto two = as_list(first_page(api, {{"limit", "5"}, {"after", *one.last_id}}));
         return item(two.data, one.data.back().id) != nullptr;
       }},
      {fake_fault::cursor_loop,
       [](fake_api& api) {
         const auto one = as_list(first_page(api, {{"limit", "100"}}));
         const auto two = as_list(first_page(api, {{"limit", "100"}, {"after", *one.last_id}}));
         return two.has_more && two.data == one.data;
       }},
      {fake_fault::has_more_lies,
       [](fake_api& api) {
         return as_list(first_page(api, {{"limit", "100"}})).has_more;
       }},
      {fake_fault::asc_desc_inconsistent,
       [](fake_api& api) {
         auto asc = ids_of(walk(api, k_certificates, 7, "asc"));
         auto desc = ids_of(walk(api, k_certificates, 7, "desc"));
         std::reverse(desc.begin(), desc.end());
         return asc != desc;
       }},
      {fake_fault::bad_content_type,
       [](fake_api& api) {
         return find_header(first_page(api).headers, "Content-Type") != "application/json";
       }},
      {fake_fault::trailing_comma_json,
       [](fake_api& api) { return !decode_json(first_page(api).body).ok(); }},
      {fake_fault::truncated_body,
       [](fake_api& api) { return first_page(api).fault == transport_fault::truncate_body; }},
      {fake_fault::missing_required,
       [](fake_api& api) {
         const json_document doc = body_of(first_page(api));
         return (*doc.root().find("data"))[0].find("active") == std::nullopt;
       }},
      {fake_fault::wrong_type,  // so the typed models cannot read these bodies: raw DOM
       [](fake_api& api) {
         const json_document doc = body_of(first_page(api));
         return (*doc.root().find("data"))[0].find("name")->is_number();
       }},
      {fake_fault::validity_inverted,
       [](fake_api& api) {
         const auto c = as_list(first_page(api)).data.front();
         return c.valid_at > c.expires_at;
       }},
      {fake_fault::get_wrong_object,
       [](fake_api& api) {
         return as_certificate(api.handle(get(k_certificates + "/" + some_certificate_id(api))))
                    .object != "certificate";
       }},
      {fake_fault::get_mismatch,
       [](fake_api& api) {
         const auto listed = as_list(first_page(api)).data.front();
         return as_certificate(api.handle(get(k_certificates + "/" + listed.id))).name !=
                listed.name;
       }},
      {fake_fault::error_shape,
       [](fake_api& api) {
         const http_response r = api.handle(get(k_certificates + "/cert_unknown"));
         return r.status == 404 && body_of(r).root().find("error") == std::nullopt;
       }},
      {fake_fault::accepts_invalid_limit,
       [](fake_api& api) {
         return first_page(api, {{"limit", "0"}}).status == 200;
       }},
      {fake_fault::upload_activates,
       [](fake_api& api) {
         const std::string id = upload(api);
         return item(everything(api), id)->active;
       }},
      {fake_fault::details_mismatch,
       [](fake_api& api) {
         const auto c = as_certificate(api.handle(post(k_certificates, upload_body(test_pem()))));
         return c.certificate_details.valid_at != k_not_before ||
                c.certificate_details.expires_at != k_not_after;
       }},
      {fake_fault::content_mismatch,
       [](fake_api& api) {
         const std::string id = upload(api);
         const auto c =
             as_certificate(api.handle(get(k_certificates + "/" + id, {{"include", "content"}})));
         return c.certificate_details.content != test_pem();
       }},
      {fake_fault::delete_keeps,
       [](fake_api& api) {
         const std::string path = k_certificates + "/" + some_certificate_id(api);
         return api.handle(del(path)).status == 200 && api.handle(get(path)).status == 200;
       }},
      {fake_fault::too_many_requests_without_retry_after,
       [](fake_api& api) {
         bool seen = false;
         for (int i = 0; i < 10; ++i) {
           const http_response r = first_page(api);
           seen |= r.status == 429 && !find_header(r.headers, "Retry-After");
         }
         return seen;
       }},
      {fake_fault::slow, [](fake_api& api) { return first_page(api).delay.count() > 0; }},
      {fake_fault::strict_deleted_cursor,
       [](fake_api& api) {
         const std::string id = some_certificate_id(api);
         EXPECT_EQ(api.handle(del(k_certificates + "/" + id)).status, 200);
         return first_page(api, {{"after", id}}).status == 400;
       }},
  };
  return cases;
}

TEST(fake_api_faults, the_catalogue_names_every_fault_once_and_parses_back) {
  const std::vector<std::string_view> expected = {"first-id-mismatch",
                                                  "last-id-mismatch",
                                                  "empty-ids-not-null",
                                                  "over-limit",
                                                  "wrong-order",
                                                  "duplicate-across-pages",
                                                  "cursor-loop",
                                                  "has-more-lies",
                                                  "asc-desc-inconsistent",
                                                  "bad-content-type",
                                                  "trailing-comma-json",
                                                  "truncated-body",
                                                  "missing-required",
                                                  "wrong-type",
                                                  "validity-inverted",
                                                  "get-wrong-object",
                                                  "get-mismatch",
                                                  "error-shape",
                                                  "accepts-invalid-limit",
                                                  "upload-activates",
                                                  "details-mismatch",
                                                  "content-mismatch",
                                                  "delete-keeps",
                                                  "429-without-retry-after",
                                                  "slow",
                                                  "strict-deleted-cursor"};
  std::vector<std::string_view> names;
  for (const fault_info& f : fault_catalogue()) {
    names.push_back(f.name);
    EXPECT_EQ(parse_fault(f.name), f.fault);
    EXPECT_FALSE(f.description.empty());
    EXPECT_EQ(f.description.find('\n'), std::string_view::npos);
  }
  EXPECT_EQ(names, expected);
  EXPECT_EQ(parse_fault("nope"), std::nullopt);
  EXPECT_EQ(parse_fault("Slow"), std::nullopt);
  EXPECT_EQ(fault_cases().size(), fault_catalogue().size());
}

// The README's fault list is what `serve --list-faults` prints: one line per fault, its name,
// blanks, its description, in catalogue order.
TEST(fake_api_faults, the_readme_lists_every_fault_as_list_faults_does) {
  const std::filesystem::path path =
      std::filesystem::path(CERTHARNESS_CORPUS_DIR).parent_path() / "README.md";
  const std::string readme = certharness::test_support::read_file(path);
  std::size_t at = readme.find("\n### Faults\n");
  ASSERT_NE(at, std::string::npos) << path << ": no \"### Faults\" section";
  at = readme.find("\n```\n", at);
  const std::size_t end = readme.find("\n```", at + 5);
  ASSERT_NE(end, std::string::npos) << path << ": no fault list under \"### Faults\"";
  std::vector<std::pair<std::string, std::string>> listed;
  for (std::size_t line = at + 5; line < end;) {
    const std::size_t eol = readme.find('\n', line);
    const std::string text = readme.substr(line, eol - line);
    const std::size_t gap = text.find(' ');
    const std::size_t description = text.find_first_not_of(' ', gap);
    listed.emplace_back(text.substr(0, gap),
                        description == std::string::npos ? "" : text.substr(description));
    line = eol + 1;
  }
  std::vector<std::pair<std::string, std::string>> catalogue;
  for (const fault_info& f : fault_catalogue()) {
    catalogue.emplace_back(std::string(f.name), std::string(f.description));
  }
  EXPECT_EQ(listed, catalogue) << path << ": the fault list differs from the catalogue";
}

TEST(fake_api_faults, each_fault_shows_its_effect_and_only_with_the_fault) {
  for (const fault_case& c : fault_cases()) {
    const auto name = std::find_if(fault_catalogue().begin(), fault_catalogue().end(),
                                   [&](const fault_info& f) { return f.fault == c.fault; });
    ASSERT_NE(name, fault_catalogue().end());
    SCOPED_TRACE(std::string(name->name));
    fake_api_options with = seeded(30, {c.fault});
    with.slow_delay = std::chrono::milliseconds(1234);
    fake_api faulty(with);
    EXPECT_TRUE(c.shows(faulty));
    fake_api normal(seeded(30));
    EXPECT_FALSE(c.shows(normal));
  }
}

TEST(fake_api_faults, slow_delays_by_the_configured_delay) {
  fake_api_options o = seeded(1, {fake_fault::slow});
  o.slow_delay = std::chrono::milliseconds(1234);
  fake_api api(o);
  EXPECT_EQ(api.handle(get(k_certificates)).delay, std::chrono::milliseconds(1234));
  EXPECT_EQ(api.handle(get("/nope")).delay, std::chrono::milliseconds(1234));
}

TEST(fake_api_faults, rate_limited_answers_lack_retry_after_under_the_fault) {
  const manual_clock clock;
  fake_api_options o = seeded(1, {fake_fault::too_many_requests_without_retry_after});
  o.rate_limit_per_second = 1;
  o.clock = clock.function();
  fake_api api(o);
  EXPECT_EQ(api.handle(get(k_certificates)).status, 200);
  const http_response limited = api.handle(get(k_certificates));
  expect_error(limited, 429, std::nullopt);
  EXPECT_EQ(find_header(limited.headers, "Retry-After"), std::nullopt);
}

TEST(fake_api_faults, faults_on_values_leave_the_rest_normal) {
  // wrong-order keeps first_id/last_id and the walk intact; duplicate-across-pages and
  // has-more-lies keep the ids right; cursor-loop keeps the page well-formed.
  for (const fake_fault f : {fake_fault::wrong_order, fake_fault::has_more_lies,
                             fake_fault::duplicate_across_pages, fake_fault::over_limit}) {
    fake_api api(seeded(30, {f}));
    const auto page = as_list(first_page(api, {{"limit", "10"}}));
    EXPECT_EQ(page.first_id, page.data.front().id);
    EXPECT_EQ(page.last_id, page.data.back().id);
  }
  fake_api asc_desc(seeded(30, {fake_fault::asc_desc_inconsistent}));
  EXPECT_EQ(walk(asc_desc, k_certificates, 7, "desc").size(), 30u);
  EXPECT_EQ(walk(asc_desc, k_certificates, 7, "asc").size(), 29u);
  fake_api shaped(seeded(1, {fake_fault::error_shape}));
  expect_error(shaped.handle(get(k_certificates, {{"limit", "0"}})), 400, "limit");
  EXPECT_EQ(shaped.handle(get("/organization/nope")).body, R"({"detail":"Not found"})");
}

}  // namespace
}  // namespace certharness
