// Which bytes of a JSON text lie inside strings, for the byte scans that run before (or
// instead of) the reader: trailing-comma repair and the long-number guard.
#pragma once

namespace certharness {

class json_string_state {
 public:
  // Takes the next byte; true when it belongs to a string (its quotes included).
  bool take(char c) noexcept {
    if (inside_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        inside_ = false;
      }
      return true;
    }
    inside_ = c == '"';
    return inside_;
  }
  // After take(): still inside a string (false after its closing quote).
  bool inside() const noexcept { return inside_; }

 private:
  bool inside_ = false, escaped_ = false;
};

}  // namespace certharness
