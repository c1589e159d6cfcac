#include "certharness/report.hpp"

#include <string_view>

#include "certharness/json_document.hpp"

namespace certharness {
namespace {

void member(std::string& out, std::string_view key, std::string_view value) {
  append_json_string(out, key);
  out.push_back(':');
  append_json_string(out, value);
}

void member(std::string& out, std::string_view key, std::size_t value) {
  append_json_string(out, key);
  out.push_back(':');
  out += std::to_string(value);
}

// Paths and messages may carry bytes that are not UTF-8 (a file name, an echoed value):
// the report itself must stay valid JSON, so invalid sequences become U+FFFD.
std::string utf8_sanitized(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = n != 0 && i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k) {
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (ok && n > 1) {
      std::uint32_t cp = c & (0x7F >> n);
      for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      const std::uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= min[n] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    }
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// Text goes to terminals: a hostile document must not smuggle escape sequences through an
// echoed value or a file name.
std::string printable(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string counted(std::size_t n, std::string_view noun) {
  return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

std::string_view paint(severity s) {
  switch (s) {
    case severity::error:
      return "\x1b[1;31m";
    case severity::warning:
      return "\x1b[1;33m";
    case severity::note:
      return "\x1b[1;36m";
  }
  return "";
}

}  // namespace

std::string render_json(const validate_report& report) {
  std::string out = "{\"command\":\"validate\",\"subjects\":[";
  bool first = true;
  for (const subject_report& s : report.subjects) {
    if (!first) out.push_back(',');
    first = false;
    out.push_back('{');
    member(out, "subject", utf8_sanitized(s.subject));
    out += ",\"schema\":";
    if (s.schema) {
      append_json_string(out, *s.schema);
    } else {
      out += "null";
    }
    if (!s.placed_by.empty()) {
      out.push_back(',');
      member(out, "placed_by", utf8_sanitized(s.placed_by));
    }
    out += ",\"valid\":";
    out += s.valid ? "true" : "false";
    out.push_back('}');
  }
  out += "],\"findings\":[";
  first = true;
  for (const subject_report& s : report.subjects) {
    for (const finding& f : s.problems) {
      if (!first) out.push_back(',');
      first = false;
      out.push_back('{');
      member(out, "subject", utf8_sanitized(s.subject));
      out.push_back(',');
      member(out, "check", f.check);
      out.push_back(',');
      member(out, "severity", to_string(f.level));
      out.push_back(',');
      member(out, "pointer", utf8_sanitized(f.pointer));
      if (!f.keyword.empty()) {
        out.push_back(',');
        member(out, "keyword", f.keyword);
      }
      out.push_back(',');
      member(out, "message", utf8_sanitized(f.message));
      if (f.position) {
        out.push_back(',');
        member(out, "offset", f.position->offset);
        out.push_back(',');
        member(out, "line", f.position->line);
        out.push_back(',');
        member(out, "column", f.position->column);
      }
      out.push_back('}');
    }
  }
  const summary_counts& c = report.summary;
  out += "],\"summary\":{";
  member(out, "subjects", c.subjects);
  out.push_back(',');
  member(out, "valid", c.valid);
  out.push_back(',');
  member(out, "invalid", c.invalid);
  out.push_back(',');
  member(out, "errors", c.errors);
  out.push_back(',');
  member(out, "warnings", c.warnings);
  out.push_back(',');
  member(out, "notes", c.notes);
  out += "}}\n";
  return out;
}

std::string render_text(const validate_report& report, bool color) {
  const std::string_view reset = color ? "\x1b[0m" : "";
  std::string out;
  for (const subject_report& s : report.subjects) {
    const std::string subject = printable(s.subject);
    out += subject;
    out += ": ";
    if (s.schema) {
      out += *s.schema;
      out += " (by " + printable(s.placed_by) + ")";
    } else {
      out += "no schema";
    }
    out += s.valid ? ": valid\n" : ": INVALID\n";
    for (const finding& f : s.problems) {
      out += subject;
      // The pointer says where in the document; a byte-level finding without one (a syntax
      // error) points at line:column instead, as compilers do.
      if (!f.pointer.empty()) {
        out += ":" + printable(f.pointer);
      } else if (f.position) {
        out += ":" + std::to_string(f.position->line) + ":" + std::to_string(f.position->column);
      }
      out += ": ";
      if (color) out += paint(f.level);
      out += to_string(f.level);
      out += reset;
      out += ": " + f.check + ": " + printable(f.message);
      if (f.position) {
        out += " (line " + std::to_string(f.position->line) + ", column " +
               std::to_string(f.position->column) + ", byte " +
               std::to_string(f.position->offset) + ")";
      }
      out.push_back('\n');
    }
  }
  const summary_counts& c = report.summary;
  out += counted(c.subjects, "subject") + ": " + std::to_string(c.valid) + " valid, " +
         std::to_string(c.invalid) + " invalid (" + counted(c.errors, "error") + ", " +
         counted(c.warnings, "warning") + ", " + counted(c.notes, "note") + ")\n";
  return out;
}

}  // namespace certharness
