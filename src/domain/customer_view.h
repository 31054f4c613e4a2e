// The 360° view of a customer record (a contact, an account): the record, then what each module
// adds to it (kernel/module.h: Module::view360) — the company and household, open follow-ups and
// interactions, orders and value figures, the value card —, everything read through the reader's
// visibility, in one read transaction.
#pragma once
#include <optional>

#include "domain/records.h"

namespace gz::domain {

// What a module's 360° hook receives: the record shown and the view being built.
struct View360 {
  store::Connection& conn;
  const Actor& actor;
  const Entity& entity;      // the entity shown: contacts, accounts
  std::string column;        // the column other records refer to it by: contact_id, account_id
  int64_t id;
  const json& record;
  json& out;
  // Up to limit records of `entity_name` whose `column` is this record, visible to the reader,
  // archived ones left out; sort "-occurred_at" for descending. open_only: status = open.
  std::vector<json> related(const std::string& entity_name, const std::string& sort, int limit,
                            const std::string& by_column = "", bool open_only = false) const;
  // A record linked to the one shown: whole when the reader may open it, else only its id and
  // name marked restricted; nullopt when it does not exist. restricted tells which.
  std::optional<json> linked(const Entity& e, int64_t id, bool& restricted) const;
};

class CustomerViewService {
 public:
  explicit CustomerViewService(store::Database& db) : db_(db) {}
  // nullopt when the record does not exist or the reader may not see it.
  std::optional<json> view_360(const Actor& actor, const Entity& e, int64_t id);

 private:
  store::Database& db_;
};

}  // namespace gz::domain
