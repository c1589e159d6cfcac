#include "certharness/report/report.hpp"

#include <string_view>

#include "certharness/json/json_document.hpp"
#include "certharness/json/text_escaping.hpp"

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
      if (color) out += severity_colour(f.level);
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
