#include "certharness/schema/models.hpp"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <span>
#include <utility>

#include "certharness/json/json_pointer.hpp"
#include "certharness/json/json_writer.hpp"

namespace certharness::models {
namespace {

using names = std::span<const std::string_view>;

// Each schema numbers its declared properties with an enum whose last member must index the
// last entry of its properties array.
template <std::size_t N>
constexpr bool numbered(const std::string_view (&)[N], std::size_t last) {
  return last + 1 == N;
}

// Where a value sits, as a chain of stack frames: it becomes a JSON Pointer only when an error
// is reported, so the success path never builds strings for it.
struct path {
  const path* parent = nullptr;  // nullptr: this is the root
  std::string_view key;
  std::size_t index = 0;
  bool is_index = false;
};

void append_pointer(std::string& out, const path& p) {
  if (!p.parent) return;
  append_pointer(out, *p.parent);
  if (p.is_index) {
    append_pointer_index(out, p.index);
  } else {
    append_pointer_token(out, p.key);
  }
}

// The first schema error stops decoding. An integer beyond int64 is valid for the schema, so it
// is only noted and decoding goes on: json.number_range is reported only for a document without
// schema errors, which keeps "decodes exactly when the validator finds no schema error" true.
struct problems {
  decode_error schema;
  std::optional<decode_error> number_range;  // the first one in document order
};

void describe(decode_error& e, check_id check, const path& at, std::string message) {
  e.check = check.id();
  e.pointer.clear();
  append_pointer(e.pointer, at);
  e.message = std::move(message);
}

bool fail(problems& err, const path& at, std::string message) {
  describe(err.schema, checks::schema, at, std::move(message));
  return false;
}

bool fail_type(problems& err, const path& at, std::string_view expected, const json_value& v) {
  std::string message = "expected ";
  message += expected;
  message += ", got ";
  message += to_string(v.type());
  return fail(err, at, std::move(message));
}

// ---- Scalars. Each reader checks the value and, when it conforms, stores it in out.

bool read_string(const json_value& v, const path& at, std::string& out, problems& err) {
  if (!v.is_string()) return fail_type(err, at, "string", v);
  out.assign(v.as_string());
  return true;
}

// anyOf [string, null]: required members that may be null.
bool read_nullable_string(const json_value& v, const path& at, std::optional<std::string>& out,
                          problems& err) {
  if (v.is_null()) {
    out.reset();
    return true;
  }
  if (!v.is_string()) return fail_type(err, at, "string or null", v);
  out.emplace(v.as_string());
  return true;
}

bool read_bool(const json_value& v, const path& at, bool& out, problems& err) {
  if (!v.is_bool()) return fail_type(err, at, "boolean", v);
  out = v.as_bool();
  return true;
}

// JSON Schema "integer" is decided from the number text (1.0 and 1e3 qualify); the one rule
// stricter than the schema is that it must also fit the int64 the model stores, and breaking it
// is only noted (see problems).
bool read_int64(const json_value& v, const path& at, std::int64_t& out, problems& err) {
  if (!v.is_number() || !v.is_integer()) return fail_type(err, at, "integer", v);
  if (!v.fits_int64()) {
    if (err.number_range) return true;
    constexpr std::size_t shown = 40;
    const std::string_view text = v.number_text();
    std::string message = "integer ";
    message += text.substr(0, shown);
    if (text.size() > shown) message += "...";
    message += " does not fit in int64";
    describe(err.number_range.emplace(), checks::json_number_range, at, std::move(message));
    return true;
  }
  out = v.as_int64();
  return true;
}

bool read_enum(const json_value& v, const path& at, names allowed, std::string& out,
               problems& err) {
  if (!v.is_string()) return fail_type(err, at, "string", v);
  for (std::string_view a : allowed) {
    if (v.as_string() == a) {
      out.assign(a);
      return true;
    }
  }
  std::string message = allowed.size() == 1 ? "expected " : "expected one of ";
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    if (i != 0) message += ", ";
    append_json_string(message, allowed[i]);
  }
  return fail(err, at, std::move(message));
}

// ---- Containers.

// An array's own constraints come before its items: the array precedes them in document order.
template <typename T, typename ReadItem>
bool read_array(const json_value& v, const path& at, std::vector<T>& out, problems& err,
                ReadItem&& read_item) {
  if (!v.is_array()) return fail_type(err, at, "array", v);
  out.clear();
  out.reserve(v.size());
  for (auto it = v.begin(); it != v.end(); ++it) {
    const path item{&at, {}, it.index(), true};
    if (!read_item(*it, item, out.emplace_back())) return false;
  }
  return true;
}

struct object_shape {
  names properties;  // declared keys, in the spec's order; read_member gets their index
  names required;    // in the spec's order
};

// Checks that v is an object with every required key (the object precedes its members in
// document order, so a missing key is reported before any bad member), then hands each member
// with a declared key to read_member(index, member, path, target) in document order. Unknown
// members are ignored, as the spec allows them.
//
// Duplicate keys: the JSON layer reports them (json.duplicate_key, an error). Past that, the
// first member with a key is the one judged, as json_value::find() and valijson's
// 'properties' (which looks each declared name up once) do: {"id":"a","id":5} decodes with
// id "a". agreement_test holds both layers to this.
template <typename T, typename ReadMember>
bool read_object(const json_value& v, const path& at, const object_shape& shape, T& out,
                 problems& err, ReadMember&& read_member) {
  if (!v.is_object()) return fail_type(err, at, "object", v);
  for (std::string_view name : shape.required) {
    if (!v.find(name)) {
      std::string message = "missing required property ";
      append_json_string(message, name);
      return fail(err, at, std::move(message));
    }
  }
  std::uint32_t seen = 0;  // one bit per declared property (at most six)
  for (const json_value& m : v) {
    const auto it = std::find(shape.properties.begin(), shape.properties.end(), m.key());
    if (it == shape.properties.end()) continue;
    const auto index = static_cast<std::size_t>(it - shape.properties.begin());
    const std::uint32_t bit = std::uint32_t{1} << index;
    if ((seen & bit) != 0) continue;  // a later duplicate
    seen |= bit;
    const path member{&at, m.key()};
    if (!read_member(index, m, member, out)) return false;
  }
  return true;
}

// ---- Schemas.

constexpr std::string_view certificate_objects[] = {"certificate", "organization.certificate",
                                                    "organization.project.certificate"};
constexpr std::string_view organization_certificate_object[] = {"organization.certificate"};
constexpr std::string_view project_certificate_object[] = {"organization.project.certificate"};

// certificate_details: only Certificate declares content; on the other kinds it is an unknown,
// ignored member.
enum details_member : std::size_t { d_valid_at, d_expires_at, d_content };
constexpr std::string_view details_properties[] = {"valid_at", "expires_at", "content"};
static_assert(numbered(details_properties, d_content));
constexpr object_shape certificate_details_shape{details_properties, {}};
constexpr object_shape scoped_details_shape{names(details_properties).first(2), {}};

bool read_details(const json_value& v, const path& at, const object_shape& shape,
                  certificate_details& out, problems& err) {
  return read_object(
      v, at, shape, out, err,
      [&](std::size_t i, const json_value& m, const path& mp, certificate_details& d) {
        switch (i) {
          case d_valid_at:
            return read_int64(m, mp, d.valid_at.emplace(), err);
          case d_expires_at:
            return read_int64(m, mp, d.expires_at.emplace(), err);
          default:
            return read_string(m, mp, d.content.emplace(), err);
        }
      });
}

bool read_details_of(const json_value& v, const path& at, certificate& c, problems& err) {
  return read_details(v, at, certificate_details_shape, c.certificate_details, err);
}

bool read_details_of(const json_value& v, const path& at, scoped_certificate& c, problems& err) {
  certificate_details d;
  if (!read_details(v, at, scoped_details_shape, d, err)) return false;
  c.valid_at = d.valid_at;
  c.expires_at = d.expires_at;
  return true;
}

bool& active_of(certificate& c) { return c.active.emplace(); }
bool& active_of(scoped_certificate& c) { return c.active; }

// Certificate, OrganizationCertificate and OrganizationProjectCertificate declare the same
// members in the same order; they differ in the object values, the details and whether active
// is required.
enum certificate_member : std::size_t { c_object, c_id, c_name, c_created_at, c_details, c_active };
constexpr std::string_view certificate_properties[] = {
    "object", "id", "name", "created_at", "certificate_details", "active"};
static_assert(numbered(certificate_properties, c_active));
constexpr object_shape certificate_shape{certificate_properties,
                                         names(certificate_properties).first(5)};
constexpr object_shape scoped_certificate_shape{certificate_properties, certificate_properties};

template <typename C>
bool read_certificate(const json_value& v, const path& at, const object_shape& shape, names objects,
                      C& out, problems& err) {
  return read_object(v, at, shape, out, err,
                     [&](std::size_t i, const json_value& m, const path& mp, C& c) {
                       switch (i) {
                         case c_object:
                           return read_enum(m, mp, objects, c.object, err);
                         case c_id:
                           return read_string(m, mp, c.id, err);
                         case c_name:
                           return read_nullable_string(m, mp, c.name, err);
                         case c_created_at:
                           return read_int64(m, mp, c.created_at, err);
                         case c_details:
                           return read_details_of(m, mp, c, err);
                         default:
                           return read_bool(m, mp, active_of(c), err);
                       }
                     });
}

bool read_scoped_certificates(const json_value& v, const path& at, names item_object,
                              std::vector<scoped_certificate>& out, problems& err) {
  return read_array(
      v, at, out, err, [&](const json_value& item, const path& ip, scoped_certificate& c) {
        return read_certificate(item, ip, scoped_certificate_shape, item_object, c, err);
      });
}

constexpr std::string_view list_object[] = {"list"};
enum list_member : std::size_t { l_data, l_first_id, l_last_id, l_has_more, l_object };
constexpr std::string_view list_properties[] = {"data", "first_id", "last_id", "has_more",
                                                "object"};
static_assert(numbered(list_properties, l_object));
constexpr std::string_view list_required[] = {"object", "data", "has_more", "first_id", "last_id"};
constexpr object_shape list_shape{list_properties, list_required};

bool read_list(const json_value& v, const path& at, certificate_list& out, problems& err,
               names item_object) {
  return read_object(v, at, list_shape, out, err,
                     [&](std::size_t i, const json_value& m, const path& mp, certificate_list& l) {
                       switch (i) {
                         case l_data:
                           return read_scoped_certificates(m, mp, item_object, l.data, err);
                         case l_first_id:
                           return read_nullable_string(m, mp, l.first_id, err);
                         case l_last_id:
                           return read_nullable_string(m, mp, l.last_id, err);
                         case l_has_more:
                           return read_bool(m, mp, l.has_more, err);
                         default:
                           return read_enum(m, mp, list_object, l.object, err);
                       }
                     });
}

constexpr std::string_view org_activation_object[] = {"organization.certificate.activation"};
constexpr std::string_view org_deactivation_object[] = {"organization.certificate.deactivation"};
constexpr std::string_view project_activation_object[] = {
    "organization.project.certificate.activation"};
constexpr std::string_view project_deactivation_object[] = {
    "organization.project.certificate.deactivation"};
enum toggle_member : std::size_t { t_object, t_data };
constexpr std::string_view toggle_properties[] = {"object", "data"};
static_assert(numbered(toggle_properties, t_data));
constexpr object_shape toggle_shape{toggle_properties, toggle_properties};

bool read_toggle(const json_value& v, const path& at, certificate_toggle_response& out,
                 problems& err, names object, names item_object) {
  return read_object(
      v, at, toggle_shape, out, err,
      [&](std::size_t i, const json_value& m, const path& mp, certificate_toggle_response& t) {
        if (i == t_object) return read_enum(m, mp, object, t.object, err);
        return read_scoped_certificates(m, mp, item_object, t.data, err);
      });
}

constexpr std::string_view deleted_object[] = {"certificate.deleted"};
enum delete_member : std::size_t { del_object, del_id };
constexpr std::string_view delete_properties[] = {"object", "id"};
static_assert(numbered(delete_properties, del_id));
constexpr object_shape delete_shape{delete_properties, delete_properties};

bool read_delete(const json_value& v, const path& at, delete_certificate_response& out,
                 problems& err) {
  return read_object(
      v, at, delete_shape, out, err,
      [&](std::size_t i, const json_value& m, const path& mp, delete_certificate_response& d) {
        if (i == del_object) return read_enum(m, mp, deleted_object, d.object, err);
        return read_string(m, mp, d.id, err);
      });
}

enum upload_member : std::size_t { u_name, u_certificate };
constexpr std::string_view upload_properties[] = {"name", "certificate"};
static_assert(numbered(upload_properties, u_certificate));
constexpr object_shape upload_shape{upload_properties, names(upload_properties).last(1)};

bool read_upload(const json_value& v, const path& at, upload_certificate_request& out,
                 problems& err) {
  return read_object(
      v, at, upload_shape, out, err,
      [&](std::size_t i, const json_value& m, const path& mp, upload_certificate_request& u) {
        if (i == u_name) return read_string(m, mp, u.name.emplace(), err);
        return read_string(m, mp, u.certificate, err);
      });
}

constexpr std::string_view modify_properties[] = {"name"};
constexpr object_shape modify_shape{modify_properties, {}};

bool read_modify(const json_value& v, const path& at, modify_certificate_request& out,
                 problems& err) {
  return read_object(
      v, at, modify_shape, out, err,
      [&](std::size_t, const json_value& m, const path& mp, modify_certificate_request& r) {
        return read_string(m, mp, r.name.emplace(), err);
      });
}

constexpr std::size_t min_certificate_ids = 1;
constexpr std::size_t max_certificate_ids = 10;
constexpr std::string_view toggle_request_properties[] = {"certificate_ids"};
constexpr object_shape toggle_request_shape{toggle_request_properties, toggle_request_properties};

bool read_certificate_ids(const json_value& v, const path& at, std::vector<std::string>& out,
                          problems& err) {
  if (v.is_array() && (v.size() < min_certificate_ids || v.size() > max_certificate_ids)) {
    const bool too_few = v.size() < min_certificate_ids;
    std::string message = too_few ? "expected at least " : "expected at most ";
    message += std::to_string(too_few ? min_certificate_ids : max_certificate_ids);
    message += " items, got ";
    message += std::to_string(v.size());
    return fail(err, at, std::move(message));
  }
  return read_array(v, at, out, err, [&](const json_value& item, const path& ip, std::string& s) {
    return read_string(item, ip, s, err);
  });
}

bool read_toggle_request(const json_value& v, const path& at, toggle_certificates_request& out,
                         problems& err) {
  return read_object(
      v, at, toggle_request_shape, out, err,
      [&](std::size_t, const json_value& m, const path& mp, toggle_certificates_request& r) {
        return read_certificate_ids(m, mp, r.certificate_ids, err);
      });
}

enum error_member : std::size_t { e_code, e_message, e_param, e_type };
constexpr std::string_view error_properties[] = {"code", "message", "param", "type"};
static_assert(numbered(error_properties, e_type));
constexpr std::string_view error_required[] = {"type", "message", "param", "code"};
constexpr object_shape error_shape{error_properties, error_required};
constexpr std::string_view error_response_properties[] = {"error"};
constexpr object_shape error_response_shape{error_response_properties, error_response_properties};

bool read_error_body(const json_value& v, const path& at, error_body& out, problems& err) {
  return read_object(v, at, error_shape, out, err,
                     [&](std::size_t i, const json_value& m, const path& mp, error_body& e) {
                       switch (i) {
                         case e_code:
                           return read_nullable_string(m, mp, e.code, err);
                         case e_message:
                           return read_string(m, mp, e.message, err);
                         case e_param:
                           return read_nullable_string(m, mp, e.param, err);
                         default:
                           return read_string(m, mp, e.type, err);
                       }
                     });
}

bool read_error_response(const json_value& v, const path& at, error_response& out, problems& err) {
  return read_object(v, at, error_response_shape, out, err,
                     [&](std::size_t, const json_value& m, const path& mp, error_response& r) {
                       return read_error_body(m, mp, r.error, err);
                     });
}

// Runs a reader on the root; extra arguments are forwarded after the error sink.
template <typename T, typename Read, typename... Args>
decoded<T> decode_root(const json_value& v, Read read, Args... args) {
  T out;
  problems err;
  if (!read(v, path{}, out, err, args...)) return std::move(err.schema);
  if (err.number_range) return std::move(*err.number_range);
  return out;
}

template <typename C>
decoded<C> decode_certificate_root(const json_value& v, const object_shape& shape, names objects) {
  return decode_root<C>(v, [&](const json_value& root, const path& at, C& out, problems& err) {
    return read_certificate(root, at, shape, objects, out, err);
  });
}

// ---- Encoding.

void nullable_string(json_writer& w, std::string_view name,
                     const std::optional<std::string>& value) {
  w.key(name);
  if (value) {
    w.string(*value);
  } else {
    w.null();
  }
}

void write_details(json_writer& w, const std::optional<std::int64_t>& valid_at,
                   const std::optional<std::int64_t>& expires_at,
                   const std::optional<std::string>& content) {
  w.begin_object();
  if (valid_at) w.key("valid_at").number(*valid_at);
  if (expires_at) w.key("expires_at").number(*expires_at);
  if (content) w.key("content").string(*content);
  w.end_object();
}

template <typename C>
void write_certificate_head(json_writer& w, const C& c) {
  w.key("object").string(c.object).key("id").string(c.id);
  nullable_string(w, "name", c.name);
  w.key("created_at").number(c.created_at);
}

void write_json(json_writer& w, const std::string& s) { w.string(s); }

void write_json(json_writer& w, const certificate& c) {
  w.begin_object();
  write_certificate_head(w, c);
  const certificate_details& d = c.certificate_details;
  write_details(w.key("certificate_details"), d.valid_at, d.expires_at, d.content);
  if (c.active) w.key("active").boolean(*c.active);
  w.end_object();
}

void write_json(json_writer& w, const scoped_certificate& c) {
  w.begin_object();
  write_certificate_head(w, c);
  write_details(w.key("certificate_details"), c.valid_at, c.expires_at, std::nullopt);
  w.key("active").boolean(c.active);
  w.end_object();
}

template <typename T>
void write_json(json_writer& w, const std::vector<T>& items) {
  w.begin_array();
  for (const T& item : items) write_json(w, item);
  w.end_array();
}

void write_json(json_writer& w, const certificate_list& l) {
  w.begin_object();
  write_json(w.key("data"), l.data);
  nullable_string(w, "first_id", l.first_id);
  nullable_string(w, "last_id", l.last_id);
  w.key("has_more").boolean(l.has_more).key("object").string(l.object);
  w.end_object();
}

void write_json(json_writer& w, const certificate_toggle_response& t) {
  w.begin_object().key("object").string(t.object);
  write_json(w.key("data"), t.data);
  w.end_object();
}

void write_json(json_writer& w, const delete_certificate_response& d) {
  w.begin_object().key("object").string(d.object).key("id").string(d.id).end_object();
}

void write_json(json_writer& w, const upload_certificate_request& u) {
  w.begin_object();
  if (u.name) w.key("name").string(*u.name);
  w.key("certificate").string(u.certificate).end_object();
}

void write_json(json_writer& w, const modify_certificate_request& r) {
  w.begin_object();
  if (r.name) w.key("name").string(*r.name);
  w.end_object();
}

void write_json(json_writer& w, const toggle_certificates_request& r) {
  w.begin_object();
  write_json(w.key("certificate_ids"), r.certificate_ids);
  w.end_object();
}

void write_json(json_writer& w, const error_response& r) {
  w.begin_object().key("error").begin_object();
  nullable_string(w, "code", r.error.code);
  w.key("message").string(r.error.message);
  nullable_string(w, "param", r.error.param);
  w.key("type").string(r.error.type);
  w.end_object().end_object();
}

template <typename T>
std::string encoded(const T& v) {
  std::string out;
  json_writer w(out);
  write_json(w, v);
  return out;
}

// ---- Dispatch by schema name.

struct schema_entry {
  std::string_view name;
  std::optional<decode_error> (*check)(const json_value&);
  std::optional<std::string> (*reencode)(const json_value&);
};

template <auto decode>
std::optional<decode_error> check_with(const json_value& v) {
  auto r = decode(v);
  if (auto* e = std::get_if<decode_error>(&r)) return std::move(*e);
  return std::nullopt;
}

template <auto decode>
std::optional<std::string> reencode_with(const json_value& v) {
  const auto r = decode(v);
  if (r.index() != 0) return std::nullopt;
  return encode(std::get<0>(r));
}

template <auto decode>
constexpr schema_entry entry(std::string_view name) {
  return {name, check_with<decode>, reencode_with<decode>};
}

// Sorted by name for binary search.
constexpr schema_entry schema_table[] = {
    entry<decode_certificate>("Certificate"),
    entry<decode_delete_certificate_response>("DeleteCertificateResponse"),
    entry<decode_error_response>("ErrorResponse"),
    entry<decode_list_certificates_response>("ListCertificatesResponse"),
    entry<decode_list_project_certificates_response>("ListProjectCertificatesResponse"),
    entry<decode_modify_certificate_request>("ModifyCertificateRequest"),
    entry<decode_organization_certificate>("OrganizationCertificate"),
    entry<decode_organization_certificate_activation_response>(
        "OrganizationCertificateActivationResponse"),
    entry<decode_organization_certificate_deactivation_response>(
        "OrganizationCertificateDeactivationResponse"),
    entry<decode_organization_project_certificate>("OrganizationProjectCertificate"),
    entry<decode_organization_project_certificate_activation_response>(
        "OrganizationProjectCertificateActivationResponse"),
    entry<decode_organization_project_certificate_deactivation_response>(
        "OrganizationProjectCertificateDeactivationResponse"),
    entry<decode_toggle_certificates_request>("ToggleCertificatesRequest"),
    entry<decode_upload_certificate_request>("UploadCertificateRequest"),
};
static_assert(std::is_sorted(std::begin(schema_table), std::end(schema_table),
                             [](const schema_entry& a, const schema_entry& b) {
                               return a.name < b.name;
                             }));

const schema_entry* find_schema(std::string_view name) noexcept {
  const auto it =
      std::lower_bound(std::begin(schema_table), std::end(schema_table), name,
                       [](const schema_entry& e, std::string_view n) { return e.name < n; });
  return it != std::end(schema_table) && it->name == name ? it : nullptr;
}

}  // namespace

