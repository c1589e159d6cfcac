// fuzz_pagination: walk_list and its list.* checks against a scripted server.
//
// The input scripts the walk (order, limit, max_pages) and each answer: a status (mostly 200;
// 201, 404, 429, 500), a Content-Type (application/json, with charset, text/html, absent) and a
// body: raw bytes, an ErrorResponse, or a generated page (ids from a small alphabet, created_at
// on a clock with ties and inversions, has_more, first_id/last_id right, another id, the page's
// own after, null, absent or a number). Each answer goes through the real check_response as in
// crawl_run.cpp's walk(); its document feeds both read_list_page and the model. As list_walk.hpp's
// page_fetcher contract says, a non-2xx answer or a body that is not JSON is no page.
//
// Oracle: the walk fetches at most max(max_pages, 1) times, asks first and then after = last_id
// exactly while the reference model (pagination_reference_model.hpp, written from README.md's
// check table over the served JSON) says it goes on, and its findings equal the model's
// list.first_id, last_id, empty_ids, limit, order, duplicate_id, cursor_stall, has_more and
// max_pages findings as a multiset of {check, page, pointer}. A difference aborts naming both.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "certharness/conformance/list_walk.hpp"
#include "certharness/conformance/response_checks.hpp"
#include "fuzz_support.hpp"
#include "certharness/schema/operation_table.hpp"
#include "pagination_reference_model.hpp"

namespace {

using provider = certharness::fuzz::data_provider;
constexpr certharness::fuzz::failure fail{"fuzz_pagination", "walker", "model"};

std::string join(const auto& items) {
  std::string out;
  for (const std::string& x : items) out += "\n    " + x;
  return out.empty() ? " none" : out;
}

const char* const k_ids[] = {"cert_a", "cert_b", "cert_c", "cert_d", "cert_e", ""};

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// A list page: ids, created_at on a clock that steps -1..+3 in the order asked (ties and
// inversions), has_more, and first_id/last_id right, another id, the page's after, null,
// absent or a number: all chosen by the input.
std::string generated_page(provider& in, long& clock, bool asc,
                           const std::optional<std::string>& after) {
  std::string data, ends[2];
  for (unsigned i = 0, count = in.pick(7); i < count; ++i) {
    const std::string id = k_ids[in.pick(6)];
    if (i == 0) ends[0] = id;
    ends[1] = id;
    clock += (asc ? 1 : -1) * (static_cast<int>(in.pick(5)) - 1);
    std::string created = std::to_string(clock);
    switch (in.pick(16)) {
      case 0:
        data += "1,";
        continue;  // not an object
      case 1:
        data += "{\"created_at\":" + created + "},";
        continue;  // no id
      case 2:
        created = quoted(created);
        break;  // not a number
      case 3:
        created = "1e30";
        break;  // beyond int64
    }
    data += "{\"object\":\"organization.certificate\",\"id\":" + quoted(id) +
            ",\"created_at\":" + created + "},";
  }
  if (!data.empty()) data.pop_back();
  std::string page = "{\"object\":\"list\",\"data\":[" + data + "]";
  for (const char* name : {"first_id", "last_id"}) {
    const unsigned c = in.pick(8);
    const std::string v = c == 0   ? "null"
                          : c == 1 ? ""
                          : c == 2 ? "7"
                          : c == 3 ? (after ? quoted(*after) : "null")
                          : c == 4 ? quoted(k_ids[in.pick(6)])
                                   : quoted(ends[name[0] == 'l']);
    if (!v.empty()) page += ",\"" + std::string(name) + "\":" + v;
  }
  static const char* const more[] = {"true", "true", "false", "\"true\"", ""};
  if (const char* m = more[in.pick(5)]; *m) page += ",\"has_more\":" + std::string(m);
  return page + "}";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace certharness;
  provider in{data, size};
  walk_spec spec{operation_table::builtin().path(certificate_operation::list_certificates),
                 in.pick(2) ? "asc" : "desc", static_cast<int>(in.pick(6)) - 1, in.pick(6)};
  const std::size_t bound = std::max<std::size_t>(spec.max_pages, 1);
  long clock = 1700000000;

  std::vector<json_document> served;
  std::vector<std::optional<std::string>> afters;
  std::vector<std::string> asks;
  const walk_result walk =
      walk_list(spec, [&](const std::optional<std::string>& after) -> std::optional<list_page> {
        asks.push_back(pagination_model::ask(after));
        if (asks.size() > bound) fail("fetch beyond max_pages", join(asks), std::to_string(bound));
        static const int statuses[] = {200, 200, 200, 200, 200, 200, 200, 200,
                                       200, 200, 200, 200, 201, 404, 429, 500};
        static const char* const types[] = {"application/json", "application/json; charset=utf-8",
                                            "text/html", nullptr};
        client_response response;
        response.status = statuses[in.pick(16)];
        if (const char* type = types[in.pick(4)])
          response.headers.emplace_back("Content-Type", type);
        if (response.status == 429 && in.pick(2)) response.headers.emplace_back("Retry-After", "1");
        switch (in.pick(8)) {
          case 0:
            response.body = in.bytes(in.byte() * 4);
            break;
          case 1:
            response.body = R"({"error":{"message":"no","type":"x","param":null,"code":null}})";
            break;
          default:
            response.body = generated_page(in, clock, spec.order == "asc", after);
        }
        check_tally tally;
        checked_response r =
            check_response(response, {"ListCertificatesResponse", std::nullopt}, tally);
        if (!r.document || response.status < 200 || response.status >= 300) return std::nullopt;
        list_page page = read_list_page(r.document->root());
        page.request = "GET page " + std::to_string(served.size());
        served.push_back(std::move(*r.document));
        afters.push_back(after);
        return page;
      });

  if (walk.pages.size() != served.size())
    fail("pages kept differ from pages served", std::to_string(walk.pages.size()),
         std::to_string(served.size()));
  const pagination_model::expectation want = pagination_model::model(spec, served, afters);
  if (asks != want.asks)
    fail("the walk's fetches differ from the model's", join(asks), join(want.asks));
  std::multiset<std::string> got;
  for (const run_finding& f : walk.findings)
    got.insert(
        pagination_model::key(f.what.check, std::stoul(f.request.substr(9)), f.what.pointer));
  if (got != want.findings)
    fail("list.* findings differ from the reference model", join(got), join(want.findings));
  return 0;
}
