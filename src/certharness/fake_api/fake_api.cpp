// The fake certificates API: routing (by the operation table), auth, rate limit, and each
// operation on the in-memory family, with the faults that belong to one operation. Request
// parsing and errors are in fake_api_requests, stored state in fake_api_state, the fault
// catalogue and body rewriting in fake_api_faults.
//
// Decisions where the official document is silent (each visible on the wire):
// - Order of checks: rate limit (429), route (404), method (405 with Allow), auth (401), then
//   the operation. A path with an empty segment (trailing slash, "//") is not a route: 404.
// - /organization/certificates/activate and /deactivate are their own paths (OpenAPI matches
//   concrete paths before templated ones), so GET on them is 405, not a lookup of id "activate".
// - Paths are split at '/' before their segments are percent-decoded: "cert%2Fx" is one id.
// - Lists are sorted by (created_at, id) ascending; desc is exactly the reverse. A page after a
//   cursor holds the items after the cursor's position (created_at, id) in the page's order.
//   The cursor may name a certificate deleted since it was listed (a client paginating while
//   another deletes): the fake remembers the positions of the last deleted_cursor_memory
//   (10,000) deleted certificates. Any other `after` (never seen, or deleted longer ago) is a 400
//   with param "after"; so is a deleted cursor under the strict-deleted-cursor fault. limit/after/
//   order given twice is a 400 for that param. Unknown query parameters are ignored.
// - Bodies must be strict JSON objects (duplicate keys refused); the request's Content-Type is
//   not checked. An unknown id is checked before the body or query: 404 wins over 400.
// - The 50-certificate cap counts uploaded certificates that are not deleted; seeded ones do not
//   count, so a server seeded with any number still takes 50 uploads. A bad body is reported
//   before the cap.
// - Activation toggles answer one item per requested id, in request order (repeats kept); one
//   unknown id is a 404 (param "certificate_ids") and nothing changes.
// - created_at comes from a simulated clock: seeded certificates start at 2025-01-01T00:00:00Z,
//   and the clock then advances one second per successful write.
#include "certharness/fake_api/fake_api.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <unordered_set>
#include <utility>

#include "certharness/io/ascii_text.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/schema/models.hpp"
#include "certharness/schema/operation_table.hpp"
#include "certharness/spec/contract.hpp"
#include "fake_api_faults.hpp"
#include "fake_api_requests.hpp"
#include "fake_api_state.hpp"

namespace certharness {
namespace {

using namespace fake_api_internal;

constexpr std::size_t k_certificate_cap = 50;  // "Organizations can upload up to 50 certificates."
// Seeding signs this many PEMs and shares them: one signature per certificate would make
// seeding 1000 certificates slow, and the PEMs' keys do not matter to any check.
constexpr std::size_t k_validity_profiles = 8;
constexpr std::size_t k_seed_stop_period = 1024;  // seeding asks stop_seeding this often
constexpr std::uint64_t k_fault_429_period = 5;   // 429-without-retry-after: every 5th request
constexpr std::string_view k_made_up_id = "cert_000000000000000000000000";

// ---- Routing: the operation table says which operation a path and method are.

struct target {
  const operation* op = nullptr;  // its row: the parameters' rules
  certificate_operation what = certificate_operation::list_certificates;
  std::optional<std::string> project;  // project routes only
  std::string certificate_id;          // the routes with {certificate_id} only
};

// Object names of the two scopes activation lives in.
struct scope_objects {
  std::string_view item, activation, deactivation;
};
constexpr scope_objects k_organization_objects{"organization.certificate",
                                               "organization.certificate.activation",
                                               "organization.certificate.deactivation"};
constexpr scope_objects k_project_objects{"organization.project.certificate",
                                          "organization.project.certificate.activation",
                                          "organization.project.certificate.deactivation"};

const scope_objects& objects_of(const target& t) {
  return t.project ? k_project_objects : k_organization_objects;
}

}  // namespace

struct fake_api::impl {
  explicit impl(fake_api_options o) : options(std::move(o)), rng(options.seed) {
    if (!options.clock) options.clock = [] { return std::chrono::steady_clock::now(); };
    if (options.rate_limit_per_second) {
      const double rate = *options.rate_limit_per_second;
      if (!std::isfinite(rate) || rate <= 0) {
        throw std::invalid_argument("rate limit must be a positive number of requests per second");
      }
      bucket.emplace(rate, options.clock());
    }
    if (has(fake_fault::content_mismatch)) decoy = make_profile(k_validity_profiles).pem;
    seed(options.seed_certs);
  }

