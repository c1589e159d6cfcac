// run_crawl against an in-process cpp-httplib server on 127.0.0.1 that answers what serve's
// faults cannot: error statuses with bodies shaped like success.
#include "certharness/crawl_run.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <string>
#include <thread>

namespace certharness {
namespace {

const std::string k_item =
    R"({"object":"organization.certificate","id":"c1","name":"n","created_at":10,)"
    R"("certificate_details":{"valid_at":1,"expires_at":2},"active":false})";

std::string page(bool has_more) {
  return R"({"object":"list","data":[)" + k_item +
         R"(],"first_id":"c1","last_id":"c1","has_more":)" + (has_more ? "true" : "false") + "}";
}

// Found by fuzz_pagination: crawl walked on from a 500 whose body looked like a list page, and
// fetched its items by id. An error answer is neither a page nor a source of ids.
TEST(crawl_walks, stop_at_an_error_answer_whatever_its_body) {
  httplib::Server server;
  server.set_keep_alive_timeout(1);
  server.Get(".*", [](const httplib::Request& req, httplib::Response& res) {
    const bool first_page = req.path.ends_with("/organization/certificates") &&
                             req.get_param_value("limit") == "1" && !req.has_param("after");
    res.status = first_page ? 500 : req.has_param("after") ? 200 : 404;
    res.set_content(first_page || req.has_param("after") ? page(first_page) : k_item,
                    "application/json");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread thread([&] { server.listen_after_bind(); });

  crawl_options options;
  options.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  options.admin_key = "sk-admin-test";
  options.limits = {1};
  options.orders = {"desc"};
  options.retries = 0;
  const crawl_outcome out = run_crawl(options);
  server.stop();
  thread.join();

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

}  // namespace
}  // namespace certharness
