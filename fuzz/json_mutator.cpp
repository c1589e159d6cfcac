// The structure-aware JSON mutator (see json_mutator.hpp). The tree is our own: RapidJSON 1.1.0's
// Document and Writer keep an internal::Stack that does arithmetic on a null pointer (UBSan,
// Tencent/rapidjson#1724), so only the guarded SAX reader is used and the writer is below.
#include "json_mutator.hpp"

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certharness/json/rapidjson_guard.hpp"

// libFuzzer's byte mutator; absent (null) in replay builds.
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size)
    __attribute__((weak));

namespace certharness::fuzz {
namespace {

struct node {
  enum class kind { null_value, boolean, number, string, array, object } type = kind::null_value;
  std::string text;            // number text, string bytes, or "true"/"false"
  std::string key;             // when a member of an object
  std::vector<node> children;  // items or members
};

constexpr std::size_t k_max_depth = 64;  // deeper inputs are left to the byte mutator

// SAX handler building the tree; numbers keep their source text (kParseNumbersAsStringsFlag).
struct tree_builder : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, tree_builder> {
  node root;
  std::vector<node*> open{&root};
  std::vector<std::string> keys;
  bool first = true;

  node* next() {
    if (first) return first = false, &root;
    node* parent = open.back();
    node* child = &parent->children.emplace_back();
    if (parent->type == node::kind::object) child->key = std::move(keys.back()), keys.pop_back();
    return child;
  }
  bool scalar(node::kind k, std::string text) {
    node* n = next();
    n->type = k;
    n->text = std::move(text);
    return true;
  }
  bool Null() { return scalar(node::kind::null_value, ""); }
  bool Bool(bool b) { return scalar(node::kind::boolean, b ? "true" : "false"); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    return scalar(node::kind::number, {s, n});
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return scalar(node::kind::string, {s, n});
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) { return keys.emplace_back(s, n), true; }
  bool start(node::kind k) {
    if (open.size() > k_max_depth) return false;
    node* n = next();
    n->type = k;
    open.push_back(n);
    return true;
  }
  bool StartObject() { return start(node::kind::object); }
  bool StartArray() { return start(node::kind::array); }
  bool EndObject(rapidjson::SizeType) { return open.pop_back(), true; }
  bool EndArray(rapidjson::SizeType) { return open.pop_back(), true; }
};

// Pointers into the tree are only valid until the next insertion into the same container.
bool parse(std::string_view bytes, node& out) {
  if (bytes.find('\0') != std::string_view::npos) return false;  // the reader stops at NUL
  const std::string copy(bytes);
  rapidjson::StringStream stream(copy.c_str());
  tree_builder builder;
  guarded_reader reader;
  constexpr unsigned flags = rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
  if (reader.Parse<flags>(stream, builder).IsError()) return false;
  out = std::move(builder.root);
  return true;
}

void write_string(std::string& out, std::string_view s) {
  out += '"';
  for (const unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      static const char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);  // invalid UTF-8 passes through: the decoder must judge it
    }
  }
  out += '"';
}

void write(std::string& out, const node& n) {
  switch (n.type) {
    case node::kind::null_value:
      out += "null";
      break;
    case node::kind::boolean:
    case node::kind::number:
      out += n.text;
      break;
    case node::kind::string:
      write_string(out, n.text);
      break;
    case node::kind::array:
      out += '[';
      for (std::size_t i = 0; i < n.children.size(); ++i) {
        if (i) out += ',';
        write(out, n.children[i]);
      }
      out += ']';
      break;
    case node::kind::object:
      out += '{';
      for (std::size_t i = 0; i < n.children.size(); ++i) {
        if (i) out += ',';
        write_string(out, n.children[i].key);
        out += ':';
        write(out, n.children[i]);
      }
      out += '}';
      break;
  }
}

void collect(node& n, std::vector<node*>& all) {
  all.push_back(&n);
  for (node& child : n.children) collect(child, all);
}

// The API's vocabulary: every key, object type and enum value of the certificates family and
// of HAR, so a rename or a new member lands on something the decoders look for.
constexpr const char* k_keys[] = {"object",
                                  "id",
                                  "name",
                                  "created_at",
                                  "certificate_details",
                                  "valid_at",
                                  "expires_at",
                                  "content",
                                  "active",
                                  "data",
                                  "first_id",
                                  "last_id",
                                  "has_more",
                                  "certificate_ids",
                                  "certificate",
                                  "deleted",
                                  "error",
                                  "message",
                                  "type",
                                  "param",
                                  "code",
                                  "log",
                                  "entries",
                                  "request",
                                  "response",
                                  "method",
                                  "url",
                                  "headers",
                                  "value",
                                  "postData",
                                  "mimeType",
                                  "text",
                                  "status",
                                  "statusText",
                                  "encoding",
                                  "startedDateTime",
                                  "time",
                                  "_error",
                                  "version"};