  fake_api_options options;
  std::mt19937_64 rng;
  std::mutex mutex;
  std::vector<stored_certificate> certificates;  // sorted by created_before
  // Project id -> ids active in that project. The organization's state is in the certificate.
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> project_active;
  std::vector<stored_certificate> deleted;  // kept only under delete-keeps
  // Positions (id -> created_at) of the last options.deleted_cursor_memory deleted certificates,
  // for cursors that name them; and the same entries oldest first, so the oldest goes first.
  using position_map = std::map<std::string, std::int64_t, std::less<>>;
  position_map deleted_positions;
  std::deque<position_map::iterator> deleted_order;
  std::size_t uploaded = 0;  // uploaded certificates not deleted: what the cap counts
  std::unordered_set<std::string> issued_ids;  // new_id's uniqueness test: constant time
  std::shared_ptr<const std::string> decoy;    // content-mismatch's other PEM
  std::optional<token_bucket> bucket;
  std::uint64_t requests = 0;
  std::int64_t now = k_epoch;  // simulated clock of created_at

  bool has(fake_fault f) const { return options.faults.contains(f); }

  void seed(std::size_t count) {
    std::vector<std::optional<pem_profile>> profiles(k_validity_profiles);
    // No reserve(count): an interrupted seeding of a huge count holds only what it made.
    std::int64_t created_at = k_epoch;
    for (std::size_t i = 0; i < count; ++i) {
      if (i % k_seed_stop_period == 0 && options.stop_seeding && options.stop_seeding()) break;
      // About one in four shares its predecessor's second: ties for the tie-break to order.
      if (i > 0 && rng() % 4 != 0) created_at += 1 + static_cast<std::int64_t>(rng() % 3600);
      const std::size_t p = rng() % k_validity_profiles;
      if (!profiles[p]) profiles[p] = make_profile(p);
      const pem_profile& profile = *profiles[p];
      stored_certificate c;
      c.name = seeded_name(i, rng());
      c.id = new_id();
      c.created_at = created_at;
      c.validity = profile.validity;
      c.pem = profile.pem;
      certificates.push_back(std::move(c));
    }
    std::sort(certificates.begin(), certificates.end(), created_before);
    now = certificates.empty() ? k_epoch : created_at + 1;
  }

  std::string new_id() {
    for (;;) {
      std::string id = "cert_";
      std::uint64_t bits = rng();
      for (int i = 0; i < 24; ++i) {
        if (i == 16) bits = rng();
        id.push_back(hex_digit(static_cast<unsigned>(bits & 15)));
        bits >>= 4;
      }
      // Every id ever issued, deleted ones included, is never issued again.
      if (issued_ids.insert(id).second) return id;
    }
  }

  static std::vector<stored_certificate>::iterator find(std::vector<stored_certificate>& in,
                                                        std::string_view id) {
    return std::find_if(in.begin(), in.end(), [&](const auto& c) { return c.id == id; });
  }

  stored_certificate* lookup(std::string_view id) {
    const auto it = find(certificates, id);
    return it == certificates.end() ? nullptr : &*it;
  }

  bool active_in(const stored_certificate& c, const target& t) const {
    if (!t.project) return c.active;
    const auto p = project_active.find(*t.project);
    return p != project_active.end() && p->second.contains(c.id);
  }

