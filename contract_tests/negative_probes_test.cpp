// The rules a list request can break, read from the operation table, worded as they always were
// (the words are what request.accepted_invalid quotes), and the probes crawl sends.
#include "certharness/conformance/negative_probes.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "certharness/schema/operation_table.hpp"

namespace certharness {
namespace {

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
