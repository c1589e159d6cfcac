// What `crawl` and `replay` write, end to end: a server that echoes the key and organization id
// everywhere it can leaves no trace of them in stdout, stderr, the JSON or text report, the
// JUnit file or the HAR; a report that cannot be written exits 2; a key a header cannot carry
// is refused before any request.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "certharness/har/har.hpp"
#include "certharness/json/json_document.hpp"
#include "cli_process.hpp"
#include "corpus_files.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;
using test_support::read_file;

const std::string k_key = "sk-admin-e2e-Hostile-7f3a";
const std::string k_org = "org-e2eHostile9";
// The key as a server may spell it inside its own text.
const std::string k_key_json_escaped = R"(\u0073k-admin-e2e-Hostile-7f3a)";
const std::string k_key_percent = "%73k-admin-e2e-Hostile-7f3a";

std::string item(const std::string& id, const std::string& name, const std::string& extra = "") {
  return R"({"object":"organization.certificate","id":")" + id + R"(","name":")" + name +
         R"(","created_at":10,"certificate_details":{"valid_at":1,"expires_at":2},"active":false)" +
         extra + "}";
}

std::string error_body(const std::string& message) {
  return R"({"error":{"message":")" + message +
         R"(","type":"invalid_request_error","param":null,"code":null}})";
}

// A server on 127.0.0.1 that puts the key (raw, JSON-escaped, percent-escaped, cut) and the
// organization id in every place a report quotes: an ErrorResponse message (http.status), an
// unknown property's name (schema.unknown_property), a name that differs from the list
// (cert.consistency), Retry-After (http.retry_after), Content-Type (http.content_type), an id
// (the request URL), and echoes the request's Authorization header.
class hostile_server {
 public:
  hostile_server() {
    server_.set_keep_alive_timeout(1);
    server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests_;
      answer(req, res);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~hostile_server() {
    server_.stop();
    thread_.join();
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  int requests() const { return requests_; }

 private:
  static void answer(const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Echo", req.get_header_value("Authorization") + " " + k_org);
    const std::string list = "/v1/organization/certificates";
    const std::string limit = req.get_param_value("limit"), order = req.get_param_value("order");
    if (req.path == list && order == "asc" && limit == "100") {
      // Long enough that the 200-byte quote cuts the last key in its middle.
      std::string message = "denied for " + k_key + " / " + k_key_json_escaped + " / " +
                            k_key_percent + " / " + k_org + " ";
      message += std::string(200 - message.size() - 12, 'x') + k_key;
      res.status = 400;
      res.set_content(error_body(message), "application/json");
    } else if (req.path == list && order == "asc" && limit == "7") {
      res.status = 429;
      res.set_header("Retry-After", "in " + k_key);
      res.set_content(error_body("slow down " + k_key), "application/json");
    } else if (req.path == list && (limit == "1" || limit == "7" || limit == "100")) {
      const std::string extra = ",\"" + k_key + "\":1,\"" + k_key_json_escaped + "x\":2,\"" +
                                k_key_percent + "\":3,\"" + k_org + "\":4";
      res.set_content(R"({"object":"list","data":[)" + item(k_key, "n", extra) + "," +
                          item(k_key_percent, "m") + R"(],"first_id":")" + k_key +
                          R"(","last_id":")" + k_key_percent + R"(","has_more":false})",
                      "application/json");
    } else if (req.path == list + "/" + k_key) {
      res.set_content(item(k_key, "renamed " + k_key + " " + k_org), "application/x-" + k_key);
    } else {
      res.status = req.path == list ? 400 : 404;
      res.set_content(error_body("no such thing for " + k_key), "application/json");
    }
  }

  httplib::Server server_;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

std::string percent_spelled(const std::string& s, const char* format) {
  std::string out;
  for (const char c : s) {
    char b[8];
    std::snprintf(b, sizeof b, format, static_cast<unsigned char>(c));
    out += b;
  }
  return out;
}

