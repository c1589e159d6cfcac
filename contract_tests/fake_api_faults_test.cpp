// fake_api_faults: the fault catalogue (each fault once, under one command-line name that parses
// back to it) and rewrite_member, the body rewriting of the faults that break a member's presence
// (missing-required) or type (wrong-type) in compact JSON as models::encode writes it.
#include "certharness/fake_api/fake_api_faults.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "certharness/fake_api/fake_api.hpp"
#include "certharness/json/json_document.hpp"

namespace certharness::fake_api_internal {
namespace {

// ---- The catalogue.

TEST(fake_api_faults_catalogue, every_fault_once_under_a_unique_name_that_parses_back) {
  std::set<std::string_view> names;
  std::map<int, int> times_listed;
  for (const fault_info& f : fault_catalogue()) {
    SCOPED_TRACE(std::string(f.name));
    EXPECT_TRUE(names.insert(f.name).second) << "name listed twice";
    ++times_listed[static_cast<int>(f.fault)];
    EXPECT_EQ(parse_fault(f.name), f.fault);
    // A command-line word: lower-case letters, digits and single inner dashes.
    ASSERT_FALSE(f.name.empty());
    EXPECT_NE(f.name.front(), '-');
    EXPECT_NE(f.name.back(), '-');
    EXPECT_EQ(f.name.find("--"), std::string_view::npos);
    for (const char c : f.name) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') << c;
    }
  }
  // The enum runs from first_id_mismatch to strict_deleted_cursor: each value exactly once.
  const int last = static_cast<int>(fake_fault::strict_deleted_cursor);
  for (int v = 0; v <= last; ++v) EXPECT_EQ(times_listed[v], 1) << "fake_fault value " << v;
  EXPECT_EQ(fault_catalogue().size(), static_cast<std::size_t>(last + 1));
}

TEST(fake_api_faults_catalogue, only_exact_names_parse) {
  for (const std::string_view name :
       {"", "slow ", " slow", "SLOW", "Slow", "slo", "slowly", "wrong_type", "wrong-type\n",
        "429_without_retry_after", "too-many-requests-without-retry-after", "-"}) {
    EXPECT_EQ(parse_fault(name), std::nullopt) << "'" << name << "'";
  }
  EXPECT_EQ(parse_fault("slow"), fake_fault::slow);
  EXPECT_EQ(parse_fault("429-without-retry-after"),
            fake_fault::too_many_requests_without_retry_after);
}

// ---- rewrite_member.

struct rewrite_case {
  std::string name;
  std::string json;
  std::string key;
  std::optional<std::string> value;  // nullopt: remove the member
  std::string expected;
};

TEST(fake_api_faults_rewrite, replaces_or_removes_every_member_of_that_name_and_nothing_else) {
  const std::vector<rewrite_case> cases = {
      {"a string value replaced", R"({"id":"a","name":"x","active":true})", "name", "42",
       R"({"id":"a","name":42,"active":true})"},
      {"null replaced", R"({"name":null})", "name", "42", R"({"name":42})"},
      {"a literal replaced by a string", R"({"active":false,"id":"a"})", "active", R"("yes")",
       R"({"active":"yes","id":"a"})"},
      {"escaped quotes and backslashes inside the old value", R"({"name":"a\"b\\","id":"c"})",
       "name", "42", R"({"name":42,"id":"c"})"},
      {"a member name inside a string value is not a member",
       R"({"note":"\"name\":1,","name":"x"})", "name", "42", R"({"note":"\"name\":1,","name":42})"},
      {"a value spelled like the key is not a member", R"({"x":"name","name":"y"})", "name", "42",
       R"({"x":"name","name":42})"},
      {"longer keys ending or starting alike are left", R"({"first_name":"a","name_x":"b"})",
       "name", "42", R"({"first_name":"a","name_x":"b"})"},
      {"nested members in every item",
       R"({"object":"list","data":[{"id":"a","name":"x"},{"id":"b","name":null}],"first_id":"a"})",
       "name", "42",
       R"({"object":"list","data":[{"id":"a","name":42},{"id":"b","name":42}],"first_id":"a"})"},
      {"an absent member leaves the text as it is", R"({"id":"a","data":[{"id":"b"}]})", "name",
       "42", R"({"id":"a","data":[{"id":"b"}]})"},
      {"removed: the first member", R"({"active":true,"id":"a"})", "active", std::nullopt,
       R"({"id":"a"})"},
      {"removed: a middle member", R"({"id":"a","active":true,"name":"x"})", "active", std::nullopt,
       R"({"id":"a","name":"x"})"},
      {"removed: the last member", R"({"id":"a","active":false})", "active", std::nullopt,
       R"({"id":"a"})"},
      {"removed: the only member", R"({"active":true})", "active", std::nullopt, R"({})"},
      {"removed: in every item of a list",
       R"({"data":[{"id":"a","active":true},{"active":false,"id":"b"},{"active":true}],"has_more":false})",
       "active", std::nullopt, R"({"data":[{"id":"a"},{"id":"b"},{}],"has_more":false})"},
      {"removed: a string member with a comma and brace inside",
       R"({"id":"a","name":"x,}\"y","active":true})", "name", std::nullopt,
       R"({"id":"a","active":true})"},
      {"removed: absent", R"({"id":"a"})", "active", std::nullopt, R"({"id":"a"})"},
      {"empty text", "", "name", "42", ""},
  };
  for (const rewrite_case& c : cases) {
    std::string json = c.json;
    rewrite_member(json, c.key, c.value ? std::optional<std::string_view>(*c.value) : std::nullopt);
    EXPECT_EQ(json, c.expected) << c.name << ": " << c.json;
    if (!c.expected.empty()) EXPECT_TRUE(decode_json(json).ok()) << c.name << ": " << json;
  }
}

TEST(fake_api_faults_rewrite, a_replacement_containing_the_key_is_not_rewritten_again) {
  // The scan resumes after what it wrote, so a value holding the pattern cannot loop.
  std::string json = R"({"name":"a","id":"b"})";
  rewrite_member(json, "name", R"({"name":1})");
  EXPECT_EQ(json, R"({"name":{"name":1},"id":"b"})");
}

}  // namespace
}  // namespace certharness::fake_api_internal
