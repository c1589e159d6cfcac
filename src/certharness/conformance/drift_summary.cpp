#include "certharness/conformance/drift_summary.hpp"

#include <algorithm>
#include <utility>

#include "certharness/findings/check_catalogue.hpp"
#include "certharness/json/json_pointer.hpp"
#include "certharness/json/text_escaping.hpp"

namespace certharness {
namespace {

// A quoted request is cut here: the example is for finding the exchange, not for reading it.
constexpr std::size_t k_request_excerpt = 256;

// The object a field's pattern lives in: "/data/*/certificate_details" for
// "/data/*/certificate_details/content", "" for a top-level field.
std::string parent_of(std::string_view pattern) {
  const std::size_t slash = pattern.rfind('/');
  return std::string(pattern.substr(0, slash == std::string_view::npos ? 0 : slash));
}

// The field a pattern lies under: its parent without the folded items ("/data" for
// "/data/*/id"); "" at the top.
std::string field_of(std::string pattern) {
  while (pattern.ends_with("/*")) pattern.resize(pattern.size() - 2);
  return pattern;
}

std::string of_responses(std::size_t n, std::size_t total) {
  return std::to_string(n) + " of " + counted(total, "response");
}

}  // namespace

drift_summary::drift_summary(const schema_registry& registry, drift_limits limits)
    : registry_(registry), limits_(limits) {}

const drift_summary::declared_set& drift_summary::declared(std::string_view schema) {
  auto it = declared_.find(schema);
  if (it == declared_.end()) {
    declared_set set;
    set.patterns = registry_.declared_patterns(schema);
    set.lookup.insert(set.patterns.begin(), set.patterns.end());
    it = declared_.emplace(std::string(schema), std::move(set)).first;
  }
  return it->second;
}

void drift_summary::add(const operation& op, std::string_view schema, const json_value& body,
                        std::string_view request, std::string_view where) {
  if (!registry_.contains(schema)) return;
  const declared_set& declared_fields = declared(schema);
  auto state = std::find_if(operations_.begin(), operations_.end(), [&](const operation_state& s) {
    return s.facts.id == op.id && s.facts.method == op.method && s.facts.path == op.path &&
           s.facts.schema == schema;
  });
  if (state == operations_.end()) {
    operation_state fresh;
    fresh.facts.id = op.id;
    fresh.facts.method = op.method;
    fresh.facts.path = op.path;
    fresh.facts.schema = schema;
    state = operations_.insert(operations_.end(), std::move(fresh));
  }
  ++serial_;
  ++state->facts.responses;

  // Depth-first without recursion: each frame is a container being walked, `next` its next
  // child; `pattern` is the folded pointer of the value being looked at.
  struct frame {
    bool object;
    json_value::iterator taken, next, end;  // taken: the child last taken
    std::size_t pattern_size;
  };
  std::vector<frame> frames;
  std::string pattern;

  // The concrete pointer of the child last taken from the innermost frame.
  const auto concrete = [&] {
    std::string pointer;
    for (const frame& f : frames) {
      if (f.object) {
        append_pointer_token(pointer, f.taken->key());
      } else {
        append_pointer_index(pointer, f.taken.index());
      }
    }
    return pointer;
  };
  const auto count = [&](seen_field& s, bool first, bool example) {
    if (first && example) {
      s.example = concrete();
      s.request = excerpt(request, k_request_excerpt);
      s.where = where;
    }
    ++s.occurrences;
    if (s.last_response != serial_) {
      s.last_response = serial_;
      ++s.responses;
    }
  };
  // Looks at `v`, whose pattern is `pattern`: an object is a place fields could be, an array's
  // items are folded to "*".
  const auto enter = [&](const json_value& v) {
    if (v.is_object()) {
      const auto [at, first] = state->objects.try_emplace(pattern);
      count(at->second, first, false);
      if (v.size() > 0) frames.push_back({true, v.begin(), v.begin(), v.end(), pattern.size()});
    } else if (v.is_array() && v.size() > 0) {
      if (pattern.size() + 2 > limits_.max_pattern_bytes) {
        ++state->facts.left_out;
        return;
      }
      pattern += "/*";
      frames.push_back({false, v.begin(), v.begin(), v.end(), pattern.size()});
    }
  };

  enter(body);
  while (!frames.empty()) {
    frame& f = frames.back();
    if (f.next == f.end) {
      frames.pop_back();
      continue;
    }
    f.taken = f.next++;
    const json_value child = *f.taken;
    const bool in_object = f.object;
    pattern.resize(f.pattern_size);  // `f` is not used below: enter() may move the frames
    if (!in_object) {
      enter(child);
      continue;
    }
    if (pattern.size() + 1 + child.key().size() > limits_.max_pattern_bytes) {
      ++state->facts.left_out;
      continue;
    }
    append_pointer_token(pattern, child.key());
    if (pattern.size() > limits_.max_pattern_bytes) {
      ++state->facts.left_out;
      continue;
    }
    if (declared_fields.lookup.contains(pattern)) {
      const auto [at, first] = state->fields.try_emplace(pattern);
      count(at->second, first, true);
      enter(child);
      continue;
    }
    // Undeclared: summed, not descended into.
    auto at = state->fields.find(pattern);
    const bool first = at == state->fields.end();
    if (first) {
      if (state->undeclared >= limits_.max_undeclared_fields) {
        ++state->facts.left_out;
        continue;
      }
      ++state->undeclared;
      at = state->fields.emplace(pattern, seen_field{}).first;
    }
    count(at->second, first, true);
  }
}

std::vector<drift_operation> drift_summary::operations() const {
  std::vector<drift_operation> out;
  out.reserve(operations_.size());
  for (const operation_state& state : operations_) {
    drift_operation facts = state.facts;
    const declared_set& declared_fields = declared_.find(facts.schema)->second;
    facts.declared = declared_fields.patterns.size();
    for (const auto& [pattern, seen] : state.fields) {
      if (declared_fields.lookup.contains(pattern)) {
        ++facts.declared_seen;
        continue;
      }
      facts.undeclared.push_back(drift_field{pattern, seen.responses, seen.occurrences, 0,
                                             parent_of(pattern), seen.example, seen.request,
                                             seen.where});
    }
    for (const std::string& pattern : declared_fields.patterns) {
      if (state.fields.contains(pattern)) continue;
      const std::string parent = parent_of(pattern);
      const std::string above = field_of(parent);
      if (!above.empty() && !state.fields.contains(above)) continue;  // said of `above`
      const auto holder = state.objects.find(parent);
      facts.unseen.push_back(
          drift_field{pattern, 0, 0, holder == state.objects.end() ? 0 : holder->second.responses,
                      parent, "", "", ""});
    }
    out.push_back(std::move(facts));
  }
  return out;
}

void drift_summary::append_to(run_report& report) const {
  for (const drift_operation& op : operations()) {
    const std::string subject = op.id.empty() ? op.method + " " + op.path : op.id;
    const std::string group = "drift " + op.method + " " + op.path;
    const auto add = [&](check_id check, std::string pointer, std::string message) {
      report.findings.push_back(
          run_finding{group, subject, finding{check, std::move(pointer), "", std::move(message)}});
    };
    for (const drift_field& f : op.undeclared) {
      add(checks::drift_undeclared_field, f.pattern,
          "not declared by " + op.schema + "; seen in " + of_responses(f.responses, op.responses) +
              " (" + counted(f.occurrences, "time") + "), first at " + f.example + " of " +
              f.request + " (" + f.where + ")");
    }
    if (op.left_out > 0) {
      add(checks::drift_undeclared_field, "",
          counted(op.left_out, "more field") + " not summed: over " +
              std::to_string(limits_.max_undeclared_fields) +
              " distinct undeclared fields, or a pattern over " +
              std::to_string(limits_.max_pattern_bytes) + " bytes");
    }
    for (const drift_field& f : op.unseen) {
      add(checks::drift_unseen_field, f.pattern,
          "declared by " + op.schema + ", never seen in " + counted(op.responses, "response") +
              "; " + std::to_string(f.could_have) + " had an object at " +
              (f.parent.empty() ? std::string("the root") : f.parent) + " to hold it");
    }
    check_tally& tally = report.groups[group];
    check_count& undeclared = tally[std::string(checks::drift_undeclared_field.id())];
    undeclared.passed += op.declared_seen;
    undeclared.failed += op.undeclared.size();
    check_count& unseen = tally[std::string(checks::drift_unseen_field.id())];
    unseen.passed += op.declared_seen;
    unseen.failed += op.unseen.size();
  }
}

}  // namespace certharness
