// URLs as libcurl reads them, the gate on where crawl may send the admin key, request targets
// built and read, and URLs split as an archive recorded them.
#include "certharness/http/url.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
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
    const result<url_parts> p = parse_url(text);
    ASSERT_FALSE(p.has_value()) << "\"" << text << "\"";
    EXPECT_FALSE(p.error().empty()) << "\"" << text << "\"";
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

// ---- building and reading request targets (moved from http_client_test and http_message_test)

TEST(percent_encode, keeps_only_unreserved_characters) {
  EXPECT_EQ(percent_encode("cert_abc"), "cert_abc");
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode("a/b?c#d%e f"), "a%2Fb%3Fc%23d%25e%20f");
  EXPECT_EQ(percent_encode("+&=[]"), "%2B%26%3D%5B%5D");
  EXPECT_EQ(percent_encode("caf\xC3\xA9 \xE2\x82\xAC"), "caf%C3%A9%20%E2%82%AC");
  EXPECT_EQ(percent_encode(std::string_view("\0\xFF", 2)), "%00%FF");
  EXPECT_EQ(percent_encode(""), "");
  // A dot segment is escaped whole; dots inside a component stay.
  EXPECT_EQ(percent_encode("."), "%2E");
  EXPECT_EQ(percent_encode(".."), "%2E%2E");
  EXPECT_EQ(percent_encode("..."), "...");
  EXPECT_EQ(percent_encode("a.b"), "a.b");
}

TEST(parse_request_target, splits_and_decodes) {
  const auto t = parse_request_target(
      "/v1/organization/certificates/cert%20a%2Fb?limit=2&include%5B%5D=content&after=&x=a+b%2B");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->path, "/v1/organization/certificates/cert a/b");
  using kv = std::pair<std::string, std::string>;
  const std::vector<kv> expected{
      {"limit", "2"}, {"include[]", "content"}, {"after", ""}, {"x", "a b+"}};
  EXPECT_EQ(t->query, expected);
}

TEST(parse_request_target, keeps_repeats_and_order) {
  const auto t = parse_request_target("/p?b=1&a=2&b=3&&flag");
  ASSERT_TRUE(t.has_value());
  using kv = std::pair<std::string, std::string>;
  EXPECT_EQ(t->query, (std::vector<kv>{{"b", "1"}, {"a", "2"}, {"b", "3"}, {"flag", ""}}));
}

TEST(parse_request_target, refuses_malformed_targets) {
  for (const char* target :
       {"", "v1/x", "/a%", "/a%2", "/a%zz", "/a?b=%g0", "*", "http://host/path"}) {
    EXPECT_FALSE(parse_request_target(target).has_value()) << target;
  }
  EXPECT_TRUE(parse_request_target("/").has_value());
}

TEST(path_segments, split_at_slashes_before_decoding) {
  using segments = std::vector<std::string>;
  const std::pair<const char*, segments> cases[] = {
      {"/organization/certificates/cert%2Fx", {"organization", "certificates", "cert/x"}},
      {"/a%2F%2Fb/c", {"a//b", "c"}},
      {"/%41%20b+c", {"A b+c"}},  // '+' is a plus in a path
      {"/", {""}},
      {"/a/", {"a", ""}},
      {"//a", {"", "a"}},
      {"/\xff%00", {std::string("\xff\0", 2)}},
  };
  for (const auto& [raw, expected] : cases) {
    const auto got = path_segments(raw);
    ASSERT_TRUE(got.has_value()) << raw;
    EXPECT_EQ(*got, expected) << raw;
  }
  for (const char* raw : {"", "a/b", "/a%2", "/a%zz/b", "/ok/%"}) {
    EXPECT_FALSE(path_segments(raw).has_value()) << raw;
  }
}

TEST(append_query, starts_with_a_question_mark_then_ampersands) {
  std::string target = "/organization/certificates";
  append_query(target, "limit", "2");
  EXPECT_EQ(target, "/organization/certificates?limit=2");
  append_query(target, "include[]", "content");
  append_query(target, "after", "a&b=c d");
  EXPECT_EQ(target, "/organization/certificates?limit=2&include%5B%5D=content&after=a%26b%3Dc%20d");
  const auto back = parse_request_target(target);
  ASSERT_TRUE(back.has_value());
  using kv = std::pair<std::string, std::string>;
  EXPECT_EQ(back->query,
            (std::vector<kv>{{"limit", "2"}, {"include[]", "content"}, {"after", "a&b=c d"}}));
}

TEST(percent_decode, reads_either_case_and_plus_only_in_a_query) {
  EXPECT_EQ(percent_decode("%2f%2F%41"), "//A");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode(""), "");
  for (const char* bad : {"%", "%4", "%g1", "%1g", "a%", "%%41"}) {
    EXPECT_FALSE(percent_decode(bad).has_value()) << bad;
  }
}

