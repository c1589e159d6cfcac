// `certharness serve` over real HTTP (libcurl, the crawler's transport): every route and error,
// pagination at scale, malformed requests, faults that live on the wire, clean shutdown.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "certharness/fake_api/fake_api.hpp"
#include "certharness/fake_api/x509_certificate.hpp"
#include "certharness/http/http_client.hpp"
#include "certharness/http/url.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "serve_process.hpp"

namespace certharness {
namespace {

using test_support::serve_process;

struct reply {
  int status = 0;
  header_list headers;
  std::string body;
  std::optional<json_document> json;

  json_value root() const { return json->root(); }
};

class api_client {
 public:
  explicit api_client(std::string base, client_options options = {})
      : base_(std::move(base)), client_(options) {}

  reply send(const std::string& method, const std::string& path_and_query,
             std::optional<std::string> body = std::nullopt,
             std::optional<std::string> auth = "Bearer sk-admin-test") {
    client_request r;
    r.method = method;
    r.url = base_ + path_and_query;
    if (auth) r.headers.emplace_back("Authorization", *auth);
    if (body) {
      r.headers.emplace_back("Content-Type", "application/json");
      r.body = std::move(body);
    }
    result<client_response, transport_error> res = client_.send(r);
    reply out;
    if (!res) {
      last_error_ = res.error().message;
      return out;
    }
    out.status = res->status;
    out.headers = std::move(res->headers);
    out.body = std::move(res->body);
    decode_result d = decode_json(out.body);
    if (d.ok()) out.json = std::move(d.document);
    return out;
  }
  reply get(const std::string& p) { return send("GET", p); }
  reply post(const std::string& p, const std::string& body) { return send("POST", p, body); }

  const std::string& last_error() const { return last_error_; }