  void set_active(stored_certificate& c, const target& t, bool on) {
    if (!t.project) {
      c.active = on;
    } else if (on) {
      project_active[std::string(*t.project)].insert(c.id);
    } else if (const auto p = project_active.find(*t.project); p != project_active.end()) {
      p->second.erase(c.id);
      if (p->second.empty()) project_active.erase(p);  // any project id is accepted: stay small
    }
  }

  bool active_anywhere(const stored_certificate& c) const {
    return c.active || std::any_of(project_active.begin(), project_active.end(),
                                   [&](const auto& p) { return p.second.contains(c.id); });
  }

  // ---- Presentation (where the faults about values live).

  certificate_validity shown_validity(const stored_certificate& c) const {
    certificate_validity v = c.validity;
    if (has(fake_fault::details_mismatch)) {
      v.not_before += k_day;
      v.not_after += k_day;
    }
    if (has(fake_fault::validity_inverted)) std::swap(v.not_before, v.not_after);
    return v;
  }

  models::certificate certificate_view(const stored_certificate& c, bool with_content) const {
    models::certificate out;
    out.object = "certificate";
    out.id = c.id;
    out.name = c.name;
    out.created_at = c.created_at;
    const certificate_validity v = shown_validity(c);
    out.certificate_details.valid_at = v.not_before;
    out.certificate_details.expires_at = v.not_after;
    if (with_content) out.certificate_details.content = *(decoy ? decoy : c.pem);
    return out;
  }

  models::scoped_certificate scoped_view(const stored_certificate& c, const target& t) const {
    models::scoped_certificate out;
    out.object = objects_of(t).item;
    out.id = c.id;
    out.name = c.name;
    out.created_at = c.created_at;
    const certificate_validity v = shown_validity(c);
    out.valid_at = v.not_before;
    out.expires_at = v.not_after;
    out.active = active_in(c, t);
    return out;
  }

  http_response ok(std::string body) const {
    if (has(fake_fault::wrong_type)) rewrite_member(body, "name", "42");
    http_response r;
    r.body = std::move(body);
    return r;
  }

  http_response reply(const api_error& e) const {
    http_response r;
    r.status = e.status;
    if (e.status == 404 && has(fake_fault::error_shape)) {
      r.body = R"({"detail":"Not found"})";
    } else {
      r.body = models::encode(models::error_response{{e.type, e.message, e.param, e.code}});
    }
    return r;
  }

  // Transport-level faults, applied to every response.
  void finish(http_response& r) const {
    r.headers.insert(r.headers.begin(),
                     {"Content-Type", has(fake_fault::bad_content_type) ? "text/html; charset=utf-8"
                                                                        : "application/json"});
    if (has(fake_fault::trailing_comma_json) && !r.body.empty() && r.body.back() == '}') {
      r.body.insert(r.body.size() - 1, ",");
    }
    if (has(fake_fault::truncated_body)) r.fault = transport_fault::truncate_body;
    if (has(fake_fault::slow)) r.delay = options.slow_delay;
  }

  // ---- The request pipeline.

  std::optional<http_response> throttle() {
    ++requests;
    const bool no_retry_after = has(fake_fault::too_many_requests_without_retry_after);
    std::optional<std::int64_t> wait;
    if (no_retry_after && requests % k_fault_429_period == 0) {
      wait = 1;
    } else if (bucket) {
      wait = bucket->take(options.clock());
    }
    if (!wait) return std::nullopt;
    http_response r = reply(api_error{429, "Rate limit reached for requests. Try again later.",
                                      std::nullopt, "rate_limit_exceeded", "requests"});
    if (!no_retry_after) r.headers.emplace_back("Retry-After", std::to_string(*wait));
    return r;
  }

  using handler = http_response (impl::*)(const http_request&, const target&);

  static handler pick(certificate_operation what) {
    using k = certificate_operation;
    switch (what) {
      case k::list_certificates:
      case k::list_project_certificates:
        return &impl::list;
      case k::upload_certificate:
        return &impl::upload;
      case k::get_certificate:
        return &impl::retrieve;
      case k::modify_certificate:
        return &impl::modify;
      case k::delete_certificate:
        return &impl::remove;
      case k::activate_certificates:
      case k::deactivate_certificates:
      case k::activate_project_certificates:
      case k::deactivate_project_certificates:
        break;
    }
    return &impl::toggle;
  }

