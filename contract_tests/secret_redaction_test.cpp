// secret_redactor: every spelling of a secret that reports, recordings and messages can hold is
// replaced, whole escapes only, and nothing else changes.
#include "certharness/har/secret_redaction.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "certharness/json/json_document.hpp"

namespace certharness {
namespace {

constexpr const char* k_key = "sk-admin-Secret1";
// An organization id with every character some format escapes: JSON ("), XML (& < "),
// JSON Pointer (~ /), percent-encoding (all of them).
constexpr const char* k_org = "org-a\"b&c<d~e/f";

struct redaction_case {
  const char* name;
  std::string text;
  std::string expected;
};

void PrintTo(const redaction_case& c, std::ostream* os) { *os << c.name; }

class spellings : public ::testing::TestWithParam<redaction_case> {};

TEST_P(spellings, are_replaced) {
  const redaction_case& c = GetParam();
  const secret_redactor redactor({k_key, k_org});
  EXPECT_EQ(redactor.redacted(c.text), c.expected)
      << c.name << ": text " << c.text << "\nexpected " << c.expected;
}

INSTANTIATE_TEST_SUITE_P(
    secret_redaction, spellings,
    ::testing::Values(
        redaction_case{"raw", "a sk-admin-Secret1 b sk-admin-Secret1", "a [REDACTED] b [REDACTED]"},
        redaction_case{"percent", "/c/sk%2Dadmin%2dSecre%741?x", "/c/[REDACTED]?x"},
        redaction_case{"json_unicode", R"("sk-\u0061dmin-Secret\u0031")", R"("[REDACTED]")"},
        redaction_case{"json_of_a_json_escape", R"("sk-\\u0061dmin-Secret1")", R"("[REDACTED]")"},
        redaction_case{"json_of_a_percent_escape", R"(x sk-\u0025\u0036\u0031dmin-Secret1)",
                       "x [REDACTED]"},
        redaction_case{"printable", R"(\x73k-admin-Secret1)", "[REDACTED]"},
        redaction_case{"json_short_escapes", R"("org-a\"b&c<d~e\/f")", R"("[REDACTED]")"},
        redaction_case{"xml", "m=\"org-a&quot;b&amp;c&lt;d~e/f\"", "m=\"[REDACTED]\""},
        redaction_case{"xml_numeric", "org-a&#34;b&#x26;c&#60;d~e/f", "[REDACTED]"},
        redaction_case{"json_pointer", "/data/0/org-a\"b&c<d~0e~1f", "/data/0/[REDACTED]"},
        redaction_case{"percent_all", "org-a%22b%26c%3Cd%7Ee%2Ff", "[REDACTED]"},
        redaction_case{"cut_head", "Retry-After \"xxxxsk-admin-Se...\"",
                       "Retry-After \"xxxx[REDACTED]...\""},
        redaction_case{"cut_head_quoted", R"(string "sk-admin-Se"... (80 bytes))",
                       R"(string "[REDACTED]"... (80 bytes))"},
        redaction_case{"cut_head_json_quoted", R"(string \"sk-admin\"... (80 bytes))",
                       R"(string \"[REDACTED]\"... (80 bytes))"},
        redaction_case{"cut_tail", "xyz...min-Secret1 (30 characters)",
                       "xyz...[REDACTED] (30 characters)"},
        redaction_case{"short_cut_kept", "sk-...", "sk-..."},
        redaction_case{"near_miss_kept", "sk-admin-Secret sk-admin-Secret2x sk-admin_Secret1",
                       "sk-admin-Secret sk-admin-Secret2x sk-admin_Secret1"},
        redaction_case{"nothing", "GET https://h/v1/organization/certificates?limit=7",
                       "GET https://h/v1/organization/certificates?limit=7"}),
    [](const ::testing::TestParamInfo<redaction_case>& info) { return info.param.name; });

// A match that starts inside an escape widens to the whole escape: "\u0041" is never split into
// an invalid "\u00" + "[REDACTED]".
TEST(secret_redaction, never_splits_an_escape) {
  const secret_redactor redactor({"41abcd"});
  EXPECT_EQ(redactor.redacted(R"(["x\u0041abcd"])"), R"(["x[REDACTED]"])");
  const std::string json = R"({"m":"a%41abcd \u0034\u0031abcd"})";
  const std::string out = redactor.redacted(json);
  EXPECT_EQ(out, R"({"m":"a[REDACTED] [REDACTED]"})");
  EXPECT_TRUE(decode_json(out).ok()) << out;
}

TEST(secret_redaction, a_longer_secret_wins_and_empty_ones_are_ignored) {
  const secret_redactor redactor({"", "abcd", "xxabcdyy"});
  EXPECT_EQ(redactor.redacted("1 xxabcdyy 2 abcd"), "1 [REDACTED] 2 [REDACTED]");
  EXPECT_TRUE(secret_redactor({"", ""}).empty());
  std::string text = "unchanged";
  EXPECT_FALSE(secret_redactor({"abcd"}).redact(text));
  EXPECT_EQ(text, "unchanged");
}

// Hostile shapes stay cheap: many introducers and near-matches (bounded by the ctest timeout).
TEST(secret_redaction, escape_heavy_text_is_handled) {
  std::string text;
  for (int i = 0; i < 20'000; ++i) text += "%25\\\\&amp;~0s";
  text += "sk-admin-Secret1";
  const std::string out = secret_redactor({k_key}).redacted(text);
  EXPECT_TRUE(out.ends_with("s[REDACTED]")) << out.substr(out.size() - 40);
}

}  // namespace
}  // namespace certharness
