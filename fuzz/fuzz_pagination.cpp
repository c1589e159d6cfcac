// fuzz_pagination: walk_list and the list.* checks against a scripted server.
//
// The input scripts the walk (order, limit, max_pages) and, for each fetch, the server's answer:
// raw body bytes, or a generated page (items with ids from a small alphabet, created_at,
// has_more, first_id/last_id right, wrong, null, absent or not strings). A body that does not
// decode is an unreadable page (fetch gives nullopt).
//
// Oracle: the walk ends within max(max_pages, 1) pages, never asks for more pages than that,
// and the findings of the modelled checks -- list.limit, list.first_id, list.last_id,
// list.empty_ids, list.has_more, list.max_pages (a subset: order, duplicate_id and cursor_stall
// are not modelled) -- equal, as {check, page, pointer}, those of the reference model below,
// written from README.md's check table and read off the served JSON itself.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "certharness/json_document.hpp"
#include "certharness/list_walk.hpp"

namespace {

using namespace certharness;

// A tiny FuzzedDataProvider: bytes from the front, zeros once the input runs out.
struct provider {
  const std::uint8_t* p;
  std::size_t n;
  unsigned byte() { return n ? (--n, *p++) : 0; }
  unsigned pick(unsigned count) { return byte() % count; }
  std::string bytes(std::size_t len) {
    len = std::min(len, n);
    std::string s(reinterpret_cast<const char*>(p), len);
    p += len, n -= len;
    return s;
  }
};

[[noreturn]] void fail(const char* what, const std::string& walker, const std::string& model) {
  std::fprintf(stderr, "fuzz_pagination: %s\n  walker: %s\n  model:  %s\n", what, walker.c_str(),
               model.c_str());
  std::abort();
}

const char* const k_ids[] = {"cert_a", "cert_b", "cert_c", "cert_d", ""};

std::string cursor(provider& in, const std::string& right) {
  switch (in.pick(6)) {
    case 0: return "null";
    case 1: return "";  // absent
    case 2: return "\"" + std::string(k_ids[in.pick(5)]) + "\"";
    case 3: return "7";
    default: return "\"" + right + "\"";
  }
}

// A list page as JSON text: items, has_more, first_id, last_id chosen by the input.
std::string generated_page(provider& in) {
  const unsigned count = in.pick(7);
  std::string data, first, last;
  for (unsigned i = 0; i < count; ++i) {
    const std::string id = k_ids[in.pick(5)];
    if (i == 0) first = id;
    last = id;
    data += i ? "," : "";
    switch (in.pick(8)) {
      case 0: data += "1"; break;                                    // not an object
      case 1: data += "{\"created_at\":5}"; break;                   // no id
      default:
        data += "{\"object\":\"organization.certificate\",\"id\":\"" + id +
                "\",\"created_at\":" + std::to_string(in.pick(4)) + "}";
    }
  }
  std::string page = "{\"object\":\"list\",\"data\":[" + data + "]";
  const std::string f = cursor(in, first), l = cursor(in, last);
  if (!f.empty()) page += ",\"first_id\":" + f;
  if (!l.empty()) page += ",\"last_id\":" + l;
  static const char* const more[] = {"true", "false", "\"true\"", ""};
  if (const char* m = more[in.pick(4)]; *m) page += ",\"has_more\":" + std::string(m);
  return page + "}";
}

std::string key(const std::string& check, std::size_t page, const std::string& pointer) {
  return check + " page " + std::to_string(page) + " at '" + pointer + "'";
}

std::string join(const std::multiset<std::string>& s) {
  std::string out;
  for (const std::string& x : s) out += "\n    " + x;
  return out.empty() ? " none" : out;
}

bool is_string_id(const json_value& item) {
  const json_value* id = item.is_object() ? item.find("id") : nullptr;
  return id && id->is_string();
}

// The reference model over the served documents, page k answering afters[k].
std::multiset<std::string> model(const walk_spec& spec, const std::vector<json_document>& docs,
                                 const std::vector<std::optional<std::string>>& afters) {
  std::multiset<std::string> out;
  bool promised = false, last_promises = false;
  for (std::size_t k = 0; k < docs.size(); ++k) {
    const json_value& root = docs[k].root();
    const json_value* data = root.is_object() ? root.find("data") : nullptr;
    const json_value* more = root.is_object() ? root.find("has_more") : nullptr;
    const bool has_more = more && more->is_bool() && more->as_bool();
    const bool was_promised = std::exchange(promised, has_more);
    last_promises = false;
    if (!data || !data->is_array()) continue;
    const bool empty = data->size() == 0;
    last_promises = !empty && has_more;
    const json_value* ends[] = {root.find("first_id"), root.find("last_id")};
    // list.empty_ids: null exactly when data is empty (absent is not null).
    for (int e = 0; e < 2; ++e) {
      if (empty != (ends[e] && ends[e]->is_null())) {
        out.insert(key("list.empty_ids", k, e ? "/last_id" : "/first_id"));
        break;
      }
    }
    // list.first_id / list.last_id: a non-null value against a readable end item.
    for (int e = 0; e < 2 && !empty; ++e) {
      const json_value& item = (*data)[e ? data->size() - 1 : 0];
      if ((ends[e] && ends[e]->is_null()) || !is_string_id(item)) continue;
      if (!ends[e] || !ends[e]->is_string() || ends[e]->as_string() != item.find("id")->as_string())
        out.insert(key(e ? "list.last_id" : "list.first_id", k, e ? "/last_id" : "/first_id"));
    }
    // Literally "more items than the limit": with limit -1 even an empty page has too many.
    if (static_cast<long long>(data->size()) > spec.limit)
      out.insert(key("list.limit", k, "/data/" + std::to_string(std::max(spec.limit, 0))));
    if (empty && (was_promised || has_more))
      out.insert(key("list.has_more", k, was_promised ? "/data" : "/has_more"));
  }
  // list.max_pages: the bound, not a stall, stopped a walk whose last page promised more.
  if (!docs.empty() && last_promises && docs.size() >= std::max<std::size_t>(spec.max_pages, 1)) {
    const json_value* l = docs.back().root().find("last_id");
    std::set<std::string> used;
    for (const auto& a : afters) if (a) used.insert(*a);
    const bool stalled = !l || !l->is_string() || l->as_string().empty() ||
                         used.contains(std::string(l->as_string()));
    if (!stalled) out.insert(key("list.max_pages", docs.size() - 1, "/has_more"));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  provider in{data, size};
  walk_spec spec;
  spec.endpoint = "/organization/certificates";
  spec.order = in.pick(2) ? "asc" : "desc";
  spec.limit = static_cast<int>(in.pick(6)) - 1;
  spec.max_pages = in.pick(6);
  const std::size_t bound = std::max<std::size_t>(spec.max_pages, 1);

  std::vector<json_document> docs;
  std::vector<std::optional<std::string>> afters;
  std::size_t fetches = 0;
  const walk_result walk = walk_list(spec, [&](const std::optional<std::string>& after)
                                                -> std::optional<list_page> {
    if (++fetches > bound) fail("fetch beyond max_pages", std::to_string(fetches), std::to_string(bound));
    const std::string body = in.pick(4) == 0 ? in.bytes(in.byte() * 4) : generated_page(in);
    decode_result r = decode_json(body);
    if (!r.document) return std::nullopt;
    list_page page = read_list_page(r.document->root());
    page.request = "GET page " + std::to_string(docs.size());
    docs.push_back(std::move(*r.document));
    afters.push_back(after);
    return page;
  });
  if (walk.pages.size() > bound || walk.pages.size() != docs.size()) {
    fail("walk did not end within max_pages", std::to_string(walk.pages.size()) + " pages",
         std::to_string(docs.size()) + " served, bound " + std::to_string(bound));
  }
  std::multiset<std::string> got;
  static const std::set<std::string> modelled = {"list.limit", "list.first_id", "list.last_id",
                                                 "list.empty_ids", "list.has_more", "list.max_pages"};
  for (const run_finding& f : walk.findings) {
    if (!modelled.contains(f.what.check)) continue;
    const std::size_t k = std::stoul(f.request.substr(9));
    got.insert(key(f.what.check, k, f.what.pointer));
  }
  const std::multiset<std::string> want = model(spec, docs, afters);
  if (got != want) fail("list.* findings differ from the reference model", join(got), join(want));
  return 0;
}
