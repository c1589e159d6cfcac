// Negative probes: the rule a list query breaks (with where the spec states it, read from the
// operation table and worded as it always was: the words are what request.accepted_invalid
// quotes), the unknown-id probe, and the expectations crawl and replay judge their answers by.
#include "certharness/conformance/negative_probes.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "certharness/schema/operation_table.hpp"

namespace certharness {
namespace {

TEST(broken_list_rule, names_the_rule_a_query_breaks) {
  const struct {
    const char* name;
    query_list query;
    std::optional<std::string> rule;
  } cases[] = {
      {"no query", {}, std::nullopt},
      {"the bounds", {{"limit", "1"}, {"order", "asc"}}, std::nullopt},
      {"the other bound", {{"limit", "100"}, {"order", "desc"}}, std::nullopt},
      {"after is not judged", {{"after", "%zz"}}, std::nullopt},
      {"limit 0",
       {{"limit", "0"}},
       "limit=0 is out of range (the spec's description says 1..100; its schema sets no bounds)"},
      {"limit 101",
       {{"limit", "101"}},
       "limit=101 is out of range (the spec's description says 1..100; its schema sets no bounds)"},
      {"limit -1",
       {{"limit", "-1"}},
       "limit=-1 is out of range (the spec's description says 1..100; its schema sets no bounds)"},
      {"limit beyond int64",
       {{"limit", "99999999999999999999"}},
       "limit=99999999999999999999 is out of range (the spec's description says 1..100; its "
       "schema sets no bounds)"},
      {"limit not a number",
       {{"limit", "abc"}},
       "limit=abc is not an integer (the spec's schema says integer)"},
      {"limit with a fraction",
       {{"limit", "1.0"}},
       "limit=1.0 is not an integer (the spec's schema says integer)"},
      {"limit with a sign",
       {{"limit", "+5"}},
       "limit=+5 is not an integer (the spec's schema says integer)"},
      {"empty limit", {{"limit", ""}}, "limit= is not an integer (the spec's schema says integer)"},
      {"order",
       {{"order", "sideways"}},
       "order=sideways is neither asc nor desc (the spec's schema enum)"},
      {"order is case-sensitive",
       {{"order", "ASC"}},
       "order=ASC is neither asc nor desc (the spec's schema enum)"},
      // One rule at a time: the limit's is named first.
      {"both broken",
       {{"order", "x"}, {"limit", "0"}},
       "limit=0 is out of range (the spec's description says 1..100; its schema sets no bounds)"},
      // A repeated parameter: its first value is the one judged.
      {"repeated, first bad",
       {{"limit", "0"}, {"limit", "5"}},
       "limit=0 is out of range (the spec's description says 1..100; its schema sets no bounds)"},
      {"repeated, first good", {{"limit", "5"}, {"limit", "0"}}, std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(broken_list_rule(c.query), c.rule) << c.name;
}

TEST(broken_list_rule, quotes_a_hostile_value_cut) {
  const std::optional<std::string> rule = broken_list_rule({{"limit", std::string(10'000, '9')}});
  ASSERT_TRUE(rule.has_value());
  EXPECT_LT(rule->size(), 200u);
  EXPECT_TRUE(rule->starts_with("limit=" + std::string(40, '9') + "... is out of range")) << *rule;
}

TEST(list_probe_queries, each_breaks_exactly_the_rule_it_is_for) {
  ASSERT_FALSE(list_probe_queries().empty());
  for (const query_list& q : list_probe_queries()) {
    ASSERT_EQ(q.size(), 1u);
    EXPECT_TRUE(broken_list_rule(q).has_value()) << q[0].first << "=" << q[0].second;
    const response_expectation e = list_expectation("ListCertificatesResponse", q);
    EXPECT_EQ(e.success_schema, "ListCertificatesResponse");
    EXPECT_EQ(e.broken_rule, broken_list_rule(q));
  }
  EXPECT_EQ(list_expectation("ListProjectCertificatesResponse", {{"limit", "7"}}).broken_rule,
            std::nullopt);
}

TEST(unknown_certificate_probe, is_recognised_by_its_prefix) {
  EXPECT_TRUE(is_unknown_certificate_probe(k_unknown_certificate_id));
  EXPECT_TRUE(is_unknown_certificate_probe("cert_certharness_does_not_exist_42"));
  EXPECT_FALSE(is_unknown_certificate_probe("cert_abc"));
  EXPECT_FALSE(is_unknown_certificate_probe("cert_certharness_does_not"));
  EXPECT_FALSE(is_unknown_certificate_probe(""));

  const response_expectation probe = get_certificate_expectation(k_unknown_certificate_id);
  EXPECT_EQ(probe.success_schema, "Certificate");
  EXPECT_TRUE(probe.broken_rule.has_value());
  const response_expectation plain = get_certificate_expectation("cert_abc");
  EXPECT_EQ(plain.success_schema, "Certificate");
  EXPECT_FALSE(plain.broken_rule.has_value());

  const response_expectation deleted = get_deleted_certificate_expectation();
  EXPECT_EQ(deleted.success_schema, "Certificate");
  EXPECT_TRUE(deleted.broken_rule.has_value());
  EXPECT_NE(deleted.broken_rule, probe.broken_rule);
}


TEST(broken_list_rule, names_the_rule_and_where_the_spec_states_it) {
  const struct {
    query_list query;
    std::optional<std::string> rule;
  } cases[] = {
      {{}, std::nullopt},
      {{{"limit", "1"}, {"order", "asc"}}, std::nullopt},
      {{{"limit", "100"}, {"order", "desc"}, {"after", "x"}}, std::nullopt},
      {{{"limit", "0"}},
       "limit=0 is out of range (the spec's description says 1..100; its schema sets no bounds)"},
      {{{"limit", "101"}},
       "limit=101 is out of range (the spec's description says 1..100; its schema sets no "
       "bounds)"},
      {{{"limit", "99999999999999999999"}},
       "limit=99999999999999999999 is out of range (the spec's description says 1..100; its "
       "schema sets no bounds)"},
      {{{"limit", "abc"}}, "limit=abc is not an integer (the spec's schema says integer)"},
      {{{"limit", "7 "}}, "limit=7  is not an integer (the spec's schema says integer)"},
      {{{"order", "sideways"}}, "order=sideways is neither asc nor desc (the spec's schema enum)"},
      {{{"order", "ASC"}}, "order=ASC is neither asc nor desc (the spec's schema enum)"},
      // The first value of a repeated parameter is the one judged.
      {{{"limit", "5"}, {"limit", "0"}}, std::nullopt},
  };
  for (const auto& c : cases) {
    std::string shown;
    for (const auto& [k, v] : c.query) shown += k + "=" + v + "&";
    EXPECT_EQ(broken_list_rule(c.query), c.rule) << shown;
  }
}

TEST(broken_list_rule, every_probe_breaks_a_rule_and_is_judged_by_the_list_schema) {
  const std::string schema =
      operation_table::builtin().success_schema(certificate_operation::list_certificates);
  for (const query_list& probe : list_probe_queries()) {
    const response_expectation e = list_expectation(schema, probe);
    EXPECT_TRUE(e.broken_rule.has_value()) << probe.front().first << "=" << probe.front().second;
    EXPECT_EQ(e.success_schema, "ListCertificatesResponse");
  }
}

TEST(get_certificate_expectation, the_unknown_id_probe_expects_a_4xx_by_the_get_schema) {
  EXPECT_FALSE(get_certificate_expectation("cert_1").broken_rule.has_value());
  EXPECT_EQ(get_certificate_expectation("cert_1").success_schema, "Certificate");
  const response_expectation probe = get_certificate_expectation(k_unknown_certificate_id);
  EXPECT_TRUE(probe.broken_rule.has_value());
  EXPECT_EQ(probe.success_schema, "Certificate");
  EXPECT_TRUE(is_unknown_certificate_probe("cert_certharness_does_not_exist_42"));
  EXPECT_FALSE(is_unknown_certificate_probe("cert_certharness"));
  EXPECT_EQ(get_deleted_certificate_expectation().success_schema, "Certificate");
  EXPECT_TRUE(get_deleted_certificate_expectation().broken_rule.has_value());
}

}  // namespace
}  // namespace certharness
