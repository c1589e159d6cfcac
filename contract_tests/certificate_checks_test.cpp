// The checks on one certificate that crawl and replay share: cert.validity, cert.object and the
// cert.consistency comparison of a GET by id with the list item it came from.
#include "certharness/conformance/certificate_checks.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace certharness {
namespace {

json_document parsed(const std::string& text) {
  decode_result d = decode_json(text);
  EXPECT_TRUE(d.ok()) << text;
  return std::move(*d.document);
}

const char* const k_pem = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n";

std::string certificate(const std::string& details, const std::string& object = "certificate") {
  return R"({"object":")" + object +
         R"(","id":"cert_a","name":"prod","created_at":1700000000,"certificate_details":)" +
         details + "}";
}

TEST(value_text, is_the_json_text_of_a_value) {
  const json_document d =
      parsed(R"({"n":1.50e3,"s":"a\"b","z":null,"t":true,"o":{},"a":[],"u":"caf\u00e9"})");
  const json_value r = d.root();
  EXPECT_EQ(value_text(r.find("n")), "1.50e3");  // the number's own text, not 1500
  EXPECT_EQ(value_text(r.find("s")), R"("a\"b")");
  EXPECT_EQ(value_text(r.find("z")), "null");
  EXPECT_EQ(value_text(r.find("missing")), "");
  // Not a scalar: its type's name, so a message can say what came instead.
  EXPECT_EQ(value_text(r.find("o")), std::string(to_string(r.find("o")->type())));
  EXPECT_EQ(value_text(r.find("a")), std::string(to_string(r.find("a")->type())));
  EXPECT_NE(value_text(r.find("o")), value_text(r.find("a")));
  EXPECT_EQ(value_text(r.find("t")), std::string(to_string(r.find("t")->type())));
}

TEST(check_certificate_validity, fails_only_when_valid_at_is_after_expires_at) {
  const struct {
    const char* name;
    std::string details;
    bool tallied;
    bool passed;
  } cases[] = {
      {"ordered", R"({"valid_at":1,"expires_at":2})", true, true},
      {"equal", R"({"valid_at":5,"expires_at":5})", true, true},
      {"reversed", R"({"valid_at":3,"expires_at":2})", true, false},
      {"fractions compared as numbers", R"({"valid_at":2.5,"expires_at":2.25})", true, false},
      {"exponent forms", R"({"valid_at":1e3,"expires_at":999})", true, false},
      {"a string is not compared", R"({"valid_at":"3","expires_at":2})", false, false},
      {"one missing", R"({"expires_at":2})", false, false},
      {"details not an object", R"([1,2])", false, false},
  };
  for (const auto& c : cases) {
    const json_document d = parsed(certificate(c.details));
    check_tally tally;
    findings out;
    check_certificate_validity(d.root(), "/data/4", tally, out);
    EXPECT_EQ(tally.count("cert.validity"), c.tallied ? 1u : 0u) << c.name;
    if (!c.tallied) {
      EXPECT_TRUE(out.empty()) << c.name;
      continue;
    }
    EXPECT_EQ(tally.at("cert.validity").passed, c.passed ? 1u : 0u) << c.name;
    EXPECT_EQ(tally.at("cert.validity").failed, c.passed ? 0u : 1u) << c.name;
    ASSERT_EQ(out.size(), c.passed ? 0u : 1u) << c.name;
    if (!c.passed) {
      EXPECT_EQ(out[0].check, "cert.validity");
      EXPECT_EQ(out[0].level, severity::error);
      EXPECT_EQ(out[0].pointer, "/data/4/certificate_details") << c.name;
    }
  }
  // The message quotes both numbers as the server wrote them.
  const json_document d = parsed(certificate(R"({"valid_at":1e3,"expires_at":999})"));
  check_tally tally;
  findings out;
  check_certificate_validity(d.root(), "", tally, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].message, "valid_at 1e3 is after expires_at 999");
}

TEST(check_fetched_certificate, wants_object_certificate_and_checks_validity_at_the_root) {
  {
    const json_document d = parsed(certificate(R"({"valid_at":1,"expires_at":2})"));
    check_tally tally;
    findings out;
    check_fetched_certificate(d.root(), tally, out);
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(tally.at("cert.object").passed, 1u);
    EXPECT_EQ(tally.at("cert.validity").passed, 1u);
  }
  {
    const json_document d =
        parsed(certificate(R"({"valid_at":3,"expires_at":2})", "organization.certificate"));
    check_tally tally;
    findings out;
    check_fetched_certificate(d.root(), tally, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].check, "cert.object");
    EXPECT_EQ(out[0].pointer, "/object");
    EXPECT_EQ(out[0].message,
              "GET by id answered object \"organization.certificate\", expected \"certificate\"");
    EXPECT_EQ(out[1].check, "cert.validity");
    EXPECT_EQ(out[1].pointer, "/certificate_details");
    EXPECT_EQ(tally.at("cert.object").failed, 1u);
  }
  {
    const json_document d = parsed(R"({"id":"cert_a"})");
    check_tally tally;
    findings out;
    check_fetched_certificate(d.root(), tally, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].check, "cert.object");
    EXPECT_EQ(tally.count("cert.validity"), 0u);
  }
}

