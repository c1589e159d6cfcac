#include "certharness/spec/yaml_reader.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <istream>
#include <new>
#include <optional>
#include <streambuf>
#include <utility>
#include <vector>

#include "certharness/json/json_writer.hpp"
#include "certharness/json/utf8.hpp"

namespace certharness {

namespace {

// Thrown by the event handler to stop yaml-cpp's parser; caught in yaml_to_json().
struct stop_reading {
  spec_error error;
};

text_position mark_position(const YAML::Mark& mark) {
  return text_position{static_cast<std::size_t>(std::max(mark.pos, 0)),
                       static_cast<std::size_t>(std::max(mark.line, 0)) + 1,
                       static_cast<std::size_t>(std::max(mark.column, 0)) + 1};
}

[[noreturn]] void stop(const YAML::Mark& mark, std::string message) {
  throw stop_reading{spec_error{"", std::move(message), mark_position(mark)}};
}

// The bytes as an istream, without a copy.
class memory_buffer final : public std::streambuf {
 public:
  explicit memory_buffer(std::string_view bytes) {
    char* p = const_cast<char*>(bytes.data());  // read only: no put area
    setg(p, p, p + bytes.size());
  }
};

// Before yaml-cpp sees the bytes: UTF-8, and no control character its stream would misread.
std::optional<spec_error> check_text(std::string_view bytes) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < bytes.size();) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    const std::size_t n = utf8_sequence_length(bytes, i);
    char hex[8];
    if (n == 0 || byte < 0x20) std::snprintf(hex, sizeof hex, "0x%02X", byte);
    if (n == 0) {
      return spec_error{"",
                        std::string("invalid UTF-8: byte ") + hex +
                            " starts no well-formed sequence (a YAML document is read as UTF-8)",
                        text_position{i, line, column}};
    }
    if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') {
      return spec_error{"",
                        std::string("control character ") + hex +
                            " in YAML text (escape it in a double-quoted string)",
                        text_position{i, line, column}};
    }
    if (byte == '\n') {
      ++line, column = 1;
    } else {
      column += n;  // in bytes, as yaml-cpp counts
    }
    i += n;
  }
  return std::nullopt;
}

// yaml-cpp 0.7 writes the escapes \N (U+0085) and \_ (U+00A0) as the single bytes 0x85 and 0xA0,
// not UTF-8 (jbeder/yaml-cpp#803). The input is checked UTF-8, so a lone 0x85/0xA0 in a value
// can only be one of these: each gets its lead byte 0xC2. Anything else still invalid is refused.
bool repair_escapes(std::string& value) {
  if (is_valid_utf8(value)) return true;
  std::string fixed;
  fixed.reserve(value.size() + 8);
  for (std::size_t i = 0; i < value.size();) {
    const std::size_t n = utf8_sequence_length(value, i);
    const auto byte = static_cast<unsigned char>(value[i]);
    if (n == 0 && (byte == 0x85 || byte == 0xA0)) {
      (fixed += '\xC2') += value[i++];
    } else if (n == 0) {
      return false;
    } else {
      fixed.append(value, i, n);
      i += n;
    }
  }
  value = std::move(fixed);
  return true;
}

// A plain scalar by the YAML 1.2 core schema.
struct plain_value {
  enum kind_t { string, boolean, number, invalid } kind = string;
  std::string text;  // number: its JSON text; invalid: why
  bool truth = false;
};

