#include "core/problem.h"

namespace gz {

int Problem::http_status() const {
  switch (kind_) {
    case ProblemKind::BadRequest: return 400;
    case ProblemKind::Unauthorized: return 401;
    case ProblemKind::Forbidden: return 403;
    case ProblemKind::NotFound: return 404;
    case ProblemKind::Conflict: return 409;
    case ProblemKind::PreconditionFailed: return 412;
    case ProblemKind::Unprocessable: return 422;
    case ProblemKind::TooManyRequests: return 429;
  }
  return 400;
}

std::string Problem::title() const {
  if (!title_.empty()) return title_;
  switch (kind_) {
    case ProblemKind::BadRequest: return "Bad request";
    case ProblemKind::Unauthorized: return "Authentication required";
    case ProblemKind::Forbidden: return "Forbidden";
    case ProblemKind::NotFound: return "Not found";
    case ProblemKind::Conflict: return "Conflict";
    case ProblemKind::PreconditionFailed: return "Precondition failed";
    case ProblemKind::Unprocessable: return "Invalid input";
    case ProblemKind::TooManyRequests: return "Too many requests";
  }
  return "Error";
}

void FieldErrors::throw_if_any(ProblemKind kind) const {
  if (errors_.empty()) return;
  std::string detail = errors_.size() == 1 ? errors_[0].field + ": " + errors_[0].message
                                           : std::to_string(errors_.size()) + " fields are invalid (first: " +
                                                 errors_[0].field + ": " + errors_[0].message + ")";
  throw Problem(kind, detail, errors_);
}

}  // namespace gz
