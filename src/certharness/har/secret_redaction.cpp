#include "certharness/har/secret_redaction.hpp"

#include "certharness/io/ascii_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <set>
#include <utility>

namespace certharness {
namespace {

// Escape layers read: the output format's own, and one the quoted text may already carry.
constexpr int k_depth = 2;
// A cut quote shows at most this much less than a secret's length: below it, a prefix is too
// short to matter and too common to replace ("sk-" is in every key).
constexpr std::size_t k_min_cut = 4;
constexpr std::string_view k_cut_mark = "...";

// One way of reading a byte: its value and where the spelling ends.
struct read {
  unsigned first;
  std::size_t second;
};

// The ways one position reads, without touching the heap: this runs at every escape-like byte of
// whatever a server sent. A byte has a handful of readings; beyond 32 the rest are dropped.
class reads {
 public:
  reads() {}  // NOLINT: not `= default`, which would zero the array on every call
  void emplace_back(unsigned value, std::size_t end) {
    if (size_ < items_.size()) items_[size_++] = {value, end};
  }
  void push_back(const read& r) { emplace_back(r.first, r.second); }
  void clear() noexcept { size_ = 0; }
  bool contains(unsigned value) const noexcept {
    return std::any_of(begin(), end(), [&](const read& r) { return r.first == value; });
  }
  const read* begin() const noexcept { return items_.data(); }
  const read* end() const noexcept { return items_.data() + size_; }

