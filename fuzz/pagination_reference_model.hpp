// The reference model of fuzz_pagination: the per-walk list.* checks of README.md's check table,
// written from those definitions over the served JSON itself (never the walker's list_page).
//
// Where the table leaves a choice open, the model takes the walker's reading
// (src/certharness/list_walk.cpp, "one server fault, one check"):
// - An item is readable when it is an object with a string id; first_id/last_id, duplicates and
//   order look at readable items only, and order only at those whose created_at is an integer
//   that fits int64 (anything else is the schema check's finding).
// - list.first_id / list.last_id judge non-null values (absent and non-strings included) on
//   pages with items, against a readable first / last item; null is list.empty_ids' verdict.
// - A page goes on (its cursor is judged) when data has items and has_more is true. Its cursor
//   stalls when last_id is not a non-empty string, equals this page's after, or was used as a
//   cursor before. A stalled page ends the walk, gets no list.max_pages, and no cross-page
//   verdicts: list.order does not compare it with the page before, list.duplicate_id looks
//   only within it.
// - "The cursor moved past" an id: the readable items of earlier pages up to the last one
//   whose id last_id names (all of them if it names none).
// - list.order compares with the last readable created_at seen, across pages with none.
// - list.limit: "more items than the limit", literally (limit -1: even an empty page).
// One finding per check per page, its pointer at the first fault; pages numbered from 0.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "certharness/json/json_document.hpp"
#include "certharness/conformance/list_walk.hpp"  // walk_spec only

namespace pagination_model {

using certharness::json_value;

struct expectation {
  std::multiset<std::string> findings;  // "check page k at 'pointer'"
  std::vector<std::string> asks;        // the fetches the walk makes: "first", "after \"x\""
};

inline std::string key(const std::string& check, std::size_t page, const std::string& pointer) {
  return check + " page " + std::to_string(page) + " at '" + pointer + "'";
}

inline std::string ask(const std::optional<std::string>& after) {
  return after ? "after \"" + *after + "\"" : "first";
}

inline std::optional<json_value> member(const json_value& v, const char* name) {
  return v.is_object() ? v.find(name) : std::nullopt;
}

inline std::optional<std::string> id_of(const json_value& item) {
  std::optional<json_value> id = member(item, "id");
  if (!id || !id->is_string()) return std::nullopt;
  return std::string(id->as_string());
}

// pages[k]: the document served for the k-th fetch, asked with afters[k].
inline expectation model(const certharness::walk_spec& spec,
                         const std::vector<certharness::json_document>& pages,
                         const std::vector<std::optional<std::string>>& afters) {
  expectation out;
  out.asks.push_back(ask(std::nullopt));
  const std::size_t bound = std::max<std::size_t>(spec.max_pages, 1);
  std::set<std::string> used, passed;
  // Not an optional: gcc 12 -O2 warns (falsely) that its payload may be read uninitialized.
  bool has_previous_time = false;
  std::int64_t previous_time = 0;
  bool promised = false;
  for (std::size_t k = 0; k < pages.size(); ++k) {
    const json_value root = pages[k].root();
    const auto add = [&](certharness::check_id check, const std::string& ptr) {
      out.findings.insert(key(std::string(check.id()), k, ptr));
    };
    if (afters[k]) used.insert(*afters[k]);
    std::optional<json_value> more = member(root, "has_more");
    const bool has_more = more && more->is_bool() && more->as_bool();
    const bool was_promised = std::exchange(promised, has_more);
    std::optional<json_value> data = member(root, "data");
    if (!data || !data->is_array()) break;  // an unreadable page ends the walk
    const std::size_t n = data->size();
    const std::optional<json_value> ends[] = {member(root, "first_id"), member(root, "last_id")};
    const char* const end_ptr[] = {"/first_id", "/last_id"};

    // list.empty_ids: first_id/last_id null exactly when data is empty (absent is not null).
    for (int e = 0; e < 2; ++e) {
      if ((n == 0) != (ends[e] && ends[e]->is_null())) {
        add(certharness::checks::list_empty_ids, end_ptr[e]);
        break;
      }
    }
    // list.first_id / list.last_id: the id of the first / last item.
    for (int e = 0; e < 2 && n > 0; ++e) {
      const std::optional<std::string> id = id_of((*data)[e ? n - 1 : 0]);
      if (!id || (ends[e] && ends[e]->is_null())) continue;
      if (!ends[e] || !ends[e]->is_string() || ends[e]->as_string() != *id)
        add(e ? certharness::checks::list_last_id : certharness::checks::list_first_id, end_ptr[e]);
    }
    // list.limit: more items than asked for; pointer at the first extra one.
    if (static_cast<long long>(n) > spec.limit)
      add(certharness::checks::list_limit, "/data/" + std::to_string(std::max(spec.limit, 0)));
    // list.cursor_stall: has_more true, but last_id null, this page's after, or used before.
    const bool goes_on = n > 0 && has_more;
    std::optional<std::string> cursor;
    if (ends[1] && ends[1]->is_string() && !ends[1]->as_string().empty())
      cursor = std::string(ends[1]->as_string());
    const bool stalled = goes_on && (!cursor || cursor == afters[k] || used.contains(*cursor));
    if (stalled) add(certharness::checks::list_cursor_stall, "/last_id");
    // list.order: created_at never against the order asked, within and across pages.
    if (stalled) has_previous_time = false;
    std::string first_inversion;
    for (auto it = data->begin(); it != data->end(); ++it) {
      const std::size_t i = it.index();
      std::optional<json_value> t = id_of(*it) ? member(*it, "created_at") : std::nullopt;
      if (!t || !t->is_number() || !t->fits_int64()) continue;
      const std::int64_t now = t->as_int64();
      if (has_previous_time && (spec.order == "asc" ? now < previous_time : now > previous_time) &&
          first_inversion.empty())
        first_inversion = "/data/" + std::to_string(i) + "/created_at";
      previous_time = now;
      has_previous_time = true;
    }
    if (!first_inversion.empty()) add(certharness::checks::list_order, first_inversion);
    // list.duplicate_id: twice on this page, or already passed by the walk's cursor.
    std::set<std::string> on_page;
    std::string first_repeat;
    std::size_t through = n;  // the cursor moves past the items before data[through]
    for (auto it = data->begin(); it != data->end(); ++it) {
      const std::size_t i = it.index();
      const std::optional<std::string> id = id_of(*it);
      if (!id) continue;
      if (ends[1] && ends[1]->is_string() && ends[1]->as_string() == *id) through = i + 1;
      const bool repeat = !on_page.insert(*id).second || (!stalled && passed.contains(*id));
      if (repeat && first_repeat.empty()) first_repeat = "/data/" + std::to_string(i) + "/id";
    }
    if (!first_repeat.empty()) add(certharness::checks::list_duplicate_id, first_repeat);
    for (auto it = data->begin(); it != data->end() && it.index() < through; ++it) {
      if (const std::optional<std::string> id = id_of(*it)) passed.insert(*id);
    }
    // list.has_more: an empty page after has_more true, or one that says it itself.
    if (n == 0 && (was_promised || has_more))
      add(certharness::checks::list_has_more, was_promised ? "/data" : "/has_more");
    // The walk goes on from here with after = last_id, if the bound allows.
    if (!goes_on || stalled) break;
    if (k + 1 >= bound) {
      add(certharness::checks::list_max_pages, "/has_more");
      break;
    }
    out.asks.push_back(ask(cursor));
  }
  return out;
}

}  // namespace pagination_model