 private:
  std::string base_;
  http_client client_;
  std::string last_error_;
};

// The reply is strict JSON, says so in its Content-Type, and validates against `schema`.
void expect_conforms(const reply& r, int status, const std::string& schema,
                     const std::string& what) {
  EXPECT_EQ(r.status, status) << what << ": " << r.body;
  const std::optional<std::string_view> type = find_header(r.headers, "Content-Type");
  EXPECT_TRUE(type && type->rfind("application/json", 0) == 0) << what;
  ASSERT_TRUE(r.json.has_value()) << what << ": not strict JSON: " << r.body;
  for (const finding& f : schema_registry::builtin().validate(r.root(), schema)) {
    EXPECT_NE(f.level, severity::error)
        << what << ": " << schema << " " << f.pointer << ": " << f.message << "\n"
        << r.body;
  }
}

std::string upload_body(const std::string& name, std::int64_t not_before, std::int64_t not_after) {
  self_signed_request req;
  req.common_name = name;
  req.not_before = not_before;
  req.not_after = not_after;
  std::string body = "{\"name\":";
  append_json_string(body, name);
  body += ",\"certificate\":";
  append_json_string(body, make_self_signed_certificate(req));
  return body + "}";
}

std::vector<std::string> ids_of(const json_value& list) {
  std::vector<std::string> ids;
  for (const json_value& item : json_value(*list.find("data")))
    ids.emplace_back(item.find("id")->as_string());
  return ids;
}

// Walks a list endpoint with after = last_id, checking every page's own invariants.
std::vector<std::string> walk(api_client& api, const std::string& path, int limit,
                              const std::string& order, const std::string& schema) {
  std::vector<std::string> all;
  std::optional<std::string> after;
  for (int page = 0; page < 1000; ++page) {
    std::string q = path + "?limit=" + std::to_string(limit) + "&order=" + order;
    if (after) q += "&after=" + percent_encode(*after);
    const reply r = api.get(q);
    expect_conforms(r, 200, schema, q);
    if (!r.json) return all;
    const std::vector<std::string> ids = ids_of(r.root());
    EXPECT_LE(ids.size(), static_cast<std::size_t>(limit)) << q;
    const json_value first = *r.root().find("first_id");
    const json_value last = *r.root().find("last_id");
    if (ids.empty()) {
      EXPECT_TRUE(first.is_null() && last.is_null()) << q;
    } else {
      EXPECT_EQ(first.as_string(), ids.front()) << q;
      EXPECT_EQ(last.as_string(), ids.back()) << q;
    }
    all.insert(all.end(), ids.begin(), ids.end());
    if (!r.root().find("has_more")->as_bool()) return all;
    EXPECT_FALSE(ids.empty()) << q << ": has_more with an empty page";
    if (ids.empty()) return all;
    after = ids.back();
  }
  ADD_FAILURE() << path << ": walk did not end";
  return all;
}

TEST(serve, prints_its_base_url_and_stops_cleanly_on_sigterm_and_sigint) {
  for (int sig : {SIGTERM, SIGINT}) {
    serve_process server({"--base-path", "/v1"});
    EXPECT_EQ(server.base_url().substr(server.base_url().size() - 3), "/v1");
    api_client api(server.base_url());
    EXPECT_EQ(api.get("/organization/certificates").status, 200);
    EXPECT_EQ(server.stop(sig), 0);
  }
}

TEST(serve, pagination_is_exact_at_every_size_limit_and_order) {
  for (int n : {0, 1, 20, 50, 101}) {
    serve_process server({"--seed-certs", std::to_string(n), "--seed", "7"});
    api_client api(server.base_url());
    std::vector<std::string> desc_ids;
    for (const std::string order : {"desc", "asc"}) {
      std::vector<std::string> reference;
      for (int limit : {1, 7, 100}) {
        const std::vector<std::string> ids =
            walk(api, "/organization/certificates", limit, order, "ListCertificatesResponse");
        EXPECT_EQ(ids.size(), static_cast<std::size_t>(n)) << n << " " << order << " " << limit;
        EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size())
            << "duplicates at n=" << n << " limit=" << limit << " " << order;
        if (reference.empty()) reference = ids;
        EXPECT_EQ(ids, reference) << "limit " << limit << " changes the order";
        const std::vector<std::string> project =
            walk(api, "/organization/projects/proj_abc/certificates", limit, order,
                 "ListProjectCertificatesResponse");
        EXPECT_EQ(project, ids) << "project list differs from the organization list";
      }
      if (order == "desc") {
        desc_ids = reference;
      } else {
        std::reverse(reference.begin(), reference.end());
        EXPECT_EQ(reference, desc_ids) << "asc is not desc reversed at n=" << n;
      }
    }
    EXPECT_EQ(server.stop(), 0);
  }
}

TEST(serve, whole_lifecycle_of_a_certificate) {
  serve_process server({});
  api_client api(server.base_url());
  const reply created = api.post("/organization/certificates",
                                 upload_body("e2e \xe2\x9c\x93", 1700000000, 1900000000));
  expect_conforms(created, 200, "Certificate", "upload");
  ASSERT_TRUE(created.json);
  const std::string id(created.root().find("id")->as_string());
  EXPECT_EQ(created.root().find("object")->as_string(), "certificate");
  const json_value details = *created.root().find("certificate_details");
  EXPECT_EQ(details.find("valid_at")->as_int64(), 1700000000);
  EXPECT_EQ(details.find("expires_at")->as_int64(), 1900000000);

  const reply listed = api.get("/organization/certificates");
  expect_conforms(listed, 200, "ListCertificatesResponse", "list");
  ASSERT_TRUE(listed.json);
  ASSERT_EQ(ids_of(listed.root()), std::vector<std::string>{id});
  EXPECT_FALSE(listed.root().find("data")->begin()->find("active")->as_bool());

  for (const std::string include :
       {"?include[]=content", "?include%5B%5D=content", "?include=content"}) {
    const reply got = api.get("/organization/certificates/" + id + include);
    expect_conforms(got, 200, "Certificate", include);
    ASSERT_TRUE(got.json);
    std::optional<json_value> content = got.root().find("certificate_details")->find("content");
    ASSERT_NE(content, std::nullopt) << include;
    EXPECT_NE(content->as_string().find("BEGIN CERTIFICATE"), std::string::npos);
  }
  const reply plain = api.get("/organization/certificates/" + id);
  expect_conforms(plain, 200, "Certificate", "get");
  EXPECT_EQ(plain.root().find("certificate_details")->find("content"), std::nullopt);
  EXPECT_EQ(plain.root().find("active"), std::nullopt);

  const reply renamed = api.post("/organization/certificates/" + id, R"({"name":"renamed"})");
  expect_conforms(renamed, 200, "Certificate", "modify");
  EXPECT_EQ(renamed.root().find("name")->as_string(), "renamed");

  const std::string ids = R"({"certificate_ids":[")" + id + R"("]})";
  expect_conforms(api.post("/organization/certificates/activate", ids), 200,
                  "OrganizationCertificateActivationResponse", "activate");
  EXPECT_EQ(api.send("DELETE", "/organization/certificates/" + id).status, 400)
      << "deleting an active certificate";
  expect_conforms(api.post("/organization/certificates/deactivate", ids), 200,
                  "OrganizationCertificateDeactivationResponse", "deactivate");
  expect_conforms(api.post("/organization/projects/proj_1/certificates/activate", ids), 200,
                  "OrganizationProjectCertificateActivationResponse", "project activate");
  const reply project = api.get("/organization/projects/proj_1/certificates");
  expect_conforms(project, 200, "ListProjectCertificatesResponse", "project list");
  EXPECT_TRUE(project.root().find("data")->begin()->find("active")->as_bool());
  const reply other = api.get("/organization/projects/proj_2/certificates");
  EXPECT_FALSE(other.root().find("data")->begin()->find("active")->as_bool());
  expect_conforms(api.post("/organization/projects/proj_1/certificates/deactivate", ids), 200,
                  "OrganizationProjectCertificateDeactivationResponse", "project deactivate");

  const reply deleted = api.send("DELETE", "/organization/certificates/" + id);
  expect_conforms(deleted, 200, "DeleteCertificateResponse", "delete");
  expect_conforms(api.get("/organization/certificates/" + id), 404, "ErrorResponse",
                  "get after delete");
}

TEST(serve, every_error_is_an_error_response) {
  serve_process server({"--seed-certs", "3"});
  api_client api(server.base_url());
  const struct {
    std::string method, path;
    std::optional<std::string> body;
    int status;
    std::optional<std::string> auth = "Bearer sk-admin-test";
  } cases[] = {
      {"GET", "/organization/certificates", std::nullopt, 401, std::nullopt},
      {"GET", "/organization/certificates", std::nullopt, 401, "Basic abc"},
      {"GET", "/organization/certificates", std::nullopt, 401, "Bearer "},
      {"GET", "/organization/certificates?limit=0", std::nullopt, 400},
      {"GET", "/organization/certificates?limit=101", std::nullopt, 400},
      {"GET", "/organization/certificates?limit=-1", std::nullopt, 400},
      {"GET", "/organization/certificates?limit=abc", std::nullopt, 400},
      {"GET", "/organization/certificates?order=sideways", std::nullopt, 400},
      {"GET", "/organization/certificates/cert_unknown", std::nullopt, 404},
      {"POST", "/organization/certificates/cert_unknown", R"({"name":"x"})", 404},
      {"DELETE", "/organization/certificates/cert_unknown", std::nullopt, 404},
      {"POST", "/organization/certificates", R"({"name":"x"})", 400},
      {"POST", "/organization/certificates", R"({"certificate":"not a pem"})", 400},
      {"POST", "/organization/certificates", R"({"certificate":7})", 400},
      {"POST", "/organization/certificates", R"({"certificate":"x",})", 400},
      {"POST", "/organization/certificates", "not json", 400},
      {"POST", "/organization/certificates/activate", R"({"certificate_ids":[]})", 400},
      {"POST", "/organization/certificates/activate",
       R"({"certificate_ids":["1","2","3","4","5","6","7","8","9","10","11"]})", 400},
      {"POST", "/organization/certificates/activate", R"({"certificate_ids":["cert_nope"]})", 404},
      {"GET", "/organization/nothing-here", std::nullopt, 404},
  };
  for (const auto& c : cases) {
    const reply r = api.send(c.method, c.path, c.body, c.auth);
    const std::string what = c.method + " " + c.path + " " + c.body.value_or("");
    expect_conforms(r, c.status, "ErrorResponse", what);
    if (c.status == 401) {
      EXPECT_EQ(r.body.find("sk-admin-test"), std::string::npos) << "token echoed";
    }
  }
}

TEST(serve, upload_cap_is_fifty_certificates) {
  serve_process server({});
  api_client api(server.base_url());
  const std::string body = upload_body("cap", 1700000000, 1800000000);
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(api.post("/organization/certificates", body).status, 200) << "upload " << i + 1;
  }
  expect_conforms(api.post("/organization/certificates", body), 400, "ErrorResponse", "51st");
}

