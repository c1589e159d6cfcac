#include "certharness/report/report.hpp"

#include <string_view>

#include "certharness/json/json_writer.hpp"
#include "certharness/json/text_escaping.hpp"
#include "certharness/report/contract_source.hpp"
#include "certharness/report/finding_json.hpp"

namespace certharness {

// Strings that come from documents (subjects, pointers, messages) are made UTF-8 by the writer,
// so the report is strict JSON whatever bytes it quotes.
std::string render_json(const validate_report& report) {
  std::string out;
  json_writer w(out);
  w.begin_object().key("command").string("validate");
  write_contract_member(w, report.contract_source);
  w.key("subjects").begin_array();
  for (const subject_report& s : report.subjects) {
    w.begin_object().key("subject").string(s.subject).key("schema");  // vocabulary: not a check id
    if (s.schema) {
      w.string(*s.schema);
    } else {
      w.null();
    }
    if (!s.placed_by.empty()) w.key("placed_by").string(s.placed_by);
    w.key("valid").boolean(s.valid).end_object();
  }
  w.end_array();
  w.key("findings").begin_array();
  for (const subject_report& s : report.subjects) {
    for (const finding& f : s.problems) {
      w.begin_object().key("subject").string(s.subject);
      write_finding_members(w, f);
      w.end_object();
    }
  }
  w.end_array();
  const summary_counts& c = report.summary;
  w.key("summary").begin_object();
  w.key("subjects").number(c.subjects).key("valid").number(c.valid);
  w.key("invalid").number(c.invalid).key("errors").number(c.errors);
  w.key("warnings").number(c.warnings).key("notes").number(c.notes);
  w.end_object().end_object();
  out.push_back('\n');
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
        if (!f.other_pointer.empty()) out += " (old: " + printable(f.other_pointer) + ")";
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
               std::to_string(f.position->column) + ", byte " + std::to_string(f.position->offset) +
               ")";
      }
      out.push_back('\n');
    }
  }
  out += contract_line(report.contract_source);
  const summary_counts& c = report.summary;
  out += counted(c.subjects, "subject") + ": " + std::to_string(c.valid) + " valid, " +
         std::to_string(c.invalid) + " invalid (" + counted(c.errors, "error") + ", " +
         counted(c.warnings, "warning") + ", " + counted(c.notes, "note") + ")\n";
  return out;
}

}  // namespace certharness