constexpr const char* k_strings[] = {
    "organization.certificate",
    "organization.project.certificate",
    "list",
    "certificate.deleted",
    "organization.certificate.activation",
    "organization.certificate.deactivation",
    "organization.project.certificate.activation",
    "organization.project.certificate.deactivation",
    "cert_abc",
    "cert_abd",
    "",
    "base64",
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    "application/json",
    "2024-03-01T12:34:56.789Z",
    "GET",
    "POST",
    "DELETE",
    "\xc3\xa9",
    "\xed\xa0\x80",
    "http://127.0.0.1:1/v1/organization/certificates?after=cert_abc&limit=2&order=asc"};
// Integers at the edges of every representation a decoder might pick, and integer-valued
// numbers that are not written as integers (2020-12 counts them as integers).
constexpr const char* k_numbers[] = {"0",
                                     "-1",
                                     "1",
                                     "-0",
                                     "9007199254740991",
                                     "9007199254740992",
                                     "9007199254740993",
                                     "-9007199254740993",
                                     "9223372036854775807",
                                     "9223372036854775808",
                                     "-9223372036854775808",
                                     "-9223372036854775809",
                                     "18446744073709551616",
                                     "1.0",
                                     "1e3",
                                     "1E+2",
                                     "1.5",
                                     "0.0",
                                     "-0.0",
                                     "1e308",
                                     "1e309",
                                     "1e-400",
                                     "2147483648",
                                     "4294967296",
                                     "1700000000",
                                     "253402300800",
                                     "100000000000000000000000000000000000000000"};

template <std::size_t N>
const char* pick(std::minstd_rand& rng, const char* const (&list)[N]) {
  return list[rng() % N];
}

node scalar_of(std::minstd_rand& rng) {
  node n;
  switch (rng() % 6) {
    case 0:
      break;
    case 1:
      n.type = node::kind::boolean, n.text = rng() % 2 ? "true" : "false";
      break;
    case 2:
      n.type = node::kind::number, n.text = pick(rng, k_numbers);
      break;
    case 3:
      n.type = node::kind::array;
      break;
    case 4:
      n.type = node::kind::object;
      break;
    default:
      n.type = node::kind::string, n.text = pick(rng, k_strings);
  }
  return n;
}

// Byte-mutates a string or number text in place with libFuzzer's mutator.
void mutate_text(std::string& text, std::minstd_rand& rng) {
  if (!LLVMFuzzerMutate) {
    text += static_cast<char>(rng());
    return;
  }
  const std::size_t cap = text.size() + 16;
  text.resize(cap);
  text.resize(LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(text.data()), cap - 16, cap));
}

node* member_named(node& object, std::string_view key) {
  for (node& member : object.children) {
    if (member.key == key) return &member;
  }
  return nullptr;
}

// The value of `key` in the first object (document order) that has it.
node* find_member(std::vector<node*>& all, std::string_view key) {
  for (node* n : all) {
    if (n->type != node::kind::object) continue;
    if (node* member = member_named(*n, key)) return member;
  }
  return nullptr;
}

// Replaces a value where it stands: a member keeps its key.
void replace(node& n, node value) {
  value.key = std::move(n.key);
  n = std::move(value);
}

