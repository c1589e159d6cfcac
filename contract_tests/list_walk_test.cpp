// The list.* checks: scripted page sequences (clean walks, one per fault kind of the fake,
// stalls, bounds, broken fetches, pages of the wrong shape, random pages), then walks driven
// against the real fake_api, where each list fault must raise exactly its check.
#include "certharness/conformance/list_walk.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "certharness/fake_api/fake_api.hpp"

namespace certharness {
namespace {

const std::string k_endpoint = "/organization/certificates";

struct item {
  std::string id;
  std::int64_t created_at = 0;
};

// A page as the server would send it. first_id / last_id: raw JSON of the member ("" leaves it
// out); by default what a correct server sends.
struct page_def {
  std::vector<item> data;
  bool has_more = false;
  std::optional<std::string> first_id = {}, last_id = {};  // rows may leave them out
};

std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

std::string to_json(const page_def& p) {
  std::string out = R"({"object":"list","data":[)";
  for (std::size_t i = 0; i < p.data.size(); ++i) {
    out += (i ? "," : "") + std::string(R"({"object":"organization.certificate","id":)") +
           json_string(p.data[i].id) + R"(,"created_at":)" + std::to_string(p.data[i].created_at) +
           "}";
  }
  out += "]";
  const auto member = [&](std::string_view name, const std::optional<std::string>& raw,
                          const item* end) {
    const std::string value = raw.value_or(end ? json_string(end->id) : "null");
    if (!value.empty()) out += ",\"" + std::string(name) + "\":" + value;
  };
  member("first_id", p.first_id, p.data.empty() ? nullptr : &p.data.front());
  member("last_id", p.last_id, p.data.empty() ? nullptr : &p.data.back());
  return out + R"(,"has_more":)" + (p.has_more ? "true" : "false") + "}";
}

list_page parse_page(std::string_view body, std::string request) {
  decode_result d = decode_json(body);
  EXPECT_TRUE(d.document.has_value()) << body;
  list_page p = d.document ? read_list_page(d.document->root()) : list_page{};
  p.request = std::move(request);
  return p;
}

// Serves its bodies in order, whatever the cursor, then nullopt; records the cursors asked.
struct scripted {
  std::vector<std::string> bodies;
  std::vector<std::optional<std::string>> asked;

