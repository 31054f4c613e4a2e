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

std::string Problem::title(std::string_view lang) const {
  if (!title_.empty()) return title_.render(lang);
  Message t;
  switch (kind_) {
    case ProblemKind::BadRequest: t = "Bad request"; break;
    case ProblemKind::Unauthorized: t = "Authentication required"; break;
    case ProblemKind::Forbidden: t = "Forbidden"; break;
    case ProblemKind::NotFound: t = "Not found"; break;
    case ProblemKind::Conflict: t = "Conflict"; break;
    case ProblemKind::PreconditionFailed: t = "Precondition failed"; break;
    case ProblemKind::Unprocessable: t = "Invalid input"; break;
    case ProblemKind::TooManyRequests: t = "Too many requests"; break;
  }
  return t.render(lang);
}

std::string FieldError::render(std::string_view lang) const {
  Message name = label.empty() ? Message::verbatim(field) : label;
  return tr("{field}: {message}", {{"field", name}, {"message", message}}).render(lang);
}

void FieldErrors::throw_if_any(ProblemKind kind) const {
  if (errors_.empty()) return;
  const FieldError& first = errors_[0];
  Message name = first.label.empty() ? Message::verbatim(first.field) : first.label;
  Message detail = errors_.size() == 1
                       ? tr("{field}: {message}", {{"field", name}, {"message", first.message}})
                       : tr("{n} fields are invalid (first: {field}: {message})",
                            {{"n", errors_.size()}, {"field", name}, {"message", first.message}});
  throw Problem(kind, detail, errors_);
}

}  // namespace gz
