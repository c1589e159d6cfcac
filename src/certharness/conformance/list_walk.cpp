// Cursor pagination: reading pages, walking with after = last_id, and the list.* checks.
//
// One server fault, one check. Where two rules read literally would report one fault twice,
// these precedences decide (each fault of the fake raises exactly its check):
// - Null ids are list.empty_ids' verdict (first_id/last_id null exactly when data is empty);
//   list.first_id and list.last_id judge only non-null values, on non-empty pages.
// - A page whose cursor stalls (list.cursor_stall) gets no cross-page verdicts: a server that
//   ignores `after` serves the same items again, out of order with the page before. The stall
//   is the cause, so list.duplicate_id and list.order judge that page on its own.
// - list.duplicate_id counts an id as passed once the walk's cursor has moved past it: a page's
//   items up to the one its last_id names (all of them if it names none). When last_id names
//   an inner item, the items after it rightly come again on the next page: that is
//   list.last_id's finding, not a duplicate.
// - An empty page ends the walk, complete: list.has_more judges the promise it breaks, and
//   list.cursor_stall is not asked of it (there is nothing to continue from).
// Pages are numbered from 1 in messages; pointers index data from 0.
#include "certharness/conformance/list_walk.hpp"

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "certharness/http/url.hpp"
#include "certharness/json/json_pointer.hpp"

namespace certharness {
namespace {

constexpr std::size_t k_named_ids = 3;  // ids a message names before "and N more"

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};
// Owned strings: walk_list's pages move while its vector grows.
using cursor_set = std::unordered_set<std::string, string_hash, std::equal_to<>>;
// Views into pages that stay put while they are judged.
using id_set = std::unordered_set<std::string_view>;

std::string quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

std::string describe(const cursor_field& f) {
  switch (f.state) {
    case cursor_field::kind::absent:
      return "absent";
    case cursor_field::kind::null_value:
      return "null";
    case cursor_field::kind::string_value:
      return quoted(f.value);
    case cursor_field::kind::other:
      break;
  }
  return "not a string";
}

std::string page_name(std::size_t k, const list_page& p) {
  std::string name = "page " + std::to_string(k + 1);
  if (p.after) name += " (after " + quoted(*p.after) + ")";
  return name;
}

std::string data_pointer(std::size_t index, std::string_view member = {}) {
  std::string pointer = "/data";
  append_pointer_index(pointer, index);
  if (!member.empty()) append_pointer_token(pointer, member);
  return pointer;
}

// A walk always fetches its first page, so max_pages 0 means 1.
std::size_t page_bound(const walk_spec& spec) { return std::max<std::size_t>(spec.max_pages, 1); }

// The walk goes on from a page only if it has items and says has_more: true.
bool promises_more(const list_page& p) {
  return p.data_is_array && p.data_size > 0 && p.has_more == true;
}

// Why last_id cannot be the next cursor (list.cursor_stall); empty when it can. `used` holds
// every cursor of the walk so far, this page's own included.
std::string stall_reason(const list_page& p, const cursor_set& used) {
  const cursor_field& next = p.last_id;
  if (next.state != cursor_field::kind::string_value || next.value.empty()) {
    return "its last_id is " + describe(next) + ", so there is no cursor to continue with";
  }
  if (p.after && next.value == *p.after) {
    return "its last_id " + quoted(next.value) +
           " is the cursor this page was asked with: the list did not advance";
  }
  if (used.contains(next.value)) {
    return "its last_id " + quoted(next.value) +
           " was already used as a cursor in this walk: following it would loop";
  }
  return {};
}

std::string walk_name(const walk_spec& spec) {
  return "order=" + spec.order + " limit=" + std::to_string(spec.limit);
}

id_set ids_of(const walk_result& walk) {
  id_set ids;
  for (const list_page& p : walk.pages) {
    for (const list_item& item : p.items) ids.insert(item.id);
  }
  return ids;
}

// The distinct ids of `walk` that `other` lacks, in walk order: "" or `"a", "b" and 3 more`.
std::string ids_missing_from(const walk_result& walk, const id_set& other) {
  id_set counted;
  std::string names;
  for (const list_page& p : walk.pages) {
    for (const list_item& item : p.items) {
      if (other.contains(item.id) || !counted.insert(item.id).second) continue;
      if (counted.size() <= k_named_ids)
        names += (counted.size() > 1 ? ", " : "") + quoted(item.id);
    }
  }
  if (counted.size() > k_named_ids) {
    names += " and " + std::to_string(counted.size() - k_named_ids) + " more";
  }
  return names;
}

class walk_judge {
 public:
  explicit walk_judge(walk_result& walk)
      : walk_(walk), group_(walk.spec.label()), ascending_(walk.spec.order == "asc") {}