  page_fetcher fetcher() {
    return [this](const std::optional<std::string>& after) -> std::optional<list_page> {
      asked.push_back(after);
      if (asked.size() > bodies.size()) return std::nullopt;
      return parse_page(bodies[asked.size() - 1], "GET page " + std::to_string(asked.size()));
    };
  }
};

std::vector<std::string> bodies_of(const std::vector<page_def>& pages) {
  std::vector<std::string> out;
  for (const page_def& p : pages) out.push_back(to_json(p));
  return out;
}

walk_spec spec_of(std::string order, int limit, std::size_t max_pages = 1000) {
  return walk_spec{k_endpoint, std::move(order), limit, max_pages};
}

walk_result walk_pages(const walk_spec& spec, const std::vector<page_def>& pages) {
  scripted s{bodies_of(pages), {}};
  return walk_list(spec, s.fetcher());
}

// c1..cN with created_at rising (every third ties its predecessor), in the order asked.
std::vector<item> certificates(std::size_t n, bool ascending) {
  std::vector<item> all;
  std::int64_t t = 1'735'689'600;
  for (std::size_t i = 1; i <= n; ++i) {
    if (i % 3 != 0) t += 10;
    all.push_back({"c" + std::to_string(i), t});
  }
  if (!ascending) std::reverse(all.begin(), all.end());
  return all;
}

// The pages a correct server sends: one empty page for an empty list.
std::vector<page_def> clean_pages(const std::vector<item>& all, std::size_t limit) {
  std::vector<page_def> pages;
  for (std::size_t at = 0; at < all.size() || pages.empty(); at += limit) {
    const std::size_t end = std::min(all.size(), at + limit);
    page_def& page = pages.emplace_back();
    page.data.assign(all.begin() + at, all.begin() + end);
    page.has_more = end < all.size();
  }
  return pages;
}

std::vector<item> slice(const std::vector<item>& all, std::size_t from, std::size_t count) {
  return {all.begin() + from, all.begin() + from + count};
}

// Check ids that failed; and every failure is one finding of the walk's group.
std::set<std::string> failed_checks(const walk_result& w) {
  std::map<std::string, std::size_t> found;
  for (const run_finding& f : w.findings) {
    ++found[f.what.check];
    EXPECT_EQ(f.group, w.spec.label());
    EXPECT_EQ(f.what.level, severity::error);
  }
  std::set<std::string> failed;
  for (const auto& [check, count] : w.tally) {
    if (count.failed > 0) failed.insert(check);
    EXPECT_EQ(found[check], count.failed) << check;
  }
  EXPECT_EQ(found.size(), w.tally.size()) << "a finding of a check not tallied";
  return failed;
}

std::string describe(const std::vector<run_finding>& fs) {
  std::string s;
  for (const run_finding& f : fs) {
    s += f.what.check + " [" + f.request + "] '" + f.what.pointer + "': " + f.what.message + "\n";
  }
  return s;
}

const run_finding* first_of(const walk_result& w, std::string_view check) {
  for (const run_finding& f : w.findings) {
    if (f.what.check == check) return &f;
  }
  return nullptr;
}

TEST(list_walk, label_names_endpoint_order_and_limit) {
  EXPECT_EQ(spec_of("desc", 7).label(), "GET /organization/certificates order=desc limit=7");
}

TEST(list_walk, clean_walks_have_no_findings_and_tally_every_page) {
  struct row {
    std::size_t certs, limit;
    const char* order;
    std::size_t pages;
  };
  for (const row& r : std::vector<row>{{0, 7, "desc", 1},
                                       {0, 1, "asc", 1},
                                       {1, 7, "desc", 1},
                                       {5, 7, "asc", 1},
                                       {7, 7, "desc", 1},
                                       {20, 7, "desc", 3},
                                       {20, 7, "asc", 3},
                                       {21, 7, "asc", 3},
                                       {20, 1, "desc", 20},
                                       {3, 100, "asc", 1}}) {
    SCOPED_TRACE(std::to_string(r.certs) + " certificates, limit " + std::to_string(r.limit) + " " +
                 r.order);
    const std::vector<page_def> pages =
        clean_pages(certificates(r.certs, r.order == std::string("asc")), r.limit);
    ASSERT_EQ(pages.size(), r.pages);
    scripted s{bodies_of(pages), {}};
    const walk_result w = walk_list(spec_of(r.order, static_cast<int>(r.limit)), s.fetcher());
    EXPECT_TRUE(w.findings.empty()) << describe(w.findings);
    EXPECT_TRUE(w.complete);
    EXPECT_FALSE(w.hit_max_pages);
    ASSERT_EQ(w.pages.size(), r.pages);
    ASSERT_EQ(s.asked.size(), r.pages);  // never asks past has_more: false
    EXPECT_EQ(s.asked[0], std::nullopt);
    for (std::size_t k = 1; k < r.pages; ++k) {
      EXPECT_EQ(s.asked[k], pages[k - 1].data.back().id);
      EXPECT_EQ(w.pages[k].after, s.asked[k]);
    }
    const std::size_t filled = r.certs == 0 ? 0 : r.pages;
    const std::map<std::string, std::size_t> passes = {
        {"list.empty_ids", r.pages},
        {"list.first_id", filled},
        {"list.last_id", filled},
        {"list.limit", r.pages},
        {"list.order", r.pages},
        {"list.duplicate_id", r.pages},
        {"list.cursor_stall", r.pages - 1},
        {"list.has_more", r.pages - 1 + (r.certs == 0)},
        {"list.max_pages", 1}};
    for (const auto& [check, n] : passes) {
      const auto it = w.tally.find(check);
      const check_count c = it == w.tally.end() ? check_count{} : it->second;
      EXPECT_EQ(c.passed, n) << check;
      EXPECT_EQ(c.failed, 0u) << check;
    }
    EXPECT_TRUE(failed_checks(w).empty());
  }
}

TEST(list_walk, created_at_ties_are_in_order_both_ways) {
  for (const char* order : {"desc", "asc"}) {
    const std::vector<item> tied = {{"c3", 100}, {"c2", 100}, {"c1", 100}, {"c0", 100}};
    const walk_result w = walk_pages(spec_of(order, 2), clean_pages(tied, 2));
    EXPECT_TRUE(w.findings.empty()) << order << "\n" << describe(w.findings);
    EXPECT_TRUE(w.complete);
    EXPECT_EQ(w.tally.at("list.order").passed, 2u);
  }
}

// One scenario per list fault of the fake (as the fake breaks the rule), each raising exactly
// its check.
struct fault_scenario {
  const char* name;
  walk_spec spec;
  std::vector<page_def> pages;
  const char* check;
  bool complete;
  std::size_t walked;  // pages the walk takes
};

std::vector<fault_scenario> fault_scenarios() {
  const std::vector<item> desc = certificates(9, false);  // c9 .. c1
  const std::vector<item> asc = certificates(9, true);
  const auto id = [](const item& i) { return json_string(i.id); };
  const auto s = [&](std::size_t from, std::size_t n) { return slice(desc, from, n); };
  std::vector<fault_scenario> out;
  // first-id-mismatch: first_id names the second item.
  out.push_back(
      {"first-id-mismatch",
       spec_of("desc", 3),
       {{s(0, 3), true, id(desc[1])}, {s(3, 3), true, id(desc[4])}, {s(6, 3), false, id(desc[7])}},
       "list.first_id",
       true,
       3});
  // last-id-mismatch: last_id names the second-to-last item; the walk follows it, so the
  // next page rightly starts again at the item after it.
  out.push_back({"last-id-mismatch",
                 spec_of("desc", 3),
                 {{s(0, 3), true, {}, id(desc[1])},
                  {s(2, 3), true, {}, id(desc[3])},
                  {s(4, 3), true, {}, id(desc[5])},
                  {s(6, 3), false, {}, id(desc[7])}},
                 "list.last_id",
                 true,
                 4});
  out.push_back({"empty-ids-not-null",
                 spec_of("desc", 7),
                 {{{}, false, "\"\"", "\"\""}},
                 "list.empty_ids",
                 true,
                 1});
  out.push_back({"over-limit",
                 spec_of("desc", 2),
                 {{s(0, 3), true}, {s(3, 3), true}, {s(6, 3), false}},
                 "list.limit",
                 true,
                 3});
  out.push_back({"wrong-order desc",
                 spec_of("desc", 5),
                 {{{desc[0], desc[2], desc[1], desc[3], desc[4]}, true}, {s(5, 4), false}},
                 "list.order",
                 true,
                 2});
  out.push_back(
      {"wrong-order asc",
       spec_of("asc", 6),
       {{{asc[0], asc[1], asc[3], asc[2], asc[4], asc[5]}, true}, {slice(asc, 6, 3), false}},
       "list.order",
       true,
       2});
  out.push_back({"order across pages",
                 spec_of("desc", 2),
                 {{{desc[0], desc[2]}, true}, {{desc[1], desc[3]}, false}},
                 "list.order",
                 true,
                 2});
  // duplicate-across-pages: a page after a cursor starts with the cursor's item again.
  out.push_back({"duplicate-across-pages",
                 spec_of("desc", 3),
                 {{s(0, 3), true}, {s(2, 3), true}, {s(4, 3), true}, {s(6, 3), false}},
                 "list.duplicate_id",
                 true,
                 4});
  out.push_back({"duplicate on one page",
                 spec_of("asc", 4),
                 {{{asc[0], asc[1], asc[1], asc[2]}, false}},
                 "list.duplicate_id",
                 true,
                 1});
  // cursor-loop: after is ignored, has_more always true: the same page forever.
  out.push_back({"cursor-loop", spec_of("desc", 3), std::vector<page_def>(50, {s(0, 3), true}),
                 "list.cursor_stall", false, 2});
  // has-more-lies: has_more true on the last non-empty page.
  out.push_back({"has-more-lies",
                 spec_of("desc", 3),
                 {{s(0, 3), true}, {s(3, 3), true}, {s(6, 3), true}, {{}, false}},
                 "list.has_more",
                 true,
                 4});
  out.push_back({"repeated cursor (the list jumps back)",
                 spec_of("desc", 2),
                 {{s(0, 2), true}, {s(2, 2), true}, {s(0, 2), true}, {s(2, 2), true}},
                 "list.cursor_stall",
                 false,
                 3});
  out.push_back({"empty first page says has_more",
                 spec_of("desc", 3),
                 {{{}, true}},
                 "list.has_more",
                 true,
                 1});
  return out;
}

TEST(list_walk, each_fault_raises_exactly_its_check) {
  for (const fault_scenario& f : fault_scenarios()) {
    SCOPED_TRACE(f.name);
    const walk_result w = walk_pages(f.spec, f.pages);
    EXPECT_EQ(failed_checks(w), std::set<std::string>{f.check}) << describe(w.findings);
    EXPECT_EQ(w.complete, f.complete);
    EXPECT_EQ(w.pages.size(), f.walked);
    EXPECT_FALSE(w.hit_max_pages);
  }
}

TEST(list_walk, findings_point_into_the_page_and_name_page_and_ids) {
  const std::vector<fault_scenario> all = fault_scenarios();
  const auto run = [&](std::string_view name) {
    const auto it = std::find_if(all.begin(), all.end(),
                                 [&](const fault_scenario& f) { return f.name == name; });
    return walk_pages(it->spec, it->pages);
  };
  struct expectation {
    const char* scenario;
    const char* check;
    const char* pointer;
    const char* request;
    std::vector<std::string> words;
  };
  for (const expectation& e : std::vector<expectation>{
           {"first-id-mismatch",
            "list.first_id",
            "/first_id",
            "GET page 1",
            {"page 1:", "first_id is \"c8\"", "first item (/data/0) is \"c9\""}},
           {"last-id-mismatch",
            "list.last_id",
            "/last_id",
            "GET page 1",
            {"page 1:", "last_id is \"c8\"", "/data/2", "\"c7\""}},
           {"empty-ids-not-null",
            "list.empty_ids",
            "/first_id",
            "GET page 1",
            {"no items", "first_id is \"\" and last_id is \"\""}},
           {"over-limit", "list.limit", "/data/2", "GET page 1", {"3 items", "limit=2"}},
           {"wrong-order desc",
            "list.order",
            "/data/2/created_at",
            "GET page 1",
            {"\"c8\"", "follows \"c7\"", "order=desc"}},
           {"order across pages",
            "list.order",
            "/data/0/created_at",
            "GET page 2",
            {"page 2 (after \"c7\")", "\"c8\"", "page 1 /data/1"}},
           {"duplicate-across-pages",
            "list.duplicate_id",
            "/data/0/id",
            "GET page 2",
            {"page 2 (after \"c7\")", "\"c7\" at /data/0, already listed on page 1"}},
           {"duplicate on one page",
            "list.duplicate_id",
            "/data/2/id",
            "GET page 1",
            {"\"c2\" at /data/2, already at /data/1 of this page"}},
           {"cursor-loop",
            "list.cursor_stall",
            "/last_id",
            "GET page 2",
            {"page 2 (after \"c7\")", "cursor this page was asked with"}},
           {"repeated cursor (the list jumps back)",
            "list.cursor_stall",
            "/last_id",
            "GET page 3",
            {"page 3", "\"c8\" was already used"}},
           {"has-more-lies",
            "list.has_more",
            "/data",
            "GET page 4",
            {"page 4 (after \"c1\") is empty", "page 3 said has_more: true"}},
       }) {
    SCOPED_TRACE(e.scenario);
    const walk_result w = run(e.scenario);
    const run_finding* f = first_of(w, e.check);
    ASSERT_NE(f, nullptr) << describe(w.findings);
    EXPECT_EQ(f->what.pointer, e.pointer);
    EXPECT_EQ(f->request, e.request);
    for (const std::string& word : e.words) {
      EXPECT_NE(f->what.message.find(word), std::string::npos)
          << "'" << word << "' not in: " << f->what.message;
    }
  }
}

TEST(list_walk, stalls_on_an_unusable_cursor) {
  const std::vector<item> desc = certificates(4, false);
  const std::vector<item> page = slice(desc, 0, 2);
  struct row {
    const char* name;
    std::string last_id;  // raw JSON; "" leaves it out
    std::set<std::string> checks;
  };
  // A null last_id on a page with items also breaks list.empty_ids; an absent or non-string
  // one also breaks list.last_id: those are rules of their own.
  for (const row& r : std::vector<row>{{"null", "null", {"list.cursor_stall", "list.empty_ids"}},
                                       {"absent", "", {"list.cursor_stall", "list.last_id"}},
                                       {"number", "7", {"list.cursor_stall", "list.last_id"}}}) {
    SCOPED_TRACE(r.name);
    const walk_result w = walk_pages(spec_of("desc", 2), {{page, true, {}, r.last_id}, {page}});
    EXPECT_EQ(failed_checks(w), r.checks) << describe(w.findings);
    EXPECT_EQ(w.pages.size(), 1u);
    EXPECT_FALSE(w.complete);
    EXPECT_EQ(first_of(w, "list.cursor_stall")->what.pointer, "/last_id");
  }
}

// A server that always has more, with fresh ids and cursors.
std::optional<list_page> endless(const std::optional<std::string>& after) {
  const std::size_t k = after ? std::stoul(after->substr(1)) : 0;
  const std::int64_t t = 2'000'000'000 - static_cast<std::int64_t>(k);
  return parse_page(to_json({{{"c" + std::to_string(k + 1), t}}, true}),
                    "GET after " + after.value_or("-"));
}

TEST(list_walk, max_pages_bounds_a_walk_that_never_ends) {
  const walk_result w = walk_list(spec_of("desc", 1, 5), endless);
  EXPECT_EQ(w.pages.size(), 5u);
  EXPECT_TRUE(w.hit_max_pages);
  EXPECT_FALSE(w.complete);
  EXPECT_EQ(failed_checks(w), std::set<std::string>{"list.max_pages"}) << describe(w.findings);
  const run_finding* f = first_of(w, "list.max_pages");
  EXPECT_EQ(f->what.pointer, "/has_more");
  EXPECT_EQ(f->request, "GET after c4");
  EXPECT_NE(f->what.message.find("after 5 pages (max_pages=5)"), std::string::npos);

  const walk_result zero = walk_list(spec_of("desc", 1, 0), endless);  // still one page
  EXPECT_EQ(zero.pages.size(), 1u);
  EXPECT_TRUE(zero.hit_max_pages);
}

TEST(list_walk, a_failed_fetch_ends_the_walk_incomplete_without_findings) {
  const std::vector<item> desc = certificates(6, false);
  scripted s{bodies_of({{slice(desc, 0, 3), true}}), {}};
  const walk_result w = walk_list(spec_of("desc", 3), s.fetcher());
  EXPECT_EQ(w.pages.size(), 1u);
  EXPECT_EQ(s.asked.size(), 2u);
  EXPECT_FALSE(w.complete);
  EXPECT_FALSE(w.hit_max_pages);
  EXPECT_TRUE(w.findings.empty()) << describe(w.findings);
  EXPECT_EQ(w.tally.at("list.max_pages").passed, 1u);

  scripted none{{}, {}};
  const walk_result nothing = walk_list(spec_of("desc", 3), none.fetcher());
  EXPECT_TRUE(nothing.pages.empty());
  EXPECT_FALSE(nothing.complete);
  EXPECT_TRUE(nothing.tally.empty());
}

TEST(list_walk, pages_of_the_wrong_shape_do_not_crash_or_mislead) {
  // Bodies the walk cannot continue from: it stops there, incomplete, judging no items.
  for (const char* body :
       {R"({"object":"list","data":{},"first_id":null,"last_id":null,"has_more":true})",
        R"({"object":"list","first_id":"c1","last_id":"c1","has_more":true})",
        R"({"data":[{"id":"c1","created_at":1}],"first_id":"c1","last_id":"c1"})",
        R"({"data":[{"id":"c1","created_at":1}],"first_id":"c1","last_id":"c1","has_more":"yes"})",
        "[]", "null", "\"list\"", "42"}) {
    SCOPED_TRACE(body);
    scripted s{{body, body}, {}};
    const walk_result w = walk_list(spec_of("desc", 3), s.fetcher());
    EXPECT_EQ(w.pages.size(), 1u);
    EXPECT_FALSE(w.complete);
    EXPECT_TRUE(failed_checks(w).empty()) << describe(w.findings);
  }

  // Entries without a string id are skipped; created_at that is no int64 integer is unknown.
  const list_page p = parse_page(
      R"({"data":[{"created_at":5},{"id":"c2","created_at":"7"},42,{"id":7},)"
      R"({"id":"c1","created_at":1.5},{"id":"c0","created_at":1e30},{"id":"cz","created_at":3}],)"
      R"("first_id":"zz","last_id":"cz","has_more":false})",
      "GET shapes");
  EXPECT_EQ(p.data_size, 7u);
  ASSERT_EQ(p.items.size(), 4u);
  EXPECT_EQ(p.items[0].index, 1u);
  EXPECT_EQ(p.items[0].created_at, std::nullopt);
  EXPECT_EQ(p.items[1].created_at, std::nullopt);
  EXPECT_EQ(p.items[2].created_at, std::nullopt);
  EXPECT_EQ(p.items[3].created_at, 3);
  EXPECT_EQ(p.items[3].index, 6u);
  EXPECT_EQ(p.first_id.state, cursor_field::kind::string_value);
  EXPECT_EQ(p.has_more, false);

  walk_result w;
  w.spec = spec_of("desc", 7);
  w.pages = {p};
  check_walk(w);
  // data[0] has no id, so first_id has nothing to be compared with; last_id matches data[6].
  EXPECT_TRUE(w.findings.empty()) << describe(w.findings);
  EXPECT_FALSE(w.tally.contains("list.first_id"));
  EXPECT_EQ(w.tally.at("list.last_id").passed, 1u);
  EXPECT_TRUE(w.complete);

  const list_page odd = parse_page(R"({"data":[],"first_id":3,"last_id":[]})", "GET odd");
  EXPECT_EQ(odd.first_id.state, cursor_field::kind::other);
  EXPECT_EQ(odd.last_id.state, cursor_field::kind::other);
  EXPECT_EQ(odd.has_more, std::nullopt);
}

TEST(list_walk, check_walk_on_recorded_pages_judges_as_the_live_walk) {
  for (const fault_scenario& f : fault_scenarios()) {
    SCOPED_TRACE(f.name);
    const walk_result live = walk_pages(f.spec, f.pages);
    walk_result replayed;
    replayed.spec = live.spec;
    replayed.pages = live.pages;
    check_walk(replayed);
    check_walk(replayed);  // idempotent
    EXPECT_EQ(describe(replayed.findings), describe(live.findings));
    EXPECT_EQ(replayed.complete, live.complete);
    EXPECT_EQ(replayed.hit_max_pages, live.hit_max_pages);
    ASSERT_EQ(replayed.tally.size(), live.tally.size());
    for (const auto& [check, count] : live.tally) {
      EXPECT_EQ(replayed.tally.at(check).passed, count.passed) << check;
      EXPECT_EQ(replayed.tally.at(check).failed, count.failed) << check;
    }
  }
}

walk_result complete_walk(std::string endpoint, std::string order, int limit,
                          const std::vector<item>& all) {
  walk_spec spec{std::move(endpoint), std::move(order), limit, 1000};
  return walk_pages(spec, clean_pages(all, static_cast<std::size_t>(limit)));
}

TEST(list_walk, consistency_compares_complete_walks_of_one_endpoint) {
  const std::string project = "/organization/projects/proj_1/certificates";
  std::vector<item> asc_missing = certificates(5, true);
  asc_missing.erase(asc_missing.begin());  // asc-desc-inconsistent: asc never shows c1
  std::vector<walk_result> walks = {
      complete_walk(k_endpoint, "desc", 2, certificates(5, false)),
      complete_walk(k_endpoint, "asc", 2, asc_missing),
      complete_walk(k_endpoint, "desc", 1, certificates(5, false)),
      complete_walk(project, "desc", 2, certificates(2, false)),  // its own reference
  };
  walks.push_back(walk_pages(spec_of("asc", 1), {{slice(certificates(5, true), 0, 1), true}}));
  ASSERT_FALSE(walks.back().complete);  // incomplete walks are not compared
  for (const walk_result& w : walks) EXPECT_TRUE(w.findings.empty()) << describe(w.findings);

  check_tally tally;
  const std::vector<run_finding> found = check_consistency(walks, tally);
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_EQ(found[0].group, k_endpoint + " consistency");
  EXPECT_EQ(found[0].request, walks[1].spec.label());
  EXPECT_EQ(found[0].what.check, "list.consistency");
  EXPECT_EQ(found[0].what.message,
            "order=asc limit=2 saw 4 ids, order=desc limit=2 saw 5; "
            "missing \"c1\"");
  EXPECT_EQ(tally.at("list.consistency").passed, 1u);
  EXPECT_EQ(tally.at("list.consistency").failed, 1u);
  EXPECT_EQ(tally.size(), 1u);

  // Extra ids are named too, a few of them, and counted.
  std::vector<item> more = certificates(9, false);
  const std::vector<run_finding> extra =
      check_consistency({complete_walk(k_endpoint, "desc", 3, certificates(4, false)),
                         complete_walk(k_endpoint, "desc", 4, more)},
                        tally);
  ASSERT_EQ(extra.size(), 1u);
  EXPECT_EQ(extra[0].what.message,
            "order=desc limit=4 saw 9 ids, order=desc limit=3 saw 4; "
            "extra \"c9\", \"c8\", \"c7\" and 2 more");
}

// Random pages from a small pool of ids: whatever they say, the walk ends within its bounds,
// every failure is one finding, and recorded pages are judged as the live walk was.
TEST(list_walk, random_pages_end_and_keep_the_books) {
  std::mt19937_64 rng(42);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const auto random_id = [&] { return "\"c" + std::to_string(pick(6)) + "\""; };
  const auto random_page = [&]() -> std::optional<list_page> {
    if (pick(40) == 0) return std::nullopt;
    std::string body = "{\"data\":";
    if (pick(30) == 0) {
      body += "{}";
    } else {
      body += "[";
      const std::size_t n = pick(5);
      for (std::size_t i = 0; i < n; ++i) {
        const char* created[] = {"1", "2", "3", "\"3\"", "2.5"};
        body += (i ? "," : "") + std::string("{\"id\":") + (pick(20) ? random_id() : "7") +
                (pick(10) ? std::string(",\"created_at\":") + created[pick(5)] : "") + "}";
      }
      body += "]";
    }
    const std::string cursors[] = {"null", random_id(), random_id(), "1", ""};
    for (const char* member : {"first_id", "last_id"}) {
      const std::string& c = cursors[pick(5)];
      if (!c.empty()) body += std::string(",\"") + member + "\":" + c;
    }
    const char* more[] = {"true", "true", "false", "null"};
    body += std::string(",\"has_more\":") + more[pick(4)] + "}";
    return parse_page(body, "GET random");
  };
  for (int i = 0; i < 3000; ++i) {
    const std::size_t max_pages = i % 2 ? 1000 : pick(4);
    const walk_result w =
        walk_list(spec_of(i % 3 ? "desc" : "asc", 3, max_pages),
                  [&](const std::optional<std::string>&) { return random_page(); });
    // Six ids make at most six fresh cursors: the seventh page cannot advance.
    ASSERT_LE(w.pages.size(), std::min<std::size_t>(std::max<std::size_t>(max_pages, 1), 7));
    failed_checks(w);
    walk_result replayed;
    replayed.spec = w.spec;
    replayed.pages = w.pages;
    check_walk(replayed);
    ASSERT_EQ(describe(replayed.findings), describe(w.findings));
    ASSERT_EQ(replayed.complete, w.complete);
    ASSERT_EQ(replayed.hit_max_pages, w.hit_max_pages);
    if (w.complete) {
      ASSERT_FALSE(w.hit_max_pages);
    }
  }
}

TEST(list_walk, a_long_clean_walk_is_judged_clean) {
  const std::vector<item> all = certificates(20'000, false);
  const walk_result w = walk_pages(spec_of("desc", 100, 1000), clean_pages(all, 100));
  EXPECT_EQ(w.pages.size(), 200u);
  EXPECT_TRUE(w.complete);
  EXPECT_TRUE(w.findings.empty()) << describe(w.findings);
  EXPECT_EQ(w.tally.at("list.duplicate_id").passed, 200u);
}

// ---- Against the real fake_api.

const std::string k_project = "/organization/projects/proj_list_walk/certificates";

page_fetcher fake_fetcher(fake_api& api, const walk_spec& spec) {
  return [&api, spec](const std::optional<std::string>& after) -> std::optional<list_page> {
    http_request r;
    r.method = "GET";
    r.path = spec.endpoint;
    r.query = {{"limit", std::to_string(spec.limit)}, {"order", spec.order}};
    if (after) r.query.emplace_back("after", *after);
    r.headers = {{"Authorization", "Bearer sk-admin-list-walk-test"}};
    const http_response response = api.handle(r);
    if (response.status != 200) return std::nullopt;
    std::string request = "GET " + r.path;
    for (std::size_t i = 0; i < r.query.size(); ++i) {
      request += (i ? "&" : "?") + r.query[i].first + "=" + r.query[i].second;
    }
    return parse_page(response.body, std::move(request));
  };
}

struct crawl_outcome {
  std::vector<walk_result> walks;
  std::vector<run_finding> findings;  // every walk's, then consistency's
  check_tally tally;
};

// Every endpoint x order x limit, desc first (so desc walks are the consistency reference).
crawl_outcome crawl(fake_api& api, const std::vector<std::string>& endpoints) {
  crawl_outcome out;
  for (const std::string& endpoint : endpoints) {
    for (const char* order : {"desc", "asc"}) {
      for (const int limit : {1, 7, 100}) {
        const walk_spec spec{endpoint, order, limit, 100};
        walk_result w = walk_list(spec, fake_fetcher(api, spec));
        failed_checks(w);
        out.findings.insert(out.findings.end(), w.findings.begin(), w.findings.end());
        merge_into(out.tally, w.tally);
        out.walks.push_back(std::move(w));
      }
    }
  }
  const std::vector<run_finding> across = check_consistency(out.walks, out.tally);
  out.findings.insert(out.findings.end(), across.begin(), across.end());
  return out;
}

std::set<std::string> failed_checks(const crawl_outcome& c) {
  std::set<std::string> failed;
  for (const auto& [check, count] : c.tally) {
    if (count.failed > 0) failed.insert(check);
  }
  return failed;
}

fake_api_options seeded(std::size_t count, std::set<fake_fault> faults = {}) {
  fake_api_options o;
  o.seed_certs = count;
  o.seed = 11;
  o.faults = std::move(faults);
  return o;
}

TEST(list_walk_fake_api, a_clean_server_gives_no_findings_at_every_limit_and_order) {
  for (const std::size_t certs : {0, 1, 20}) {
    SCOPED_TRACE(std::to_string(certs) + " certificates");
    fake_api api(seeded(certs));
    const crawl_outcome c = crawl(api, {k_endpoint, k_project});
    EXPECT_TRUE(c.findings.empty()) << describe(c.findings);
    for (const walk_result& w : c.walks) {
      EXPECT_TRUE(w.complete) << w.spec.label();
      std::size_t items = 0;
      for (const list_page& p : w.pages) items += p.items.size();
      EXPECT_EQ(items, certs) << w.spec.label();
    }
    EXPECT_EQ(c.tally.at("list.consistency").passed, 10u);  // 2 endpoints x (6 walks - 1)
    EXPECT_EQ(c.tally.at("list.order").failed, 0u);
  }
}

TEST(list_walk_fake_api, each_list_fault_raises_exactly_its_check) {
  struct row {
    fake_fault fault;
    std::size_t certs;
    const char* check;
  };
  for (const row& r : std::vector<row>{
           {fake_fault::first_id_mismatch, 20, "list.first_id"},
           {fake_fault::last_id_mismatch, 20, "list.last_id"},
           {fake_fault::empty_ids_not_null, 0, "list.empty_ids"},
           {fake_fault::over_limit, 20, "list.limit"},
           {fake_fault::wrong_order, 20, "list.order"},
           {fake_fault::duplicate_across_pages, 20, "list.duplicate_id"},
           {fake_fault::cursor_loop, 20, "list.cursor_stall"},
           {fake_fault::has_more_lies, 20, "list.has_more"},
           {fake_fault::asc_desc_inconsistent, 20, "list.consistency"},
       }) {
    const auto info = std::find_if(fault_catalogue().begin(), fault_catalogue().end(),
                                   [&](const fault_info& f) { return f.fault == r.fault; });
    SCOPED_TRACE(std::string(info->name));
    fake_api api(seeded(r.certs, {r.fault}));
    const crawl_outcome c = crawl(api, {k_endpoint, k_project});
    EXPECT_EQ(failed_checks(c), std::set<std::string>{r.check}) << describe(c.findings);
    for (const run_finding& f : c.findings) EXPECT_EQ(f.what.check, r.check);
  }
}

TEST(list_walk_fake_api, asc_desc_inconsistent_names_the_missing_certificate) {
  fake_api api(seeded(20, {fake_fault::asc_desc_inconsistent}));
  const crawl_outcome c = crawl(api, {k_endpoint});
  ASSERT_EQ(c.findings.size(), 3u) << describe(c.findings);  // the three asc walks
  std::string smallest = "~";
  for (const list_page& p : c.walks[0].pages) {
    for (const list_item& i : p.items) smallest = std::min(smallest, i.id);
  }
  for (const run_finding& f : c.findings) {
    EXPECT_NE(f.what.message.find("missing " + json_string(smallest)), std::string::npos)
        << f.what.message;
    EXPECT_NE(f.request.find("order=asc"), std::string::npos);
  }
}

TEST(list_walk_fake_api, cursor_loop_stops_after_the_second_page) {
  fake_api api(seeded(20, {fake_fault::cursor_loop}));
  const crawl_outcome c = crawl(api, {k_endpoint});
  for (const walk_result& w : c.walks) {
    EXPECT_EQ(w.pages.size(), 2u) << w.spec.label();
    EXPECT_FALSE(w.complete);
    EXPECT_FALSE(w.hit_max_pages);
  }
}

}  // namespace
}  // namespace certharness
