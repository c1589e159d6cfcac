// Findings: severity names (the reports' and the README's words), has_error, and the one finding
// that stands for those a per-check cap left out.
#include "certharness/findings/finding.hpp"

#include <gtest/gtest.h>

namespace certharness {
namespace {

TEST(severity, has_the_names_reports_use) {
  EXPECT_EQ(to_string(severity::note), "note");
  EXPECT_EQ(to_string(severity::warning), "warning");
  EXPECT_EQ(to_string(severity::error), "error");
}

TEST(has_error, is_true_only_with_an_error) {
  const finding note{checks::schema_unknown_property, "/x", "", "m", {}};
  const finding warning{checks::json_number_range, "/n", "", "m", {}};
  const finding error{checks::schema, "", "type", "m", {}};
  EXPECT_FALSE(has_error({}));
  EXPECT_FALSE(has_error({note, warning, note}));
  EXPECT_TRUE(has_error({note, error}));
  EXPECT_TRUE(has_error({error}));
}

TEST(left_out, counts_what_the_cap_left_out) {
  const finding f = left_out(checks::json_duplicate_key, 7);
  EXPECT_EQ(f.check, "json.duplicate_key");
  EXPECT_EQ(f.level, checks::json_duplicate_key.level());  // the catalogue's
  EXPECT_EQ(f.pointer, "");
  EXPECT_EQ(f.keyword, "");
  EXPECT_EQ(f.message, "7 more like the above, not listed");
  EXPECT_FALSE(f.position.has_value());
  EXPECT_EQ(left_out(checks::schema, 1001, true).message,
            "at least 1001 more like the above, not listed");
}

}  // namespace
}  // namespace certharness
