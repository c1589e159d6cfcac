// URLs as libcurl reads them, and the gate on where crawl may send the admin key.
#include "certharness/http/url.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace certharness {
namespace {

TEST(parse_url, reports_the_parts_as_curl_reads_them) {
  const auto p = parse_url("HTTP://User:Pw@Example.COM:8080/v1/a%2Fb?x=1#frag");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->scheme, "http");
  EXPECT_EQ(p->host, "Example.COM");
  EXPECT_EQ(p->port, "8080");
  EXPECT_EQ(p->path, "/v1/a%2Fb");
  EXPECT_TRUE(p->has_query);
  EXPECT_EQ(p->query, "x=1");
  EXPECT_TRUE(p->has_fragment);
  EXPECT_EQ(p->fragment, "frag");
  EXPECT_TRUE(p->has_userinfo);

  const auto bare = parse_url("https://[::1]");
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->host, "[::1]");
  EXPECT_EQ(bare->path, "/");
  EXPECT_FALSE(bare->has_query || bare->has_fragment || bare->has_userinfo);
  EXPECT_EQ(bare->port, "");

  // The transport sends paths as built (CURLOPT_PATH_AS_IS): the parse keeps dot segments too.
  EXPECT_EQ(parse_url("http://127.0.0.1/v1/../x")->path, "/v1/../x");
}

TEST(parse_url, refuses_what_curl_refuses) {
  const std::string with_nul("http://127.0.0.1\0@evil.invalid/", 32);
  for (const std::string& text :
       std::vector<std::string>{"", "127.0.0.1/v1", "http://", "http://127.0.0.1 /",
                                "http://127.0.0.1:99999/", "http://127.0.0.1%00.evil/", with_nul}) {
    std::string why;
    EXPECT_FALSE(parse_url(text, &why).has_value()) << "\"" << text << "\"";
    EXPECT_FALSE(why.empty()) << "\"" << text << "\"";
  }
}

TEST(is_loopback_host, takes_only_the_literal_forms) {
  for (const char* host : {"127.0.0.1", "127.255.255.255", "127.0.0.0", "127.1.2.3", "localhost",
                           "LOCALHOST", "LocalHost", "[::1]"}) {
    EXPECT_TRUE(is_loopback_host(host)) << host;
  }
  for (const char* host : {"",
                           "127",
                           "127.1",
                           "127.0.0.1.",
                           "127.0.0.01",
                           "127.0.0.256",
                           "127.0.0.1.2",
                           "127..0.1",
                           "0127.0.0.1",
                           "128.0.0.1",
                           "126.255.255.255",
                           "127.0.0.1.evil.invalid",
                           "127.example.invalid",
                           "localhost.",
                           "a.localhost",
                           "localhost.localdomain",
                           "[::ffff:127.0.0.1]",
                           "::1",
                           "[0:0:0:0:0:0:0:1]",
                           "0.0.0.0",
                           "2130706433",
                           " 127.0.0.1"}) {
    EXPECT_FALSE(is_loopback_host(host)) << host;
  }
}

// One row per spelling the README's gate table decides. `url` is what crawl prefixes request
// paths with when the gate passes; `problem` a part of the refusal otherwise.
struct gate_case {
  const char* base;
  const char* url;      // nullptr: refused
  const char* problem;  // nullptr: accepted
};