 private:
  std::array<read, 32> items_;  // left uninitialised: only [0, size_) is read
  std::size_t size_ = 0;
};

bool introduces_escape(char c) { return c == '%' || c == '\\' || c == '&' || c == '~'; }

void read_byte(std::string_view t, std::size_t q, int depth, reads& out);

// `digits` hex digits from q, each read with `depth` layers: every (value, end).
void read_hex(std::string_view t, std::size_t q, int digits, int depth, unsigned acc, reads& out) {
  if (digits == 0) {
    out.emplace_back(acc, q);
    return;
  }
  reads next;
  read_byte(t, q, depth, next);
  for (const auto& [c, e] : next) {
    if (const int v = hex_digit_value(c); v >= 0)
      read_hex(t, e, digits - 1, depth, acc * 16 + v, out);
  }
}

// The rest of an XML reference after '&' (name so far in `name`), up to its ';'.
void read_entity(std::string_view t, std::size_t q, int depth, std::string& name, reads& out) {
  reads next;
  read_byte(t, q, depth, next);
  for (const auto& [c, e] : next) {
    if (c == ';') {
      unsigned v = 0x100;  // none
      if (name == "amp") v = '&';
      if (name == "lt") v = '<';
      if (name == "gt") v = '>';
      if (name == "quot") v = '"';
      if (name == "apos") v = '\'';
      if (name.size() > 1 && name[0] == '#') {
        const bool hex = name[1] == 'x' || name[1] == 'X';
        unsigned n = 0;
        bool digits = name.size() > (hex ? 2u : 1u);
        for (std::size_t i = hex ? 2 : 1; i < name.size() && digits; ++i) {
          const int d = hex ? hex_digit_value(static_cast<unsigned char>(name[i]))
                            : (name[i] >= '0' && name[i] <= '9' ? name[i] - '0' : -1);
          digits = d >= 0;
          n = n * (hex ? 16 : 10) + static_cast<unsigned>(std::max(d, 0));
        }
        if (digits) v = n;
      }
      if (v < 0x80) out.emplace_back(v, e);
    } else if (name.size() < 10 && c < 0x80 && (std::isalnum(static_cast<int>(c)) || c == '#')) {
      name.push_back(static_cast<char>(c));
      read_entity(t, e, depth, name, out);
      name.pop_back();
    }
  }
}

// Every way the text at q reads as one byte with up to `depth` layers of escapes, each
// character of an escape being read with one layer less.
void read_byte(std::string_view t, std::size_t q, int depth, reads& out) {
  if (q >= t.size()) return;
  out.emplace_back(static_cast<unsigned char>(t[q]), q + 1);
  // Every escape, however deeply spelled, starts with a raw introducer.
  if (depth == 0 || !introduces_escape(t[q])) return;
  reads first;
  read_byte(t, q, depth - 1, first);
  for (const auto& [c, e] : first) {
    if (c == '%') {
      read_hex(t, e, 2, depth - 1, 0, out);
    } else if (c == '&') {
      std::string name;
      read_entity(t, e, depth - 1, name, out);
    } else if (c == '\\' || c == '~') {
      reads second;
      read_byte(t, e, depth - 1, second);
      for (const auto& [c2, e2] : second) {
        if (c == '~') {
          if (c2 == '0') out.emplace_back('~', e2);
          if (c2 == '1') out.emplace_back('/', e2);
          continue;
        }
        reads code;
        switch (c2) {
          case 'u':
            read_hex(t, e2, 4, depth - 1, 0, code);
            break;
          case 'x':
            read_hex(t, e2, 2, depth - 1, 0, code);
            break;
          case '"':
          case '\\':
          case '/':
            out.emplace_back(c2, e2);
            break;
          case 'b':
            out.emplace_back('\b', e2);
            break;
          case 'f':
            out.emplace_back('\f', e2);
            break;
          case 'n':
            out.emplace_back('\n', e2);
            break;
          case 'r':
            out.emplace_back('\r', e2);
            break;
          case 't':
            out.emplace_back('\t', e2);
            break;
          default:
            break;
        }
        for (const read& r : code) {
          if (r.first < 0x100) out.push_back(r);  // a key is bytes; no \u beyond them
        }
      }
    }
  }
}

// Where the unit starting at u ends: its longest single escape, or the byte itself. Matches are
// widened to units so that a replacement never splits an escape.
std::size_t unit_end(std::string_view t, std::size_t u) {
  if (!introduces_escape(t[u])) return u + 1;
  reads r;
  read_byte(t, u, 1, r);
  std::size_t end = u + 1;
  for (const read& x : r) end = std::max(end, x.second);
  return end;
}

// A cut mark at q: "..." or a closing quote (however spelled) and "...".
bool cut_at(std::string_view t, std::size_t q) {
  if (t.substr(q).starts_with(k_cut_mark)) return true;
  reads r;
  read_byte(t, q, k_depth, r);
  return std::any_of(r.begin(), r.end(), [&](const read& x) {
    return x.first == '"' && t.substr(x.second).starts_with(k_cut_mark);
  });
}

constexpr std::size_t k_none = std::string_view::npos;

// End of the longest spelling of secret[j0..] starting at q0 (or, when `cut` is set, of a
// prefix of at least k_min_cut bytes that a cut mark follows); k_none when there is none.
std::size_t match(std::string_view t, std::size_t q0, std::string_view secret, std::size_t j0,
                  bool cut) {
  // The common case, before anything is allocated: plain bytes (no escape can start there, so
  // they read one way only) until one differs, too early for a cut.
  {
    std::size_t q = q0, j = j0;
    while (q < t.size() && j < secret.size() && !introduces_escape(t[q]) && t[q] == secret[j]) {
      ++q;
      ++j;
    }
    if (j == secret.size()) return q;
    const bool plain_mismatch = q >= t.size() || !introduces_escape(t[q]);
    if (plain_mismatch && (!cut || j < k_min_cut)) return k_none;
  }
  reads r;
  read_byte(t, q0, k_depth, r);
  if (!r.contains(static_cast<unsigned char>(secret[j0]))) return k_none;
  std::size_t best = k_none;
  std::vector<std::pair<std::size_t, std::size_t>> todo{{q0, j0}};  // (text, secret) positions
  std::set<std::pair<std::size_t, std::size_t>> seen;
  while (!todo.empty()) {
    const auto [q, j] = todo.back();
    todo.pop_back();
    if (!seen.insert({q, j}).second) continue;
    if (j == secret.size() || (cut && j >= k_min_cut && cut_at(t, q))) {
      if (best == k_none || q > best) best = q;
      if (j == secret.size()) continue;
    }
    r.clear();
    read_byte(t, q, k_depth, r);
    for (const auto& [c, e] : r) {
      if (c == static_cast<unsigned char>(secret[j])) todo.emplace_back(e, j + 1);
    }
  }
  return best;
}

}  // namespace

secret_redactor::secret_redactor(std::vector<std::string> secrets) {
  std::erase_if(secrets, [](const std::string& s) { return s.empty(); });
  std::sort(secrets.begin(), secrets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  secrets_ = std::move(secrets);
}

bool secret_redactor::redact(std::string& text) const {
  if (secrets_.empty()) return false;
  const std::string_view t = text;
  std::array<bool, 256> first_byte{};
  for (const std::string& s : secrets_) first_byte[static_cast<unsigned char>(s[0])] = true;
  // Whether a secret can start at p: its byte, or an escape that reads as a first byte.
  const auto may_start = [&](std::size_t p) {
    const auto c = static_cast<unsigned char>(t[p]);
    if (!introduces_escape(t[p])) return first_byte[c];
    reads r;
    read_byte(t, p, k_depth, r);
    return std::any_of(r.begin(), r.end(),
                       [&](const read& x) { return x.first < 0x100 && first_byte[x.first]; });
  };

  std::string out;
  std::size_t copied = 0;  // t[copied..] is still to be copied to `out`
  const auto replace = [&](std::size_t from, std::size_t end) {
    std::size_t to = from;
    while (to < end) to = unit_end(t, to);
    out.append(t.substr(copied, from - copied));
    out += k_redacted;
    copied = to;
    return to;
  };
  for (std::size_t u = 0; u < t.size();) {
    const std::size_t next = unit_end(t, u);
    std::size_t found = k_none;
    // The tail of a secret after a cut mark.
    if (t.substr(u).starts_with(k_cut_mark)) {
      for (const std::string& s : secrets_) {
        for (std::size_t j0 = 1; j0 + k_min_cut <= s.size() && found == k_none; ++j0) {
          found = match(t, u + k_cut_mark.size(), s, j0, false);
        }
      }
      if (found != k_none) {
        u = replace(u + k_cut_mark.size(), found);
        continue;
      }
    }
    // A secret (or its cut head) starting in this unit.
    for (std::size_t p = u; p < next && found == k_none; ++p) {
      if (!may_start(p)) continue;
      for (const std::string& s : secrets_) {
        if ((found = match(t, p, s, 0, true)) != k_none) break;
      }
    }
    if (found != k_none) {
      u = replace(u, found);
    } else {
      u = next;
    }
  }
  if (copied == 0 && out.empty()) return false;
  out.append(t.substr(copied));
  text = std::move(out);
  return true;
}

std::string secret_redactor::redacted(std::string_view text) const {
  std::string out(text);
  redact(out);
  return out;
}

}  // namespace certharness
