// Seeding the fake: linear in the count (this suite has a ctest TIMEOUT that a quadratic
// uniqueness scan overruns by far: 200k certificates took minutes), and interruptible through
// the stop_seeding predicate that serve wires to SIGINT/SIGTERM.
#include <gtest/gtest.h>

#include <string>

#include "certharness/fake_api/fake_api.hpp"
#include "certharness/json/json_document.hpp"

namespace certharness {
namespace {

http_request list_request(std::string limit, std::optional<std::string> after = std::nullopt) {
  http_request r;
  r.method = "GET";
  r.path = "/organization/certificates";
  r.query = {{"limit", std::move(limit)}, {"order", "asc"}};
  if (after) r.query.emplace_back("after", *after);
  r.headers = {{"Authorization", "Bearer sk-admin-seeding-test"}};
  return r;
}

// Every id of an asc walk, with a page cap so a broken cursor cannot loop.
std::vector<std::string> walk_ids(fake_api& api) {
  std::vector<std::string> ids;
  std::optional<std::string> after;
  for (int page = 0; page < 10'000; ++page) {
    const http_response r = api.handle(list_request("100", after));
    EXPECT_EQ(r.status, 200) << r.body;
    decode_result d = decode_json(r.body);
    if (r.status != 200 || !d.ok()) return ids;
    for (const json_value& item : json_value(*d.document->root().find("data"))) {
      ids.emplace_back(item.find("id")->as_string());
    }
    if (!d.document->root().find("has_more")->as_bool() || ids.empty()) return ids;
    after = ids.back();
  }
  ADD_FAILURE() << "walk did not end";
  return ids;
}

TEST(fake_api_seeding_scale, two_hundred_thousand_distinct_certificates) {
  fake_api_options o;
  o.seed_certs = 200'000;
  fake_api api(o);
  EXPECT_EQ(api.certificate_count(), 200'000u);
  const http_response first = api.handle(list_request("100"));
  EXPECT_EQ(first.status, 200) << first.body;
}

TEST(fake_api_seeding_scale, the_stop_predicate_ends_seeding_early) {
  int asked = 0;
  fake_api_options o;
  o.seed_certs = 1'000'000;
  o.stop_seeding = [&] { return ++asked == 3; };
  fake_api api(o);
  EXPECT_EQ(asked, 3);
  EXPECT_GT(api.certificate_count(), 0u);
  EXPECT_LT(api.certificate_count(), 10'000u) << "seeding went on after the predicate said stop";
  // What was made is a consistent list.
  EXPECT_EQ(walk_ids(api).size(), api.certificate_count());
}

TEST(fake_api_seeding_scale, a_stop_before_the_first_certificate_seeds_none) {
  fake_api_options o;
  o.seed_certs = 1'000'000;
  o.stop_seeding = [] { return true; };
  fake_api api(o);
  EXPECT_EQ(api.certificate_count(), 0u);
  EXPECT_EQ(walk_ids(api).size(), 0u);
}

}  // namespace
}  // namespace certharness
