// HAR redaction (har_redaction.cpp): secret headers, URL parts and JSON members; no secret
// reaches the output.
#include "certharness/har/har.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "certharness/http/url.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/version.hpp"

#include "har_samples.hpp"

namespace certharness {
namespace {

using namespace std::string_literals;
namespace fs = std::filesystem;
using namespace test_support;

// ---- redaction ----

TEST(is_secret_header, names_credentials_and_organization_ids) {
  for (const char* name :
       {"Authorization", "authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
        "OpenAI-Organization", "openai-organization", "OpenAI-Project", "X-Api-Key", "Api-Key",
        "x-api-key", "X-Auth-Token", "X-Client-Secret", "X-Goog-Apikey", "X-Password",
        "X-Amz-Security-Token", "Sec-WebSocket-Key"}) {
    EXPECT_TRUE(is_secret_header(name)) << name;
  }
  for (const char* name :
       {"Content-Type", "Accept", "Keep-Alive", "X-Request-Id", "OpenAI-Version", "Retry-After",
        "User-Agent", "Location", "X-Keyword", "Content-Length"}) {
    EXPECT_FALSE(is_secret_header(name)) << name;
  }
}

TEST(is_secret_field, names_secrets_but_not_certificates) {
  for (const char* name :
       {"key", "api_key", "apikey", "apiKey", "API-KEY", "token", "access_token", "refresh_token",
        "accessToken", "secret", "client_secret", "password", "Password", "authorization",
        "private_key", "privateKey", "auth", "credentials"}) {
    EXPECT_TRUE(is_secret_field(name)) << name;
  }
  for (const char* name : {"certificate",
                           "certificate_ids",
                           "certificate_details",
                           "id",
                           "name",
                           "content",
                           "object",
                           "created_at",
                           "valid_at",
                           "expires_at",
                           "active",
                           "data",
                           "first_id",
                           "last_id",
                           "has_more",
                           "message",
                           "type",
                           "param",
                           "code",
                           "token_type",
                           "keyword",
                           "key_id"}) {
    EXPECT_FALSE(is_secret_field(name)) << name;
  }
}

TEST(redacted, replaces_secret_headers_and_json_fields_at_any_depth) {
  har_entry e;
  e.method = "POST";
  e.url = "https://api.openai.com/v1/organization/certificates";
  e.request_headers = {{"Authorization", "Bearer sk-admin-HEADER"},
                       {"Cookie", "session=COOKIE"},
                       {"OpenAI-Organization", "org-ORGID"},
                       {"x-api-key", "CUSTOMKEY"},
                       {"Content-Type", "application/json"}};
  e.request_body =
      R"({"name":"n","certificate":"-----BEGIN CERTIFICATE-----\nMIIB\n",)"
      R"("api_key":"BODYKEY","nested":{"deeper":[{"token":"DEEPTOKEN","content":"PEM"},)"
      R"({"password":{"x":["OBJECTPW"]}}]},"size":1.50e3})";
  e.status = 200;
  e.response_headers = {{"Set-Cookie", "a=SETCOOKIE"}, {"Content-Type", "application/json"}};
  e.response_body =
      R"({"data":[{"id":"cert_1","client_secret":"RESPSECRET","certificate_details":)"
      R"({"content":"PEM"}}],"access_token":"ACCESSTOKEN","certificate_ids":["cert_1"]})";

  const har_entry r = redacted(e, {});
  EXPECT_EQ(r.request_headers, (header_list{{"Authorization", "[REDACTED]"},
                                            {"Cookie", "[REDACTED]"},
                                            {"OpenAI-Organization", "[REDACTED]"},
                                            {"x-api-key", "[REDACTED]"},
                                            {"Content-Type", "application/json"}}));
  EXPECT_EQ(r.response_headers,
            (header_list{{"Set-Cookie", "[REDACTED]"}, {"Content-Type", "application/json"}}));
  // Everything but the secret members is kept, numbers by their text.
  EXPECT_EQ(*r.request_body,
            R"({"name":"n","certificate":"-----BEGIN CERTIFICATE-----\nMIIB\n",)"
            R"("api_key":"[REDACTED]","nested":{"deeper":[{"token":"[REDACTED]","content":"PEM"},)"
            R"({"password":"[REDACTED]"}]},"size":1.50e3})");
  EXPECT_EQ(r.response_body,
            R"({"data":[{"id":"cert_1","client_secret":"[REDACTED]","certificate_details":)"
            R"({"content":"PEM"}}],"access_token":"[REDACTED]","certificate_ids":["cert_1"]})");

  const std::string har = render_har({r});
  for (const char* secret : {"sk-admin-HEADER", "COOKIE", "ORGID", "CUSTOMKEY", "BODYKEY",
                             "DEEPTOKEN", "OBJECTPW", "RESPSECRET", "ACCESSTOKEN"}) {
    EXPECT_EQ(har.find(secret), std::string::npos) << secret;
  }
}

TEST(redacted, leaves_bodies_without_secrets_byte_for_byte) {
  har_entry e;
  e.method = "POST";
  e.url = "https://h/p";
  e.request_body = "{ \"name\" : \"pretty\",\n  \"n\": 1.0 }";
  e.response_body = "api_key=NOT-JSON";  // not JSON: only known secrets are replaced in it
  EXPECT_EQ(redacted(e, {"", ""}), e);
}

// Found by fuzz_har_redaction: where the URL's parts do not decode (no scheme and no absolute
// path, an escaped host or fragment), an escaped secret was left in place.
TEST(redacted, finds_a_secret_escaped_where_the_url_does_not_decode) {
  const std::string secret = "sk-admin-SECRET123";
  for (const std::string url :
       {"httpganization/certificates/%73k-admin-SECRET123?after=x",
        "https://%73k-admin-SECRET123.example/v1", "https://h/v1#%73k-admin-SECRET123"}) {
    har_entry e;
    e.method = "GET";
    e.url = url;
    const har_entry r = redacted(e, {secret});
    EXPECT_EQ(r.url.find("SECRET123"), std::string::npos) << url << " -> " << r.url;
    EXPECT_NE(r.url.find("[REDACTED]"), std::string::npos) << url << " -> " << r.url;
  }
  // Only the secret's span changes: escaped delimiters elsewhere stay escaped.
  har_entry e;
  e.url = "httpganization/a%2Fb/%73k-admin-SECRET123?q=1%262#f%23";
  EXPECT_EQ(redacted(e, {secret}).url, "httpganization/a%2Fb/[REDACTED]?q=1%262#f%23");
  e.url = "https://h/v1?a=%2F#%73k-admin-SECRET123%2Fx";
  EXPECT_EQ(redacted(e, {secret}).url, "https://h/v1?a=%2F#[REDACTED]%2Fx");
}

// A redacted URL is re-encoded segment by segment: an id holding an encoded '/' (or that is an
// encoded dot segment) stays one segment, as it was sent. Re-encoding the decoded path with '/'
// kept turned "cert%2F1" into the two segments "cert" and "1".
TEST(redacted, an_encoded_slash_stays_inside_its_segment) {
  const std::string secret = "SECRET9";
  for (const std::string url :
       {"https://h/v1/organization/certificates/cert%2F1?api_key=PLAIN",
        "https://h/v1/organization/certificates/cert%2F1?after=SECRET9",
        "https://h/v1/organization/projects/p%2F%2Fq/certificates?x=%53ECRET9",
        "https://h/v1/organization/certificates/SECRET9%2Fx?limit=1",
        "https://h/v1/organization/certificates/%2E%2E?api_key=PLAIN"}) {
    har_entry e;
    e.method = "GET";
    e.url = url;
    const std::string r = redacted(e, {secret}).url;
    EXPECT_EQ(r.find("SECRET9"), std::string::npos) << url << " -> " << r;
    EXPECT_NE(r.find("%5BREDACTED%5D"), std::string::npos) << url << " -> " << r;
    const auto before = parse_url_target(url), after = parse_url_target(r);
    ASSERT_TRUE(before && after) << url << " -> " << r;
    const auto segments = path_segments(after->raw_path);
    ASSERT_TRUE(segments.has_value()) << r;
    EXPECT_EQ(segments->size(), path_segments(before->raw_path)->size()) << url << " -> " << r;
  }
  har_entry e;
  e.url = "https://h/v1/organization/certificates/cert%2F1?api_key=PLAIN";
  EXPECT_EQ(redacted(e, {}).url,
            "https://h/v1/organization/certificates/cert%2F1?api_key=%5BREDACTED%5D");
  e.url = "https://h/v1/organization/certificates/%2E%2E?api_key=PLAIN";
  EXPECT_EQ(redacted(e, {}).url,
            "https://h/v1/organization/certificates/%2E%2E?api_key=%5BREDACTED%5D");
}

TEST(redacted, a_known_secret_survives_nowhere_in_the_archive) {
  const std::string secret = "sk-admin-SECRET123";
  har_entry e;
  e.started = at(2024, 5, 1, 0, 0, 0, {});
  e.method = "GET";
  e.url = "https://user:" + secret +
          "@api.openai.com/v1/organization/certificates?after=" + secret +
          "&hidden=sk%2Dadmin%2DSECRET123&api_key=PLAIN#frag-" + secret;
  e.request_headers = {{"X-Echo", "the key is " + secret}, {"X-" + secret, "name"}};
  e.request_body = R"({"note":"sk-admin-\u0053ECRET123"})";  // hidden behind an escape
  e.request_mime_type = "application/json";
  e.status = 401;
  e.status_text = "Unauthorized " + secret;
  e.response_body = "\xff\xfe binary " + secret + " \x80";  // base64 on the way out
  e.error = "401 for " + secret;

  const har_entry r = redacted(e, {"", secret, "SECRET"});
  const std::string har = render_har({r});
  EXPECT_EQ(har.find("SECRET"), std::string::npos) << har;
  EXPECT_EQ(har.find("PLAIN"), std::string::npos) << har;

  // Nor in any decoded string (the queryString is written decoded), nor in decoded bodies.
  const decode_result decoded = decode_json(har);
  ASSERT_TRUE(decoded.ok());
  for (std::string_view s : all_strings(decoded.document->root())) {
    EXPECT_EQ(s.find("SECRET"), std::string_view::npos) << s;
  }
  const std::vector<har_entry> back = read_ok(har);
  ASSERT_EQ(back.size(), 1u);
  for (std::string_view s : all_strings(back[0])) {
    EXPECT_EQ(s.find("SECRET"), std::string_view::npos) << s;
  }
  EXPECT_TRUE(back[0].url.starts_with("https://[REDACTED]@api.openai.com/")) << back[0].url;
}

}  // namespace
}  // namespace certharness
