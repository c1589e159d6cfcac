// Findings: the only way the library reports a problem with what it judged.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/findings/check_catalogue.hpp"

namespace certharness {

// Where in the raw bytes a syntax-level finding happened. Line and column are 1-based;
// the column counts bytes, as RapidJSON's offsets do.
struct text_position {
  std::size_t offset = 0;
  std::size_t line = 1;
  std::size_t column = 1;
};

struct finding {
  finding() = default;
  // The check's id and severity come from the catalogue: checks::json_syntax, never its text.
  finding(check_id check, std::string pointer, std::string keyword, std::string message,
          std::optional<text_position> position = std::nullopt);

  std::string check;                 // a catalogue id, e.g. checks::schema_unknown_property's
  severity level = severity::error;  // the catalogue's severity for `check`
  std::string pointer;  // RFC 6901 JSON Pointer of the offending value ("" is the root)
  // The same place in the other document, for a finding that compares two (spec-diff: `pointer`
  // is into the NEW document, this into the OLD one; for something added or removed, the one
  // side's pointer is the enclosing place that lacks it). Empty for every other finding, and
  // then no report shows it.
  std::string other_pointer;
  std::string keyword;                    // schema keyword for "schema" findings, else empty
  std::string message;                    // what a person can act on
  std::optional<text_position> position;  // set for byte-level findings
};

using findings = std::vector<finding>;

bool has_error(const findings& fs) noexcept;

// A page of ten thousand bad items is one problem, not ten thousand findings: a document gets at
// most this many findings of one check, and one left_out() finding for the rest.
inline constexpr std::size_t k_max_findings_per_check = 100;

// The finding that stands for `count` findings of `check` left out by that cap; `at_least` when
// the count itself is a lower bound.
finding left_out(check_id check, std::size_t count, bool at_least = false);

}  // namespace certharness
