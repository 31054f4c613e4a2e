// Problem: the one error type that crosses layers. A domain service throws it when an operation
// cannot go on (invalid input, forbidden, conflict); the transaction in progress rolls back, so the
// data stays as it was, and the HTTP layer turns it into application/problem+json (RFC 9457) while
// the CLI prints it and exits non-zero. "Not found" on a read is an ordinary std::nullopt instead.
#pragma once
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string_view>
#include <string>
#include <vector>

#include "core/message.h"

namespace gz {

struct FieldError {
  std::string field;  // JSON path of the offending input, e.g. "phones[1]" or "line 12, column email"
  Message message;    // what was wrong, in words a user understands
  Message label;      // the field as users know it ("Téléphones"); empty = the path is all there is
  // "Téléphones : « 06 12 » n'est pas…", what a detail or a CLI line says of it.
  std::string render(std::string_view lang) const;
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

// what() is the English detail, for logs; a person reads detail(lang) and title(lang).
class Problem : public std::runtime_error {
 public:
  Problem(ProblemKind kind, Message detail, std::vector<FieldError> fields = {})
      : std::runtime_error(detail.english()), kind_(kind), detail_(std::move(detail)), fields_(std::move(fields)) {}
  ProblemKind kind() const { return kind_; }
  std::string detail(std::string_view lang = "en") const { return detail_.render(lang); }
  const Message& detail_message() const { return detail_; }
  const std::vector<FieldError>& fields() const { return fields_; }
  int http_status() const;
  // The kind's title ("Conflict"…), unless with_type gave another.
  std::string title(std::string_view lang = "en") const;
  // RFC 9457 "type": a URI naming this kind of problem; "" = about:blank.
  const std::string& type() const { return type_; }
  // Extension members of the problem+json body beside type/title/status/detail/instance/errors
  // (e.g. the candidates of a probable duplicate, the job in the way): an object, maybe empty.
  const nlohmann::json& extensions() const { return extensions_; }

  // A specific problem type (and its title); chainable: throw Problem(…).with_type(…).with("k", v).
  Problem& with_type(std::string type_uri, Message title = {}) {
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
  Message detail_;
  std::vector<FieldError> fields_;
  std::string type_;
  Message title_;
  nlohmann::json extensions_ = nlohmann::json::object();
};

// Collects field errors during validation and throws them together, so that a user sees every
// wrong field at once rather than one per attempt.
class FieldErrors {
 public:
  void add(std::string field, Message message) { errors_.push_back({std::move(field), std::move(message), {}}); }
  // With the field's label, so that the detail names it as users know it.
  void add(std::string field, Message label, Message message) {
    errors_.push_back({std::move(field), std::move(message), std::move(label)});
  }
  bool empty() const { return errors_.empty(); }
  const std::vector<FieldError>& list() const { return errors_; }
  void throw_if_any(ProblemKind kind = ProblemKind::Unprocessable) const;

 private:
  std::vector<FieldError> errors_;
};

}  // namespace gz
