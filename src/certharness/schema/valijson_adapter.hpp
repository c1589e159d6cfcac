// Internal: a valijson adapter over certharness::json_value, modelled on valijson's
// RapidJsonAdapter. It hands valijson the DOM's exact number semantics: integer-ness is decided
// from the number's text (JSON Schema 2020-12), so 1.0, 1e3 and 2^64 are integers, 1.5 is not.
//
// An adapter made with an array_window presents every array as at most its first max_items
// elements (getArraySize and iteration alike), so that explaining a violation costs memory
// bounded by the window rather than by the document.
//
// The camelCase member names are the interface valijson's BasicAdapter expects.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <valijson/internal/adapter.hpp>
#include <valijson/internal/basic_adapter.hpp>
#include <valijson/internal/frozen_value.hpp>

#include "certharness/json/json_document.hpp"
#include "certharness/json/json_writer.hpp"

namespace certharness {

class json_value_adapter;

struct array_window {
  std::size_t max_items = std::numeric_limits<std::size_t>::max();
  std::optional<json_value> first_cut;  // the first array presented shorter than it is
  bool cut_several = false;             // another array was cut too
};
class json_value_array_iterator;
class json_value_object_iterator;

// valijson wants the key as a std::string (it builds contexts and sets from it).
using json_value_object_member = std::pair<std::string, json_value_adapter>;

// The elements of an array node; default-constructed it is empty, as valijson's weak-typing
// paths expect.
class json_value_array {
 public:
  using const_iterator = json_value_array_iterator;
  using iterator = json_value_array_iterator;

  json_value_array() = default;
  json_value_array(const json_value& array, array_window* window)
      : array_(array), size_(array.size()), window_(window) {
    if (window_ && size_ > window_->max_items) {
      size_ = window_->max_items;
      if (!window_->first_cut) {
        window_->first_cut = array;
      } else if (*window_->first_cut != array) {
        window_->cut_several = true;
      }
    }
  }

  iterator begin() const;
  iterator end() const;
  std::size_t size() const { return size_; }

 private:
  std::optional<json_value> array_;
  std::size_t size_ = 0;  // within the window
  array_window* window_ = nullptr;
};

// The members of an object node, in document order (duplicates included).
class json_value_object {
 public:
  using const_iterator = json_value_object_iterator;
  using iterator = json_value_object_iterator;

  json_value_object() = default;
  json_value_object(const json_value& object, array_window* window)
      : object_(object), window_(window) {}

  iterator begin() const;
  iterator end() const;
  // The first member with this key, like json_value::find. A string_view serves both of
  // valijson's callers (std::string and const char*) without a copy.
  iterator find(std::string_view key) const;
  std::size_t size() const { return object_ ? object_->size() : 0; }

 private:
  std::optional<json_value> object_;
  array_window* window_ = nullptr;
};

// An independent copy of a value (valijson keeps these for enum/const). The DOM is a view into
// its document, so the copy is the value serialised and decoded into a document of its own.
class json_value_frozen : public valijson::adapters::FrozenValue {
 public:
  explicit json_value_frozen(const json_value& value);

  FrozenValue* clone() const override { return new json_value_frozen(document_.root()); }
  bool equalTo(const valijson::adapters::Adapter& other, bool strict) const override;

 private:
  json_document document_;
};

// Reads one node for valijson's BasicAdapter, which supplies the semantics on top.
class json_value_view {
 public:
  json_value_view(const json_value& value, array_window* window) : value_(value), window_(window) {}

  valijson::adapters::FrozenValue* freeze() const { return new json_value_frozen(value_); }

  std::optional<json_value_array> getArrayOptional() const {
    if (!value_.is_array()) return std::nullopt;
    return json_value_array(value_, window_);
  }
  bool getArraySize(std::size_t& result) const {
    if (!value_.is_array()) return false;
    result = json_value_array(value_, window_).size();
    return true;
  }
  std::optional<json_value_object> getObjectOptional() const {
    if (!value_.is_object()) return std::nullopt;
    return json_value_object(value_, window_);
  }
  bool getObjectSize(std::size_t& result) const {
    if (!value_.is_object()) return false;
    result = value_.size();
    return true;
  }
  bool getBool(bool& result) const {
    if (!value_.is_bool()) return false;
    result = value_.as_bool();
    return true;
  }
  // Every number has a nearest double, integers beyond int64 included.
  bool getDouble(double& result) const {
    if (!value_.is_number()) return false;
    result = value_.as_double();
    return true;
  }
  bool getInteger(std::int64_t& result) const {
    if (!value_.is_number() || !value_.fits_int64()) return false;
    result = value_.as_int64();
    return true;
  }
  // By length: strings may contain NUL bytes.
  bool getString(std::string& result) const {
    if (!value_.is_string()) return false;
    const std::string_view s = value_.as_string();
    result.assign(s.data(), s.size());
    return true;
  }

  static bool hasStrictTypes() { return true; }

  bool isArray() const { return value_.is_array(); }
  bool isBool() const { return value_.is_bool(); }
  bool isDouble() const { return value_.is_number() && !value_.is_integer(); }
  bool isInteger() const { return value_.is_number() && value_.is_integer(); }
  bool isNull() const { return value_.is_null(); }
  bool isNumber() const { return value_.is_number(); }
  bool isObject() const { return value_.is_object(); }
  bool isString() const { return value_.is_string(); }

