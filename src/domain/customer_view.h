// The 360° view of a customer record (a contact, an account): the record, then what each module
// adds to it (kernel/module.h: Module::view360) — the company and household, open follow-ups and
// interactions, orders and value figures, the value card —, everything read through the reader's
// visibility, in one read transaction.
#pragma once
#include <functional>
#include <memory>
#include <optional>

#include "domain/records.h"
#include "store/record_store.h"
#include "store/row_stream.h"

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
  // The same records as JSON text written from the rows (store/record_json.h), for a section
  // of the view: a placeholder the answer's text takes the list's place of (view_360_text).
  json related_json(const std::string& entity_name, const std::string& sort, int limit, const std::string& by_column = "",
                    bool open_only = false) const;
  // The records related() gives, read with the batch (below): fn gets each, in order, with only
  // the columns named (every column when none is).
  void related_each(const std::string& entity_name, const std::string& sort, int limit,
                    std::function<void(json record)> fn, const std::string& by_column = "",
                    std::vector<std::string> columns = {}) const;
  // A record linked to the one shown, read with the batch: fn gets it whole when the reader may
  // open it, else only its id and name marked restricted; fn is not called when it does not exist.
  void linked(const Entity& e, int64_t id, std::function<void(json record, bool restricted)> fn) const;
  // Where related_json leaves its lists' text (null: related_json gives the list as a tree).
  std::vector<std::string>* texts = nullptr;
  // The lists related_json asked for, read together once every module has added its part
  // (store::stream_batch: one round trip on PostgreSQL), then written into texts; a list no
  // row of whose table refers to the customer is not read (CustomerViewService::build).
  struct PendingList {
    const Entity* entity;
    store::ListQuery query;
    store::Scope scope;
    size_t text;  // its index in texts
    std::unique_ptr<store::JsonPageBuilder> page = {};
  };
  std::vector<PendingList>* pending = nullptr;
  // Statements read with the related lists (one round trip on PostgreSQL): a module's part of
  // the view that is not a list (the order figures) reads through here; its callback writes
  // into out. Without a batch (a view built for a household's members), read at once.
  std::vector<store::BatchStatement>* batch = nullptr;
  void read(store::BatchStatement statement) const;
};

class CustomerViewService {
 public:
  explicit CustomerViewService(store::Database& db) : db_(db) {}
  // nullopt when the record does not exist or the reader may not see it.
  std::optional<json> view_360(const Actor& actor, const Entity& e, int64_t id);
  // The same view as JSON text: the related lists written from their rows; the same bytes as
  // view_360's dump (tests/api/json_text_api_test.cpp).
  std::optional<std::string> view_360_text(const Actor& actor, const Entity& e, int64_t id);

 private:
  std::optional<json> build(const Actor& actor, const Entity& e, int64_t id, std::vector<std::string>* texts);
  store::Database& db_;
};

}  // namespace gz::domain