  void run() {
    walk_.findings.clear();
    walk_.tally.clear();
    bool last_stalled = false;
    for (std::size_t k = 0; k < walk_.pages.size(); ++k) last_stalled = judge(k);
    finish(last_stalled);
  }

 private:
  // An item with a readable created_at, where it was seen.
  struct placed {
    std::int64_t created_at = 0;
    std::string_view id;
    std::size_t page = 0, index = 0;
  };

  // Records the verdict; true when it failed (the caller then says why).
  bool failed(check_id check, bool passed) {
    record(walk_.tally, check, passed);
    return !passed;
  }

  void report(const list_page& p, check_id check, std::string pointer, std::string message) {
    walk_.findings.push_back(
        run_finding{group_, p.request,
                    finding{check, std::move(pointer), {}, std::move(message), std::nullopt}});
  }

  // Returns whether the page stalls the walk.
  bool judge(std::size_t k) {
    const list_page& p = walk_.pages[k];
    if (p.after) used_.insert(*p.after);
    const bool promised = std::exchange(previous_has_more_, p.has_more) == true;
    if (!p.data_is_array) return false;  // nothing to say about items; the schema check reports it
    check_ids(k, p);
    check_limit(k, p);
    const bool stalled = check_cursor(k, p);
    check_order(k, p, stalled);
    check_duplicates(k, p, stalled);
    check_has_more(k, p, promised);
    return stalled;
  }

  void check_ids(std::size_t k, const list_page& p) {
    const bool empty = p.data_size == 0;
    const auto wrong = [empty](const cursor_field& f) {
      return empty != (f.state == cursor_field::kind::null_value);
    };
    std::string pointer, what;
    for (const auto& [member, field] :
         {std::pair{"first_id", &p.first_id}, std::pair{"last_id", &p.last_id}}) {
      if (!wrong(*field)) continue;
      if (pointer.empty()) pointer = std::string("/") + member;
      what += (what.empty() ? "" : " and ") + std::string(member) + " is " + describe(*field);
    }
    if (failed(checks::list_empty_ids, what.empty())) {
      report(p, checks::list_empty_ids, std::move(pointer),
             page_name(k, p) + (empty ? " has no items but its " : " has items but its ") + what +
                 ": first_id and last_id must be null exactly when data is empty");
    }
    if (empty) return;
    const list_item* first =
        p.items.empty() || p.items.front().index != 0 ? nullptr : &p.items.front();
    const list_item* last =
        p.items.empty() || p.items.back().index != p.data_size - 1 ? nullptr : &p.items.back();
    check_end_id(k, p, checks::list_first_id, "first", p.first_id, first);
    check_end_id(k, p, checks::list_last_id, "last", p.last_id, last);
  }

  // first_id / last_id against its item. Null is list.empty_ids' verdict, and an unreadable
  // item (no string id) leaves nothing to compare with: the schema check reports it.
  void check_end_id(std::size_t k, const list_page& p, check_id check, std::string_view end,
                    const cursor_field& f, const list_item* item) {
    if (f.state == cursor_field::kind::null_value || !item) return;
    const bool same = f.state == cursor_field::kind::string_value && f.value == item->id;
    if (failed(check, same)) {
      report(p, check, "/" + std::string(end) + "_id",
             page_name(k, p) + ": " + std::string(end) + "_id is " + describe(f) + ", but the " +
                 std::string(end) + " item (" + data_pointer(item->index) + ") is " +
                 quoted(item->id));
    }
  }

  void check_limit(std::size_t k, const list_page& p) {
    const int limit = walk_.spec.limit;
    if (failed(checks::list_limit, !std::cmp_greater(p.data_size, limit))) {
      report(p, checks::list_limit, data_pointer(static_cast<std::size_t>(std::max(limit, 0))),
             page_name(k, p) + " has " + std::to_string(p.data_size) +
                 " items, more than limit=" + std::to_string(limit) + " asked for");
    }
  }

  // Judged on pages the walk would go on from; returns whether the page stalls the walk.
  bool check_cursor(std::size_t k, const list_page& p) {
    if (!promises_more(p)) return false;
    const std::string why = stall_reason(p, used_);
    if (failed(checks::list_cursor_stall, why.empty())) {
      report(p, checks::list_cursor_stall, "/last_id",
             page_name(k, p) + " says has_more: true, but " + why + "; the walk stops here");
    }
    return !why.empty();
  }

