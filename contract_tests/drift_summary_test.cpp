// replay --drift's summary: undeclared fields seen (counts, first example, index folding),
// declared fields never seen (and how many responses could have had them), the caps on what a
// hostile recording makes it keep, the notes and tallies it adds to a report, and agreement
// with the registry's own schema.unknown_property notes over the labelled corpus.
#include "certharness/conformance/drift_summary.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/json/json_document.hpp"
#include "certharness/json/json_pointer.hpp"
#include "corpus_files.hpp"

namespace certharness {
namespace {

using op = certificate_operation;

const operation& list_op() { return operation_table::builtin().at(op::list_certificates); }
const operation& get_op() { return operation_table::builtin().at(op::get_certificate); }

std::string item(const std::string& id, const std::string& extra = "") {
  return R"({"object":"organization.certificate","id":")" + id +
         R"(","name":null,"created_at":1,"certificate_details":{"valid_at":1,"expires_at":2},)" +
         R"("active":true)" + extra + "}";
}

std::string page(const std::vector<std::string>& items) {
  std::string data;
  for (const std::string& i : items) data += (data.empty() ? "" : ",") + i;
  return R"({"object":"list","data":[)" + data +
         R"(],"first_id":null,"last_id":null,"has_more":false})";
}

// Decoded documents stay alive for the whole test: the summary keeps no reference to them, but
// a test reads them again.
struct bodies {
  std::deque<json_document> kept;  // handles live as long as their document, where it is
  json_value operator()(std::string_view json, decode_limits limits = {}) {
    decode_result d = decode_json(json, limits);
    EXPECT_TRUE(d.ok()) << json.substr(0, 200);
    kept.push_back(std::move(*d.document));
    return kept.back().root();
  }
};

const drift_field* find_field(const std::vector<drift_field>& fields, std::string_view pattern) {
  const auto it = std::find_if(fields.begin(), fields.end(),
                               [&](const drift_field& f) { return f.pattern == pattern; });
  return it == fields.end() ? nullptr : &*it;
}

std::vector<std::string> patterns(const std::vector<drift_field>& fields) {
  std::vector<std::string> out;
  for (const drift_field& f : fields) out.push_back(f.pattern);
  return out;
}

TEST(drift_summary, an_undeclared_field_is_counted_per_response_with_its_first_place) {
  bodies json;
  drift_summary drift(schema_registry::builtin());
  const std::string fp = R"(,"fingerprint":"ab")";
  const std::string schema(list_op().success_schema());
  drift.add(list_op(), schema, json(page({item("a"), item("b"), item("c"), item("d", fp)})),
            "GET https://h/v1/organization/certificates?limit=4", "log.entries[12]");
  drift.add(list_op(), schema, json(page({item("e", fp), item("f", fp)})), "GET second",
            "log.entries[13]");
  drift.add(list_op(), schema, json(page({item("g")})), "GET third", "log.entries[14]");

  const std::vector<drift_operation> ops = drift.operations();
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].id, list_op().id);
  EXPECT_EQ(ops[0].schema, schema);
  EXPECT_EQ(ops[0].responses, 3u);
  ASSERT_EQ(patterns(ops[0].undeclared), std::vector<std::string>{"/data/*/fingerprint"});
  const drift_field& f = ops[0].undeclared[0];
  EXPECT_EQ(f.responses, 2u);
  EXPECT_EQ(f.occurrences, 3u);
  EXPECT_EQ(f.example, "/data/3/fingerprint");
  EXPECT_EQ(f.request, "GET https://h/v1/organization/certificates?limit=4");
  EXPECT_EQ(f.where, "log.entries[12]");
  EXPECT_TRUE(ops[0].unseen.empty()) << patterns(ops[0].unseen).front();
  EXPECT_EQ(ops[0].declared, schema_registry::builtin().declared_patterns(schema).size());
  EXPECT_EQ(ops[0].declared_seen, ops[0].declared);
  EXPECT_EQ(ops[0].left_out, 0u);
}