decoded<certificate> decode_certificate(const json_value& v) {
  return decode_certificate_root<certificate>(v, certificate_shape, certificate_objects);
}

decoded<scoped_certificate> decode_organization_certificate(const json_value& v) {
  return decode_certificate_root<scoped_certificate>(v, scoped_certificate_shape,
                                                     organization_certificate_object);
}

decoded<scoped_certificate> decode_organization_project_certificate(const json_value& v) {
  return decode_certificate_root<scoped_certificate>(v, scoped_certificate_shape,
                                                     project_certificate_object);
}

decoded<certificate_list> decode_list_certificates_response(const json_value& v) {
  return decode_root<certificate_list>(v, read_list, names(organization_certificate_object));
}

decoded<certificate_list> decode_list_project_certificates_response(const json_value& v) {
  return decode_root<certificate_list>(v, read_list, names(project_certificate_object));
}

decoded<certificate_toggle_response> decode_organization_certificate_activation_response(
    const json_value& v) {
  return decode_root<certificate_toggle_response>(v, read_toggle, names(org_activation_object),
                                                  names(organization_certificate_object));
}

decoded<certificate_toggle_response> decode_organization_certificate_deactivation_response(
    const json_value& v) {
  return decode_root<certificate_toggle_response>(v, read_toggle, names(org_deactivation_object),
                                                  names(organization_certificate_object));
}

