#include "certharness/json/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <utility>

#include "certharness/json/json_document.hpp"
#include "certharness/json/text_escaping.hpp"
#include "certharness/json/utf8.hpp"

namespace certharness {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

namespace {

// `s` escaped, with U+FFFD for what is not UTF-8; the copy is made only when needed.
void append_utf8_string(std::string& out, std::string_view s) {
  if (is_valid_utf8(s)) return append_json_string(out, s);
  append_json_string(out, utf8_sanitized(s));
}

}  // namespace

void json_writer::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_items_.empty()) return;
  if (has_items_.back()) out_.push_back(',');
  has_items_.back() = true;
  new_line();
}

void json_writer::new_line() {
  if (indent_ == 0) return;
  out_.push_back('\n');
  out_.append(has_items_.size() * indent_, ' ');
}

json_writer& json_writer::begin_object() {
  before_value();
  out_.push_back('{');
  has_items_.push_back(false);
  return *this;
}

json_writer& json_writer::end_object() {
  const bool had_items = has_items_.back();
  has_items_.pop_back();
  if (had_items) new_line();
  out_.push_back('}');
  return *this;
}

json_writer& json_writer::begin_array() {
  before_value();
  out_.push_back('[');
  has_items_.push_back(false);
  return *this;
}

json_writer& json_writer::end_array() {
  const bool had_items = has_items_.back();
  has_items_.pop_back();
  if (had_items) new_line();
  out_.push_back(']');
  return *this;
}

json_writer& json_writer::key(std::string_view k) {
  before_value();
  append_utf8_string(out_, k);
  out_ += indent_ == 0 ? ":" : ": ";
  after_key_ = true;
  return *this;
}

json_writer& json_writer::string(std::string_view s) {
  before_value();
  append_utf8_string(out_, s);
  return *this;
}

json_writer& json_writer::boolean(bool b) { return raw(b ? "true" : "false"); }

json_writer& json_writer::null() { return raw("null"); }

json_writer& json_writer::number(double d) {
  if (!std::isfinite(d)) return null();
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, d);
  return raw(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

json_writer& json_writer::raw(std::string_view json) {
  before_value();
  out_ += json;
  return *this;
}

void json_write_hooks::text(json_writer& w, std::string_view s, bool is_key) {
  if (is_key) {
    w.key(s);
  } else {
    w.string(s);
  }
}

bool json_write_hooks::replace_value(json_writer&, const json_value&) { return false; }

json_writer& json_writer::value(const json_value& root, json_write_hooks& hooks) {
  json_writer& w = *this;
  // Containers being written, with the next child and the end: the depth is the document's,
  // held on the heap.
  struct open_container {
    bool object;
    json_value::iterator next, end;
  };
  std::vector<open_container> open;
  const auto one = [&](const json_value& v) {
    switch (v.type()) {
      case json_type::null_value:
        w.null();
        break;
      case json_type::boolean:
        w.boolean(v.as_bool());
        break;
      case json_type::number:
        w.number_text(v.number_text());
        break;
      case json_type::string:
        hooks.text(w, v.as_string(), false);
        break;
      case json_type::array:
        w.begin_array();
        open.push_back({false, v.begin(), v.end()});
        break;
      case json_type::object:
        w.begin_object();
        open.push_back({true, v.begin(), v.end()});
        break;
    }
  };
  one(root);
  while (!open.empty()) {
    open_container& container = open.back();
    if (container.next == container.end) {
      if (container.object) {
        w.end_object();
      } else {
        w.end_array();
      }
      open.pop_back();
      continue;
    }
    const json_value child = *container.next++;
    if (container.object) {
      hooks.text(w, child.key(), true);
      if (hooks.replace_value(w, child)) continue;
    }
    one(child);  // may grow `open`: `container` is not used after this
  }
  return *this;
}

json_writer& json_writer::value(const json_value& root) {
  json_write_hooks as_is;
  return value(root, as_is);
}

std::string json_text(const json_value& root) {
  std::string out;
  json_writer(out).value(root);
  return out;
}

}  // namespace certharness