TEST(drift_summary, a_declared_field_never_seen_says_how_many_responses_could_have_had_it) {
  bodies json;
  drift_summary drift(schema_registry::builtin());
  const std::string schema(get_op().success_schema());
  const std::string cert = R"({"object":"certificate","id":"c","name":"n","created_at":1,)"
                           R"("certificate_details":{"valid_at":1,"expires_at":2}})";
  drift.add(get_op(), schema, json(cert), "GET one", "log.entries[0]");
  drift.add(get_op(), schema, json(cert), "GET two", "log.entries[1]");
  // certificate_details null: no object that could hold content.
  drift.add(get_op(), schema,
            json(R"({"object":"certificate","id":"c","name":"n","created_at":1,)"
                 R"("certificate_details":null})"),
            "GET three", "log.entries[2]");

  const std::vector<drift_operation> ops = drift.operations();
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_TRUE(ops[0].undeclared.empty());
  EXPECT_EQ(patterns(ops[0].unseen),
            (std::vector<std::string>{"/certificate_details/content", "/active"}));
  const drift_field* content = find_field(ops[0].unseen, "/certificate_details/content");
  ASSERT_NE(content, nullptr);
  EXPECT_EQ(content->parent, "/certificate_details");
  EXPECT_EQ(content->could_have, 2u);
  const drift_field* active = find_field(ops[0].unseen, "/active");
  ASSERT_NE(active, nullptr);
  EXPECT_EQ(active->parent, "");
  EXPECT_EQ(active->could_have, 3u);
}

TEST(drift_summary, fields_under_an_unseen_field_are_said_by_it_alone) {
  bodies json;
  drift_summary drift(schema_registry::builtin());
  drift.add(get_op(), "Certificate",
            json(R"({"object":"certificate","id":"c","name":"n","created_at":1})"), "GET", "e");
  // certificate_details was never there: its valid_at, expires_at and content are not listed.
  EXPECT_EQ(patterns(drift.operations()[0].unseen),
            (std::vector<std::string>{"/certificate_details", "/active"}));
}

TEST(drift_summary, items_of_an_always_empty_list_could_not_have_been_seen) {
  bodies json;
  drift_summary drift(schema_registry::builtin());
  drift.add(list_op(), "ListCertificatesResponse", json(page({})), "GET", "e");
  const drift_operation op = drift.operations()[0];
  // Each item field is listed (data itself was seen), none could have been there.
  ASSERT_EQ(op.unseen.size(), 6u) << patterns(op.unseen).front();
  for (const drift_field& f : op.unseen) {
    EXPECT_EQ(f.parent, "/data/*") << f.pattern;
    EXPECT_EQ(f.could_have, 0u) << f.pattern;
  }
  EXPECT_EQ(op.unseen[0].pattern, "/data/*/object");
}

TEST(drift_summary, indices_fold_at_every_level_and_undeclared_fields_are_not_entered) {
  bodies json;
  drift_summary drift(schema_registry::builtin());
  // An extra top-level array of arrays, and an item with a nested extra object: only the
  // fields themselves are news.
  drift.add(list_op(), "ListCertificatesResponse",
            json(R"({"object":"list","data":[)" + item("a") + "," +
                 item("b", R"(,"owner":{"id":"u","name":"x"})") +
                 R"(],"first_id":"a","last_id":"b","has_more":false,"extra":[[{"k":1}]],)"
                 R"("a/b~c":1})"),
            "GET", "e");
  const drift_operation op = drift.operations()[0];
  EXPECT_EQ(patterns(op.undeclared),
            (std::vector<std::string>{"/a~1b~0c", "/data/*/owner", "/extra"}));
  EXPECT_EQ(find_field(op.undeclared, "/data/*/owner")->example, "/data/1/owner");
}