  http_response dispatch(const http_request& r) {
    if (auto limited = throttle()) return std::move(*limited);
    // `r.path` is as sent: the table splits it at '/' before decoding each segment, so an id
    // may hold an encoded '/' ("cert%2Fx" is the one id "cert/x").
    // serve has no --spec: the fake is the built-in contract.
    const std::optional<path_match> path = contract::builtin().operations().match_path(r.path);
    if (!path) {
      return reply(api_error{404, "Invalid URL (" + echo(r.method) + " " + echo(r.path) + ").",
                             std::nullopt, std::nullopt});
    }
    const operation* op = path->with_method(r.method);
    if (!op || !op->kind) {
      const std::string allowed = path->allowed_methods();
      http_response response = reply(
          api_error{405, "Method " + echo(r.method) + " is not allowed here; use " + allowed + ".",
                    std::nullopt, std::nullopt});
      response.headers.emplace_back("Allow", allowed);
      return response;
    }
    switch (bearer_credentials(r.headers)) {
      case credentials::missing:
        return reply(api_error{401,
                               "You didn't provide an API key. You need to provide your API key "
                               "in an Authorization header using Bearer auth (i.e. "
                               "Authorization: Bearer YOUR_KEY).",
                               std::nullopt, std::nullopt});
      case credentials::malformed:
        return reply(api_error{401,
                               "Incorrect API key provided. The Authorization header must be "
                               "'Bearer ' followed by the key.",
                               std::nullopt, "invalid_api_key"});
      case credentials::present:
        break;
    }
    target t;
    t.op = op;
    t.what = *op->kind;
    if (op->scope == operation_scope::project) t.project = path->parameter("project_id");
    t.certificate_id = path->parameter("certificate_id");
    return (this->*pick(t.what))(r, t);
  }

  // ---- Operations.

  // The certificates a list walks, in its order. Under asc-desc-inconsistent, asc leaves out
  // the certificate with the smallest id: deterministic, and the same one on every page.
  std::vector<const stored_certificate*> ordered(bool ascending) const {
    std::vector<const stored_certificate*> view;
    view.reserve(certificates.size());
    for (const stored_certificate& c : certificates) view.push_back(&c);
    if (ascending && has(fake_fault::asc_desc_inconsistent) && !view.empty()) {
      view.erase(std::min_element(view.begin(), view.end(),
                                  [](const auto* a, const auto* b) { return a->id < b->id; }));
    }
    if (!ascending) std::reverse(view.begin(), view.end());
    return view;
  }

  // Where `after` stands: a live certificate's position, or a deleted one's while remembered
  // (unless strict-deleted-cursor); nullopt for an id with no known position.
  std::optional<list_position> cursor_position(std::string_view after) const {
    const auto live = std::find_if(certificates.begin(), certificates.end(),
                                   [&](const auto& c) { return c.id == after; });
    if (live != certificates.end()) return position_of(*live);
    if (has(fake_fault::strict_deleted_cursor)) return std::nullopt;
    const auto gone = deleted_positions.find(after);
    if (gone == deleted_positions.end()) return std::nullopt;
    return list_position{gone->second, gone->first};
  }

  void remember_deleted(const stored_certificate& c) {
    if (options.deleted_cursor_memory == 0) return;
    if (deleted_positions.size() >= options.deleted_cursor_memory) {
      deleted_positions.erase(deleted_order.front());
      deleted_order.pop_front();
    }
    const auto [at, fresh] = deleted_positions.insert_or_assign(c.id, c.created_at);
    if (fresh) deleted_order.push_back(at);
  }

