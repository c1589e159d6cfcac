#include "certharness/conformance/certificate_checks.hpp"

namespace certharness {

std::string value_text(const std::optional<json_value>& v) {
  if (!v) return {};
  if (v->is_number()) return std::string(v->number_text());
  if (v->is_null()) return "null";
  if (v->is_string()) {
    std::string s;
    append_json_string(s, v->as_string());
    return s;
  }
  return std::string(to_string(v->type()));
}

certificate_fields read_certificate_fields(const json_value& certificate) {
  certificate_fields c;
  c.id = value_text(certificate.find("id"));
  c.name = value_text(certificate.find("name"));
  c.created_at = value_text(certificate.find("created_at"));
  if (const std::optional<json_value> d = certificate.find("certificate_details");
      d && d->is_object()) {
    c.valid_at = value_text(d->find("valid_at"));
    c.expires_at = value_text(d->find("expires_at"));
    std::optional<json_value> content = d->find("content");
    c.pem_content = content && content->is_string() &&
                    content->as_string().find("BEGIN CERTIFICATE") != std::string_view::npos;
  }
  return c;
}

std::vector<std::pair<std::string, std::string>> certificate_differences(
    const certificate_fields& got, std::string_view listed_id, const certificate_fields& listed,
    bool with_content) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string expected_id;
  append_json_string(expected_id, listed_id);
  if (got.id != expected_id)
    out.emplace_back("/id", "id is " + got.id + ", listed as " + expected_id);
  const struct {
    const char* pointer;
    const char* name;
    const std::string& got;
    const std::string& listed;
  } fields[] = {
      {"/name", "name", got.name, listed.name},
      {"/created_at", "created_at", got.created_at, listed.created_at},
      {"/certificate_details/valid_at", "valid_at", got.valid_at, listed.valid_at},
      {"/certificate_details/expires_at", "expires_at", got.expires_at, listed.expires_at},
  };
  for (const auto& f : fields) {
    if (f.got != f.listed) {
      out.emplace_back(f.pointer, std::string(f.name) + " is " +
                                      (f.got.empty() ? "absent" : f.got) + ", the list said " +
                                      (f.listed.empty() ? "absent" : f.listed));
    }
  }
  if (with_content && !got.pem_content) {
    out.emplace_back("/certificate_details/content",
                     "include[]=content did not return the PEM content");
  }
  return out;
}

void check_certificate_validity(const json_value& certificate, const std::string& pointer,
                                check_tally& tally, findings& out) {
  std::optional<json_value> d = certificate.find("certificate_details");
  if (!d || !d->is_object()) return;
  std::optional<json_value> from = d->find("valid_at");
  std::optional<json_value> to = d->find("expires_at");
  if (!from || !to || !from->is_number() || !to->is_number()) return;
  const bool ok = from->as_double() <= to->as_double();
  record(tally, checks::cert_validity, ok);
  if (!ok) {
    out.push_back(finding{checks::cert_validity, pointer + "/certificate_details", "",
                          "valid_at " + std::string(from->number_text()) + " is after expires_at " +
                              std::string(to->number_text()),
                          std::nullopt});
  }
}

void check_fetched_certificate(const json_value& certificate, check_tally& tally, findings& out) {
  std::optional<json_value> object = certificate.find("object");
  const bool right_object = object && object->is_string() && object->as_string() == "certificate";
  record(tally, checks::cert_object, right_object);
  if (!right_object) {
    out.push_back(
        finding{checks::cert_object, "/object", "",
                "GET by id answered object " + value_text(object) + ", expected \"certificate\"",
                std::nullopt});
  }
  check_certificate_validity(certificate, "", tally, out);
}

std::vector<std::pair<std::string, certificate_fields>> check_list_items(const json_value& list,
                                                                         check_tally& tally,
                                                                         findings& out) {
  std::vector<std::pair<std::string, certificate_fields>> items;
  std::optional<json_value> data = list.is_object() ? list.find("data") : std::nullopt;
  if (!data || !data->is_array()) return items;
  for (auto it = data->begin(); it != data->end(); ++it) {
    const std::size_t i = it.index();
    const json_value item = *it;
    if (!item.is_object()) continue;
    check_certificate_validity(item, "/data/" + std::to_string(i), tally, out);
    std::optional<json_value> id = item.find("id");
    if (id && id->is_string()) {
      items.emplace_back(std::string(id->as_string()), read_certificate_fields(item));
    }
  }
  return items;
}

}  // namespace certharness
