// core/status.h — the one error type of the library: Status and Result<T>.
//
// A Status is a code and a message that reads as a sentence with context,
// e.g. "heat.yaml:12: site.timezone: unknown time zone 'Asia/Urumqi2'".
// The code maps one-to-one onto the exit codes of every tool (DESIGN §4):
// 0 ok, 1 failure, 2 usage, 3 not found, 4 permission denied, 5 conflict.
// Exceptions from third-party parsers are caught at the edge and turned
// into a Status; nothing below a tool's main() throws on purpose.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace heat {

enum class Code : int {
  kOk = 0,
  kFailure = 1,
  kUsage = 2,
  kNotFound = 3,
  kPermission = 4,
  kConflict = 5,
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(Code code, std::string message) : code_(code), msg_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status Failure(std::string m) { return {Code::kFailure, std::move(m)}; }
  static Status Usage(std::string m) { return {Code::kUsage, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status Permission(std::string m) { return {Code::kPermission, std::move(m)}; }
  static Status Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  int exit_code() const { return static_cast<int>(code_); }
  const std::string& message() const { return msg_; }
  // The same request may succeed when simply run again: the database
  // reported a serialization failure (SQLSTATE 40001) or a deadlock
  // (40P01). Set by db::Conn; kept by With().
  bool transient() const { return transient_; }
  Status Transient() && {
    transient_ = true;
    return std::move(*this);
  }

  // Prefixes context: Status::Usage("bad value").With("heat.yaml:3")
  // reads "heat.yaml:3: bad value".
  Status With(const std::string& context) const& {
    Status s = *this;
    if (!ok()) s.msg_ = context + ": " + msg_;
    return s;
  }
  Status With(const std::string& context) && {
    if (!ok()) msg_ = context + ": " + msg_;
    return std::move(*this);
  }
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string msg_;
  bool transient_ = false;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}   // NOLINT: must not be ok

  bool ok() const { return v_.index() == 0; }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<1>(v_);
  }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T value_or(T other) const& { return ok() ? value() : std::move(other); }

 private:
  std::variant<T, Status> v_;
};

const char* CodeName(Code code);

}  // namespace heat

#define HEAT_CONCAT_INNER(a, b) a##b
#define HEAT_CONCAT(a, b) HEAT_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when it is not ok.
#define HEAT_TRY(expr)                              \
  do {                                              \
    ::heat::Status heat_try_s_ = (expr);            \
    if (!heat_try_s_.ok()) return heat_try_s_;      \
  } while (0)

// HEAT_ASSIGN(auto rows, conn.Query(...)); returns the Status on failure.
#define HEAT_ASSIGN(lhs, expr) HEAT_ASSIGN_IMPL(HEAT_CONCAT(heat_r_, __LINE__), lhs, expr)
#define HEAT_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                     \
  if (!tmp.ok()) return tmp.status();    \
  lhs = std::move(tmp).value()
