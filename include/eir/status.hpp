// Status and Result: every fallible eir function returns one of these. Messages are written for
// the person debugging a model: they name the node, op, tensor and the expected vs actual value.
#pragma once

#include <sstream>
#include <string>
#include <utility>
#include <variant>

namespace eir {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // caller passed something wrong (index, shape, null pointer)
  kInvalidModel,      // the model file is malformed or inconsistent
  kUnsupported,       // valid model, but uses something eir does not implement
  kResourceExhausted, // a configured limit or memory would be exceeded
  kFailedPrecondition,// call order wrong (e.g. run before prepare)
  kIoError,           // file could not be read or written
  kInternal,          // a bug in eir
};

const char* status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid model: node 3 (CONV_2D v2): ..." — code name followed by the message.
  std::string to_string() const;

  // Returns a copy whose message is "prefix: message" (used to add node/op context).
  Status with_prefix(const std::string& prefix) const {
    if (ok()) return *this;
    return Status(code_, prefix + ": " + message_);
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Concatenates any streamable values: str_cat("expected ", 4, " dims, got ", n).
template <class... Args>
std::string str_cat(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

template <class... Args>
Status invalid_argument(const Args&... args) { return Status(StatusCode::kInvalidArgument, str_cat(args...)); }
template <class... Args>
Status invalid_model(const Args&... args) { return Status(StatusCode::kInvalidModel, str_cat(args...)); }
template <class... Args>
Status unsupported(const Args&... args) { return Status(StatusCode::kUnsupported, str_cat(args...)); }
template <class... Args>
Status resource_exhausted(const Args&... args) { return Status(StatusCode::kResourceExhausted, str_cat(args...)); }
template <class... Args>
Status failed_precondition(const Args&... args) { return Status(StatusCode::kFailedPrecondition, str_cat(args...)); }
template <class... Args>
Status io_error(const Args&... args) { return Status(StatusCode::kIoError, str_cat(args...)); }
template <class... Args>
Status internal_error(const Args&... args) { return Status(StatusCode::kInternal, str_cat(args...)); }

// Result<T>: a value or an error Status.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: must not be Ok
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  T& operator*() { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace eir

#define EIR_CONCAT_INNER(a, b) a##b
#define EIR_CONCAT(a, b) EIR_CONCAT_INNER(a, b)

#define EIR_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::eir::Status eir_status_ = (expr);        \
    if (!eir_status_.ok()) return eir_status_; \
  } while (0)

// EIR_ASSIGN_OR_RETURN(auto x, make_x());
#define EIR_ASSIGN_OR_RETURN(lhs, expr) EIR_ASSIGN_OR_RETURN_IMPL(EIR_CONCAT(eir_result_, __LINE__), lhs, expr)
#define EIR_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
