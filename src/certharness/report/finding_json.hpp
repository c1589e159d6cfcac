// A finding's members in a JSON report, the same in validate's report and in crawl's and
// replay's (internal to the report concern).
#pragma once

#include "certharness/findings/finding.hpp"
#include "certharness/json/json_writer.hpp"

namespace certharness {

// check, severity, pointer, other_pointer and keyword (when there is one), message, and the byte
// position (when there is one), into the object `w` has open.
inline void write_finding_members(json_writer& w, const finding& f) {
  w.key("check").string(f.check).key("severity").string(to_string(f.level));
  w.key("pointer").string(f.pointer);
  if (!f.other_pointer.empty()) w.key("other_pointer").string(f.other_pointer);
  if (!f.keyword.empty()) w.key("keyword").string(f.keyword);
  w.key("message").string(f.message);
  if (f.position) {
    w.key("offset").number(f.position->offset).key("line").number(f.position->line);
    w.key("column").number(f.position->column);
  }
}

}  // namespace certharness