// No spelling of a secret, and (for the key) no 8 bytes of it in a row: the server sends the key
// only whole, so 8 bytes of it in an output are a cut quote of it.
void expect_no_secret(const std::string& where, const std::string& text) {
  for (const std::string& secret : {k_key, k_org}) {
    for (const std::string& spelling :
         {secret, percent_spelled(secret, "%%%02X"), percent_spelled(secret, "%%%02x"),
          percent_spelled(secret, "\\u%04x"), percent_spelled(secret, "&#%u;")}) {
      EXPECT_EQ(text.find(spelling), std::string::npos) << where << " holds " << spelling << ":\n"
                                                        << text.substr(0, 4000);
    }
  }
  for (std::size_t i = 0; i + 8 <= k_key.size(); ++i) {
    EXPECT_EQ(text.find(k_key.substr(i, 8)), std::string::npos)
        << where << " holds the key's bytes " << k_key.substr(i, 8) << ":\n"
        << text.substr(0, 4000);
  }
}

void expect_no_secret_in_json(const std::string& where, const json_value& v) {
  expect_no_secret(where + " (a decoded key)", std::string(v.key()));
  if (v.is_string()) expect_no_secret(where + " (a decoded string)", std::string(v.as_string()));
  if (v.is_array() || v.is_object()) {
    for (const json_value& child : v) expect_no_secret_in_json(where, child);
  }
}

std::string entities_read(std::string s) {
  const std::pair<std::string, std::string> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, c] : entities) {
    for (std::size_t p = s.find(entity); p != std::string::npos; p = s.find(entity, p + 1)) {
      s.replace(p, entity.size(), c);
    }
  }
  return s;
}

std::string env() { return "OPENAI_ADMIN_KEY='" + k_key + "' OPENAI_ORG_ID='" + k_org + "'"; }

class cli_output : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_cli_output"); }
  void TearDown() override { fs::remove_all(dir_); }

  // `certharness <args>` with `env`, stdout to `stdout_path` (a file of dir_ by default).
  int run(const std::string& environment, const std::string& args,
          const std::string& stdout_path = "") {
    const std::string out = stdout_path.empty() ? (dir_ / "stdout").string() : stdout_path;
    const std::string cmd = environment + " '" + CERTHARNESS_CLI + "' " + args + " </dev/null >'" +
                            out + "' 2>'" + (dir_ / "stderr").string() + "'";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string out() const { return read_file(dir_ / "stdout"); }
  std::string err() const { return read_file(dir_ / "stderr"); }

  fs::path dir_;
};

TEST_F(cli_output, a_server_echoing_the_key_everywhere_leaves_no_trace_of_it) {
  hostile_server server;
  for (const std::string format : {"json", "text"}) {
    SCOPED_TRACE(format);
    const fs::path har = dir_ / (format + ".har"), junit = dir_ / (format + ".xml");
    const int code =
        run(env(), "crawl --format " + format + " --retries 1 --backoff-ms 10 " +
                       "--timeout 5 --base-url '" + server.base_url() + "' --record '" +
                       har.string() + "' --junit '" + junit.string() + "'");
    const std::string stdout_text = out(), stderr_text = err();
    EXPECT_EQ(code, 1) << stdout_text.substr(0, 2000) << stderr_text;
    // The places the key was echoed were all reported (else this test proves nothing).
    for (const char* check : {"http.status", "schema.unknown_property", "cert.consistency",
                              "http.retry_after", "http.content_type"}) {
      EXPECT_NE(stdout_text.find(check), std::string::npos) << check << " not reported";
    }
    EXPECT_NE(stdout_text.find("[REDACTED]"), std::string::npos);
    expect_no_secret("stdout", stdout_text);
    expect_no_secret("stderr", stderr_text);
    if (format == "json") {
      const decode_result report = decode_json(stdout_text);
      ASSERT_TRUE(report.ok()) << "the redacted report is not JSON:\n" << stdout_text;
      expect_no_secret_in_json("the JSON report", report.document->root());
    }
    const std::string xml = read_file(junit), recording = read_file(har);
    expect_no_secret("the JUnit file", xml);
    expect_no_secret("the JUnit file, entities read", entities_read(xml));
    expect_no_secret("the HAR", recording);
    const decode_result har_json = decode_json(recording);
    ASSERT_TRUE(har_json.ok()) << "the HAR is not JSON";
    expect_no_secret_in_json("the HAR", har_json.document->root());
    const auto entries = read_har(recording);
    ASSERT_TRUE(entries.has_value());
    EXPECT_GT(entries->size(), 10u);
  }
  EXPECT_GT(server.requests(), 10);
}