  bool out_of_order(const placed& before, const placed& after) const {
    return ascending_ ? after.created_at < before.created_at : after.created_at > before.created_at;
  }

  std::string where(const placed& item, std::size_t page) const {
    return quoted(item.id) + " (" +
           (item.page == page ? "" : "page " + std::to_string(item.page + 1) + " ") +
           data_pointer(item.index) + ", created_at " + std::to_string(item.created_at) + ")";
  }

  // Within the page and across from the previous page's last item; ties are fine.
  void check_order(std::size_t k, const list_page& p, bool stalled) {
    if (stalled) previous_.reset();  // the stall explains a page that starts over
    std::size_t inversions = 0;
    std::string pointer, message;
    for (const list_item& item : p.items) {
      if (!item.created_at) continue;  // unreadable: the schema check's finding
      const placed here{*item.created_at, item.id, k, item.index};
      if (previous_ && out_of_order(*previous_, here) && inversions++ == 0) {
        pointer = data_pointer(item.index, "created_at");
        message = page_name(k, p) + ": " + where(here, k) + " follows " + where(*previous_, k) +
                  ", but order=" + walk_.spec.order + " needs created_at never to " +
                  (ascending_ ? "decrease" : "increase");
      }
      previous_ = here;
    }
    if (failed(checks::list_order, inversions == 0)) {
      if (inversions > 1) message += " (" + std::to_string(inversions) + " places on this page)";
      report(p, checks::list_order, std::move(pointer), std::move(message));
    }
  }

  void check_duplicates(std::size_t k, const list_page& p, bool stalled) {
    std::unordered_map<std::string_view, std::size_t> on_page;  // id -> its first data index
    on_page.reserve(p.items.size());
    std::size_t repeats = 0;
    std::string pointer, names;
    for (const list_item& item : p.items) {
      const auto [first, fresh] = on_page.emplace(item.id, item.index);
      const auto earlier = fresh && !stalled ? passed_.find(item.id) : passed_.end();
      if (fresh && earlier == passed_.end()) continue;
      if (repeats++ == 0) pointer = data_pointer(item.index, "id");
      if (repeats > k_named_ids) continue;
      names += (repeats > 1 ? "; " : "") + quoted(item.id) + " at " + data_pointer(item.index) +
               (fresh ? ", already listed on page " + std::to_string(earlier->second + 1)
                      : ", already at " + data_pointer(first->second) + " of this page");
    }
    if (failed(checks::list_duplicate_id, repeats == 0)) {
      if (repeats > k_named_ids) {
        names += "; and " + std::to_string(repeats - k_named_ids) + " more";
      }
      report(p, checks::list_duplicate_id, std::move(pointer),
             page_name(k, p) + " repeats ids: " + names);
    }
    // The cursor moves past the items up to the one last_id names (see the top of the file).
    std::size_t through = p.items.size();
    if (p.last_id.state == cursor_field::kind::string_value) {
      for (std::size_t i = p.items.size(); i-- > 0;) {
        if (p.items[i].id == p.last_id.value) {
          through = i + 1;
          break;
        }
      }
    }
    for (std::size_t i = 0; i < through; ++i) passed_.emplace(p.items[i].id, k);
  }

  // Judged on pages after a has_more: true and on every empty page.
  void check_has_more(std::size_t k, const list_page& p, bool promised) {
    const bool empty = p.data_size == 0;
    if (!promised && !empty) return;
    const bool broken = empty && (promised || p.has_more == true);
    if (failed(checks::list_has_more, !broken)) {
      report(p, checks::list_has_more, promised ? "/data" : "/has_more",
             page_name(k, p) + " is empty, but " +
                 (promised ? "page " + std::to_string(k) + " said has_more: true"
                           : "it says has_more: true itself"));
    }
  }

  void finish(bool last_stalled) {
    walk_.complete = false;
    walk_.hit_max_pages = false;
    if (walk_.pages.empty()) return;
    const list_page& last = walk_.pages.back();
    walk_.complete = last.data_is_array && (last.data_size == 0 || last.has_more == false);
    walk_.hit_max_pages =
        promises_more(last) && !last_stalled && walk_.pages.size() >= page_bound(walk_.spec);
    if (failed(checks::list_max_pages, !walk_.hit_max_pages)) {
      const std::string n = std::to_string(walk_.pages.size());
      report(last, checks::list_max_pages, "/has_more",
             "the walk stopped after " + n +
                 " pages (max_pages=" + std::to_string(walk_.spec.max_pages) + ") although page " +
                 n + " says has_more: true: the rest of the list was not checked");
    }
  }

