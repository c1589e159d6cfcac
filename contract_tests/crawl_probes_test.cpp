// Crawl's negative probes against the in-memory fake API: six requests, each breaking one rule,
// all in the group "negative probes"; a 4xx is right, a 2xx request.accepted_invalid.
#include "certharness/conformance/crawl_probes.hpp"

#include <gtest/gtest.h>

#include <string>

#include "in_memory_session.hpp"

namespace certharness {
namespace {

using testing::in_memory_session;

TEST(crawl_probes, a_clean_api_refuses_every_probe) {
  in_memory_session session(fake_api_options{});
  send_negative_probes(session);
  EXPECT_EQ(session.errors(), std::vector<std::string>{});
  ASSERT_EQ(session.report.requests.size(), 6u);
  const check_tally& probes = session.report.groups.at("negative probes");
  EXPECT_EQ(probes.at("request.accepted_invalid").passed, 6u);
  EXPECT_EQ(probes.at("error.shape").passed, 6u);
  EXPECT_EQ(session.report.requests.back().request,
            "GET /organization/certificates/cert_certharness_does_not_exist_0");
}

TEST(crawl_probes, an_accepted_invalid_limit_is_found_for_each_limit_probe) {
  fake_api_options options;
  options.faults = {fake_fault::accepts_invalid_limit};
  in_memory_session session(options);
  send_negative_probes(session);
  std::vector<std::string> accepted;
  for (const run_finding& f : session.report.findings) {
    if (f.what.check == "request.accepted_invalid") accepted.push_back(f.request);
  }
  // limit 0, 101 and -1 are out of range; "abc" is no integer (the fake refuses it anyway).
  EXPECT_GE(accepted.size(), 3u) << ::testing::PrintToString(accepted);
  for (const std::string& request : accepted) {
    EXPECT_NE(request.find("?limit="), std::string::npos) << request;
  }
}

TEST(crawl_probes, nothing_is_sent_once_the_session_stops) {
  in_memory_session session(fake_api_options{});
  session.max_requests = 2;
  send_negative_probes(session);
  EXPECT_EQ(session.report.requests.size(), 2u);
}

}  // namespace
}  // namespace certharness