// Messages of a run that cannot be carried out pass through the same path.
TEST_F(cli_output, messages_on_stderr_are_redacted_too) {
  EXPECT_EQ(run(env(), "crawl --base-url 'ftp://127.0.0.1/" + k_key + "/" + k_org + "'"), 2);
  EXPECT_FALSE(err().empty());
  expect_no_secret("stderr", err());
  EXPECT_EQ(run(env(), "crawl --base-url 'http://127.0.0.1:9/" + k_key + "'"), 2);
  EXPECT_FALSE(err().empty());
  expect_no_secret("stderr", err());
}

// A report nobody received is not a pass.
TEST_F(cli_output, a_report_that_cannot_be_written_exits_2) {
  hostile_server server;
  const fs::path har = dir_ / "run.har";
  const std::string crawl = "crawl --retries 0 --limits 1 --orders desc --base-url '" +
                            server.base_url() + "' --record '" + har.string() + "'";
  for (const std::string format : {"json", "text"}) {
    EXPECT_EQ(run(env(), crawl + " --format " + format, "/dev/full"), 2) << format << err();
    EXPECT_NE(err().find("cannot write the report"), std::string::npos) << err();
    expect_no_secret("stderr", err());
    EXPECT_EQ(run(env(), "replay --format " + format + " '" + har.string() + "'", "/dev/full"), 2)
        << format << err();
    EXPECT_NE(err().find("cannot write the report"), std::string::npos) << err();
  }
  // validate goes through the same output (it already exited 2 here).
  const fs::path document = dir_ / "doc.json";
  std::ofstream(document) << R"({"object":"list","data":[],"first_id":null,"last_id":null,)"
                             R"("has_more":false})";
  EXPECT_EQ(run(env(), "validate '" + document.string() + "'", "/dev/full"), 2) << err();
  EXPECT_NE(err().find("cannot write the report"), std::string::npos) << err();
  EXPECT_EQ(run(env(), "validate '" + document.string() + "'"), 0) << out() << err();
  // The same runs to a file that can be written exit as usual.
  EXPECT_EQ(run(env(), crawl), 1) << err();
  EXPECT_EQ(run(env(), "replay '" + har.string() + "'"), 1) << err();
}

// A CR or LF in the key or organization id would break the header it goes in;
// the run is refused naming the variable, never showing its value, before any request.
TEST_F(cli_output, a_key_or_organization_with_a_line_break_is_refused_before_any_request) {
  hostile_server server;
  const std::string crawl = "crawl --retries 0 --base-url '" + server.base_url() + "'";
  struct bad_value {
    std::string environment, variable;
  };
  for (const bad_value& c : {
           bad_value{"OPENAI_ADMIN_KEY=\"$(printf 'sk-admin-e2e-Hostile-7f3a\\r')\"",
                     "OPENAI_ADMIN_KEY"},
           bad_value{"OPENAI_ADMIN_KEY=\"$(printf 'sk-admin-e2e-\\nHostile-7f3a')\"",
                     "OPENAI_ADMIN_KEY"},
           bad_value{
               "OPENAI_ADMIN_KEY='" + k_key + "' OPENAI_ORG_ID=\"$(printf 'org-e2e\\r\\nX')\"",
               "OPENAI_ORG_ID"},
       }) {
    SCOPED_TRACE(c.environment);
    EXPECT_EQ(run(c.environment, crawl), 2) << err();
    EXPECT_NE(err().find(c.variable), std::string::npos) << err();
    EXPECT_EQ(err().find("Hostile"), std::string::npos) << "the value was shown: " << err();
    EXPECT_EQ(err().find("org-e2e"), std::string::npos) << "the value was shown: " << err();
    EXPECT_EQ(out(), "");
  }
  EXPECT_EQ(server.requests(), 0);
}

}  // namespace
}  // namespace certharness
