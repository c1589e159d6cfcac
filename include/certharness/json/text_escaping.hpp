// Making untrusted text (paths, URLs, echoed values, messages) safe for a report, and the two
// presentation helpers every text report shares.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "certharness/findings/finding.hpp"

namespace certharness {

// Invalid UTF-8 sequences (overlongs, surrogates, beyond U+10FFFF, truncated) become U+FFFD,
// so a JSON or XML report stays valid whatever bytes a document or a server sent.
std::string utf8_sanitized(std::string_view s);

// Control bytes (< 0x20, 0x7F) become "\xNN", so hostile text cannot smuggle terminal escape
// sequences or break a one-line-per-finding format.
std::string printable(std::string_view s);

// `s` when it has at most `max` bytes, else its first `max` bytes (cut back to a UTF-8 boundary)
// and "...". Every message quoting a cut of untrusted text cuts it here: the mark is what lets
// the output redaction (secret_redaction.hpp) find a secret's head at the cut.
std::string excerpt(std::string_view s, std::size_t max);

// The ANSI colour a severity word is painted in.
std::string_view severity_colour(severity s) noexcept;

// "1 error", "2 errors".
std::string counted(std::size_t n, std::string_view noun);

}  // namespace certharness
