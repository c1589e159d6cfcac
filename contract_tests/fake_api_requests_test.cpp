// fake_api_requests: how the fake reads a request (Bearer credentials, the list's query by the
// operation table's rules, JSON object bodies, ToggleCertificatesRequest's ids) and the
// ErrorResponse each refusal becomes. The rules come from schemas/reference (limit 1..100,
// default 20; order asc|desc, default desc; certificate_ids 1..10 strings) and RFC 6750.
#include "certharness/fake_api/fake_api_requests.hpp"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

namespace certharness::fake_api_internal {

// Failure messages name the credentials, not their bytes.
void PrintTo(credentials c, std::ostream* out) {
  *out << (c == credentials::present   ? "present"
           : c == credentials::missing ? "missing"
                                       : "malformed");
}

namespace {

const operation& list_operation() {
  return operation_table::builtin().at(certificate_operation::list_certificates);
}

template <typename T>
const api_error* error_of(const result<T, api_error>& r) {
  return r ? nullptr : &r.error();
}

// ---- Credentials.

struct credentials_case {
  std::string value;
  credentials expected;
};

TEST(fake_api_requests_credentials, bearer_scheme_any_case_blanks_and_a_clean_token) {
  const std::vector<credentials_case> cases = {
      {"Bearer sk-admin-1", credentials::present},
      {"bearer sk-admin-1", credentials::present},
      {"BEARER sk-admin-1", credentials::present},
      {"bEaReR x", credentials::present},
      {"Bearer    sk-admin-1", credentials::present},   // one or more spaces
      {"  Bearer sk-admin-1  ", credentials::present},  // the header's OWS is not the value
      {"\tBearer x\t", credentials::present},
      {"", credentials::missing},
      {"   ", credentials::missing},
      {"\t \t", credentials::missing},
      {"Bearer", credentials::malformed},
      {"Bearer ", credentials::malformed},
      {"Bearer     ", credentials::malformed},
      {"Bearersk-admin-1", credentials::malformed},
      {"Bearer\tx", credentials::malformed},  // the scheme is followed by a space
      {"Bearer a b", credentials::malformed},
      {"Bearer a\x01", credentials::malformed},
      {"Bearer a\x7F", credentials::malformed},
      {std::string("Bearer a\0b", 10), credentials::malformed},
      {"Basic dXNlcjpwYXNz", credentials::malformed},
      {"Token sk-admin-1", credentials::malformed},
      {"sk-admin-1", credentials::malformed},
      {"Bearerx y", credentials::malformed},
  };
  for (const credentials_case& c : cases) {
    EXPECT_EQ(bearer_credentials({{"Authorization", c.value}}), c.expected)
        << "Authorization: '" << c.value << "'";
  }
}

TEST(fake_api_requests_credentials, the_header_name_is_case_insensitive_and_absence_is_missing) {
  EXPECT_EQ(bearer_credentials({}), credentials::missing);
  EXPECT_EQ(bearer_credentials({{"X-Api-Key", "Bearer x"}}), credentials::missing);
  for (const char* name : {"Authorization", "authorization", "AUTHORIZATION"}) {
    EXPECT_EQ(bearer_credentials({{"Accept", "*/*"}, {name, "Bearer x"}}), credentials::present)
        << name;
  }
}

// ---- The list's query.

struct limit_case {
  std::string text;
  bool clamp;
  std::optional<std::int64_t> limit;  // nullopt: refused
  std::optional<std::string> code;    // the refusal's code
};

TEST(fake_api_requests_query, limit_within_the_documented_bounds_or_refused_or_clamped) {
  const std::vector<limit_case> cases = {
      {"1", false, 1, std::nullopt},
      {"7", false, 7, std::nullopt},
      {"100", false, 100, std::nullopt},
      {"0", false, std::nullopt, "integer_below_min_value"},
      {"-1", false, std::nullopt, "integer_below_min_value"},
      {"101", false, std::nullopt, "integer_above_max_value"},
      {"99999999999999999999", false, std::nullopt, "integer_above_max_value"},
      {"-99999999999999999999", false, std::nullopt, "integer_below_min_value"},
      {"", false, std::nullopt, "invalid_type"},
      {"abc", false, std::nullopt, "invalid_type"},
      {"1.5", false, std::nullopt, "invalid_type"},
      {"+5", false, std::nullopt, "invalid_type"},
      {"7 ", false, std::nullopt, "invalid_type"},
      {" 7", false, std::nullopt, "invalid_type"},
      {"0x10", false, std::nullopt, "invalid_type"},
      // accepts-invalid-limit: an integer outside the bounds is clamped, a non-integer is not.
      {"0", true, 1, std::nullopt},
      {"-5", true, 1, std::nullopt},
      {"101", true, 100, std::nullopt},
      {"99999999999999999999", true, 100, std::nullopt},
      {"-99999999999999999999", true, 1, std::nullopt},
      {"50", true, 50, std::nullopt},
      {"abc", true, std::nullopt, "invalid_type"},
  };
  for (const limit_case& c : cases) {
    SCOPED_TRACE("limit '" + c.text + "' clamp " + std::to_string(c.clamp));
    const auto r = parse_page_query({{"limit", c.text}}, list_operation(), c.clamp);
    if (c.limit) {
      ASSERT_EQ(error_of(r), nullptr) << error_of(r)->message;
      EXPECT_EQ(r->limit, *c.limit);
    } else {
      const api_error* e = error_of(r);
      ASSERT_NE(e, nullptr) << "accepted as " << r->limit;
      EXPECT_EQ(e->status, 400);
      EXPECT_EQ(e->param, "limit");
      EXPECT_EQ(e->code, c.code);
      EXPECT_EQ(e->type, "invalid_request_error");
    }
  }
}

TEST(fake_api_requests_query, defaults_are_the_tables_limit_20_and_order_desc) {
  for (const bool clamp : {false, true}) {
    const auto r = parse_page_query({{"unknown", "x"}}, list_operation(), clamp);
    ASSERT_EQ(error_of(r), nullptr);
    const page_query& q = *r;
    EXPECT_EQ(q.limit, 20);
    EXPECT_FALSE(q.ascending);
    EXPECT_EQ(q.after, std::nullopt);
  }
}

TEST(fake_api_requests_query, the_rules_are_read_from_the_operation_given) {
  // A table row with other bounds and defaults: the parser follows it, not constants of its own.
  operation custom = list_operation();
  for (operation_parameter& p : custom.parameters) {
    if (p.name == "limit") {
      p.minimum = 2;
      p.maximum = 5;
      p.default_value = "3";
    }
    if (p.name == "order") p.default_value = "asc";
  }
  const auto defaults = parse_page_query({}, custom, false);
  ASSERT_EQ(error_of(defaults), nullptr);
  EXPECT_EQ(defaults->limit, 3);
  EXPECT_TRUE(defaults->ascending);
  EXPECT_EQ(error_of(parse_page_query({{"limit", "1"}}, custom, false))->code,
            "integer_below_min_value");
  EXPECT_EQ(error_of(parse_page_query({{"limit", "6"}}, custom, false))->code,
            "integer_above_max_value");
  EXPECT_EQ((*parse_page_query({{"limit", "9"}}, custom, true)).limit, 5);
  EXPECT_EQ((*parse_page_query({{"limit", "100"}}, list_operation(), false)).limit, 100);
}

TEST(fake_api_requests_query, order_is_one_of_the_enum_exactly) {
  const std::vector<std::pair<std::string, std::optional<bool>>> cases = {
      {"asc", true},      {"desc", false},          {"ASC", std::nullopt},  {"Desc", std::nullopt},
      {"", std::nullopt}, {"random", std::nullopt}, {"asc ", std::nullopt},
  };
  for (const auto& [text, ascending] : cases) {
    SCOPED_TRACE("order '" + text + "'");
    const auto r = parse_page_query({{"order", text}}, list_operation(), false);
    if (ascending) {
      ASSERT_EQ(error_of(r), nullptr);
      EXPECT_EQ(r->ascending, *ascending);
    } else {
      const api_error* e = error_of(r);
      ASSERT_NE(e, nullptr);
      EXPECT_EQ(e->status, 400);
      EXPECT_EQ(e->param, "order");
      EXPECT_EQ(e->code, "invalid_value");
      // The message names what is supported, from the table's enum.
      EXPECT_NE(e->message.find("'asc' and 'desc'"), std::string::npos) << e->message;
    }
  }
}

TEST(fake_api_requests_query, each_parameter_is_given_at_most_once) {
  for (const std::string name : {"limit", "order", "after"}) {
    SCOPED_TRACE(name);
    const std::string value = name == "limit" ? "5" : name == "order" ? "asc" : "cert_a";
    const auto r =
        parse_page_query({{name, value}, {"x", "y"}, {name, value}}, list_operation(), false);
    const api_error* e = error_of(r);
    ASSERT_NE(e, nullptr) << "a repeated '" << name << "' was accepted";
    EXPECT_EQ(e->status, 400);
    EXPECT_EQ(e->param, name);
    EXPECT_EQ(e->code, "invalid_value");
  }
}

TEST(fake_api_requests_query, after_is_passed_through_as_given_including_empty) {
  for (const std::string after : {"cert_abc", "", "a/b%"}) {
    const query_list query = {{"after", after}, {"limit", "3"}, {"order", "asc"}};
    const auto r = parse_page_query(query, list_operation(), false);
    ASSERT_EQ(error_of(r), nullptr);
    const page_query& q = *r;
    EXPECT_EQ(q.after, std::optional<std::string_view>(after));
    EXPECT_EQ(q.limit, 3);
    EXPECT_TRUE(q.ascending);
  }
}

// ---- Bodies.

struct body_case {
  std::string body;
  bool accepted;
};

TEST(fake_api_requests_body, only_a_strictly_decoded_json_object_is_a_body) {
  const std::vector<body_case> cases = {
      {R"({})", true},
      {R"({"certificate_ids":["a"]})", true},
      {" \n{\"a\":1} ", true},
      {"", false},
      {"not json", false},
      {R"([])", false},
      {R"("text")", false},
      {"42", false},
      {"null", false},
      {R"({"a":1,})", false},       // a trailing comma
      {R"({"a":1,"a":2})", false},  // a duplicate key is an error of the strict decoder
      {R"({"a":1} {})", false},
      {std::string("{\"a\":\"\xff\"}"), false},  // invalid UTF-8
  };
  for (const body_case& c : cases) {
    const auto r = json_object_body(c.body);
    const api_error* e = error_of(r);
    if (c.accepted) {
      EXPECT_EQ(e, nullptr) << "body '" << c.body << "': " << e->message;
      if (!e) EXPECT_TRUE(r->root().is_object());
    } else {
      ASSERT_NE(e, nullptr) << "body '" << c.body << "' accepted";
      EXPECT_EQ(e->status, 400) << c.body;
      EXPECT_EQ(e->param, std::nullopt) << c.body;
      EXPECT_EQ(e->type, "invalid_request_error") << c.body;
    }
  }
}

struct ids_case {
  std::string body;
  std::vector<std::string> ids;     // when accepted
  std::optional<std::string> code;  // when refused
};

TEST(fake_api_requests_body, certificate_ids_are_one_to_ten_strings) {
  const auto many = [](int n) {
    std::string body = R"({"certificate_ids":[)";
    for (int i = 0; i < n; ++i) body += (i ? ",\"c" : "\"c") + std::to_string(i) + "\"";
    return body + "]}";
  };
  std::vector<std::string> ten;
  for (int i = 0; i < 10; ++i) ten.push_back("c" + std::to_string(i));
  const std::vector<ids_case> cases = {
      {R"({"certificate_ids":["a"]})", {"a"}, std::nullopt},
      {R"({"certificate_ids":["a","b","a"]})", {"a", "b", "a"}, std::nullopt},
      {R"({"certificate_ids":[""],"other":1})", {""}, std::nullopt},
      {many(10), ten, std::nullopt},
      {many(11), {}, "array_above_max_length"},
      {R"({"certificate_ids":[]})", {}, "empty_array"},
      {R"({})", {}, "missing_required_parameter"},
      {R"({"certificate_id":["a"]})", {}, "missing_required_parameter"},
      {R"({"certificate_ids":"a"})", {}, "invalid_type"},
      {R"({"certificate_ids":null})", {}, "invalid_type"},
      {R"({"certificate_ids":{"0":"a"}})", {}, "invalid_type"},
      {R"({"certificate_ids":["a",1]})", {}, "invalid_type"},
      {R"({"certificate_ids":[["a"]]})", {}, "invalid_type"},
  };
  for (const ids_case& c : cases) {
    SCOPED_TRACE(c.body);
    const auto body = json_object_body(c.body);
    ASSERT_EQ(error_of(body), nullptr);
    const auto r = certificate_ids(body->root());
    if (!c.code) {
      ASSERT_EQ(error_of(r), nullptr) << error_of(r)->message;
      const auto& got = *r;
      EXPECT_EQ(std::vector<std::string>(got.begin(), got.end()), c.ids);
    } else {
      const api_error* e = error_of(r);
      ASSERT_NE(e, nullptr) << "accepted";
      EXPECT_EQ(e->status, 400);
      EXPECT_EQ(e->param, "certificate_ids");
      EXPECT_EQ(e->code, c.code);
    }
  }
}

// ---- Errors.

TEST(fake_api_requests_errors, echo_keeps_text_valid_utf8_without_controls_and_short) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"cert_abc", "cert_abc"},
      {"", ""},
      {"a\nb\tc\x7F", "a?b?c?"},
      {std::string("a\0b", 3), "a?b"},
      {"Köln 証明書 🔐", "Köln 証明書 🔐"},
      {"\xff\xfe", "??"},
      {"\xe8\xa8", "??"},       // a truncated sequence
      {"\xc0\xaf", "??"},       // an overlong '/'
      {"\xed\xa0\x80", "???"},  // a surrogate
      {std::string(64, 'x'), std::string(64, 'x')},
      {std::string(65, 'x'), std::string(64, 'x') + "..."},
  };
  for (const auto& [in, expected] : cases) {
    EXPECT_EQ(echo(in), expected) << "echo of '" << in << "'";
  }
  // Bounded whatever the input: a long run of multi-byte characters stays near the limit.
  std::string long_text;
  for (int i = 0; i < 1000; ++i) long_text += "証";
  EXPECT_LE(echo(long_text).size(), 64u + 3u + 3u);
}

