// Rendering a validate report: stable JSON for machines, one line per finding for people.
#pragma once

#include <string>

#include "certharness/validate/validate_run.hpp"

namespace certharness {

// The JSON report documented in the README ("command", "contract", "subjects", "findings",
// "summary").
std::string render_json(const validate_report& report);

// `path: Schema (by reason): valid|INVALID` per subject, then its findings as
// `path:pointer: severity: check: message` (`path:line:column:` for byte-level ones), then a
// `contract: PATH` line when the contract was read from a document (--spec), then a summary
// line. ANSI colour only when asked for.
std::string render_text(const validate_report& report, bool color);

}  // namespace certharness