TEST(drift_summary, operations_are_kept_apart_in_the_order_first_seen) {
  bodies json;
  drift_summary drift(schema_registry::builtin());
  const operation& project = operation_table::builtin().at(op::list_project_certificates);
  drift.add(get_op(), "Certificate",
            json(R"({"object":"certificate","id":"c","name":"n","created_at":1,"x":1,)"
                 R"("certificate_details":{"valid_at":1,"expires_at":2}})"),
            "GET", "e");
  drift.add(project, std::string(project.success_schema()), json(page({})), "GET", "e");
  drift.add(get_op(), "Certificate", json(R"({"y":2})"), "GET", "e");
  drift.add(get_op(), "NoSuchSchema", json(R"({"z":2})"), "GET", "e");  // ignored
  const std::vector<drift_operation> ops = drift.operations();
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].id, get_op().id);
  EXPECT_EQ(ops[0].responses, 2u);
  EXPECT_EQ(patterns(ops[0].undeclared), (std::vector<std::string>{"/x", "/y"}));
  EXPECT_EQ(ops[1].id, project.id);
  EXPECT_EQ(ops[1].method, "GET");
  EXPECT_EQ(ops[1].path, project.path);
}

TEST(drift_summary, distinct_undeclared_fields_are_capped_and_the_rest_counted) {
  bodies json;
  drift_summary drift(schema_registry::builtin(), drift_limits{5, 64});
  std::string extra;
  for (int k = 0; k < 40; ++k) extra += ",\"k" + std::to_string(k) + "\":1";
  extra += ",\"" + std::string(100, 'L') + "\":1";  // its pattern is over 64 bytes
  drift.add(list_op(), "ListCertificatesResponse", json(page({item("a", extra)})), "GET", "e");
  // Again: the five kept are counted on, the rest is left out again.
  drift.add(list_op(), "ListCertificatesResponse", json(page({item("a", extra)})), "GET", "e");
  const drift_operation op = drift.operations()[0];
  EXPECT_EQ(op.undeclared.size(), 5u);
  for (const drift_field& f : op.undeclared) EXPECT_EQ(f.responses, 2u) << f.pattern;
  EXPECT_EQ(op.left_out, 2u * (35 + 1));

  run_report report;
  drift.append_to(report);
  const auto capped = std::find_if(report.findings.begin(), report.findings.end(),
                                   [](const run_finding& f) { return f.what.pointer.empty(); });
  ASSERT_NE(capped, report.findings.end());
  EXPECT_EQ(capped->what.check, "drift.undeclared_field");
  EXPECT_EQ(capped->what.message,
            "72 more fields not summed: over 5 distinct undeclared fields, or a pattern over 64 "
            "bytes");
}

// A page of 100,000 items, each with a key of its own, and data nested 100,000 arrays deep: the
// summary keeps its cap, and the walk (iterative) neither overflows the stack nor lingers.
TEST(drift_summary, hostile_pages_are_bounded) {
  bodies json;
  drift_summary drift(schema_registry::builtin());
  std::string items;
  constexpr int n = 100'000;
  for (int k = 0; k < n; ++k) {
    items += (k ? ",{\"u" : "{\"u") + std::to_string(k) + "\":1}";
  }
  drift.add(list_op(), "ListCertificatesResponse", json(R"({"data":[)" + items + "]}"), "GET", "e");
  const std::string deep =
      R"({"data":)" + std::string(n, '[') + "{\"q\":1}" + std::string(n, ']') + "}";
  drift.add(list_op(), "ListCertificatesResponse", json(deep, decode_limits{1 << 24, n + 10}),
            "GET", "e");
  const drift_operation op = drift.operations()[0];
  EXPECT_EQ(op.undeclared.size(), drift_limits{}.max_undeclared_fields);
  EXPECT_EQ(op.left_out, std::size_t(n) - drift_limits{}.max_undeclared_fields + 1);
}