bool all_digits(std::string_view s, int base) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [base](char c) {
    if (base == 8) return c >= '0' && c <= '7';
    if (base == 10) return c >= '0' && c <= '9';
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

plain_value radix_integer(std::string_view digits, unsigned base) {
  std::uint64_t value = 0;
  for (char c : digits) {
    const unsigned d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (value > (UINT64_MAX - d) / base) {
      return {plain_value::invalid, "an integer beyond 2^64-1 in base " + std::to_string(base) +
                                        " (write it in decimal, or quote it for a string)"};
    }
    value = value * base + d;
  }
  return {plain_value::number, std::to_string(value)};
}

plain_value resolve_plain(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return {plain_value::boolean, {}, true};
  if (s == "false" || s == "False" || s == "FALSE") return {plain_value::boolean, {}, false};
  if (s.starts_with("0o") && all_digits(s.substr(2), 8)) return radix_integer(s.substr(2), 8);
  if (s.starts_with("0x") && all_digits(s.substr(2), 16)) return radix_integer(s.substr(2), 16);
  std::string_view rest = s;
  const bool minus = rest.starts_with('-');
  if (minus || rest.starts_with('+')) rest.remove_prefix(1);
  if (rest == ".inf" || rest == ".Inf" || rest == ".INF" ||
      (s == rest && (rest == ".nan" || rest == ".NaN" || rest == ".NAN"))) {
    return {plain_value::invalid,
            "'" + std::string(s) + "' has no JSON spelling (quote it for a string)"};
  }
  // [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
  const std::size_t int_end = std::min(rest.find_first_not_of("0123456789"), rest.size());
  std::string_view integer = rest.substr(0, int_end), fraction, exponent;
  rest.remove_prefix(int_end);
  const bool has_point = rest.starts_with('.');
  if (has_point) {
    rest.remove_prefix(1);
    const std::size_t end = std::min(rest.find_first_not_of("0123456789"), rest.size());
    fraction = rest.substr(0, end);
    rest.remove_prefix(end);
  }
  if (integer.empty() && fraction.empty()) return {plain_value::string, {}};
  if (!rest.empty()) {
    if (rest.front() != 'e' && rest.front() != 'E') return {plain_value::string, {}};
    std::string_view digits = rest.substr(1);
    if (digits.starts_with('-') || digits.starts_with('+')) digits.remove_prefix(1);
    if (!all_digits(digits, 10)) return {plain_value::string, {}};
    exponent = rest;
  }
  // To JSON's spelling: no '+', no leading zeros, digits on both sides of a point.
  integer.remove_prefix(std::min(integer.find_first_not_of('0'), integer.size()));
  std::string json = minus ? "-" : "";
  json += integer.empty() ? "0" : integer;
  if (has_point) (json += '.') += fraction.empty() ? "0" : fraction;
  json += exponent;
  return {plain_value::number, std::move(json)};
}

// What an anchor names, for its aliases.
struct anchored {
  enum kind_t { open, null, scalar, container } kind = open;
  bool plain = false;      // scalar: resolved by the core schema, else a string
  std::string text;        // scalar: its text
  std::size_t start = 0;   // container: its JSON text in the output
  std::size_t size = 0;    //
  std::size_t height = 0;  // container: levels of nesting, itself included
};

// yaml-cpp's events to JSON text.
class json_events final : public YAML::EventHandler {
 public:
  json_events(std::string& out, const spec_limits& limits) : out_(out), w_(out), limits_(limits) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) stop(mark, "a second document in the YAML stream (one is read)");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    last_mark_ = mark;
    if (key_next()) stop(mark, "a null map key (empty, ~ or null) has no JSON spelling");
    w_.null();
    value_written(0);
    name(anchor, anchored{anchored::null, false, {}, 0, 0, 0});
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    last_mark_ = mark;
    if (tag != "?" && tag != "!") stop(mark, "tag '" + tag + "' is not read (only untagged YAML)");
    std::string text = value;
    if (!repair_escapes(text)) stop(mark, "a scalar's escapes make invalid UTF-8");
    const bool plain = tag == "?";
    scalar(mark, plain, text);
    name(anchor, anchored{anchored::scalar, plain, std::move(text), 0, 0, 0});
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    last_mark_ = mark;
    const anchored* a = anchor < anchors_.size() ? &anchors_[anchor] : nullptr;
    if (a == nullptr || a->kind == anchored::open) {
      stop(mark,
           "an alias to an anchor whose node is not finished (a cycle: JSON cannot hold one)");
    }
    switch (a->kind) {
      case anchored::null:
        return OnNull(mark, 0);
      case anchored::scalar:
        if (out_.size() + a->text.size() > limits_.max_bytes) over_by_alias(mark);
        return scalar(mark, a->plain, a->text);
      default:
        break;
    }
    if (key_next()) stop(mark, "a map key must be a scalar, not a sequence or map");
    if (frames_.size() + a->height > limits_.max_depth) too_deep(mark);
    if (out_.size() + a->size + 1 > limits_.max_bytes) over_by_alias(mark);
    out_.reserve(out_.size() + a->size + 1);  // no reallocation under the copy's source
    w_.raw(std::string_view(out_.data() + a->start, a->size));
    value_written(a->height);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, false);
  }
  void OnSequenceEnd() override {
    w_.end_array();
    close();
  }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, true);
  }
  void OnMapEnd() override {
    w_.end_object();
    close();
  }

  int documents() const noexcept { return documents_; }

 private:
  struct frame {
    bool map = false;
    bool expect_key = false;
    YAML::anchor_t anchor = 0;
    std::size_t start = 0;       // of its JSON text
    std::size_t max_height = 0;  // of its children
  };

  bool key_next() const noexcept { return !frames_.empty() && frames_.back().expect_key; }

  // After a value (of `height` levels) is written: a map's next node is a key again.
  void value_written(std::size_t height) {
    check_size();
    if (frames_.empty()) return;
    frames_.back().max_height = std::max(frames_.back().max_height, height);
    if (frames_.back().map) frames_.back().expect_key = true;
  }

  void check_size() const {
    if (out_.size() > limits_.max_bytes) {
      stop(last_mark_, "the document's JSON form is over the limit of " +
                           std::to_string(limits_.max_bytes) + " bytes");
    }
  }

  [[noreturn]] void over_by_alias(const YAML::Mark& mark) const {
    stop(mark, "expanding this alias takes the document's JSON form over the limit of " +
                   std::to_string(limits_.max_bytes) + " bytes");
  }

  [[noreturn]] void too_deep(const YAML::Mark& mark) const {
    stop(mark, "nesting deeper than the limit of " + std::to_string(limits_.max_depth) + " levels");
  }

  void scalar(const YAML::Mark& mark, bool plain, const std::string& text) {
    if (key_next()) {
      if (plain && text == "<<") stop(mark, "a merge key (<<) is YAML 1.1, not read");
      w_.key(text);
      frames_.back().expect_key = false;
      check_size();
      return;
    }
    const plain_value v = plain ? resolve_plain(text) : plain_value{};
    switch (v.kind) {
      case plain_value::string:
        w_.string(text);
        break;
      case plain_value::boolean:
        w_.boolean(v.truth);
        break;
      case plain_value::number:
        w_.number_text(v.text);
        break;
      case plain_value::invalid:
        stop(mark, v.text);
    }
    value_written(0);
  }

  void name(YAML::anchor_t anchor, anchored what) {
    if (anchor == 0) return;
    if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
    anchors_[anchor] = std::move(what);
  }

  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, bool map) {
    last_mark_ = mark;
    if (tag != "?" && tag != "!") stop(mark, "tag '" + tag + "' is not read (only untagged YAML)");
    if (key_next()) stop(mark, "a map key must be a scalar, not a sequence or map");
    if (frames_.size() >= limits_.max_depth) too_deep(mark);
    std::size_t start = out_.size();
    if (map) {
      w_.begin_object();
    } else {
      w_.begin_array();
    }
    if (out_[start] == ',') ++start;  // the separator json_writer put before it
    frames_.push_back(frame{map, map, anchor, start, 0});
    name(anchor, anchored{});  // open until it ends
  }

  void close() {
    const frame f = frames_.back();
    frames_.pop_back();
    const std::size_t height = f.max_height + 1;
    if (f.anchor != 0) {
      anchors_[f.anchor] =
          anchored{anchored::container, false, {}, f.start, out_.size() - f.start, height};
    }
    value_written(height);
  }

  std::string& out_;
  json_writer w_;
  const spec_limits& limits_;
  std::vector<frame> frames_;
  std::vector<anchored> anchors_;  // by yaml-cpp's anchor id (1, 2, ...)
  int documents_ = 0;
  YAML::Mark last_mark_;  // of the last node begun: where a size error is reported
};

}  // namespace