const gate_case k_gate_cases[] = {
    {"http://127.0.0.1:4000/v1", "http://127.0.0.1:4000/v1", nullptr},
    {"http://127.0.0.1:4000/v1/", "http://127.0.0.1:4000/v1", nullptr},
    {"http://127.0.0.1", "http://127.0.0.1", nullptr},
    {"http://127.200.3.4:80/v1", "http://127.200.3.4:80/v1", nullptr},
    {"http://localhost:4000/v1", "http://localhost:4000/v1", nullptr},
    {"http://[::1]:4000/v1", "http://[::1]:4000/v1", nullptr},
    {"https://api.openai.com/v1", "https://api.openai.com/v1", nullptr},
    {"https://example.invalid:8443/v1/", "https://example.invalid:8443/v1", nullptr},
    // Upper case: the scheme and host names are case-insensitive; curl lowers the scheme.
    {"HTTP://LOCALHOST:4000/v1", "http://LOCALHOST:4000/v1", nullptr},
    // curl reads these numeric forms as 127.0.0.1 and connects there: the gate sees the same.
    {"http://127.1:4000/v1", "http://127.0.0.1:4000/v1", nullptr},
    {"http://2130706433:4000/v1", "http://127.0.0.1:4000/v1", nullptr},
    {"http://0x7f.1/v1", "http://127.0.0.1/v1", nullptr},
    {"http://0177.0.0.1/v1", "http://127.0.0.1/v1", nullptr},
    {"http://[0:0:0:0:0:0:0:1]/v1", "http://[::1]/v1", nullptr},
    // Bypasses that fooled an earlier hand-written URL splitter: the key would go to another host.
    {"http://127.0.0.1@evil.invalid/v1", nullptr, "userinfo"},
    {"http://127.0.0.1.evil.invalid/v1", nullptr, "plain http to 127.0.0.1.evil.invalid"},
    {"http://127.example.invalid/v1", nullptr, "plain http to 127.example.invalid"},
    {"http://127.0.0.1\\@evil.invalid/v1", nullptr, "userinfo"},
    {"http://user:pw@127.0.0.1/v1", nullptr, "userinfo"},
    {"http://@127.0.0.1/v1", nullptr, "userinfo"},
    {"https://user@api.openai.com/v1", nullptr, "userinfo"},
    {"http://evil.invalid#@127.0.0.1/v1", nullptr, "query or fragment"},
    {"http://127.0.0.1/v1?x=1", nullptr, "query or fragment"},
    // Refused spellings: not literally loopback as curl reports them.
    {"http://127.0.0.1./v1", nullptr, "plain http to 127.0.0.1."},
    {"http://localhost./v1", nullptr, "plain http to localhost."},
    {"http://a.localhost/v1", nullptr, "plain http to a.localhost"},
    {"http://[::ffff:127.0.0.1]/v1", nullptr, "plain http to [::ffff:127.0.0.1]"},
    {"http://[::1%25lo]/v1", nullptr, "plain http to [::1] (zone lo)"},
    {"http://0.0.0.0/v1", nullptr, "plain http to 0.0.0.0"},
    {"http://example.invalid/v1", nullptr, "plain http to example.invalid"},
    // Not an http(s) URL at all.
    {"ftp://127.0.0.1/v1", nullptr, "must be an http or https URL"},
    {"127.0.0.1:4000/v1", nullptr, "is not a URL libcurl accepts"},
    {"http://127.0.0.1 /v1", nullptr, "is not a URL libcurl accepts"},
    {"", nullptr, "is not a URL libcurl accepts"},
};

TEST(check_base_url, decides_every_spelling_in_the_table) {
  for (const gate_case& c : k_gate_cases) {
    const base_url_check got = check_base_url(c.base);
    if (c.url != nullptr) {
      EXPECT_FALSE(got.problem.has_value()) << c.base << ": refused: " << got.problem.value_or("");
      EXPECT_EQ(got.url, c.url) << c.base;
    } else {
      ASSERT_TRUE(got.problem.has_value()) << c.base << ": accepted as " << got.url;
      EXPECT_NE(got.problem->find(c.problem), std::string::npos)
          << c.base << ": expected \"" << c.problem << "\" in: " << *got.problem;
      EXPECT_EQ(got.url, "") << c.base;
    }
  }
}

TEST(check_base_url, never_repeats_userinfo_and_names_the_option) {
  const base_url_check got = check_base_url("http://secret-token@evil.invalid/v1", "--base");
  ASSERT_TRUE(got.problem.has_value());
  EXPECT_EQ(got.problem->find("secret-token"), std::string::npos) << *got.problem;
  EXPECT_NE(got.problem->find("evil.invalid"), std::string::npos) << *got.problem;
  EXPECT_EQ(got.problem->rfind("--base ", 0), 0u) << *got.problem;
  const base_url_check bad = check_base_url("http://secret-token@ bad/v1");
  ASSERT_TRUE(bad.problem.has_value());
  EXPECT_EQ(bad.problem->find("secret-token"), std::string::npos) << *bad.problem;
}

}  // namespace
}  // namespace certharness