TEST(fake_api_requests_errors, the_error_builders_fill_the_error_response_fields) {
  const api_error nf = not_found("cert_\x01x", "certificate_id");
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.message, "No certificate found with id 'cert_?x'.");
  EXPECT_EQ(nf.param, "certificate_id");
  EXPECT_EQ(nf.code, std::nullopt);
  EXPECT_EQ(nf.type, "invalid_request_error");

  const api_error m = missing("content");
  EXPECT_EQ(m.status, 400);
  EXPECT_EQ(m.message, "Missing required parameter: 'content'.");
  EXPECT_EQ(m.param, "content");
  EXPECT_EQ(m.code, "missing_required_parameter");

  const auto doc = json_object_body(R"({"n":5,"s":"x","b":true,"z":null,"a":[],"o":{}})");
  ASSERT_EQ(error_of(doc), nullptr);
  const json_value root = doc->root();
  for (const auto& [key, type] :
       std::vector<std::pair<std::string, std::string>>{{"n", "number"},
                                                        {"s", "string"},
                                                        {"b", "boolean"},
                                                        {"z", "null"},
                                                        {"a", "array"},
                                                        {"o", "object"}}) {
    std::optional<json_value> v = root.find(key);
    ASSERT_NE(v, std::nullopt) << key;
    const api_error t = invalid_type("name", "a string", *v);
    EXPECT_EQ(t.status, 400);
    EXPECT_EQ(t.param, "name");
    EXPECT_EQ(t.code, "invalid_type");
    EXPECT_EQ(t.message,
              "Invalid type for 'name': expected a string, but got " + type + " instead.");
  }
}

}  // namespace
}  // namespace certharness::fake_api_internal
