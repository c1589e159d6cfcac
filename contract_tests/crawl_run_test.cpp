// run_crawl against an in-process cpp-httplib server on 127.0.0.1 that answers what serve's
// faults cannot: error statuses with bodies shaped like success.
#include "certharness/crawl_run.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace certharness {
namespace {

const std::string k_item =
    R"({"object":"organization.certificate","id":"c1","name":"n","created_at":10,)"
    R"("certificate_details":{"valid_at":1,"expires_at":2},"active":false})";

std::string page(bool has_more) {
  return R"({"object":"list","data":[)" + k_item +
         R"(],"first_id":"c1","last_id":"c1","has_more":)" + (has_more ? "true" : "false") + "}";
}

// A read-only crawl (limit 1, desc, no retries) of a server on 127.0.0.1 that answers every GET
// with `handler`.
crawl_outcome crawl_of(const httplib::Server::Handler& handler) {
  httplib::Server server;
  server.set_keep_alive_timeout(1);
  server.Get(".*", handler);
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  crawl_options options;
  options.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  options.admin_key = "sk-admin-test";
  options.limits = {1};
  options.orders = {"desc"};
  options.retries = 0;
  crawl_outcome out = run_crawl(options);
  server.stop();
  thread.join();
  return out;
}

// Found by fuzz_pagination: crawl walked on from a 500 whose body looked like a list page, and
// fetched its items by id. An error answer is neither a page nor a source of ids.
TEST(crawl_walks, stop_at_an_error_answer_whatever_its_body) {
  const crawl_outcome out = crawl_of([](const httplib::Request& req, httplib::Response& res) {
    const bool first_page = req.path.ends_with("/organization/certificates") &&
                            req.get_param_value("limit") == "1" && !req.has_param("after");
    res.status = first_page ? 500 : req.has_param("after") ? 200 : 404;
    res.set_content(first_page || req.has_param("after") ? page(first_page) : k_item,
                    "application/json");
  });
  ASSERT_FALSE(out.fatal) << *out.fatal;
  for (const request_record& r : out.report.requests) {
    EXPECT_EQ(r.request.find("after="), std::string::npos) << "walked on from a 500: " << r.request;
    EXPECT_EQ(r.request.find("/certificates/c1"), std::string::npos)
        << "fetched an id listed by a 500: " << r.request;
  }
  for (const run_finding& f : out.report.findings) {
    EXPECT_FALSE(f.what.check.starts_with("list.") || f.what.check.starts_with("cert."))
        << f.what.check << " on " << f.request << ": " << f.what.message;
  }
}

TEST(crawl_options, an_empty_project_id_is_refused_before_any_request) {
  crawl_options options;
  options.base_url = "http://127.0.0.1:9/v1";
  options.projects = {"proj_1", ""};
  const crawl_outcome out = run_crawl(options);
  ASSERT_TRUE(out.fatal);
  EXPECT_NE(out.fatal->find("--project"), std::string::npos) << *out.fatal;
  EXPECT_TRUE(out.report.requests.empty());
}

// Found in review of fuzz_url: ".." as an id was sent as "/certificates/.." (which libcurl
// collapses to another path), and an empty id as "/certificates/" (the list itself).
TEST(crawl_get_by_id, dot_segment_ids_stay_ids_and_empty_ids_are_not_fetched) {
  const auto item = [](const std::string& id) {
    return R"({"object":"organization.certificate","id":")" + id +
           R"(","name":"n","created_at":10,"certificate_details":{"valid_at":1,"expires_at":2},)"
           R"("active":false})";
  };
  std::mutex mutex;
  std::vector<std::string> targets;
  const crawl_outcome out = crawl_of([&](const httplib::Request& req, httplib::Response& res) {
    {
      const std::lock_guard lock(mutex);
      targets.push_back(req.target);
    }
    if (req.path.ends_with("/organization/certificates") && req.get_param_value("limit") == "1" &&
        !req.has_param("after")) {
      res.set_content(R"({"object":"list","data":[)" + item("..") + "," + item("") + "," +
                          item(".") + R"(],"first_id":"..","last_id":".","has_more":false})",
                      "application/json");
    } else {
      res.status = 404;
      res.set_content(
          R"({"error":{"message":"no","type":"invalid_request_error","param":null,"code":null}})",
          "application/json");
    }
  });
  ASSERT_FALSE(out.fatal) << *out.fatal;

  int dot_dot = 0, dot = 0;
  for (const std::string& t : targets) {
    EXPECT_FALSE(t.starts_with("/v1/organization/certificates/?") ||
                 t == "/v1/organization/certificates/")
        << "fetched the empty id: " << t;
    EXPECT_EQ(t.find("/.."), std::string::npos) << t;
    EXPECT_FALSE(t.starts_with("/v1/organization?") || t == "/v1/organization") << t;
    dot_dot += t.starts_with("/v1/organization/certificates/%2E%2E");
    dot += t.starts_with("/v1/organization/certificates/%2E") &&
           !t.starts_with("/v1/organization/certificates/%2E%2E");
  }
  EXPECT_EQ(dot_dot, 2) << "GET by id of \"..\", with and without content";
  EXPECT_EQ(dot, 2) << "GET by id of \".\", with and without content";
}

}  // namespace
}  // namespace certharness