// One JSON-level mutation of `root`; false when none applied.
bool mutate_tree(node& root, std::minstd_rand& rng) {
  std::vector<node*> all;
  collect(root, all);
  node& n = *all[rng() % all.size()];
  std::vector<node*> objects, arrays;
  for (node* p : all) {
    if (p->children.empty()) continue;
    (p->type == node::kind::object ? objects : arrays).push_back(p);
  }
  node* obj = objects.empty() ? nullptr : objects[rng() % objects.size()];
  node* arr = arrays.empty() ? nullptr : arrays[rng() % arrays.size()];
  const auto any_of = [&](node* container) -> node& {
    return container->children[rng() % container->children.size()];
  };
  const auto insert = [&](node* container, node child) {
    const auto at = container->children.begin() + rng() % (container->children.size() + 1);
    container->children.insert(at, std::move(child));
  };
  switch (rng() % 14) {
    case 0:
      replace(n, scalar_of(rng));
      return true;  // swap the value's type
    case 1:         // drop a key
      if (!obj) return false;
      obj->children.erase(obj->children.begin() + rng() % obj->children.size());
      return true;
    case 2: {  // duplicate a key, with the same or another value
      if (!obj) return false;
      node member = any_of(obj);
      if (rng() % 2) replace(member, scalar_of(rng));
      insert(obj, std::move(member));
      return true;
    }
    case 3:  // rename a key
      if (!obj) return false;
      any_of(obj).key = pick(rng, k_keys);
      return true;
    case 4:
      replace(n, {node::kind::number, pick(rng, k_numbers), "", {}});
      return true;
    case 5: {  // swap ids between two items of one array (or the items, when they have none)
      if (!arr || arr->children.size() < 2) return false;
      node& a = any_of(arr);
      node& b = any_of(arr);
      if (&a == &b) return false;
      node* ida = a.type == node::kind::object ? member_named(a, "id") : nullptr;
      node* idb = b.type == node::kind::object ? member_named(b, "id") : nullptr;
      if (ida && idb)
        std::swap(*ida, *idb);
      else
        std::swap(a, b);
      return true;
    }
    case 6:  // duplicate an item
      if (!arr) return false;
      insert(arr, any_of(arr));
      return true;
    case 7:  // reorder items
      if (!arr) return false;
      std::shuffle(arr->children.begin(), arr->children.end(), rng);
      return true;
    case 8: {  // toggle has_more (or the chosen boolean)
      node* b = find_member(all, "has_more");
      if (!b || b->type != node::kind::boolean) b = n.type == node::kind::boolean ? &n : nullptr;
      if (!b) return false;
      b->text = b->text == "true" ? "false" : "true";
      return true;
    }
    case 9:  // null out a field
      if (!obj) return false;
      replace(any_of(obj), node{});
      return true;
    case 10:
      replace(n, {node::kind::string, pick(rng, k_strings), "", {}});
      return true;
    case 11: {  // a new member with the API's vocabulary
      node* target = n.type == node::kind::object ? &n : obj;
      if (!target) return false;
      node member = scalar_of(rng);
      member.key = pick(rng, k_keys);
      insert(target, std::move(member));
      return true;
    }
    case 12:  // edit a string's bytes or a number's text (which may leave it malformed)
      if (n.type != node::kind::string && n.type != node::kind::number) return false;
      mutate_text(n.text, rng);
      return true;
    default:  // wrap the value in an array, or a one-item array's item replaces it
      if (n.type == node::kind::array && n.children.size() == 1) {
        node inner = std::move(n.children[0]);
        replace(n, std::move(inner));
      } else {
        node wrapper{node::kind::array, "", std::move(n.key), {}};
        n.key.clear();
        wrapper.children.push_back(std::move(n));
        n = std::move(wrapper);
      }
      return true;
  }
}

std::size_t byte_mutate(std::uint8_t* data, std::size_t size, std::size_t max_size,
                        std::minstd_rand& rng) {
  if (LLVMFuzzerMutate) return LLVMFuzzerMutate(data, size, max_size);
  if (size) data[rng() % size] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
  return size;
}

std::size_t emit(const std::string& text, std::uint8_t* out, std::size_t max_size) {
  if (text.size() > max_size) return 0;
  std::memcpy(out, text.data(), text.size());
  return text.size();
}

}  // namespace

std::size_t mutate_json(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed) {
  std::minstd_rand rng(seed);
  node original;
  if (rng() % 8 == 0 || !parse({reinterpret_cast<const char*>(data), size}, original)) {
    return byte_mutate(data, size, max_size, rng);
  }
  // At max_size, growing mutations cannot be written: a few single mutations are tried before
  // the structure is given up for a byte edit.
  for (int round = 0; round < 4; ++round) {
    node root = original;
    const int wanted = round == 0 ? 1 + static_cast<int>(rng() % 3) : 1;
    for (int attempt = 0, done = 0; attempt < 8 && done < wanted; ++attempt) {
      done += mutate_tree(root, rng);
    }
    std::string text;
    write(text, root);
    if (const std::size_t n = emit(text, data, max_size)) return n;
  }
  return byte_mutate(data, size, max_size, rng);
}

std::size_t cross_over_json(const std::uint8_t* data1, std::size_t size1, const std::uint8_t* data2,
                            std::size_t size2, std::uint8_t* out, std::size_t max_out_size,
                            unsigned seed) {
  std::minstd_rand rng(seed);
  node a, b;
  if (parse({reinterpret_cast<const char*>(data1), size1}, a) &&
      parse({reinterpret_cast<const char*>(data2), size2}, b)) {
    std::vector<node*> in_a, in_b;
    collect(a, in_a);
    collect(b, in_b);
    replace(*in_a[rng() % in_a.size()], *in_b[rng() % in_b.size()]);
    std::string text;
    write(text, a);
    if (const std::size_t n = emit(text, out, max_out_size)) return n;
  }
  // A splice: a prefix of data1 then a suffix of data2.
  const std::size_t head = size1 ? rng() % (size1 + 1) : 0;
  const std::size_t tail = size2 ? rng() % (size2 + 1) : 0;
  const std::size_t n1 = std::min(head, max_out_size);
  const std::size_t n2 = std::min(tail, max_out_size - n1);
  if (n1) std::memcpy(out, data1, n1);
  if (n2) std::memcpy(out + n1, data2 + size2 - n2, n2);
  return n1 + n2;
}

}  // namespace certharness::fuzz