decoded<certificate_toggle_response> decode_organization_project_certificate_activation_response(
    const json_value& v) {
  return decode_root<certificate_toggle_response>(v, read_toggle, names(project_activation_object),
                                                  names(project_certificate_object));
}

decoded<certificate_toggle_response> decode_organization_project_certificate_deactivation_response(
    const json_value& v) {
  return decode_root<certificate_toggle_response>(
      v, read_toggle, names(project_deactivation_object), names(project_certificate_object));
}

decoded<delete_certificate_response> decode_delete_certificate_response(const json_value& v) {
  return decode_root<delete_certificate_response>(v, read_delete);
}

decoded<upload_certificate_request> decode_upload_certificate_request(const json_value& v) {
  return decode_root<upload_certificate_request>(v, read_upload);
}

decoded<modify_certificate_request> decode_modify_certificate_request(const json_value& v) {
  return decode_root<modify_certificate_request>(v, read_modify);
}

decoded<toggle_certificates_request> decode_toggle_certificates_request(const json_value& v) {
  return decode_root<toggle_certificates_request>(v, read_toggle_request);
}

decoded<error_response> decode_error_response(const json_value& v) {
  return decode_root<error_response>(v, read_error_response);
}

std::string encode(const certificate& v) { return encoded(v); }
std::string encode(const scoped_certificate& v) { return encoded(v); }
std::string encode(const certificate_list& v) { return encoded(v); }
std::string encode(const certificate_toggle_response& v) { return encoded(v); }
std::string encode(const delete_certificate_response& v) { return encoded(v); }
std::string encode(const upload_certificate_request& v) { return encoded(v); }
std::string encode(const modify_certificate_request& v) { return encoded(v); }
std::string encode(const toggle_certificates_request& v) { return encoded(v); }
std::string encode(const error_response& v) { return encoded(v); }

std::optional<decode_error> check_decodes(std::string_view schema_name, const json_value& v) {
  if (const schema_entry* s = find_schema(schema_name)) return s->check(v);
  decode_error err;
  err.check = checks::schema_unplaced.id();
  err.message = "unknown schema name ";
  append_json_string(err.message, schema_name);
  return err;
}

std::optional<std::string> reencode(std::string_view schema_name, const json_value& v) {
  if (const schema_entry* s = find_schema(schema_name)) return s->reencode(v);
  return std::nullopt;
}

}  // namespace certharness::models