TEST(serve, an_encoded_slash_stays_inside_its_segment) {
  serve_process server({"--seed-certs", "1"});
  api_client api(server.base_url());
  // A lookup of the id "cert/x" (none here), not a route that does not exist.
  const reply missing = api.get("/organization/certificates/cert%2Fx");
  expect_conforms(missing, 404, "ErrorResponse", "GET cert%2Fx");
  ASSERT_TRUE(missing.json.has_value());
  std::optional<json_value> error = missing.root().find("error");
  ASSERT_NE(error, std::nullopt) << missing.body;
  std::optional<json_value> param = error->find("param");
  ASSERT_NE(param, std::nullopt) << missing.body;
  EXPECT_TRUE(param->is_string() && param->as_string() == "certificate_id") << missing.body;
  // A project id with a '/' is a project like any other.
  expect_conforms(api.get("/organization/projects/a%2Fb/certificates"), 200,
                  "ListProjectCertificatesResponse", "project a/b");
}

TEST(serve, activation_is_atomic) {
  serve_process server({"--seed-certs", "2"});
  api_client api(server.base_url());
  const reply before = api.get("/organization/certificates");
  ASSERT_TRUE(before.json);
  const std::vector<std::string> ids = ids_of(before.root());
  ASSERT_EQ(ids.size(), 2u);
  const reply r = api.post("/organization/certificates/activate",
                           R"({"certificate_ids":[")" + ids[0] + R"(","cert_missing"]})");
  EXPECT_GE(r.status, 400);
  const reply after = api.get("/organization/certificates");
  EXPECT_EQ(after.body, before.body) << "a failed activation changed state";
}