  http_response list(const http_request& r, const target& t) {
    auto parsed = parse_page_query(r.query, *t.op, has(fake_fault::accepts_invalid_limit));
    if (!parsed) return reply(parsed.error());
    const page_query& q = *parsed;
    const std::vector<const stored_certificate*> view = ordered(q.ascending);

    std::size_t start = 0;
    if (q.after && !has(fake_fault::cursor_loop)) {
      const std::optional<list_position> cursor = cursor_position(*q.after);
      if (!cursor) {
        return reply(api_error{
            400, "Invalid 'after': no certificate with id '" + echo(*q.after) + "' in this list.",
            "after", "invalid_value"});
      }
      // The first item past the cursor in this page's order; the view is sorted in that order.
      const auto past = std::partition_point(view.begin(), view.end(), [&](const auto* c) {
        const list_position p = position_of(*c);
        return q.ascending ? !before(*cursor, p) : !before(p, *cursor);  // not past the cursor
      });
      start = static_cast<std::size_t>(past - view.begin());
      // With limit 1 a repeated item would leave no room to advance: that is cursor-loop.
      if (has(fake_fault::duplicate_across_pages) && q.limit >= 2 && start > 0 &&
          view[start - 1]->id == *q.after) {
        --start;
      }
    }
    const auto size = static_cast<std::size_t>(q.limit) + (has(fake_fault::over_limit) ? 1 : 0);
    const std::size_t end = std::min(view.size(), start + size);

    models::certificate_list page;
    page.object = "list";
    for (std::size_t i = start; i < end; ++i) page.data.push_back(scoped_view(*view[i], t));
    page.has_more = end < view.size() || has(fake_fault::cursor_loop) ||
                    (has(fake_fault::has_more_lies) && !page.data.empty());
    if (has(fake_fault::wrong_order)) swap_inner_pair(page.data);
    set_page_ids(page);
    std::string body = models::encode(page);
    if (has(fake_fault::missing_required)) rewrite_member(body, "active", std::nullopt);
    return ok(std::move(body));
  }

  // wrong-order: swaps two adjacent inner items (first and last stay, so the ids and the cursor
  // stay right) whose created_at differ (a swapped tie would still be sorted by created_at).
  static void swap_inner_pair(std::vector<models::scoped_certificate>& data) {
    for (std::size_t i = 1; i + 2 < data.size(); ++i) {
      if (data[i].created_at != data[i + 1].created_at) {
        std::swap(data[i], data[i + 1]);
        return;
      }
    }
  }

  void set_page_ids(models::certificate_list& page) const {
    if (page.data.empty()) {
      if (has(fake_fault::empty_ids_not_null)) page.first_id = page.last_id = "";
      return;
    }
    const std::size_t n = page.data.size();
    const auto other = [&](std::size_t i) {
      return n >= 2 ? page.data[i].id : std::string(k_made_up_id);
    };
    page.first_id = has(fake_fault::first_id_mismatch) ? other(1) : page.data.front().id;
    page.last_id = has(fake_fault::last_id_mismatch) ? other(n - 2) : page.data.back().id;
  }

  http_response upload(const http_request& r, const target&) {
    auto body = json_object_body(r.body);
    if (!body) return reply(body.error());
    const json_value root = body->root();
    std::optional<json_value> pem = root.find("certificate");
    if (!pem) return reply(missing("certificate"));
    if (!pem->is_string()) return reply(invalid_type("certificate", "a string", *pem));
    std::optional<json_value> name = root.find("name");
    if (name.has_value() && !name->is_string()) {
      return reply(invalid_type("name", "a string", *name));
    }
    auto validity = read_pem_certificate(pem->as_string());
    if (!validity) {
      return reply(api_error{400, "Invalid 'certificate': " + validity.error() + ".", "certificate",
                             "invalid_value"});
    }
    if (uploaded >= k_certificate_cap) {
      return reply(api_error{400,
                             "Organizations can upload up to 50 certificates; delete one first.",
                             std::nullopt, std::nullopt});
    }
    stored_certificate c;
    c.id = new_id();
    if (name.has_value()) c.name = std::string(name->as_string());
    c.created_at = now++;
    c.validity = *validity;
    c.pem = std::make_shared<const std::string>(pem->as_string());
    c.active = has(fake_fault::upload_activates);
    c.uploaded = true;
    ++uploaded;
    http_response response = ok(models::encode(certificate_view(c, false)));
    certificates.insert(
        std::upper_bound(certificates.begin(), certificates.end(), c, created_before),
        std::move(c));
    return response;
  }

