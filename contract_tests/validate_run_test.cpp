// `certharness validate` as a library call: one document placed and judged, inputs collected
// from paths, and validate_inputs with its worker threads (input order kept, oversized and
// unreadable inputs); what workers throw comes back to the caller after every worker has stopped
// (never std::terminate), with any number of jobs.
//
// This executable replaces the global operator new so that a test can make every allocation of
// at least N bytes fail, on every thread (ASan's own operator new reports and dies instead of
// throwing std::bad_alloc, so running out of memory cannot be provoked otherwise under ASan).
#include "certharness/validate/validate_run.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "certharness/schema/schema_registry.hpp"
#include "edited_contract.hpp"
#include "test_support.hpp"

namespace {
// 0: allocations never fail on purpose.
std::atomic<std::size_t> fail_allocations_from{0};
}  // namespace

namespace {
void* allocate(std::size_t n) {
  const std::size_t from = fail_allocations_from.load(std::memory_order_relaxed);
  if (from != 0 && n >= from) throw std::bad_alloc();
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
}  // namespace

// Every replaceable form, so that whatever allocates and frees goes through malloc and free.
void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace certharness {
namespace {

namespace fs = std::filesystem;

class validate_run_test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_support::fresh_test_dir("certharness_validate_run");
    schema_registry::builtin();  // compiled before any allocation is made to fail
    contract::builtin();
  }
  void TearDown() override {
    fail_allocations_from = 0;
    fs::remove_all(dir_);
  }

  fs::path dir_;
};

TEST_F(validate_run_test, out_of_memory_in_workers_is_rethrown_after_they_stop) {
  // Eight 2 MB documents; reading one needs a 2 MB buffer, which cannot be had.
  std::vector<validate_input> inputs;
  for (int i = 0; i < 8; ++i) {
    const fs::path p = dir_ / ("doc" + std::to_string(i) + ".json");
    std::ofstream(p) << "[" << std::string(2'000'000, ' ') << "]";
    inputs.push_back(validate_input{p.string()});
  }
  for (const unsigned jobs : {1u, 2u, 4u, 8u}) {
    validate_options options;
    options.jobs = jobs;
    fail_allocations_from = 1'000'000;
    EXPECT_THROW((void)validate_inputs(inputs, options), std::bad_alloc) << jobs << " jobs";
    fail_allocations_from = 0;
  }
  // And with memory to spare, the same inputs validate.
  validate_options options;
  options.jobs = 4;
  const result<validate_report> report = validate_inputs(inputs, options);
  ASSERT_TRUE(report.has_value()) << report.error();
  EXPECT_EQ(report->summary.subjects, inputs.size());
}

// Placed and judged by the contract of the options (--spec): a schema the contract lacks is
// schema.unplaced, naming it, never an exception; the report names the contract.
TEST_F(validate_run_test, places_and_judges_by_the_contract_it_is_given) {
  const contract renamed = test_support::edited_contract([](std::vector<operation>& rows) {
    for (operation& op : rows) {
      for (operation_response& r : op.responses) {
        if (r.schema == "ListCertificatesResponse") r.schema = "ListCertificatesResponseV0";
      }
    }
  });
  validate_options options;
  options.spec = renamed;
  const subject_report list =
      validate_document("list.json", R"({"object":"list","data":[]})", options);
  EXPECT_FALSE(list.valid);
  EXPECT_FALSE(list.schema.has_value());
  ASSERT_EQ(list.problems.size(), 1u);
  EXPECT_EQ(list.problems[0].check, "schema.unplaced");
  EXPECT_NE(list.problems[0].message.find("no schema ListCertificatesResponseV0"),
            std::string::npos)
      << list.problems[0].message;
  // Without --spec, the same document is the organization list, and valid.
  EXPECT_EQ(validate_document("list.json",
                              R"({"object":"list","data":[],"first_id":null,)"
                              R"("last_id":null,"has_more":false})",
                              validate_options{})
                .schema,
            "ListCertificatesResponse");

  const fs::path p = dir_ / "list.json";
  std::ofstream(p) << R"({"object":"list","data":[]})";
  const result<validate_report> report = validate_inputs({validate_input{p.string()}}, options);
  ASSERT_TRUE(report.has_value()) << report.error();
  EXPECT_EQ(report->contract_source, "edited-openapi.json");
  EXPECT_EQ(report->summary.invalid, 1u);
  const result<validate_report> builtin = validate_inputs({validate_input{p.string()}}, {});
  ASSERT_TRUE(builtin.has_value()) << builtin.error();
  EXPECT_EQ(builtin->contract_source, "built-in");
}

// One document: placed by its content, or by the option; a document that cannot be placed is
// invalid with schema.unplaced; one that is not JSON has no schema at all.
TEST(validate_document, places_validates_and_decides_validity) {
  const std::string certificate = R"({"object":"certificate","id":"c","name":"n","created_at":1,)"
                                  R"("certificate_details":{"valid_at":1,"expires_at":2}})";
  const struct {
    const char* name;
    std::string bytes;
    std::optional<std::string> forced;
    std::optional<std::string> schema;
    std::string placed_by;
    bool valid;
    std::vector<std::string> checks;
  } cases[] = {
      {"placed by object",
       certificate,
       std::nullopt,
       "Certificate",
       R"("object": "certificate")",
       true,
       {}},
      {"forced by the option",
       certificate,
       "ErrorResponse",
       "ErrorResponse",
       "option",
       false,
       {"schema", "schema.unknown_property", "schema.unknown_property", "schema.unknown_property",
        "schema.unknown_property", "schema.unknown_property"}},
      {"a warning leaves it valid",
       R"({"object":"certificate","id":"c","name":"n","created_at":18446744073709551616,)"
       R"("certificate_details":{}})",
       std::nullopt,
       "Certificate",
       R"("object": "certificate")",
       true,
       {"json.number_range"}},
      {"cannot be placed",
       R"({"name":"x"})",
       std::nullopt,
       std::nullopt,
       "",
       false,
       {"schema.unplaced"}},
      {"not JSON", "{\"object\":", std::nullopt, std::nullopt, "", false, {"json.syntax"}},
      {"not JSON, even with the option",
       "[1,]",
       "Certificate",
       std::nullopt,
       "",
       false,
       {"json.syntax"}},
  };
  for (const auto& c : cases) {
    validate_options options;
    options.schema = c.forced;
    const subject_report r = validate_document("subject.json", c.bytes, options);
    EXPECT_EQ(r.subject, "subject.json");
    EXPECT_EQ(r.schema, c.schema) << c.name;
    EXPECT_EQ(r.placed_by, c.placed_by) << c.name;
    EXPECT_EQ(r.valid, c.valid) << c.name;
    std::vector<std::string> checks;
    for (const finding& f : r.problems) checks.push_back(f.check);
    EXPECT_EQ(checks, c.checks) << c.name << ": " << ::testing::PrintToString(checks);
  }
}

TEST(validate_document, honours_the_decode_limits) {
  validate_options options;
  options.limits.max_depth = 2;
  const subject_report r = validate_document("deep", "[[[1]]]", options);
  EXPECT_FALSE(r.valid);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_EQ(r.problems[0].check, "json.limits");
}

TEST(summarize, counts_subjects_by_validity_and_findings_by_severity) {
  std::vector<subject_report> subjects(3);
  subjects[0].valid = true;
  subjects[0].problems = {finding{checks::json_number_range, "", "", "", {}},
                          finding{checks::schema_unknown_property, "", "", "", {}}};
  subjects[1].problems = {finding{checks::schema, "", "", "", {}},
                          finding{checks::schema, "", "", "", {}}};
  const summary_counts c = summarize(subjects);
  EXPECT_EQ(c.subjects, 3u);
  EXPECT_EQ(c.valid, 1u);
  EXPECT_EQ(c.invalid, 2u);  // the third has no finding but was never judged valid
  EXPECT_EQ(c.errors, 2u);
  EXPECT_EQ(c.warnings, 1u);
  EXPECT_EQ(c.notes, 1u);

  summary_counts counts;
  count_severity(counts, severity::note);
  count_severity(counts, severity::note);
  EXPECT_EQ(counts.notes, 2u);
  EXPECT_EQ(counts.errors + counts.warnings + counts.subjects, 0u);
}

// Directories are walked for *.json regular files, sorted; symbolic links to directories are
// not followed; a path that cannot be used fails the whole collection, naming it.
TEST_F(validate_run_test, collect_inputs_expands_directories_sorted) {
  fs::create_directories(dir_ / "d" / "sub");
  fs::create_directories(dir_ / "elsewhere");
  for (const char* name : {"d/b.json", "d/a.json", "d/sub/c.json", "d/notes.txt",
                           "elsewhere/linked.json", "single.txt"}) {
    std::ofstream(dir_ / name) << "{}";
  }
  fs::create_directory_symlink(dir_ / "elsewhere", dir_ / "d" / "link_to_dir");
  fs::create_symlink(dir_ / "d" / "a.json", dir_ / "d" / "z_link.json");
  const result<std::vector<validate_input>> out =
      collect_inputs({(dir_ / "single.txt").string(), "-", (dir_ / "d").string()});
  ASSERT_TRUE(out.has_value()) << out.error();
  std::vector<std::string> subjects;
  for (const validate_input& in : *out) subjects.push_back(in.subject);
  const std::string d = (dir_ / "d").string();
  EXPECT_EQ(subjects,
            (std::vector<std::string>{(dir_ / "single.txt").string(), "-", d + "/a.json",
                                      d + "/b.json", d + "/sub/c.json", d + "/z_link.json"}));
}

TEST_F(validate_run_test, collect_inputs_names_the_path_it_cannot_use) {
  fs::create_directories(dir_ / "empty");
  fs::create_directories(dir_ / "broken");
  fs::create_symlink(dir_ / "nowhere.json", dir_ / "broken" / "x.json");
  const std::string missing = (dir_ / "missing.json").string();
  const struct {
    std::vector<std::string> paths;
    std::string message;
  } cases[] = {
      {{"-", "-"}, "-: standard input can be read only once"},
      {{missing}, missing + ": no such file or directory"},
      {{(dir_ / "empty").string()},
       (dir_ / "empty").string() + ": no *.json file in this directory"},
      {{(dir_ / "broken").string()}, (dir_ / "broken" / "x.json").string() + ": cannot read: "},
  };
  for (const auto& c : cases) {
    const result<std::vector<validate_input>> out = collect_inputs(c.paths);
    ASSERT_FALSE(out.has_value()) << c.message;
    EXPECT_TRUE(out.error().starts_with(c.message)) << out.error();
  }
}

// Whatever the number of workers, the report is in input order; an input over the byte limit is
// a json.limits finding that gives its real size.
TEST_F(validate_run_test, validate_inputs_keeps_input_order_and_reports_oversized_inputs) {
  std::vector<validate_input> inputs;
  for (int i = 0; i < 12; ++i) {
    const fs::path p = dir_ / ("doc" + std::to_string(i) + ".json");
    // Every third is not JSON, every fourth is over the limit.
    std::ofstream(p) << (i % 4 == 3 ? "[" + std::string(200, ' ') + "]"
                         : i % 3 == 0
                             ? std::string("{")
                             : R"({"error":{"message":"m","type":"t","param":null,"code":null}})");
    inputs.push_back(validate_input{p.string()});
  }
  for (const unsigned jobs : {1u, 2u, 5u, 32u}) {
    validate_options options;
    options.jobs = jobs;
    options.limits.max_bytes = 100;
    const result<validate_report> ran = validate_inputs(inputs, options);
    ASSERT_TRUE(ran.has_value()) << jobs << ": " << ran.error();
    const validate_report& report = *ran;
    ASSERT_EQ(report.subjects.size(), inputs.size());
    std::size_t valid = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const subject_report& s = report.subjects[i];
      EXPECT_EQ(s.subject, inputs[i].subject) << jobs << " jobs";
      const std::string first = s.problems.empty() ? "" : s.problems[0].check;
      if (i % 4 == 3) {
        EXPECT_EQ(first, checks::json_limits.id()) << i;
        ASSERT_FALSE(s.problems.empty());
        EXPECT_TRUE(
            s.problems[0].message.starts_with("the input is 202 bytes, over the limit of "
                                              "100 bytes"))
            << s.problems[0].message;
      } else if (i % 3 == 0) {
        EXPECT_EQ(first, checks::json_syntax.id()) << i;
      } else {
        EXPECT_TRUE(s.valid) << i;
        EXPECT_EQ(s.schema, "ErrorResponse") << i;
        ++valid;
      }
    }
    EXPECT_EQ(report.summary.subjects, inputs.size());
    EXPECT_EQ(report.summary.valid, valid);
    EXPECT_EQ(report.summary.invalid, inputs.size() - valid);
  }
}

TEST_F(validate_run_test, validate_inputs_returns_the_first_unreadable_input_in_input_order) {
  const fs::path good = dir_ / "good.json";
  std::ofstream(good) << "{}";
  std::vector<validate_input> inputs{{good.string()},
                                     {(dir_ / "gone1.json").string()},
                                     {good.string()},
                                     {(dir_ / "gone2.json").string()}};
  for (const unsigned jobs : {1u, 4u}) {
    validate_options options;
    options.jobs = jobs;
    const result<validate_report> ran = validate_inputs(inputs, options);
    ASSERT_FALSE(ran.has_value()) << jobs;
    EXPECT_TRUE(ran.error().starts_with((dir_ / "gone1.json").string())) << ran.error();
  }
}

}  // namespace
}  // namespace certharness
