// `certharness validate` end to end: exit codes, both report formats, stdin, directories.
#include <sys/stat.h>
#include <sys/wait.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "certharness/json/json_document.hpp"
#include "cli_process.hpp"
#include "corpus_files.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;

using run_result = test_support::cli_result;

class validate_cli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_cli_test"); }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& bytes) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

  // Runs the CLI through the shell with `args` (already quoted) and optional stdin file.
  run_result run(const std::string& args, const std::string& stdin_path = "/dev/null") {
    return test_support::run_cli(dir_, "NO_COLOR=", args, stdin_path);
  }

  fs::path dir_;
};

const std::string k_certificate =
    R"({"object":"certificate","id":"cert_abc","name":"My Certificate","created_at":1234567,)"
    R"("certificate_details":{"valid_at":1234567,"expires_at":12345678}})";

TEST_F(validate_cli, valid_document_exits_0_and_shows_the_chosen_schema) {
  const fs::path p = write("cert.json", k_certificate);
  const run_result r = run("validate '" + p.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Certificate (by \"object\": \"certificate\"): valid"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("1 subject: 1 valid, 0 invalid"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << "colour when not a TTY";
}

TEST_F(validate_cli, invalid_document_exits_1_with_a_line_per_finding) {
  const fs::path p = write("bad.json", R"({"object":"certificate","id":7,"name":null,)"
                                       R"("created_at":1.5,"certificate_details":{}})");
  const run_result r = run("validate '" + p.string() + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find(p.string() + ":/id: error: schema: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(p.string() + ":/created_at: error: schema: "), std::string::npos) << r.out;
}

TEST_F(validate_cli, json_report_parses_back_with_consistent_counts) {
  write("d/a.json", k_certificate);
  write("d/sub/b.json", "{\"object\":\"list\",\"data\":[],\"has_more\":false,\"first_id\":null,"
                        "\"last_id\":null,}");
  write("d/sub/c.json", R"({"error":{"message":"x","type":"invalid_request_error",)"
                        R"("param":null,"code":null},"extra":1})");
  write("d/ignored.txt", "not json");
  const run_result r = run("validate --format json '" + (dir_ / "d").string() + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const decode_result parsed = decode_json(r.out);
  ASSERT_TRUE(parsed.ok()) << r.out;
  const json_value root = parsed.document->root();
  EXPECT_EQ(root.find("command")->as_string(), "validate");
  const json_value subjects = *root.find("subjects");
  ASSERT_EQ(subjects.size(), 3u) << r.out;
  // Sorted walk of the directory, *.json only.
  EXPECT_EQ(subjects[0].find("subject")->as_string(), (dir_ / "d/a.json").string());
  EXPECT_EQ(subjects[1].find("subject")->as_string(), (dir_ / "d/sub/b.json").string());
  EXPECT_EQ(subjects[2].find("schema")->as_string(), "ErrorResponse");
  EXPECT_TRUE(subjects[0].find("valid")->as_bool());
  EXPECT_FALSE(subjects[1].find("valid")->as_bool());
  EXPECT_TRUE(subjects[1].find("schema")->is_null());
  const json_value summary = *root.find("summary");
  EXPECT_EQ(summary.find("subjects")->as_int64(), 3);
  EXPECT_EQ(summary.find("valid")->as_int64(), 2);
  EXPECT_EQ(summary.find("invalid")->as_int64(), 1);
  std::int64_t errors = 0, notes = 0;
  for (const json_value& f : json_value(*root.find("findings"))) {
    const std::string_view sev = f.find("severity")->as_string();
    errors += sev == "error";
    notes += sev == "note";
    if (f.find("check")->as_string() == "json.syntax") {
      EXPECT_EQ(f.find("line")->as_int64(), 1);
      EXPECT_GT(f.find("offset")->as_int64(), 0);
    }
    if (f.find("check")->as_string() == "schema.unknown_property") {
      EXPECT_EQ(f.find("pointer")->as_string(), "/extra");
    }
  }
  EXPECT_EQ(summary.find("errors")->as_int64(), errors);
  EXPECT_EQ(summary.find("notes")->as_int64(), notes);
  EXPECT_EQ(notes, 1);
}

TEST_F(validate_cli, reads_stdin) {
  const fs::path p = write("in.json", k_certificate);
  const run_result r = run("validate --schema Certificate -", p.string());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("-: Certificate (by option): valid"), std::string::npos) << r.out;
}

TEST_F(validate_cli, forced_schema_applies_to_every_document) {
  const fs::path p = write("cert.json", k_certificate);
  const run_result r = run("validate --format json --schema OrganizationCertificate '" +
                           p.string() + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find(R"("keyword":"required")"), std::string::npos) << r.out;
}

TEST_F(validate_cli, unplaceable_document_is_a_finding) {
  const fs::path p = write("x.json", R"({"hello":"world"})");
  const run_result r = run("validate '" + p.string() + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("schema.unplaced"), std::string::npos) << r.out;
}

TEST_F(validate_cli, could_not_run_exits_2_with_one_line) {
  const fs::path p = write("cert.json", k_certificate);
  for (const std::string& args :
       {"validate --schema Nope '" + p.string() + "'", "validate '" + (dir_ / "missing").string() + "'",
        std::string("validate"), "validate --format xml '" + p.string() + "'",
        "validate --bogus '" + p.string() + "'", std::string("frobnicate")}) {
    const run_result r = run(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.out << r.err;
    EXPECT_FALSE(r.err.empty()) << args;
    EXPECT_TRUE(r.out.empty()) << args << ": " << r.out;
  }
  for (const std::string& args : {"validate --schema Nope '" + p.string() + "'",
                                  std::string("validate"), std::string("validate --bogus x")}) {
    const run_result r = run(args);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << ": " << r.err;
  }
}

TEST_F(validate_cli, limits_are_findings_and_adjustable) {
  const fs::path deep = write("deep.json", std::string(100'000, '[') + std::string(100'000, ']'));
  run_result r = run("validate --schema Certificate '" + deep.string() + "'");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("json.limits"), std::string::npos) << r.out;
  const fs::path cert = write("cert.json", k_certificate);
  r = run("validate --max-bytes 100 '" + cert.string() + "'");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("json.limits"), std::string::npos) << r.out;
  r = run("validate --max-bytes 1KB --max-depth 2 '" + cert.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = run("validate --max-depth 1 '" + cert.string() + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
}

TEST_F(validate_cli, hostile_bytes_are_findings_not_crashes) {
  const fs::path p = write("bin.json", std::string("{\"name\":\"\xff\x00\x1b[2J\"}", 16));
  const run_result r = run("validate '" + p.string() + "'");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("json.syntax"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << "escape bytes must not reach the terminal";
}

// Hostile inputs (100,000 levels deep, 100 MB, invalid UTF-8, extreme exponents) through the
// whole CLI (CI runs it under ASan+UBSan): each one is a finding and exit 1, never a crash.
TEST_F(validate_cli, hostile_documents_exit_1_with_a_finding) {
  std::string huge = "{\"object\":\"certificate\",\"name\":\"";
  huge.append(100u << 20, 'a');
  huge += "\"}";
  const struct {
    std::string name, bytes, args, check;
  } cases[] = {
      {"deep.json", std::string(100'000, '[') + std::string(100'000, ']'), "", "json.limits"},
      {"deep_raised.json", std::string(100'000, '[') + std::string(100'000, ']'),
       "--max-depth 200000 --schema Certificate", "schema"},
      {"huge.json", huge, "", "json.limits"},
      {"huge_raised.json", huge, "--max-bytes 200MB", "schema"},
      {"utf8.json", "{\"object\":\"certificate\",\"name\":\"\xc3\x28\"}", "", "json.syntax"},
      {"exponent.json",
       R"({"object":"certificate","id":"c","name":null,"created_at":1e-2147483649,)"
       R"("certificate_details":{}})",
       "", "schema"},
      {"exponent_big.json",
       R"({"object":"list","data":[],"first_id":null,"last_id":1e99999999999,"has_more":false})",
       "", "schema"},
  };
  for (const auto& c : cases) {
    const fs::path p = write(c.name, c.bytes);
    const run_result r = run("validate --format json " + c.args + " '" + p.string() + "'");
    EXPECT_EQ(r.exit_code, 1) << c.name << "\n" << r.err;
    EXPECT_NE(r.out.find("\"check\":\"" + c.check + "\""), std::string::npos)
        << c.name << ": expected " << c.check << " in\n" << r.out.substr(0, 2000);
  }
}

// A FIFO nobody writes to is refused at once (exit 2, one line naming it), not waited for.
// `timeout` is a watchdog, not a timer: a CLI that waits is killed after 60 s, and fails here.
TEST_F(validate_cli, fifo_without_a_writer_exits_2_at_once) {
  const fs::path fifo = dir_ / "fifo.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const char* jobs : {"-j 1", "-j 2"}) {
    const run_result r =
        test_support::run_cli(dir_, "NO_COLOR= timeout -s KILL 60",
                         std::string("validate ") + jobs + " '" + fifo.string() + "'");
    EXPECT_EQ(r.exit_code, 2) << jobs << "\n" << r.out << r.err;
    EXPECT_EQ(r.err, "certharness validate: " + fifo.string() +
                         ": a FIFO or pipe with no writer (it is read only while a writer has "
                         "it open)\n")
        << jobs;
  }
}

// A pipe with a writer is read like standard input (here through /dev/fd/3).
TEST_F(validate_cli, pipe_with_a_writer_is_read) {
  const run_result r = test_support::run_cli(
      dir_, "printf '%s' '" + k_certificate + "' | NO_COLOR=", "validate /dev/fd/3 3<&0");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("/dev/fd/3: Certificate"), std::string::npos) << r.out;
}

// A bad entry deep in a directory is named (not the top directory), and stops the run.
TEST_F(validate_cli, bad_directory_entry_is_named) {
  write("d/a.json", k_certificate);
  fs::create_directories(dir_ / "d/sub");
  const struct {
    std::string name, target;
  } cases[] = {{"loop.json", "loop.json"}, {"dangling.json", "nowhere.json"}};
  for (const auto& c : cases) {
    const fs::path link = dir_ / "d/sub" / c.name;
    fs::create_symlink(c.target, link);
    const run_result r = run("validate '" + (dir_ / "d").string() + "'");
    EXPECT_EQ(r.exit_code, 2) << c.name << "\n" << r.out << r.err;
    EXPECT_EQ(r.err.rfind("certharness validate: " + link.string() + ": cannot read: ", 0), 0u)
        << c.name << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    fs::remove(link);
  }
}

// Over --max-bytes: a file's real size, or "over the limit" for a pipe, never the limit + 1
// bytes read to tell.
TEST_F(validate_cli, over_the_limit_says_the_real_size) {
  const fs::path big = dir_ / "big.json";
  std::ofstream(big).close();
  fs::resize_file(big, 200'000'000);  // sparse
  run_result r = run("validate --format json '" + big.string() + "'");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("the input is 200000000 bytes, over the limit of 67108864 bytes (raise it "
                       "with --max-bytes)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("67108865"), std::string::npos) << r.out;

  const fs::path in = write("in.json", k_certificate);
  r = run("validate --format json --max-bytes 10 -", in.string());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("the input is over the limit of 10 bytes (raise it with --max-bytes)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("11 bytes"), std::string::npos) << r.out;
}

TEST_F(validate_cli, whole_shipped_corpus_in_one_call) {
  const run_result r =
      run(std::string("validate --format json '") + CERTHARNESS_CORPUS_DIR + "/responses'");
  EXPECT_EQ(r.exit_code, 1) << r.err;  // the corpus holds invalid documents on purpose
  const decode_result parsed = decode_json(r.out);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.document->root().find("summary")->find("subjects")->as_int64(),
            static_cast<std::int64_t>(test_support::corpus_files().size()));
}

}  // namespace
}  // namespace certharness