  walk_result& walk_;
  const std::string group_;
  const bool ascending_;  // the API's default order is desc
  cursor_set used_;
  std::optional<bool> previous_has_more_;
  std::optional<placed> previous_;
  std::unordered_map<std::string_view, std::size_t> passed_;  // id -> page first listed on
};

cursor_field read_cursor(const std::optional<json_value>& v) {
  cursor_field f;
  if (!v) return f;
  if (v->is_null()) {
    f.state = cursor_field::kind::null_value;
  } else if (v->is_string()) {
    f.state = cursor_field::kind::string_value;
    f.value = v->as_string();
  } else {
    f.state = cursor_field::kind::other;
  }
  return f;
}

}  // namespace

std::string walk_spec::label() const { return "GET " + endpoint + " " + walk_name(*this); }

std::string walk_spec::page_target(const std::optional<std::string>& after) const {
  std::string target = endpoint;
  append_query(target, "limit", std::to_string(limit));
  append_query(target, "order", order);
  if (after) append_query(target, "after", *after);
  return target;
}

list_page read_list_page(const json_value& root) {
  list_page page;
  if (!root.is_object()) {
    page.data_is_array = false;
    return page;
  }
  std::optional<json_value> data = root.find("data");
  page.data_is_array = data.has_value() && data->is_array();
  if (page.data_is_array) {
    page.data_size = data->size();
    for (auto it = data->begin(); it != data->end(); ++it) {
      const std::size_t i = it.index();
      const json_value entry = *it;
      std::optional<json_value> id = entry.is_object() ? entry.find("id") : std::nullopt;
      if (!id || !id->is_string()) continue;
      std::optional<json_value> created = entry.find("created_at");
      const bool readable = created.has_value() && created->is_number() && created->fits_int64();
      page.items.push_back(list_item{std::string(id->as_string()),
                                     readable ? std::optional(created->as_int64()) : std::nullopt,
                                     i});
    }
  }
  page.first_id = read_cursor(root.find("first_id"));
  page.last_id = read_cursor(root.find("last_id"));
  if (const std::optional<json_value> more = root.find("has_more");
      more.has_value() && more->is_bool()) {
    page.has_more = more->as_bool();
  }
  return page;
}

walk_result walk_list(const walk_spec& spec, const page_fetcher& fetch) {
  walk_result walk;
  walk.spec = spec;
  cursor_set used;
  std::optional<std::string> after;
  while (std::optional<list_page> page = fetch(after)) {
    if (after) used.insert(*after);
    page->after = std::move(after);
    walk.pages.push_back(std::move(*page));
    const list_page& got = walk.pages.back();
    if (!promises_more(got) || walk.pages.size() >= page_bound(spec) ||
        !stall_reason(got, used).empty()) {
      break;
    }
    after = got.last_id.value;
  }
  check_walk(walk);
  return walk;
}

void check_walk(walk_result& walk) { walk_judge(walk).run(); }

std::vector<run_finding> check_consistency(const std::vector<walk_result>& walks,
                                           check_tally& tally) {
  struct reference {
    const walk_result* walk;
    id_set ids;
  };
  std::unordered_map<std::string_view, reference> by_endpoint;  // the first complete walk
  std::vector<run_finding> out;
  for (const walk_result& w : walks) {
    if (!w.complete) continue;
    const auto ref = by_endpoint.find(w.spec.endpoint);
    if (ref == by_endpoint.end()) {
      by_endpoint.emplace(w.spec.endpoint, reference{&w, ids_of(w)});
      continue;
    }
    const id_set ids = ids_of(w);
    const std::string missing = ids_missing_from(*ref->second.walk, ids);
    const std::string extra = ids_missing_from(w, ref->second.ids);
    const bool same = missing.empty() && extra.empty();
    record(tally, checks::list_consistency, same);
    if (same) continue;
    std::string message = walk_name(w.spec) + " saw " + std::to_string(ids.size()) + " ids, " +
                          walk_name(ref->second.walk->spec) + " saw " +
                          std::to_string(ref->second.ids.size());
    if (!missing.empty()) message += "; missing " + missing;
    if (!extra.empty()) message += "; extra " + extra;
    out.push_back(
        run_finding{w.spec.endpoint + " consistency", w.spec.label(),
                    finding{checks::list_consistency, "", {}, std::move(message), std::nullopt}});
  }
  return out;
}

}  // namespace certharness