TEST(parse_request_target, keeps_the_raw_path_as_sent) {
  const auto t = parse_request_target("/v1/a%2Fb/c?x=%2F");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->raw_path, "/v1/a%2Fb/c");
  EXPECT_EQ(raw_path_of("/v1/a%2Fb/c?x=%2F"), "/v1/a%2Fb/c");
  EXPECT_EQ(raw_path_of("/p"), "/p");
  EXPECT_EQ(raw_path_of("?q"), "");
}

// The parts of a URL as an archive recorded it: every view is a piece of the text, nothing is
// normalised, nothing refused.
TEST(split_url_text, splits_as_written) {
  struct row {
    std::string url;
    bool has_authority;
    std::string scheme;
    std::optional<std::string> userinfo;
    std::string host_port, target;
    std::optional<std::string> fragment;
  };
  const std::vector<row> rows{
      {"HTTPS://u:p@H.example:8443/v1/a%2Fb?x=1#f#g", true, "HTTPS", "u:p", "H.example:8443",
       "/v1/a%2Fb?x=1", "f#g"},
      {"https://h?q=1", true, "https", std::nullopt, "h", "?q=1", std::nullopt},
      {"https://a@b@h/p", true, "https", "a@b", "h", "/p", std::nullopt},
      {"https://@h", true, "https", "", "h", "", std::nullopt},
      {"https://h#/p", true, "https", std::nullopt, "h", "", "/p"},
      {"/v1/organization/certificates?limit=2", false, "", std::nullopt, "",
       "/v1/organization/certificates?limit=2", std::nullopt},
      {"httpganization/x y#", false, "", std::nullopt, "", "httpganization/x y", ""},
      {"", false, "", std::nullopt, "", "", std::nullopt},
  };
  for (const row& r : rows) {
    const url_text_parts p = split_url_text(r.url);
    EXPECT_EQ(p.has_authority, r.has_authority) << r.url;
    EXPECT_EQ(p.scheme, r.scheme) << r.url;
    EXPECT_EQ(p.userinfo, r.userinfo) << r.url;
    EXPECT_EQ(p.host_port, r.host_port) << r.url;
    EXPECT_EQ(p.target, r.target) << r.url;
    EXPECT_EQ(p.fragment, r.fragment) << r.url;
  }
}

TEST(parse_url_target, reads_a_missing_path_as_the_root) {
  const auto only_query = parse_url_target("https://h?api_key=a+b");
  ASSERT_TRUE(only_query.has_value());
  EXPECT_EQ(only_query->path, "/");
  using kv = std::pair<std::string, std::string>;
  EXPECT_EQ(only_query->query, (std::vector<kv>{{"api_key", "a b"}}));
  const auto root = parse_url_target("https://h");
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(root->raw_path, "/");
  const auto path = parse_url_target("https://h/v1/a%2Fb#frag?x=1");
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(path->raw_path, "/v1/a%2Fb");
  EXPECT_TRUE(path->query.empty());
  EXPECT_FALSE(parse_url_target("https://h/a%zz").has_value());
  EXPECT_FALSE(parse_url_target("relative/path").has_value());
}

TEST(endpoint_of, names_host_and_port_only) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"http://127.0.0.1:4000/v1/organization/certificates?after=sk-secret", "127.0.0.1:4000"},
      {"https://user:sk-secret@api.example/v1", "api.example:443"},
      {"http://[::1]/x", "[::1]:80"},
      {"localhost:9/path", "localhost:9"},  // no scheme: guessed, as curl_easy_perform does
      {"http://", "invalid URL"},
      {"", "invalid URL"},
      {std::string("http://127.0.0.1:1\0@evil.invalid/", 33), "127.0.0.1:1"},
  };
  for (const auto& [url, expected] : cases) EXPECT_EQ(endpoint_of(url), expected) << url;
}

}  // namespace
}  // namespace certharness

namespace certharness {
namespace {

// serve prints the URL it listens on with http_url: what a crawl is then pointed at.
TEST(http_url, writes_host_port_and_path_with_brackets_for_ipv6) {
  const struct {
    const char* host;
    int port;
    const char* path;
    const char* want;
  } cases[] = {
      {"127.0.0.1", 8080, "/v1", "http://127.0.0.1:8080/v1"},
      {"::1", 1, "/v1", "http://[::1]:1/v1"},
      {"localhost", 65535, "", "http://localhost:65535"},
      {"127.0.0.1", 80, "/a/b", "http://127.0.0.1:80/a/b"},
  };
  for (const auto& c : cases) {
    const result<std::string> got = http_url(c.host, c.port, c.path);
    ASSERT_TRUE(got.has_value()) << c.host << ": " << got.error();
    EXPECT_EQ(*got, c.want) << c.host;
    // What it writes reads back as the same host, port and path.
    const result<url_parts> back = parse_url(*got);
    ASSERT_TRUE(back.has_value()) << *got;
    EXPECT_EQ(back->port, std::to_string(c.port)) << *got;
  }
  EXPECT_FALSE(http_url("a b", 80, "/v1").has_value());
}

}  // namespace
}  // namespace certharness
