#include "certharness/conformance/write_checks.hpp"

#include <cctype>
#include <chrono>
#include <cstdint>
#include <functional>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "certharness/conformance/certificate_checks.hpp"
#include "certharness/conformance/crawl_coverage.hpp"
#include "certharness/conformance/list_walk.hpp"
#include "certharness/fake_api/x509_certificate.hpp"
#include "certharness/http/url.hpp"
#include "certharness/io/ascii_text.hpp"
#include "certharness/json/json_writer.hpp"
#include "certharness/json/text_escaping.hpp"
#include "certharness/schema/operation_table.hpp"

namespace certharness {
namespace {

constexpr std::string_view k_write_name_prefix = "certharness-write-check-";

struct write_state {
  std::string name, renamed;
  std::string pem;
  certificate_validity validity;
  bool upload_sent = false;
  bool rename_sent = false;       // the rename step ran: the list is then expected to show it
  std::optional<std::string> id;  // from the upload response
  bool gone = false;              // DELETE done, GET by id 404 and not listed
};

struct listed_state {
  std::string id;
  std::optional<std::string> name;
  std::optional<bool> active;
};

struct list_search {
  std::vector<listed_state> matches;
  bool complete = false;  // the whole list was seen
};

// A ToggleCertificatesRequest for one id.
std::string ids_body(const std::string& id) {
  std::string body;
  json_writer(body)
      .begin_object()
      .key("certificate_ids")
      .begin_array()
      .string(id)
      .end_array()
      .end_object();
  return body;
}

std::string without_whitespace(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

class write_checker {
 public:
  write_checker(crawl_session& session, std::size_t max_pages)
      : session_(session),
        table_(session.spec().operations()),
        max_pages_(max_pages),
        group_(k_write_checks_group) {}

  void run(const write_identity& identity) {
    // Without a way to find and remove what an upload makes, nothing is uploaded
    // (crawl.not_exercised says so); a step whose operation the contract lacks is skipped.
    if (!write_checks_drivable(table_)) return;
    write_state s;
    s.name = identity.name;
    s.renamed = s.name + "-renamed";
    s.pem = identity.pem;
    s.validity = identity.validity;
    using step = bool (write_checker::*)(write_state&);
    for (const step next : {&write_checker::upload_step, &write_checker::content_step,
                            &write_checker::listed_inactive_step, &write_checker::rename_step,
                            &write_checker::activate_step, &write_checker::deactivate_step,
                            &write_checker::delete_step}) {
      if (session_.stopping() || !(this->*next)(s)) break;
    }
    clean_up(s);
  }

 private:
  // Tallies `check` in the write-checks group; a failure is a finding.
  void judge(check_id check, bool ok, const std::string& request, std::string pointer,
             std::string message) {
    session_.judge().verdict(group_, check, ok, request, std::move(pointer), std::move(message));
  }

  const std::string& last_request() const { return session_.last_request().request; }

  // The request of `kind` (on the uploaded certificate, for the operations with its id), judged
  // by the operation's success schema.
  std::optional<checked_response> write_exchange(certificate_operation kind, const write_state& s,
                                                 const std::optional<std::string>& body,
                                                 const query_parameters& query = {}) {
    const operation* op = drivable(table_, kind);
    if (!op) return std::nullopt;
    const std::string target = operation_table::build_target(*op, ids_of(*op, s), query);
    return session_.exchange(op->method, target, body, group_,
                             {std::string(op->success_schema()), std::nullopt});
  }

  static path_parameters ids_of(const operation& op, const write_state& s) {
    if (!op.parameter("certificate_id") || !s.id) return {};
    return {{"certificate_id", *s.id}};
  }

  // A request of `kind` on `id` outside the checks (no judgement but the common ones).
  std::optional<client_response> fetch(certificate_operation kind, const std::string& id,
                                       const std::optional<std::string>& body) {
    const operation* op = drivable(table_, kind);
    if (!op) return std::nullopt;
    const path_parameters ids = op->parameter("certificate_id")
                                    ? path_parameters{{"certificate_id", id}}
                                    : path_parameters{};
    return session_.fetch(op->method, operation_table::build_path(*op, ids), body, group_);
  }

  void check_details(const json_value& certificate, const write_state& s,
                     const std::string& request) {
    const certificate_fields got = read_certificate_fields(certificate);
    const std::string want_from = std::to_string(s.validity.not_before);
    const std::string want_to = std::to_string(s.validity.not_after);
    judge(checks::upload_details, got.valid_at == want_from && got.expires_at == want_to, request,
          "/certificate_details",
          "valid_at " + (got.valid_at.empty() ? "absent" : got.valid_at) + " and expires_at " +
              (got.expires_at.empty() ? "absent" : got.expires_at) +
              ", but the uploaded PEM says notBefore " + want_from + " and notAfter " + want_to);
  }

  bool upload_step(write_state& s) {
    std::string body;
    json_writer(body)
        .begin_object()
        .key("name")
        .string(s.name)
        .key("certificate")
        .string(s.pem)
        .end_object();
    // Sent means recorded (answered, failed or timed out: it may have made a certificate whose
    // id was never seen). Not sent, nothing was made: no cleanup (a recording that does not
    // follow crawl's script replays nothing to clean up).
    const std::size_t before = session_.sent_count();
    const auto r = write_exchange(certificate_operation::upload_certificate, s, body);
    s.upload_sent = session_.sent_count() > before;
    std::optional<json_value> root = session_.object_root(r);
    std::optional<json_value> id = root ? root->find("id") : std::nullopt;
    if (!id || !id->is_string()) return false;
    s.id = std::string(id->as_string());
    const std::string& request = last_request();
    check_details(*root, s, request);
    std::optional<json_value> active = root->find("active");
    judge(checks::upload_activates, !active || (active->is_bool() && !active->as_bool()), request,
          "/active", "the upload response says active " + value_text(active));
    return true;
  }

  bool content_step(write_state& s) {
    const operation* get = drivable(table_, certificate_operation::get_certificate);
    const operation_parameter* include = get ? get->parameter("include") : nullptr;
    if (!include) return true;  // no include[]=content in the contract: nothing to ask
    const auto r = write_exchange(certificate_operation::get_certificate, s, std::nullopt,
                                  {{include->query_name(), "content"}});
    std::optional<json_value> root = session_.object_root(r);
    if (!root) return true;  // nothing to compare; the rest of the life cycle can still run
    const std::string& request = last_request();
    check_details(*root, s, request);
    std::optional<json_value> d = root->find("certificate_details");
    std::optional<json_value> content = d && d->is_object() ? d->find("content") : std::nullopt;
    judge(checks::upload_content,
          content && content->is_string() &&
              without_whitespace(content->as_string()) == without_whitespace(s.pem),
          request, "/certificate_details/content",
          content && content->is_string()
              ? "include[]=content returned PEM text other than the one uploaded"
              : "include[]=content returned no content");
    return true;
  }

  // Walks the organization list at limit 100 (bounded by max_pages) for items that `match`.
  list_search search_list(const std::function<bool(const listed_state&)>& match) {
    list_search out;
    std::optional<std::string> after;
    for (std::size_t page = 0; page < max_pages_ && !session_.stopping(); ++page) {
      const walk_spec spec{table_.path(certificate_operation::list_certificates), "desc", 100,
                           max_pages_};
      const auto r = session_.get(
          spec.page_target(after), group_,
          {table_.success_schema(certificate_operation::list_certificates), std::nullopt});
      std::optional<json_value> root = session_.object_root(r);
      std::optional<json_value> data = root ? root->find("data") : std::nullopt;
      if (!data || !data->is_array()) return out;
      for (const json_value& item : *data) {
        std::optional<json_value> id = item.is_object() ? item.find("id") : std::nullopt;
        if (!id || !id->is_string()) continue;
        listed_state l{std::string(id->as_string()), std::nullopt, std::nullopt};
        if (const std::optional<json_value> n = item.find("name"); n && n->is_string()) {
          l.name = std::string(n->as_string());
        }
        if (const std::optional<json_value> a = item.find("active"); a && a->is_bool())
          l.active = a->as_bool();
        if (match(l)) out.matches.push_back(std::move(l));
      }
      const list_page read = read_list_page(*root);
      if (read.has_more != true || read.last_id.state != cursor_field::kind::string_value ||
          read.last_id.value == after) {
        out.complete = read.has_more == false;
        return out;
      }
      after = read.last_id.value;
    }
    return out;
  }

  std::optional<listed_state> find_listed(const write_state& s) {
    list_search found = search_list([&](const listed_state& l) { return l.id == *s.id; });
    if (found.matches.empty()) return std::nullopt;
    return std::move(found.matches.front());
  }

  bool listed_inactive_step(write_state& s) {
    const std::optional<listed_state> listed = find_listed(s);
    judge(checks::upload_activates, listed && listed->active == false, last_request(), "",
          listed ? "the fresh upload " + *s.id + " is listed active"
                 : "the fresh upload " + *s.id + " is not in the organization list");
    return true;
  }

  bool rename_step(write_state& s) {
    if (!drivable(table_, certificate_operation::modify_certificate)) return true;
    s.rename_sent = true;
    std::string body;
    json_writer(body).begin_object().key("name").string(s.renamed).end_object();
    std::string want;
    append_json_string(want, s.renamed);
    const struct {
      certificate_operation kind;
      std::optional<std::string> body;
      const char* what;
    } requests[] = {{certificate_operation::modify_certificate, body, "the rename response"},
                    {certificate_operation::get_certificate, std::nullopt, "GET by id"}};
    for (const auto& q : requests) {
      if (!drivable(table_, q.kind)) continue;
      const auto r = write_exchange(q.kind, s, q.body);
      std::optional<json_value> root = session_.object_root(r);
      if (!root) continue;
      const std::string got = value_text(root->find("name"));
      judge(checks::modify_name, got == want, last_request(), "/name",
            std::string(q.what) + " has name " + (got.empty() ? "absent" : got) +
                " after the rename to " + want);
    }
    return true;
  }

  bool toggle_step(write_state& s, bool on) {
    const char* verb = on ? "activate" : "deactivate";
    const certificate_operation kind = on ? certificate_operation::activate_certificates
                                          : certificate_operation::deactivate_certificates;
    if (!drivable(table_, kind)) return true;
    const auto r = write_exchange(kind, s, ids_body(*s.id));
    if (const std::optional<json_value> root = session_.object_root(r)) {
      std::optional<json_value> data = root->find("data");
      std::optional<bool> active;
      if (data && data->is_array()) {
        for (const json_value& item : *data) {
          std::optional<json_value> id = item.is_object() ? item.find("id") : std::nullopt;
          std::optional<json_value> a = id ? item.find("active") : std::nullopt;
          if (a && id->is_string() && id->as_string() == *s.id && a->is_bool()) {
            active = a->as_bool();
          }
        }
      }
      judge(checks::toggle_result, active == on, last_request(), "/data",
            std::string(verb) + " answered " +
                (active ? (*active ? "active" : "inactive") : "no item with its active state") +
                " for " + *s.id);
    }
    const std::optional<listed_state> listed = find_listed(s);
    const std::string& request = last_request();
    judge(checks::toggle_result, listed && listed->active == on, request, "",
          listed ? *s.id + " is listed with active " +
                       (listed->active ? (*listed->active ? "true" : "false") : "absent") +
                       " after " + verb
                 : *s.id + " is not in the organization list after " + verb);
    if (listed && s.rename_sent) {
      judge(checks::modify_name, listed->name == s.renamed, request, "",
            *s.id + " is listed under " + (listed->name ? "\"" + *listed->name + "\"" : "no name") +
                " after the rename to \"" + s.renamed + "\"");
    }
    return true;
  }

  bool activate_step(write_state& s) { return toggle_step(s, true); }
  bool deactivate_step(write_state& s) { return toggle_step(s, false); }

  bool delete_step(write_state& s) {
    const auto r = write_exchange(certificate_operation::delete_certificate, s, std::nullopt);
    std::optional<json_value> root = session_.object_root(r);
    if (!root) return false;
    std::optional<json_value> id = root->find("id");
    std::string want;
    append_json_string(want, *s.id);
    judge(checks::delete_still_present, value_text(id) == want, last_request(), "/id",
          "the delete response names " + value_text(id) + ", not " + want);
    // Without GET by id in the contract, the list alone says whether it is gone.
    bool answered_404 = true;
    if (drivable(table_, certificate_operation::get_certificate)) {
      const auto after = fetch(certificate_operation::get_certificate, *s.id, std::nullopt);
      if (!after) return false;
      answered_404 = session_.judge().get_after_delete(*after, group_, last_request());
    }
    const bool listed = find_listed(s).has_value();
    judge(checks::delete_still_present, !listed, last_request(), "",
          *s.id + " is still listed after the delete");
    s.gone = answered_404 && !listed;
    return true;
  }

  // Removes whatever the write checks made: the uploaded id unless it is proven gone, and any
  // listed certificate under our names (a retried or timed-out upload may have made one whose
  // id we never saw). Runs after an interrupt too, under the session's cleanup deadline.
  void clean_up(const write_state& s) {
    if (!s.upload_sent) return;
    session_.begin_cleanup();
    std::set<std::string> left;
    if (s.id && !s.gone) left.insert(*s.id);
    const list_search ours =
        search_list([&](const listed_state& l) { return l.name == s.name || l.name == s.renamed; });
    for (const listed_state& l : ours.matches) left.insert(l.id);
    bool clean = true;
    const std::string& request = last_request();
    if (!ours.complete && !s.id) {
      clean = false;
      judge(checks::cleanup_failed, false, request, "",
            "could not walk the list to find what the upload of \"" + s.name +
                "\" made: look for certificates named " + std::string(k_write_name_prefix) + "*");
    }
    for (const std::string& id : left) {
      if (const std::optional<std::string> why = remove(id)) {
        clean = false;
        judge(checks::cleanup_failed, false, last_request(), "",
              "certificate " + id + " made by --write-checks is left behind: " + *why);
      }
    }
    if (clean) judge(checks::cleanup_failed, true, std::string(), "", "");
    session_.end_cleanup();
  }

  // Deactivates (a delete of an active certificate is refused) and deletes `id`. 404 counts as
  // removed. Returns why it is still there, if it is.
  std::optional<std::string> remove(const std::string& id) {
    if (session_.stopping()) return "the cleanup deadline passed first";
    fetch(certificate_operation::deactivate_certificates, id, ids_body(id));
    const auto r = fetch(certificate_operation::delete_certificate, id, std::nullopt);
    if (!r) return "DELETE failed: " + session_.last_request().error;
    if ((r->status >= 200 && r->status < 300) || r->status == 404) return std::nullopt;
    std::string why = "DELETE answered " + std::to_string(r->status);
    const decode_result body = decode_json(r->body);
    std::optional<json_value> error = body.ok() && body.document->root().is_object()
                                          ? body.document->root().find("error")
                                          : std::nullopt;
    std::optional<json_value> message =
        error && error->is_object() ? error->find("message") : std::nullopt;
    if (message && message->is_string()) why += ": " + std::string(message->as_string());
    return why;
  }

  crawl_session& session_;
  const operation_table& table_;
  std::size_t max_pages_;
  const std::string group_;
};

}  // namespace

result<write_identity> make_write_identity() {
  write_identity out;
  const std::uint64_t nonce = random_u64();
  out.name = std::string(k_write_name_prefix) + hex_u64(nonce);
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  out.validity = {now - 3600, now + 86'400};
  try {
    out.pem = make_self_signed_certificate(
        {out.name, out.validity.not_before, out.validity.not_after, (nonce >> 1) | 1});
  } catch (const std::runtime_error& e) {
    return failure(std::string("cannot make a throwaway certificate for --write-checks: ") +
                   e.what());
  }
  return out;
}

std::optional<write_identity> recorded_write_identity(std::string_view upload_body) {
  const decode_result body = decode_json(upload_body);
  if (!body.ok() || !body.document->root().is_object()) return std::nullopt;
  std::optional<json_value> name = body.document->root().find("name");
  std::optional<json_value> pem = body.document->root().find("certificate");
  if (!name || !name->is_string() || !name->as_string().starts_with(k_write_name_prefix) || !pem ||
      !pem->is_string()) {
    return std::nullopt;
  }
  const auto validity = read_pem_certificate(pem->as_string());
  if (!validity) return std::nullopt;
  return write_identity{std::string(name->as_string()), std::string(pem->as_string()), *validity};
}

void run_write_checks(crawl_session& session, std::size_t max_pages) {
  const result<write_identity> identity = make_write_identity();
  if (!identity) {
    session.fail(identity.error());
    return;
  }
  run_write_checks(session, max_pages, *identity);
}

void run_write_checks(crawl_session& session, std::size_t max_pages,
                      const write_identity& identity) {
  write_checker(session, max_pages).run(identity);
}

}  // namespace certharness