result<std::string, spec_error> yaml_to_json(std::string_view bytes, const spec_limits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return failure(spec_error{"",
                              "the document is " + std::to_string(bytes.size()) +
                                  " bytes, over the limit of " + std::to_string(limits.max_bytes) +
                                  " bytes",
                              std::nullopt});
  }
  if (std::optional<spec_error> bad = check_text(bytes)) return failure(std::move(*bad));
  std::string out;
  try {
    memory_buffer buffer(bytes);
    std::istream in(&buffer);
    YAML::Parser parser(in);
    json_events events(out, limits);
    // The second call meets a second document (refused by the handler) or the end.
    while (parser.HandleNextDocument(events)) {
    }
    if (events.documents() == 0) {
      return failure(spec_error{"", "no YAML document in the text", std::nullopt});
    }
  } catch (stop_reading& stopped) {
    return failure(std::move(stopped.error));
  } catch (const YAML::Exception& e) {
    std::optional<text_position> where;
    if (!e.mark.is_null()) where = mark_position(e.mark);
    return failure(spec_error{"", "YAML: " + e.msg, where});
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {  // not expected from yaml-cpp; still never a crash
    return failure(spec_error{"", std::string("YAML parser: ") + e.what(), std::nullopt});
  }
  return out;
}

}  // namespace certharness
