// The pass/fail counts per check id that every conformance report's table is built from.
#include "certharness/findings/check_tally.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace certharness {
namespace {

std::vector<std::string> ids(const check_tally& t) {
  std::vector<std::string> out;
  for (const auto& [id, count] : t) out.push_back(id);
  return out;
}

TEST(check_tally, record_counts_passes_and_failures_per_check) {
  check_tally t;
  record(t, checks::http_status, true);
  record(t, checks::http_status, true);
  record(t, checks::http_status, false);
  record(t, checks::schema, false);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.at("http.status").passed, 2u);
  EXPECT_EQ(t.at("http.status").failed, 1u);
  EXPECT_EQ(t.at("schema").passed, 0u);
  EXPECT_EQ(t.at("schema").failed, 1u);
}

TEST(check_tally, is_ordered_by_check_id_whatever_the_order_of_recording) {
  check_tally t;
  for (const check_id id :
       {checks::schema, checks::cert_validity, checks::list_order, checks::http_content_type}) {
    record(t, id, true);
  }
  EXPECT_EQ(ids(t), (std::vector<std::string>{"cert.validity", "http.content_type", "list.order",
                                              "schema"}));
}

TEST(check_tally, merge_adds_counts_and_keeps_checks_only_one_side_has) {
  check_tally into, from;
  record(into, checks::http_status, true);
  record(into, checks::list_order, false);
  record(from, checks::http_status, true);
  record(from, checks::http_status, false);
  record(from, checks::cert_object, true);
  merge_into(into, from);
  ASSERT_EQ(ids(into), (std::vector<std::string>{"cert.object", "http.status", "list.order"}));
  EXPECT_EQ(into.at("http.status").passed, 2u);
  EXPECT_EQ(into.at("http.status").failed, 1u);
  EXPECT_EQ(into.at("list.order").failed, 1u);
  EXPECT_EQ(into.at("cert.object").passed, 1u);
  // `from` is read only.
  EXPECT_EQ(from.at("http.status").passed, 1u);
  EXPECT_EQ(from.size(), 2u);
}

TEST(check_tally, merging_an_empty_tally_changes_nothing_and_merging_twice_doubles) {
  check_tally t;
  record(t, checks::schema, true);
  record(t, checks::schema, false);
  merge_into(t, check_tally{});
  EXPECT_EQ(t.at("schema").passed, 1u);
  EXPECT_EQ(t.at("schema").failed, 1u);
  const check_tally copy = t;
  merge_into(t, copy);
  EXPECT_EQ(t.at("schema").passed, 2u);
  EXPECT_EQ(t.at("schema").failed, 2u);
}

}  // namespace
}  // namespace certharness
