// One home per word of the project's vocabulary: a check id is spelled in the catalogue and
// nowhere else in src/, include/, tools/ or fuzz/ (code names it checks::list_order), so a
// typo is a compile error and a severity cannot be restated. Each rule is a row of k_rules:
// what it keeps in one place, the files that may spell it, and which string literals spell
// it. The scan reads every C++ file under the source root CMake passes in; it looks at string
// literals only (comments may quote an id), with their line for the failure message.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/findings/check_catalogue.hpp"

namespace certharness {
namespace {

struct literal {
  std::size_t line = 0;  // 1-based, where the literal starts
  std::string text;      // between the quotes, escapes as written
};

// Every string literal of C++ source outside comments: ordinary ("..", with an optional
// u8/u/U/L prefix) and raw (R"d(..)d"). Character literals and digit separators (1'000) are
// skipped so their quotes do not start a string.
std::vector<literal> string_literals(std::string_view src) {
  std::vector<literal> out;
  // The line of `pos`; positions only grow, so the newlines are counted once.
  std::size_t line = 1, counted = 0;
  const auto line_at = [&](std::size_t pos) {
    line += static_cast<std::size_t>(std::count(src.begin() + counted, src.begin() + pos, '\n'));
    counted = pos;
    return line;
  };
  const auto ident = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  };
  // The identifier or number that ends right before position i: a literal's prefix.
  const auto token_before = [&](std::size_t i) {
    std::size_t b = i;
    while (b > 0 && ident(src[b - 1])) --b;
    return src.substr(b, i - b);
  };
  std::size_t i = 0;
  while (i < src.size()) {
    const std::string_view rest = src.substr(i);
    const std::string_view prefix = token_before(i);
    if (rest.starts_with("//")) {
      i = std::min(src.size(), src.find('\n', i));
    } else if (rest.starts_with("/*")) {
      const std::size_t end = src.find("*/", i + 2);
      i = end == std::string_view::npos ? src.size() : end + 2;
    } else if (src[i] == '"' && (prefix == "R" || prefix == "u8R" || prefix == "uR" ||
                                 prefix == "UR" || prefix == "LR")) {
      const std::size_t open = src.find('(', i);
      if (open == std::string_view::npos) break;
      const std::string close = ")" + std::string(src.substr(i + 1, open - i - 1)) + "\"";
      const std::size_t end = src.find(close, open);
      const std::size_t stop = end == std::string_view::npos ? src.size() : end;
      out.push_back({line_at(i), std::string(src.substr(open + 1, stop - open - 1))});
      i = std::min(src.size(), stop + close.size());
    } else if (src[i] == '"') {
      std::size_t j = i + 1;
      while (j < src.size() && src[j] != '"' && src[j] != '\n') j += src[j] == '\\' ? 2 : 1;
      out.push_back({line_at(i), std::string(src.substr(i + 1, std::min(j, src.size()) - i - 1))});
      i = std::min(src.size(), j + 1);
    } else if (src[i] == '\'' && !prefix.empty() &&
               std::isdigit(static_cast<unsigned char>(prefix.front())) != 0) {
      ++i;  // a digit separator: 1'000
    } else if (src[i] == '\'') {
      std::size_t j = i + 1;
      while (j < src.size() && src[j] != '\'' && src[j] != '\n') j += src[j] == '\\' ? 2 : 1;
      i = std::min(src.size(), j + 1);
    } else {
      ++i;
    }
  }
  return out;
}

struct vocabulary_rule {
  std::string_view name;                // what is kept in one place
  std::vector<std::string_view> homes;  // the only files (from the source root) that spell it
  // Whether a string literal's text spells it; if so, what to write instead.
  std::function<std::optional<std::string>(std::string_view text)> spells;
};

const std::vector<vocabulary_rule>& rules() {
  static const std::vector<vocabulary_rule> k_rules = {
      {"an API path is spelled only in the operation table",
       {"src/certharness/schema/operation_table.cpp",
        // What the certificates family is, as a document's paths name it.
        "src/certharness/spec/openapi_document.cpp",
        // The mutator's strings are fuzzing vocabulary: a URL a response might carry.
        "fuzz/json_mutator.cpp"},
       [](std::string_view text) -> std::optional<std::string> {
         if (text.find("/organization/") == std::string_view::npos &&
             !text.ends_with("/organization")) {
           return std::nullopt;
         }
         return std::string("operation_table::builtin().target(...) or path(...)");
       }},
      {"a check id is spelled only in the check catalogue",
       {"include/certharness/findings/check_catalogue.hpp",
        "src/certharness/findings/check_catalogue.cpp"},
       [](std::string_view text) -> std::optional<std::string> {
         if (!find_check(text)) return std::nullopt;
         std::string name(text);
         std::replace(name.begin(), name.end(), '.', '_');
         return "checks::" + name;
       }},
  };
  return k_rules;
}

// Where the rules apply, from the source root; tests may spell ids when they assert on text.
constexpr std::string_view k_scanned_dirs[] = {"src", "include", "tools", "fuzz"};

bool is_cpp(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".cpp" || ext == ".hpp" || ext == ".h" || ext == ".cc";
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A line that ends with this comment holds a literal that only looks like a word of the
// vocabulary (a report's "schema" member is a field name, not the check).
constexpr std::string_view k_waiver = "// vocabulary: not a check id";

// The 1-based line `n` of `source`.
std::string_view line_of(std::string_view source, std::size_t n) {
  for (std::size_t k = 1; k < n; ++k) {
    const std::size_t nl = source.find('\n');
    if (nl == std::string_view::npos) return {};
    source.remove_prefix(nl + 1);
  }
  return source.substr(0, source.find('\n'));
}

// "file:line: "literal" breaks <rule>; write <instead>" for each literal of `source` that spells
// a rule's word outside the rule's homes.
std::vector<std::string> violations(std::string_view file, std::string_view source) {
  std::vector<std::string> out;
  std::vector<literal> found = string_literals(source);
  std::erase_if(found,
                [&](const literal& l) { return line_of(source, l.line).ends_with(k_waiver); });
  for (const vocabulary_rule& rule : rules()) {
    if (std::find(rule.homes.begin(), rule.homes.end(), file) != rule.homes.end()) continue;
    for (const literal& l : found) {
      if (const std::optional<std::string> instead = rule.spells(l.text)) {
        out.push_back(std::string(file) + ":" + std::to_string(l.line) + ": \"" + l.text +
                      "\" breaks \"" + std::string(rule.name) + "\"; write " + *instead);
      }
    }
  }
  return out;
}

TEST(vocabulary, string_literals_are_found_outside_comments_with_their_line) {
  const std::string src =
      "// \"json.syntax\" in a comment\n"
      "/* \"json.limits\"\n   over lines */ f(\"schema\");\n"
      "char q = '\"'; int n = 1'000; auto w = L'x';\n"
      "auto r = R\"x(a \"quoted\" )\" text)x\"; g(\"esc \\\" still\", u8\"u8\");\n"
      "h(\"list.order\");";
  const std::vector<literal> got = string_literals(src);
  std::vector<std::string> seen;
  for (const literal& l : got) seen.push_back(std::to_string(l.line) + " " + l.text);
  const std::vector<std::string> want = {"3 schema", "5 a \"quoted\" )\" text", "5 esc \\\" still",
                                         "5 u8", "6 list.order"};
  EXPECT_EQ(seen, want);
}

TEST(vocabulary, a_check_id_spelled_outside_the_catalogue_is_named_with_its_line) {
  const std::string src =
      "// the \"schema\" check\n"
      "finding f{\"json.syntax\", severity::error};\n"
      "std::string s = \"see json.syntax\", t = \"list\", u = \"list.nonexistent\";\n"
      "record(tally, \"schema\", ok);\n";
  const std::vector<std::string> want = {
      "src/x.cpp:2: \"json.syntax\" breaks \"a check id is spelled only in the check "
      "catalogue\"; write checks::json_syntax",
      "src/x.cpp:4: \"schema\" breaks \"a check id is spelled only in the check catalogue\"; "
      "write checks::schema"};
  EXPECT_EQ(violations("src/x.cpp", src), want);
  EXPECT_TRUE(violations("include/certharness/findings/check_catalogue.hpp", src).empty());
}

TEST(vocabulary, a_waived_line_and_a_path_outside_the_table) {
  const std::string src =
      "w.key(\"schema\");  // vocabulary: not a check id\n"
      "get(\"/organization/certificates\" + id);\n";
  const std::vector<std::string> want = {
      "src/x.cpp:2: \"/organization/certificates\" breaks \"an API path is spelled only in the "
      "operation table\"; write operation_table::builtin().target(...) or path(...)"};
  EXPECT_EQ(violations("src/x.cpp", src), want);
  EXPECT_TRUE(
      violations("src/certharness/schema/operation_table.cpp", src.substr(src.find('\n') + 1))
          .empty());
}

TEST(vocabulary, no_word_is_spelled_outside_its_home) {
  const std::filesystem::path root = CERTHARNESS_SOURCE_DIR;
  std::size_t files = 0;
  for (const std::string_view dir : k_scanned_dirs) {
    ASSERT_TRUE(std::filesystem::is_directory(root / dir)) << (root / dir);
    std::vector<std::filesystem::path> paths;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root / dir)) {
      if (e.is_regular_file() && is_cpp(e.path())) paths.push_back(e.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const std::filesystem::path& p : paths) {
      ++files;
      const std::string rel = p.lexically_relative(root).generic_string();
      for (const std::string& v : violations(rel, read(p))) ADD_FAILURE() << v;
    }
  }
  EXPECT_GT(files, 50U) << "the scan found almost no source under " << root;
}

// The scan sees the catalogue's own spelling of every id, so it reads the files it guards.
TEST(vocabulary, the_catalogue_spells_every_id) {
  const std::string src = read(std::filesystem::path(CERTHARNESS_SOURCE_DIR) /
                               "include/certharness/findings/check_catalogue.hpp");
  std::vector<std::string> spelled;
  for (const literal& l : string_literals(src)) spelled.push_back(l.text);
  for (const check_info& c : check_catalogue()) {
    EXPECT_NE(std::find(spelled.begin(), spelled.end(), c.id), spelled.end()) << c.id;
  }
}

}  // namespace
}  // namespace certharness
