// Problem: the one error type that crosses layers. A domain service throws it when an operation
// cannot go on (invalid input, forbidden, conflict); the transaction in progress rolls back, so the
// data stays as it was, and the HTTP layer turns it into application/problem+json (RFC 9457) while
// the CLI prints it and exits non-zero. "Not found" on a read is an ordinary std::nullopt instead.
#pragma once
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace gz {

struct FieldError {
  std::string field;    // JSON path of the offending input, e.g. "phones[1]" or "line 12, column email"
  std::string message;  // what was wrong, in words a user understands
};

enum class ProblemKind {
  BadRequest,          // 400 malformed syntax (JSON, CSV quoting, query parameters)
  Unauthorized,        // 401 no or bad credentials
  Forbidden,           // 403 authenticated but not allowed
  NotFound,            // 404
  Conflict,            // 409 unique key taken, record in use
  PreconditionFailed,  // 412 stale If-Match
  Unprocessable,       // 422 well-formed but invalid values
  TooManyRequests,     // 429 rate limit
};

class Problem : public std::runtime_error {
 public:
  Problem(ProblemKind kind, std::string detail, std::vector<FieldError> fields = {})
      : std::runtime_error(detail), kind_(kind), detail_(std::move(detail)), fields_(std::move(fields)) {}
  ProblemKind kind() const { return kind_; }
  const std::string& detail() const { return detail_; }
  const std::vector<FieldError>& fields() const { return fields_; }
  int http_status() const;
  // The kind's title ("Conflict"…), unless with_type gave another.
  std::string title() const;
  // RFC 9457 "type": a URI naming this kind of problem; "" = about:blank.
  const std::string& type() const { return type_; }
  // Extension members of the problem+json body beside type/title/status/detail/instance/errors
  // (e.g. the candidates of a probable duplicate, the job in the way): an object, maybe empty.
  const nlohmann::json& extensions() const { return extensions_; }

  // A specific problem type (and its title); chainable: throw Problem(…).with_type(…).with("k", v).
  Problem& with_type(std::string type_uri, std::string title = "") {
    type_ = std::move(type_uri);
    title_ = std::move(title);
    return *this;
  }
  Problem& with(const std::string& member, nlohmann::json value) {
    extensions_[member] = std::move(value);
    return *this;
  }

 private:
  ProblemKind kind_;
  std::string detail_;
  std::vector<FieldError> fields_;
  std::string type_, title_;
  nlohmann::json extensions_ = nlohmann::json::object();
};

// Collects field errors during validation and throws them together, so that a user sees every
// wrong field at once rather than one per attempt.
class FieldErrors {
 public:
  void add(std::string field, std::string message) { errors_.push_back({std::move(field), std::move(message)}); }
  bool empty() const { return errors_.empty(); }
  const std::vector<FieldError>& list() const { return errors_; }
  void throw_if_any(ProblemKind kind = ProblemKind::Unprocessable) const;

 private:
  std::vector<FieldError> errors_;
};

}  // namespace gz