// Raw bytes on a socket: what no HTTP client would send.
std::string raw_exchange(const std::string& base_url, const std::string& bytes) {
  const std::size_t colon = base_url.rfind(':');
  const int port = std::stoi(base_url.substr(colon + 1));
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    (void)!write(fd, bytes.data(), bytes.size());
    shutdown(fd, SHUT_WR);
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
      answer.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  return answer;
}

TEST(serve, malformed_requests_get_4xx_and_the_server_lives_on) {
  serve_process server({"--seed-certs", "2"});
  api_client api(server.base_url());
  std::string huge = R"({"certificate":")" + std::string(2u << 20, 'a') + R"("})";
  const struct {
    std::string method, path;
    std::optional<std::string> body;
  } cases[] = {
      {"POST", "/organization/certificates", huge},
      {"POST", "/organization/certificates", std::string("{\"certificate\":\"\xff\"}")},
      {"POST", "/organization/certificates", std::string(100000, '[')},
      {"POST", "/organization/certificates/activate", R"({"certificate_ids":"cert_1"})"},
      {"GET", "/organization/certificates/%zz", std::nullopt},
      {"GET", "/organization/certificates/%00", std::nullopt},
      {"GET", "/organization/certificates/..%2F..%2Fetc%2Fpasswd", std::nullopt},
      {"GET", "/organization/certificates/a%2Fb", std::nullopt},
      {"GET", "/organization//certificates", std::nullopt},
      {"PUT", "/organization/certificates", R"({})"},
      {"PATCH", "/organization/certificates/cert_1", R"({})"},
  };
  for (const auto& c : cases) {
    const reply r = api.send(c.method, c.path, c.body);
    EXPECT_GE(r.status, 400) << c.method << " " << c.path << " " << api.last_error();
    EXPECT_LT(r.status, 500) << c.method << " " << c.path;
  }
  for (const std::string& raw :
       std::vector<std::string>{"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
                                "GET /v1/organization/certificates HTTP/1.1\r\nHost: x\r\n"
                                "Content-Length: -5\r\n\r\n",
                                std::string(100000, 'A') + "\r\n\r\n"}) {
    const std::string answer = raw_exchange(server.base_url(), raw);
    // 505 for HTTP/9.9; the status of each malformed head: serve_wire_e2e_test.
    if (!answer.empty() && answer.substr(0, 12) != "HTTP/1.1 505") {
      EXPECT_EQ(answer.substr(0, 10), "HTTP/1.1 4") << answer.substr(0, 80);
    }
  }
  EXPECT_EQ(api.get("/organization/certificates").status, 200) << "server did not survive";
  EXPECT_EQ(server.stop(), 0);
}