TEST(drift_summary, notes_and_tallies_go_into_the_report_per_operation_and_pattern) {
  bodies json;
  drift_summary drift(schema_registry::builtin());
  drift.add(list_op(), "ListCertificatesResponse",
            json(page({item("a", R"(,"fingerprint":"x")"), item("b")})),
            "GET https://h/v1/organization/certificates", "log.entries[3] of archive 2");
  drift.add(get_op(), "Certificate",
            json(R"({"object":"certificate","id":"c","name":"n","created_at":1,)"
                 R"("certificate_details":{"valid_at":1,"expires_at":2}})"),
            "GET https://h/v1/organization/certificates/c", "log.entries[4] of archive 2");
  run_report report;
  drift.append_to(report);

  std::vector<std::string> lines;
  for (const run_finding& f : report.findings) {
    lines.push_back(f.request + " | " + f.group + " | " + f.what.pointer + " | " +
                    std::string(to_string(f.what.level)) + " | " + f.what.check + " | " +
                    f.what.message);
  }
  const std::string list_group = "drift GET " + list_op().path;
  const std::string get_group = "drift GET " + get_op().path;
  const std::vector<std::string> want = {
      list_op().id + " | " + list_group +
          " | /data/*/fingerprint | note | drift.undeclared_field | not declared by "
          "ListCertificatesResponse; seen in 1 of 1 response (1 time), first at "
          "/data/0/fingerprint of GET https://h/v1/organization/certificates (log.entries[3] "
          "of archive 2)",
      get_op().id + " | " + get_group +
          " | /certificate_details/content | note | drift.unseen_field | declared by "
          "Certificate, never seen in 1 response; 1 had an object at /certificate_details to "
          "hold it",
      get_op().id + " | " + get_group +
          " | /active | note | drift.unseen_field | declared by Certificate, never seen in 1 "
          "response; 1 had an object at the root to hold it",
  };
  EXPECT_EQ(lines, want);

  const check_count& undeclared = report.groups[list_group]["drift.undeclared_field"];
  EXPECT_EQ(undeclared.passed, 13u);  // every declared pattern of the list was seen
  EXPECT_EQ(undeclared.failed, 1u);
  const check_count& unseen = report.groups[get_group]["drift.unseen_field"];
  EXPECT_EQ(unseen.passed, 7u);
  EXPECT_EQ(unseen.failed, 2u);
  EXPECT_FALSE(report.has_error());
}

// `pointer` into `root` with each array index spelled "*".
std::string folded(const json_value& root, std::string_view pointer) {
  std::string out, so_far;
  std::optional<json_value> at = root;
  std::size_t start = 1;
  while (start <= pointer.size() && at) {
    const std::size_t end = std::min(pointer.find('/', start), pointer.size());
    const std::string_view token = pointer.substr(start, end - start);
    so_far += "/" + std::string(token);
    out += at->is_array() ? "/*" : "/" + std::string(token);
    at = resolve_pointer(root, so_far);
    start = end + 1;
  }
  return out;
}

// Two walks, written apart: for every valid corpus document, the undeclared fields the summary
// finds are the folded pointers of the registry's schema.unknown_property notes. One test over
// the corpus (each file is named on failure): a process per file would cost more than the checks.
TEST(drift_summary, agrees_with_the_registry_on_undeclared_fields_of_the_valid_corpus) {
  std::size_t files = 0, with_notes = 0;
  for (const test_support::corpus_file& file : test_support::corpus_files()) {
    if (!file.expect_valid) continue;
    ++files;
    const std::string text = test_support::read_file(file.path);
    const decode_result decoded = decode_json(text);
    ASSERT_TRUE(decoded.ok()) << file.relative;
    const json_value root = decoded.document->root();
    std::set<std::string> want;
    for (const finding& f : schema_registry::builtin().validate(root, file.schema)) {
      if (f.check == "schema.unknown_property") want.insert(folded(root, f.pointer));
    }
    with_notes += !want.empty();
    drift_summary drift(schema_registry::builtin());
    drift.add(get_op(), file.schema, root, "GET", "e");
    const std::vector<std::string> got = patterns(drift.operations()[0].undeclared);
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), want) << file.relative;
  }
  EXPECT_GT(files, 100u) << "the corpus was not found: " << CERTHARNESS_CORPUS_DIR;
  EXPECT_GT(with_notes, 10u);  // the corpus has documents with extra properties at every level
}

}  // namespace
}  // namespace certharness
