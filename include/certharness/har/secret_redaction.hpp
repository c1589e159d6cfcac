// Finding known secrets (the admin key, the organization id) in text, whatever way the text
// spells them, and replacing them with "[REDACTED]". Shared by the HAR redaction and by the one
// output path every byte crawl and replay write goes through.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace certharness {

inline constexpr std::string_view k_redacted = "[REDACTED]";

// A spelling of a secret is the secret with each byte written
// - raw;
// - percent-encoded (%hh, either case);
// - JSON-escaped (\uhhhh, \" \\ \/ \b \f \n \r \t);
// - as a report's printable escape (\xhh);
// - as an XML entity or character reference (&amp; &lt; &gt; &quot; &apos; &#n; &#xh;);
// - JSON-Pointer-escaped (~0 for '~', ~1 for '/');
// and each character of such an escape may itself be escaped once more (a report quoting a
// server's escaped text: "\\u0061" in JSON is the server's "\u0061", an "a").
// Also a cut quote: a prefix of at least 4 bytes of a secret followed by `...` (optionally after
// a closing `"`), or a suffix of at least 4 bytes preceded by `...`, is replaced; every message
// that quotes a cut of untrusted text marks the cut with "..." (text_escaping's excerpt()).
//
// Replacements end on whole escapes, so a JSON or XML report stays well-formed; a match that
// starts or ends inside an escape widens to cover it. (Only a secret holding `","` or `":"`
// could match across two JSON strings and break the report; keys and organization ids hold
// no quote.)
// Cost: one pass, no recursion on the text or the secret's length; about 7 ns a byte of plain
// text and at most ~120 ns a byte of text made of escape-like bytes (release build, 10 MB).
class secret_redactor {
 public:
  secret_redactor() = default;
  // Empty strings are ignored; a longer secret is matched before one it contains.
  explicit secret_redactor(std::vector<std::string> secrets);

  bool empty() const noexcept { return secrets_.empty(); }

  // Replaces every spelling of every secret in `text`; true when something was replaced.
  bool redact(std::string& text) const;
  std::string redacted(std::string_view text) const;

 private:
  std::vector<std::string> secrets_;  // longest first
};

}  // namespace certharness
