// Cursor pagination: reading a list page, walking a list endpoint with after = last_id, and
// the list.* checks over a walk and across walks. Pure logic: pages come from a callback, so the
// crawler (live HTTP), replay (recorded pages) and the fuzzer (scripted pages) share it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "certharness/findings/check_tally.hpp"
#include "certharness/json/json_document.hpp"

namespace certharness {

struct list_item {
  std::string id;
  std::optional<std::int64_t> created_at;  // absent when missing or not an int64 integer
  std::size_t index = 0;                   // position in data (items skip unreadable entries)
};

// A cursor member (first_id / last_id) as received.
struct cursor_field {
  enum class kind { absent, null_value, string_value, other } state = kind::absent;
  std::string value;  // for string_value
};

// What the list checks need of one page. Tolerant: a page of the wrong shape still yields what
// can be read (the schema check reports the shape).
struct list_page {
  std::optional<std::string> after;  // the cursor this page was requested with
  std::string request;               // "GET url" that produced it
  std::vector<list_item> items;      // data items that are objects with a string id
  std::size_t data_size = 0;         // data array length (items may be fewer)
  bool data_is_array = true;         // false: data absent or not an array; the walk ends here
  cursor_field first_id, last_id;
  std::optional<bool> has_more;
};

list_page read_list_page(const json_value& root);

struct walk_spec {
  std::string endpoint;  // "/organization/certificates" or the project path
  std::string order;     // "asc" or "desc" (what was asked)
  int limit = 20;
  std::size_t max_pages = 1000;

  // "GET /organization/certificates order=desc limit=7": the group name of its findings.
  std::string label() const;
  // The request target of the page after `after`: "<endpoint>?limit=L&order=O[&after=A]", the
  // values percent-encoded (the endpoint is already encoded).
  std::string page_target(const std::optional<std::string>& after) const;
};

struct walk_result {
  walk_spec spec;
  std::vector<list_page> pages;
  bool complete = false;  // ended by has_more false (or an empty page), not by a problem
  bool hit_max_pages = false;
  std::vector<run_finding> findings;  // list.* findings, group = spec.label()
  check_tally tally;                  // list.* checks passed/failed in this walk
};

// Fetches the page after `after` (nullopt: the first page). nullopt result: no readable page
// (transport error, non-2xx, not JSON): the walk stops there, incomplete; the caller has
// already reported why.
using page_fetcher =
    std::function<std::optional<list_page>(const std::optional<std::string>& after)>;

// Walks with after = the previous page's last_id until has_more is false, an empty page, a
// stalled cursor (repeated or not advancing), a page that cannot be read (fetch gave nullopt,
// no data array, has_more not a boolean), or max_pages (at least one page is always fetched);
// then runs check_walk on what it got. Ends whatever fetch returns; an exception from fetch
// propagates (walk_list itself throws only std::bad_alloc).
walk_result walk_list(const walk_spec& spec, const page_fetcher& fetch);

// The per-walk checks over pages in hand (replay uses it on recorded walks): list.first_id,
// list.last_id, list.empty_ids, list.limit, list.order (within and across pages, by the order
// asked), list.duplicate_id, list.cursor_stall, list.has_more, list.max_pages. Replaces
// walk.findings and walk.tally; every check is tallied once per page it applies to
// (list.max_pages once per walk). Sets walk.complete and walk.hit_max_pages from the pages and
// spec alone, exactly as walk_list ends, so recorded walks are judged like live ones.
void check_walk(walk_result& walk);

// list.consistency across complete walks of the same endpoint: every order and limit must see
// the same set of ids. Findings go to the group "<endpoint> consistency".
std::vector<run_finding> check_consistency(const std::vector<walk_result>& walks,
                                           check_tally& tally);

}  // namespace certharness