TEST(serve, rate_limit_answers_429_with_retry_after) {
  serve_process server({"--rate-limit", "2/s"});
  api_client api(server.base_url());
  int limited = 0;
  for (int i = 0; i < 10; ++i) {
    const reply r = api.get("/organization/certificates");
    if (r.status == 429) {
      ++limited;
      expect_conforms(r, 429, "ErrorResponse", "429");
      const std::optional<std::string_view> retry = find_header(r.headers, "Retry-After");
      ASSERT_TRUE(retry.has_value());
      EXPECT_GE(std::stoi(std::string(*retry)), 1);
    }
  }
  EXPECT_GT(limited, 0);
}

TEST(serve, wire_faults_break_the_wire) {
  {
    serve_process server({"--fault", "bad-content-type", "--seed-certs", "1"});
    api_client api(server.base_url());
    const reply r = api.get("/organization/certificates");
    EXPECT_NE(find_header(r.headers, "Content-Type").value_or("").rfind("application/json", 0), 0u);
  }
  {
    serve_process server({"--fault", "trailing-comma-json", "--seed-certs", "1"});
    api_client api(server.base_url());
    const reply r = api.get("/organization/certificates");
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.json.has_value()) << r.body;
  }
  {
    serve_process server({"--fault", "truncated-body", "--seed-certs", "1"});
    api_client api(server.base_url());
    const reply r = api.get("/organization/certificates");
    EXPECT_EQ(r.status, 0) << "a truncated body must be a transport error";
    EXPECT_NE(api.last_error().find("truncated"), std::string::npos) << api.last_error();
  }
  {
    serve_process server({"--fault", "slow"});
    client_options quick;
    quick.timeout = std::chrono::milliseconds(500);
    api_client api(server.base_url(), quick);
    const reply r = api.get("/organization/certificates");
    EXPECT_EQ(r.status, 0);
    const auto stop_started = std::chrono::steady_clock::now();
    EXPECT_EQ(server.stop(), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - stop_started, std::chrono::seconds(5))
        << "shutdown waited out the slow fault";
  }
  {
    serve_process server({"--fault", "error-shape"});
    api_client api(server.base_url());
    const reply r = api.get("/organization/certificates/cert_unknown");
    EXPECT_EQ(r.status, 404);
    ASSERT_TRUE(r.json.has_value());
    EXPECT_EQ(r.root().find("error"), std::nullopt) << r.body;
  }
}

TEST(serve, list_faults_and_bad_options) {
  const std::string cli = CERTHARNESS_CLI;
  const std::string listed = [&] {
    std::string out;
    FILE* p = popen((cli + " serve --list-faults").c_str(), "r");
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    EXPECT_EQ(pclose(p), 0);
    return out;
  }();
  for (const char* f : {"first-id-mismatch", "cursor-loop", "429-without-retry-after", "slow"}) {
    EXPECT_NE(listed.find(f), std::string::npos) << f;
  }
  EXPECT_EQ(static_cast<std::size_t>(std::count(listed.begin(), listed.end(), '\n')),
            fault_catalogue().size());
  for (const std::string args :
       {" serve --fault nope", " serve --rate-limit fast", " serve --port 70000"}) {
    const int status = std::system((cli + args + " >/dev/null 2>&1").c_str());
    EXPECT_EQ(WEXITSTATUS(status), 2) << args;
  }
}

}  // namespace
}  // namespace certharness
