// Record → replay: `certharness crawl --record` against `certharness serve`, then
// `certharness replay` of the recording gives the same findings and exit code, offline.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certharness/fake_api/fake_api.hpp"
#include "certharness/har/har.hpp"
#include "certharness/json/json_document.hpp"
#include "cli_process.hpp"
#include "corpus_files.hpp"
#include "report_reading.hpp"
#include "serve_process.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;
using test_support::checks_and_groups_at_least;
using test_support::read_file;
using test_support::serve_process;

constexpr const char* k_key = "sk-admin-replay-e2e-SECRET-77b0";

using test_support::cli_result;

class replay : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_replay"); }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `certharness <args>` with the key in its environment.
  cli_result run(const std::string& args) {
    return test_support::run_cli(dir_, std::string("OPENAI_ADMIN_KEY='") + k_key + "'", args);
  }

  fs::path dir_;
};

class record_then_replay : public replay, public ::testing::WithParamInterface<const char*> {};

TEST_P(record_then_replay, gives_the_crawls_findings) {
  const std::string fault = GetParam();
  std::vector<std::string> serve_args{"--seed-certs", "12"};
  if (!fault.empty()) serve_args.insert(serve_args.end(), {"--fault", fault});
  serve_process server(serve_args);
  const fs::path har = dir_ / "run.har";
  const cli_result crawled =
      run("crawl --format json --limits 5,100 --backoff-ms 10 --project proj_e2e --base-url '" +
          server.base_url() + "' --record '" + har.string() + "'");
  ASSERT_TRUE(crawled.report.has_value()) << crawled.out << crawled.err;
  server.stop();  // replay is offline

  const cli_result replayed = run("replay --format json '" + har.string() + "'");
  ASSERT_TRUE(replayed.report.has_value()) << replayed.out << replayed.err;
  EXPECT_EQ(replayed.exit_code, crawled.exit_code) << replayed.err;
  EXPECT_EQ(checks_and_groups_at_least(replayed.report->root(), severity::warning),
            checks_and_groups_at_least(crawled.report->root(), severity::warning));
  EXPECT_EQ(replayed.report->root().find("summary")->find("subjects")->as_int64(),
            crawled.report->root().find("summary")->find("subjects")->as_int64());
  EXPECT_EQ(replayed.report->root().find("summary")->find("skipped")->as_int64(), 0);
  if (fault.empty()) {
    EXPECT_EQ(crawled.exit_code, 0) << crawled.out;
  } else {
    EXPECT_FALSE(checks_and_groups_at_least(crawled.report->root(), severity::warning).empty())
        << fault << " raised nothing";
  }
  for (const std::string* text : {&replayed.out, &replayed.err}) {
    EXPECT_EQ(text->find(k_key), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(clean_and_faulty, record_then_replay,
                         ::testing::Values("", "wrong-order", "get-mismatch", "error-shape",
                                           "first-id-mismatch", "asc-desc-inconsistent",
                                           "429-without-retry-after"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = *info.param ? info.param : "clean";
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return "f_" + name;
                         });

// What a JSON report says of a run, field by field, for comparing a crawl with the replay of
// its recording. Nothing is left out: every field may differ only if replay judges otherwise.
struct run_facts {
  // subject, group, check, severity, pointer, keyword, message: as a multiset, since replay
  // reports a walk's list.* findings when the whole archive is read, crawl as it walks.
  std::multiset<std::vector<std::string>> findings;
  // subject, status, attempts, valid, retries, error: in order (replay keeps the archive's).
  std::vector<std::vector<std::string>> subjects;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> checks;  // id -> passed, failed
  std::map<std::string, std::int64_t> summary;                          // "skipped" left out
};

std::string text_of(const std::optional<json_value>& v) {
  if (!v) return "(absent)";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_number()) return std::string(v->number_text());
  if (v->is_bool()) return v->as_bool() ? "true" : "false";
  return v->is_null() ? "null" : "(other)";
}

run_facts facts_of(const json_value& report) {
  run_facts out;
  for (const json_value& f : json_value(*report.find("findings"))) {
    std::vector<std::string> row;
    for (const char* name : {"subject", "group", "check", "severity", "pointer", "keyword",
                             "message", "offset", "line", "column"}) {
      row.push_back(text_of(f.find(name)));
    }
    out.findings.insert(std::move(row));
  }
  for (const json_value& s : json_value(*report.find("subjects"))) {
    std::vector<std::string> row;
    for (const char* name : {"subject", "status", "attempts", "valid", "retries", "error"}) {
      row.push_back(text_of(s.find(name)));
    }
    out.subjects.push_back(std::move(row));
  }
  for (const json_value& c : json_value(*report.find("checks"))) {
    out.checks[std::string(c.key())] = {c.find("passed")->as_int64(), c.find("failed")->as_int64()};
  }
  for (const json_value& n : json_value(*report.find("summary"))) {
    if (n.key() != "skipped") out.summary[std::string(n.key())] = n.as_int64();
  }
  return out;
}

std::string joined(const std::vector<std::string>& row) {
  std::string out;
  for (const std::string& field : row) out += (out.empty() ? "" : " | ") + field;
  return out;
}

// Rows of `a` that `b` lacks (multiset difference), one a line, for a failure message.
std::string missing_from(const std::multiset<std::vector<std::string>>& a,
                         const std::multiset<std::vector<std::string>>& b) {
  std::vector<std::vector<std::string>> rows;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(rows));
  std::string out;
  for (const auto& row : rows) out += "\n  " + joined(row);
  return out;
}

// Every fault `serve` knows, from the fake API's own catalogue (a new fault is covered without
// an edit here).
std::vector<std::string> every_fault() {
  std::vector<std::string> out;
  for (const fault_info& f : fault_catalogue()) out.emplace_back(f.name);
  return out;
}

class record_then_replay_every_fault : public replay,
                                       public ::testing::WithParamInterface<std::string> {};

// Issue 10: for every fault, the replay of a crawl's recording (reads and --write-checks)
// reports exactly what the crawl reported: the same findings (every field), the same subjects
// (status, attempts, retries, error), the same check tallies and summary, and the same exit
// code. Before, replay judged a write-check run's list searches as walks, its GET of the renamed
// certificate as cert.consistency with the list, and cleanup's 404s as http.status.
TEST_P(record_then_replay_every_fault, gives_the_crawls_whole_report) {
  const std::string fault = GetParam();
  serve_process server({"--seed-certs", "12", "--fault", fault});
  const fs::path har = dir_ / "run.har";
  // The slow fault delays every answer by 15 s: a short timeout makes each a transport failure.
  const std::string timeout = fault == "slow" ? " --timeout 0.3 --retries 0" : "";
  const cli_result crawled =
      run("crawl --format json --limits 5,100 --backoff-ms 10 --project proj_e2e --write-checks" +
          timeout + " --base-url '" + server.base_url() + "' --record '" + har.string() + "'");
  ASSERT_TRUE(crawled.report.has_value()) << crawled.out << crawled.err;
  server.stop();

  const cli_result replayed = run("replay --format json '" + har.string() + "'");
  ASSERT_TRUE(replayed.report.has_value()) << replayed.out << replayed.err;
  EXPECT_EQ(replayed.exit_code, crawled.exit_code) << replayed.err;
  run_facts live = facts_of(crawled.report->root());
  const run_facts again = facts_of(replayed.report->root());
  EXPECT_EQ(again.findings, live.findings)
      << fault << ": only the crawl found:" << missing_from(live.findings, again.findings)
      << "\nonly the replay found:" << missing_from(again.findings, live.findings);
  EXPECT_EQ(again.subjects.size(), live.subjects.size()) << fault;
  for (std::size_t i = 0; i < std::min(again.subjects.size(), live.subjects.size()); ++i) {
    EXPECT_EQ(joined(again.subjects[i]), joined(live.subjects[i])) << fault << " subject " << i;
  }
  // The one legitimate difference: run.budget is the live run's bound on the requests it sends
  // and the bytes it keeps (always tallied by crawl); a replay sends nothing and has no such
  // bound, so it never tallies it.
  // The write checks ran (an upload was sent, so cleanup was judged) and were replayed.
  EXPECT_TRUE(live.checks.contains("cleanup.failed")) << fault;
  ASSERT_TRUE(live.checks.contains("run.budget")) << fault;
  live.checks.erase("run.budget");
  EXPECT_EQ(again.checks, live.checks) << fault;
  EXPECT_EQ(again.summary, live.summary) << fault;
  EXPECT_EQ(replayed.report->root().find("summary")->find("skipped")->as_int64(), 0) << fault;
}

INSTANTIATE_TEST_SUITE_P(serve_faults, record_then_replay_every_fault,
                         ::testing::ValuesIn(every_fault()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return "f_" + name;
                         });

TEST_F(replay, could_not_run_exits_2) {
  cli_result r = run("replay '" + (dir_ / "missing.har").string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.har"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;

  const fs::path not_har = dir_ / "not.har";
  std::ofstream(not_har) << R"({"hello":"world"})";
  r = run("replay --format json '" + not_har.string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not.har"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(replay, corpus_recordings_exit_codes) {
  const std::string corpus = CERTHARNESS_CORPUS_DIR;
  EXPECT_EQ(run("replay '" + corpus + "/har/clean.har'").exit_code, 0);
  const fs::path junit = dir_ / "replay.xml";
  const cli_result r = run("replay --junit '" + junit.string() + "' '" + corpus +
                           "/har/faulty-wrong-order.har' '" + corpus + "/har/clean.har'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("list.order"), std::string::npos) << r.out;
  EXPECT_NE(read_file(junit).find("<testsuites"), std::string::npos);
}

// replay reads at most --max-bytes + 1 bytes of an archive (/dev/zero never ends), and its
// messages name options it has: --max-bytes and --max-depth.
TEST_F(replay, archive_limits_are_bounded_and_adjustable) {
  cli_result r = run("replay --max-bytes 1MB /dev/zero");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.err,
            "certharness replay: /dev/zero: the archive is over the limit of 1048576 bytes "
            "(raise it with --max-bytes)\n");

  const fs::path clean = fs::path(CERTHARNESS_CORPUS_DIR) / "har/clean.har";
  const std::string size = std::to_string(fs::file_size(clean));
  r = run("replay --max-bytes 1000 '" + clean.string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.err, "certharness replay: " + clean.string() + ": the archive is " + size +
                       " bytes, over the limit of 1000 bytes (raise it with --max-bytes)\n");
  EXPECT_EQ(run("replay --max-bytes 10MB '" + clean.string() + "'").exit_code, 0);

  // Nesting deeper than the default 64, in an extra field: refused, then accepted when raised.
  const fs::path deep = dir_ / "deep.har";
  std::ofstream(deep) << R"({"log":{"entries":[],"_x":)" << std::string(100, '[')
                      << std::string(100, ']') << "}}";
  r = run("replay '" + deep.string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("(raise it with --max-depth)"), std::string::npos) << r.err;
  r = run("replay --max-depth 200 '" + deep.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// replay --drift over a recording made here: list pages whose items carry a field the schema
// does not declare, and a GET by id without the optional content and active. The drift notes
// name each (operation, pattern) with counts in every format, and leave the exit code alone.
TEST_F(replay, drift_sums_undeclared_and_unseen_fields_per_operation) {
  const std::string base = "https://api.example.test/v1";
  const auto answer = [](std::string method, std::string url, std::string body) {
    har_entry e;
    e.method = std::move(method);
    e.url = std::move(url);
    e.status = 200;
    e.response_headers = {{"Content-Type", "application/json"}};
    e.response_body = std::move(body);
    e.response_mime_type = "application/json";
    return e;
  };
  const auto item = [](const std::string& id, long long at) {
    return R"({"object":"organization.certificate","id":")" + id + R"(","name":"n","created_at":)" +
           std::to_string(at) +
           R"(,"certificate_details":{"valid_at":1,"expires_at":2},"active":false,)"
           R"("fingerprint":"sha256:)" +
           id + R"("})";
  };
  const std::vector<har_entry> entries{
      answer("GET", base + "/organization/certificates?limit=2",
             R"({"object":"list","data":[)" + item("cert_b", 20) + "," + item("cert_a", 10) +
                 R"(],"first_id":"cert_b","last_id":"cert_a","has_more":true})"),
      answer("GET", base + "/organization/certificates?limit=2&after=cert_a",
             R"({"object":"list","data":[)" + item("cert_0", 5) +
                 R"(],"first_id":"cert_0","last_id":"cert_0","has_more":false})"),
      answer("GET", base + "/organization/certificates/cert_a",
             R"({"object":"certificate","id":"cert_a","name":"n","created_at":10,)"
             R"("certificate_details":{"valid_at":1,"expires_at":2}})"),
  };
  const fs::path har = dir_ / "drift.har";
  std::ofstream(har, std::ios::binary) << render_har(entries);
  const fs::path junit = dir_ / "drift.xml";

  const cli_result plain = run("replay --format json '" + har.string() + "'");
  ASSERT_TRUE(plain.report.has_value()) << plain.out << plain.err;
  const cli_result drift =
      run("replay --drift --format json --junit '" + junit.string() + "' '" + har.string() + "'");
  ASSERT_TRUE(drift.report.has_value()) << drift.out << drift.err;
  EXPECT_EQ(plain.exit_code, 0) << plain.out;
  EXPECT_EQ(drift.exit_code, 0) << drift.out;  // notes only

  std::vector<std::string> drift_rows, other_rows;
  for (const json_value& f : json_value(*drift.report->root().find("findings"))) {
    const std::string check(f.find("check")->as_string());
    const std::string row = std::string(f.find("subject")->as_string()) + " | " +
                            std::string(f.find("group")->as_string()) + " | " +
                            std::string(f.find("pointer")->as_string()) + " | " +
                            std::string(f.find("severity")->as_string()) + " | " + check + " | " +
                            std::string(f.find("message")->as_string());
    (check.starts_with("drift.") ? drift_rows : other_rows).push_back(row);
  }
  const std::vector<std::string> want = {
      "listOrganizationCertificates | drift GET /organization/certificates | "
      "/data/*/fingerprint | note | drift.undeclared_field | not declared by "
      "ListCertificatesResponse; seen in 2 of 2 responses (3 times), first at "
      "/data/0/fingerprint of GET " +
          base +
          "/organization/certificates?limit=2 "
          "(log.entries[0])",
      "getCertificate | drift GET /organization/certificates/{certificate_id} | "
      "/certificate_details/content | note | drift.unseen_field | declared by Certificate, "
      "never seen in 1 response; 1 had an object at /certificate_details to hold it",
      "getCertificate | drift GET /organization/certificates/{certificate_id} | /active | note "
      "| drift.unseen_field | declared by Certificate, never seen in 1 response; 1 had an "
      "object at the root to hold it",
  };
  EXPECT_EQ(drift_rows, want);
  // Everything else is the plain replay's, unchanged.
  std::vector<std::string> plain_rows;
  for (const json_value& f : json_value(*plain.report->root().find("findings"))) {
    EXPECT_FALSE(std::string_view(f.find("check")->as_string()).starts_with("drift."));
    plain_rows.push_back(std::string(f.find("subject")->as_string()) + " | " +
                         std::string(f.find("group")->as_string()) + " | " +
                         std::string(f.find("pointer")->as_string()) + " | " +
                         std::string(f.find("severity")->as_string()) + " | " +
                         std::string(f.find("check")->as_string()) + " | " +
                         std::string(f.find("message")->as_string()));
  }
  EXPECT_EQ(other_rows, plain_rows);
  const auto checks = test_support::checks_of(drift.report->root());
  EXPECT_EQ(checks.at("drift.undeclared_field"),
            (std::pair<std::int64_t, std::int64_t>{13 + 7, 1}));
  EXPECT_EQ(checks.at("drift.unseen_field"), (std::pair<std::int64_t, std::int64_t>{13 + 7, 2}));

  const std::string xml = read_file(junit);
  EXPECT_NE(xml.find("<testsuite name=\"drift GET /organization/certificates\""), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("name=\"drift.unseen_field\""), std::string::npos) << xml;

  const cli_result text = run("replay --drift '" + har.string() + "'");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("listOrganizationCertificates: drift GET /organization/certificates: "
                          "/data/*/fingerprint: note: drift.undeclared_field: not declared by "
                          "ListCertificatesResponse; seen in 2 of 2 responses (3 times)"),
            std::string::npos)
      << text.out;
}

// A crawl's recording with --write-checks: --drift sums the write checks' answers too (replay
// runs them on a recorded session), and adds only drift notes to the report.
TEST_F(replay, drift_covers_the_write_checks_and_adds_only_notes) {
  serve_process server({"--seed-certs", "12"});
  const fs::path har = dir_ / "run.har";
  const cli_result crawled =
      run("crawl --format json --limits 5,100 --backoff-ms 10 --project proj_e2e --write-checks "
          "--base-url '" +
          server.base_url() + "' --record '" + har.string() + "'");
  ASSERT_TRUE(crawled.report.has_value()) << crawled.out << crawled.err;
  server.stop();

  const cli_result plain = run("replay --format json '" + har.string() + "'");
  const cli_result drift = run("replay --drift --format json '" + har.string() + "'");
  ASSERT_TRUE(plain.report.has_value()) << plain.out << plain.err;
  ASSERT_TRUE(drift.report.has_value()) << drift.out << drift.err;
  EXPECT_EQ(drift.exit_code, plain.exit_code);
  std::size_t others = 0;
  for (const json_value& f : json_value(*drift.report->root().find("findings"))) {
    if (std::string_view(f.find("check")->as_string()).starts_with("drift.")) {
      EXPECT_EQ(f.find("severity")->as_string(), "note");
    } else {
      ++others;
    }
  }
  for (const json_value& s : json_value(*drift.report->root().find("summary"))) {
    if (s.key() == "notes") continue;
    EXPECT_EQ(s.as_int64(), plain.report->root().find("summary")->find(s.key())->as_int64())
        << s.key();
  }
  EXPECT_EQ(others, plain.report->root().find("findings")->size());
  // Every operation the write checks drive that answers 2xx JSON has its drift tallies: the
  // upload, the rename, the toggles and the delete were only ever sent by the write checks.
  auto checks = test_support::checks_of(drift.report->root());
  const std::int64_t drift_passes = checks["drift.unseen_field"].first;
  EXPECT_GT(drift_passes, 0);
  const cli_result junit_run =
      run("replay --drift --junit '" + (dir_ / "d.xml").string() + "' '" + har.string() + "'");
  const std::string xml = read_file(dir_ / "d.xml");
  for (const char* suite :
       {"drift GET /organization/certificates\"", "drift POST /organization/certificates\"",
        "drift POST /organization/certificates/{certificate_id}\"",
        "drift DELETE /organization/certificates/{certificate_id}\"",
        "drift POST /organization/certificates/activate\""}) {
    EXPECT_NE(xml.find(std::string("<testsuite name=\"") + suite), std::string::npos)
        << suite << "\n"
        << xml.substr(0, 4000);
  }
  EXPECT_EQ(junit_run.exit_code, plain.exit_code);
}

// A FIFO with no writer is refused at once, as by validate (`timeout` is only a watchdog).
TEST_F(replay, fifo_without_a_writer_exits_2_at_once) {
  const fs::path fifo = dir_ / "fifo.har";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const cli_result r =
      test_support::run_cli(dir_, "timeout -s KILL 60", "replay '" + fifo.string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.err, "certharness replay: " + fifo.string() +
                       ": a FIFO or pipe with no writer (it is read only while a writer has it "
                       "open)\n");
}

}  // namespace
}  // namespace certharness