TEST(check_list_items, checks_every_item_and_keeps_what_items_with_string_ids_say) {
  const json_document d = parsed(
      R"({"object":"list","data":[)"
      R"({"id":"cert_a","name":"a","created_at":1,"certificate_details":{"valid_at":1,"expires_at":2}},)"
      R"(7,)"
      R"({"id":9,"certificate_details":{"valid_at":5,"expires_at":4}},)"
      R"({"id":"cert_b","certificate_details":{"valid_at":9,"expires_at":8,"content":")" +
      std::string(k_pem) + R"("}}]})");
  check_tally tally;
  findings out;
  const auto items = check_list_items(d.root(), tally, out);
  EXPECT_EQ(tally.at("cert.validity").passed, 1u);
  EXPECT_EQ(tally.at("cert.validity").failed, 2u);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].pointer, "/data/2/certificate_details");
  EXPECT_EQ(out[1].pointer, "/data/3/certificate_details");
  ASSERT_EQ(items.size(), 2u);  // the item whose id is a number is checked but not kept
  EXPECT_EQ(items[0].first, "cert_a");
  EXPECT_EQ(items[0].second.id, "\"cert_a\"");
  EXPECT_EQ(items[0].second.name, "\"a\"");
  EXPECT_EQ(items[0].second.created_at, "1");
  EXPECT_FALSE(items[0].second.pem_content);
  EXPECT_EQ(items[1].first, "cert_b");
  EXPECT_EQ(items[1].second.name, "");  // absent
  EXPECT_EQ(items[1].second.valid_at, "9");
  EXPECT_TRUE(items[1].second.pem_content);

  for (const char* not_a_list : {R"({"data":{}})", R"([])", R"({"object":"list"})"}) {
    check_tally t;
    findings f;
    EXPECT_TRUE(check_list_items(parsed(not_a_list).root(), t, f).empty()) << not_a_list;
    EXPECT_TRUE(t.empty() && f.empty()) << not_a_list;
  }
}

certificate_fields fields_of(const std::string& text) {
  return read_certificate_fields(parsed(text).root());
}

TEST(certificate_differences, names_each_field_that_disagrees) {
  const std::string listed_text = certificate(R"({"valid_at":1,"expires_at":2})");
  const certificate_fields listed = fields_of(listed_text);
  EXPECT_TRUE(certificate_differences(listed, "cert_a", listed, false).empty());

  // include[]=content asked: the PEM must come back.
  const auto no_content = certificate_differences(listed, "cert_a", listed, true);
  ASSERT_EQ(no_content.size(), 1u);
  EXPECT_EQ(no_content[0].first, "/certificate_details/content");
  const certificate_fields with_pem = fields_of(
      certificate(R"({"valid_at":1,"expires_at":2,"content":")" + std::string(k_pem) + R"("})"));
  EXPECT_TRUE(certificate_differences(with_pem, "cert_a", listed, true).empty());

  // Every compared field differs: one entry each, in a fixed order, quoting both values.
  const certificate_fields got =
      fields_of(R"({"object":"certificate","id":"cert_z","name":"other","created_at":1.0,)"
                R"("certificate_details":{"valid_at":0}})");
  const auto diff = certificate_differences(got, "cert_a", listed, false);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"/id", R"(id is "cert_z", listed as "cert_a")"},
      {"/name", R"(name is "other", the list said "prod")"},
      // Numbers compare by their text, as the server wrote them.
      {"/created_at", "created_at is 1.0, the list said 1700000000"},
      {"/certificate_details/valid_at", "valid_at is 0, the list said 1"},
      {"/certificate_details/expires_at", "expires_at is absent, the list said 2"},
  };
  EXPECT_EQ(diff, expected);

  // The expected id is JSON-quoted the same way the got id is, whatever its bytes.
  const certificate_fields odd = fields_of(R"({"id":"a\"b/\u00e9"})");
  EXPECT_TRUE(certificate_differences(odd, "a\"b/\xc3\xa9", odd, false).empty());
}

}  // namespace
}  // namespace certharness
