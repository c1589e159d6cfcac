// Crawl's walks and GET by id against the in-memory fake API: every walk is tallied in its
// group, each listed certificate is fetched twice (with and without content) and compared with
// the list, and list faults reach the checks that catch them.
#include "certharness/conformance/crawl_walks.hpp"

#include <gtest/gtest.h>

#include <string>

#include "in_memory_session.hpp"

namespace certharness {
namespace {

using test_support::in_memory_session;

crawl_options walk_options() {
  crawl_options options;
  options.limits = {5, 100};
  options.max_pages = 50;
  return options;
}

fake_api_options seeded(std::set<fake_fault> faults = {}) {
  return test_support::seeded_api(12, std::move(faults));
}

TEST(crawl_walks, a_clean_api_passes_and_every_listed_certificate_is_compared) {
  in_memory_session session(seeded());
  walk_every_list(session, walk_options());
  get_each_listed(session);
  EXPECT_EQ(session.errors(), std::vector<std::string>{});
  for (const char* group : {"GET /organization/certificates order=desc limit=5",
                            "GET /organization/certificates order=asc limit=100",
                            "/organization/certificates consistency", "get by id"}) {
    EXPECT_TRUE(session.report.groups.contains(group)) << group;
  }
  // Every other whole walk is compared with the first: 4 walks, 3 comparisons.
  EXPECT_EQ(session.report.groups.at("/organization/certificates consistency")
                .at("list.consistency")
                .passed,
            3u);
  EXPECT_EQ(session.judge().listed().size(), 12u);
  EXPECT_EQ(session.report.groups.at("get by id").at("cert.consistency").passed, 24u);
  // 12 certificates by 5: 3 pages per walk at limit 5, 1 at limit 100, in two orders.
  EXPECT_EQ(session.pages, 8u);
}

TEST(crawl_walks, list_and_get_faults_reach_their_checks) {
  const struct {
    fake_fault fault;
    const char* error;
  } cases[] = {
      {fake_fault::wrong_order, "list.order in GET /organization/certificates order=desc limit=5"},
      {fake_fault::get_mismatch, "cert.consistency in get by id"},
      {fake_fault::asc_desc_inconsistent,
       "list.consistency in /organization/certificates consistency"},
  };
  for (const auto& c : cases) {
    in_memory_session session(seeded({c.fault}));
    walk_every_list(session, walk_options());
    get_each_listed(session);
    const std::vector<std::string> errors = session.errors();
    EXPECT_NE(std::find(errors.begin(), errors.end(), c.error), errors.end())
        << c.error << " not raised; raised: " << ::testing::PrintToString(errors);
  }
}

// As after crawl's first request found no connection: nothing more is sent and no
// list.consistency is judged over walks that never ran.
TEST(crawl_walks, a_session_that_fails_ends_the_walks_at_once) {
  in_memory_session session(seeded());
  session.fail_after = 1;
  walk_every_list(session, walk_options());
  EXPECT_EQ(session.report.requests.size(), 1u);
  EXPECT_FALSE(session.report.groups.contains("/organization/certificates consistency"));
}

}  // namespace
}  // namespace certharness