 private:
  json_value value_;
  array_window* window_;
};

class json_value_adapter
    : public valijson::adapters::BasicAdapter<json_value_adapter, json_value_array,
                                              json_value_object_member, json_value_object,
                                              json_value_view> {
  using basic = valijson::adapters::BasicAdapter<json_value_adapter, json_value_array,
                                                 json_value_object_member, json_value_object,
                                                 json_value_view>;

 public:
  explicit json_value_adapter(const json_value& value, array_window* window = nullptr)
      : basic(json_value_view(value, window)) {}

  // BasicAdapter reaches a number's double through getInteger(), which fails beyond int64; an
  // integer like 2^64 would then make enum comparison and minimum/maximum throw.
  using basic::asDouble;
  using basic::getNumber;
  bool getNumber(double& result) const override { return getDouble(result); }
  bool asDouble(double& result) const override {
    return isNumber() ? getDouble(result) : basic::asDouble(result);
  }
};

// A child of a container and its index; iterators of one container compare by index (the
// end is the index one past the last child presented, which may be inside a windowed array).
// Stepping back walks from the first child again: valijson does it once per uniqueItems
// check (which is quadratic anyway).
class json_value_child_cursor {
 public:
  json_value_child_cursor(const std::optional<json_value>& container, std::size_t index)
      : container_(container), index_(index) {
    if (container_ && index_ == 0) at_ = container_->begin();
  }

  json_value child() const { return *at_; }
  std::size_t index() const { return index_; }
  void next() {
    ++at_;
    ++index_;
  }
  void previous() {
    const std::size_t target = index_ - 1;
    at_ = container_->begin();
    for (index_ = 0; index_ < target; ++index_) ++at_;
  }
  void advance(std::ptrdiff_t n) {
    if (n < 0) {
      for (; n < 0; ++n) previous();
    } else {
      for (; n > 0; --n) next();
    }
  }

 private:
  std::optional<json_value> container_;
  json_value::iterator at_;
  std::size_t index_;
};

class json_value_array_iterator {
 public:
  using iterator_category = std::bidirectional_iterator_tag;
  using value_type = json_value_adapter;
  using difference_type = std::ptrdiff_t;
  using pointer = valijson::adapters::DerefProxy<json_value_adapter>;
  using reference = json_value_adapter;

  json_value_array_iterator(json_value_child_cursor at, array_window* window)
      : at_(std::move(at)), window_(window) {}

  json_value_adapter operator*() const { return json_value_adapter(at_.child(), window_); }
  pointer operator->() const { return pointer(**this); }

  bool operator==(const json_value_array_iterator& other) const {
    return at_.index() == other.at_.index();
  }
  bool operator!=(const json_value_array_iterator& other) const { return !(*this == other); }

  json_value_array_iterator& operator++() {
    at_.next();
    return *this;
  }
  json_value_array_iterator operator++(int) {
    json_value_array_iterator before = *this;
    at_.next();
    return before;
  }
  json_value_array_iterator& operator--() {
    at_.previous();
    return *this;
  }
  void advance(std::ptrdiff_t n) { at_.advance(n); }

 private:
  json_value_child_cursor at_;
  array_window* window_;
};

class json_value_object_iterator {
 public:
  using iterator_category = std::bidirectional_iterator_tag;
  using value_type = json_value_object_member;
  using difference_type = std::ptrdiff_t;
  using pointer = valijson::adapters::DerefProxy<json_value_object_member>;
  using reference = json_value_object_member;

  json_value_object_iterator(json_value_child_cursor at, array_window* window)
      : at_(std::move(at)), window_(window) {}

  // Object members are nodes whose key() is set.
  json_value_object_member operator*() const {
    const json_value member = at_.child();
    return json_value_object_member(std::string(member.key()), json_value_adapter(member, window_));
  }
  pointer operator->() const { return pointer(**this); }

  bool operator==(const json_value_object_iterator& other) const {
    return at_.index() == other.at_.index();
  }
  bool operator!=(const json_value_object_iterator& other) const { return !(*this == other); }

  json_value_object_iterator& operator++() {
    at_.next();
    return *this;
  }
  json_value_object_iterator operator++(int) {
    json_value_object_iterator before = *this;
    at_.next();
    return before;
  }
  json_value_object_iterator& operator--() {
    at_.previous();
    return *this;
  }

 private:
  json_value_child_cursor at_;
  array_window* window_;
};

inline json_value_array_iterator json_value_array::begin() const {
  return json_value_array_iterator(json_value_child_cursor(array_, 0), window_);
}
inline json_value_array_iterator json_value_array::end() const {
  return json_value_array_iterator(json_value_child_cursor(array_, size_), window_);
}

inline json_value_object_iterator json_value_object::begin() const {
  return json_value_object_iterator(json_value_child_cursor(object_, 0), window_);
}
inline json_value_object_iterator json_value_object::end() const {
  return json_value_object_iterator(json_value_child_cursor(object_, size()), window_);
}
inline json_value_object_iterator json_value_object::find(std::string_view key) const {
  json_value_child_cursor at(object_, 0);
  for (; at.index() < size(); at.next()) {
    if (at.child().key() == key) break;
  }
  return json_value_object_iterator(std::move(at), window_);
}

inline json_value_frozen::json_value_frozen(const json_value& value) {
  const std::string text = json_text(value);
  // The text came out of a decoded document, so only the limits could reject it: lift them.
  decode_result decoded =
      decode_json(text, decode_limits{text.size(), std::numeric_limits<std::size_t>::max()});
  if (!decoded.document) throw std::runtime_error("json_value_frozen: cannot re-decode a value");
  document_ = std::move(*decoded.document);
}

inline bool json_value_frozen::equalTo(const valijson::adapters::Adapter& other,
                                       bool strict) const {
  return json_value_adapter(document_.root()).equalTo(other, strict);
}

}  // namespace certharness

namespace valijson::adapters {

template <>
struct AdapterTraits<certharness::json_value_adapter> {
  using DocumentType = certharness::json_document;
  static std::string adapterName() { return "certharness::json_value_adapter"; }
};

}  // namespace valijson::adapters