  http_response retrieve(const http_request& r, const target& t) {
    const stored_certificate* c = lookup(t.certificate_id);
    if (!c && has(fake_fault::delete_keeps)) {
      const auto ghost = find(deleted, t.certificate_id);
      if (ghost != deleted.end()) c = &*ghost;
    }
    if (!c) return reply(not_found(t.certificate_id, "certificate_id"));
    bool with_content = false;
    for (const auto& [key, value] : r.query) {
      if (key != "include" && key != "include[]") continue;
      if (value != "content") {
        return reply(api_error{
            400,
            "Invalid value for 'include': '" + echo(value) + "'. Supported values are: 'content'.",
            "include", "invalid_value"});
      }
      with_content = true;
    }
    models::certificate out = certificate_view(*c, with_content);
    if (has(fake_fault::get_wrong_object)) out.object = k_organization_objects.item;
    if (has(fake_fault::get_mismatch)) out.name = out.name.value_or("") + " (stale)";
    return ok(models::encode(out));
  }

  http_response modify(const http_request& r, const target& t) {
    stored_certificate* c = lookup(t.certificate_id);
    if (!c) return reply(not_found(t.certificate_id, "certificate_id"));
    auto body = json_object_body(r.body);
    if (!body) return reply(body.error());
    // Only the name can be modified; other members are ignored, as the spec allows them.
    if (const std::optional<json_value> name = body->root().find("name")) {
      if (!name->is_string()) return reply(invalid_type("name", "a string", *name));
      c->name = std::string(name->as_string());
    }
    ++now;
    return ok(models::encode(certificate_view(*c, false)));
  }

  http_response remove(const http_request&, const target& t) {
    const auto it = find(certificates, t.certificate_id);
    if (it == certificates.end()) return reply(not_found(t.certificate_id, "certificate_id"));
    if (active_anywhere(*it)) {
      return reply(api_error{400,
                             "Certificate '" + it->id +
                                 "' must be inactive for the organization and all projects "
                                 "before it can be deleted.",
                             "certificate_id", std::nullopt});
    }
    models::delete_certificate_response out{"certificate.deleted", it->id};
    if (it->uploaded) --uploaded;
    remember_deleted(*it);
    if (has(fake_fault::delete_keeps)) deleted.push_back(std::move(*it));
    certificates.erase(it);
    ++now;
    return ok(models::encode(out));
  }

  http_response toggle(const http_request& r, const target& t) {
    auto body = json_object_body(r.body);
    if (!body) return reply(body.error());
    auto ids = certificate_ids(body->root());
    if (!ids) return reply(ids.error());
    // Atomic: every id is found before anything changes.
    std::vector<stored_certificate*> found;
    for (std::string_view id : *ids) {
      stored_certificate* c = lookup(id);
      if (!c) return reply(not_found(id, "certificate_ids"));
      found.push_back(c);
    }
    const bool on = t.what == certificate_operation::activate_certificates ||
                    t.what == certificate_operation::activate_project_certificates;
    models::certificate_toggle_response out;
    out.object = on ? objects_of(t).activation : objects_of(t).deactivation;
    for (stored_certificate* c : found) set_active(*c, t, on);
    for (const stored_certificate* c : found) out.data.push_back(scoped_view(*c, t));
    ++now;
    return ok(models::encode(out));
  }
};

fake_api::fake_api(fake_api_options options) : impl_(std::make_unique<impl>(std::move(options))) {}

fake_api::~fake_api() = default;

http_response fake_api::handle(const http_request& request) {
  const std::lock_guard lock(impl_->mutex);
  http_response response = impl_->dispatch(request);
  impl_->finish(response);
  return response;
}

std::size_t fake_api::certificate_count() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->certificates.size();
}

}  // namespace certharness