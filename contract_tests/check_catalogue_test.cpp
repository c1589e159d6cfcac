// The check catalogue: every check id with its severity, unique, grouped by family,
// and every one documented in the README's check table with the same severity.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "certharness/findings/check_catalogue.hpp"
#include "certharness/findings/finding.hpp"
#include "corpus_files.hpp"

namespace certharness {
namespace {

std::string_view family_of(std::string_view id) { return id.substr(0, id.find('.')); }

TEST(check_catalogue, holds_exactly_the_documented_ids_and_severities) {
  const std::map<std::string_view, severity> expected = {
      {"http.status", severity::error},
      {"http.content_type", severity::error},
      {"http.transport", severity::error},
      {"http.retry_after", severity::warning},
      {"json.syntax", severity::error},
      {"json.duplicate_key", severity::error},
      {"json.limits", severity::error},
      {"json.number_range", severity::warning},
      {"schema", severity::error},
      {"schema.unknown_property", severity::note},
      {"schema.unplaced", severity::error},
      {"spec.example_recovered", severity::note},
      {"spec.example_unjudged", severity::note},
      {"spec.path_parameter", severity::error},
      {"spec.unresolved_ref", severity::error},
      {"spec.no_success_schema", severity::error},
      {"error.shape", severity::error},
      {"request.accepted_invalid", severity::error},
      {"list.first_id", severity::error},
      {"list.last_id", severity::error},
      {"list.empty_ids", severity::error},
      {"list.limit", severity::error},
      {"list.order", severity::error},
      {"list.duplicate_id", severity::error},
      {"list.cursor_stall", severity::error},
      {"list.has_more", severity::error},
      {"list.consistency", severity::error},
      {"list.max_pages", severity::error},
      {"cert.object", severity::error},
      {"cert.validity", severity::error},
      {"cert.consistency", severity::error},
      {"upload.content", severity::error},
      {"upload.details", severity::error},
      {"upload.activates", severity::error},
      {"modify.name", severity::error},
      {"toggle.result", severity::error},
      {"delete.still_present", severity::error},
      {"cleanup.failed", severity::error},
      {"run.budget", severity::error},
      {"crawl.not_exercised", severity::warning},
      {"diff.operation_added", severity::note},
      {"diff.operation_removed", severity::error},
      {"diff.path_parameter_renamed", severity::warning},
      {"diff.parameter_added", severity::note},
      {"diff.parameter_removed", severity::warning},
      {"diff.parameter_required", severity::error},
      {"diff.parameter_optional", severity::note},
      {"diff.request_field_added", severity::note},
      {"diff.request_field_removed", severity::error},
      {"diff.request_field_required", severity::error},
      {"diff.request_field_optional", severity::note},
      {"diff.request_narrowed", severity::error},
      {"diff.request_widened", severity::note},
      {"diff.request_default", severity::warning},
      {"diff.response_field_added", severity::note},
      {"diff.response_field_removed", severity::error},
      {"diff.response_field_optional", severity::error},
      {"diff.response_field_required", severity::note},
      {"diff.response_type", severity::error},
      {"diff.response_nullable", severity::error},
      {"diff.response_not_nullable", severity::note},
      {"diff.response_enum_added", severity::warning},
      {"diff.response_enum_removed", severity::note},
      {"diff.response_widened", severity::warning},
      {"diff.response_narrowed", severity::note},
      {"diff.format", severity::note},
      {"diff.status_added", severity::warning},
      {"diff.status_removed", severity::warning},
      {"diff.response_header_added", severity::note},
      {"diff.response_header_removed", severity::error},
      {"drift.undeclared_field", severity::note},
      {"drift.unseen_field", severity::note},
  };
  std::map<std::string_view, severity> actual;
  for (const check_info& c : check_catalogue()) {
    EXPECT_TRUE(actual.emplace(c.id, c.level).second) << "duplicate id " << c.id;
  }
  EXPECT_EQ(actual, expected);
}

TEST(check_catalogue, meanings_are_one_nonempty_line) {
  for (const check_info& c : check_catalogue()) {
    EXPECT_FALSE(c.meaning.empty()) << c.id;
    EXPECT_EQ(c.meaning.find('\n'), std::string_view::npos) << c.id;
  }
}

// A family ("list", "json", ...) is listed in one run, so the README table reads by topic.
TEST(check_catalogue, families_are_contiguous) {
  std::set<std::string_view> finished;
  std::string_view current;
  for (const check_info& c : check_catalogue()) {
    const std::string_view family = family_of(c.id);
    if (family == current) continue;
    EXPECT_FALSE(finished.contains(family)) << c.id << " is apart from the rest of " << family;
    finished.insert(current);
    current = family;
  }
}

TEST(check_catalogue, find_check_knows_every_id_and_nothing_else) {
  for (const check_info& c : check_catalogue()) {
    const std::optional<check_info> found = find_check(c.id);
    ASSERT_TRUE(found) << c.id;
    EXPECT_EQ(found->id, c.id);
    EXPECT_EQ(found->level, c.level);
  }
  EXPECT_FALSE(find_check("list.nonexistent"));
  EXPECT_FALSE(find_check(""));
  EXPECT_FALSE(find_check("list"));
}

TEST(check_catalogue, each_constant_is_its_row) {
  ASSERT_EQ(std::size(checks::all), check_catalogue().size());
  for (std::size_t i = 0; i < check_catalogue().size(); ++i) {
    const check_info& row = check_catalogue()[i];
    EXPECT_EQ(checks::all[i].id(), row.id);
    EXPECT_EQ(checks::all[i].level(), row.level) << row.id;
    EXPECT_EQ(&checks::all[i].info(), &row) << row.id;
  }
  EXPECT_EQ(checks::schema_unknown_property.id(), "schema.unknown_property");
  EXPECT_EQ(checks::schema_unknown_property.level(), severity::note);
  EXPECT_TRUE(checks::list_order == checks::list_order);
  EXPECT_FALSE(checks::list_order == checks::list_limit);
  EXPECT_TRUE(std::string("list.order") == checks::list_order);
  EXPECT_FALSE(std::string("list.orde") == checks::list_order);
}

// A finding's severity is its check's, whatever the call site: no site restates it.
TEST(check_catalogue, a_finding_and_its_left_out_take_the_catalogue_severity) {
  for (const check_id c : checks::all) {
    const finding f{c, "/data/0", "type", "message", text_position{3, 1, 4}};
    EXPECT_EQ(f.check, c.id());
    EXPECT_EQ(f.level, c.level()) << c.id();
    EXPECT_EQ(f.pointer, "/data/0");
    EXPECT_EQ(f.keyword, "type");
    EXPECT_EQ(f.message, "message");
    ASSERT_TRUE(f.position);
    EXPECT_EQ(f.position->offset, 3U);
    const finding rest = left_out(c, 7, true);
    EXPECT_EQ(rest.check, c.id());
    EXPECT_EQ(rest.level, c.level()) << c.id();
    EXPECT_EQ(rest.message, "at least 7 more like the above, not listed");
  }
}

// Rows of the README's "### Checks" table: "| `id` | severity | meaning |" -> id -> severity.
std::map<std::string, std::string> readme_check_table() {
  const std::string readme = test_support::read_file(
      (std::filesystem::path(CERTHARNESS_CORPUS_DIR).parent_path() / "README.md").string());
  std::map<std::string, std::string> rows;
  std::size_t at = readme.find("\n### Checks\n");
  if (at == std::string::npos) return rows;
  at = readme.find("\n|", at);
  while (at != std::string::npos && at + 1 < readme.size() && readme[at + 1] == '|') {
    const std::size_t end = readme.find('\n', at + 1);
    const std::string line = readme.substr(at + 1, end - at - 1);
    // "| `id` | severity | ..." : the id between the first pair of backquotes in the first cell.
    const std::size_t open = line.find("| `"), close = line.find("` |");
    if (open == 0 && close != std::string::npos) {
      const std::size_t sev_begin = close + 3, sev_end = line.find('|', sev_begin);
      std::string level = line.substr(sev_begin, sev_end - sev_begin);
      level.erase(0, level.find_first_not_of(' '));
      level.erase(level.find_last_not_of(' ') + 1);
      rows[line.substr(3, close - 3)] = level;
    }
    at = end;
  }
  return rows;
}

TEST(check_catalogue, every_id_is_in_the_readme_check_table_with_its_severity) {
  const std::map<std::string, std::string> rows = readme_check_table();
  ASSERT_FALSE(rows.empty()) << "no \"### Checks\" table in README.md";
  for (const check_info& c : check_catalogue()) {
    const auto row = rows.find(std::string(c.id));
    if (row == rows.end()) {
      ADD_FAILURE() << "README.md's check table lacks a row for " << c.id << ", such as\n| `"
                    << c.id << "` | " << to_string(c.level) << " | " << c.meaning << " |";
      continue;
    }
    EXPECT_EQ(row->second, to_string(c.level)) << "README.md severity of " << c.id;
  }
  for (const auto& [id, level] : rows) {
    EXPECT_TRUE(find_check(id)) << "README.md documents `" << id << "`, which no check reports";
  }
}

}  // namespace
}  // namespace certharness
