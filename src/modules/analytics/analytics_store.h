// SQL of the customer value analytics (docs/analytics.md): loads the order and interaction
// history into an analytics::OrderHistory with streamed scans (no JSON per row), tells when it
// changed, and reads/writes the analytics settings, the stored value tiers and the customers'
// category spend.
//
// Stateless: every function runs on the connection (and transaction) it is given.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "modules/analytics/order_history.h"
#include "store/database.h"
#include "store/record_store.h"

namespace gz::store {

struct AnalyticsStore {
  // The whole history. Counts orders not draft or cancelled that have a contact or an account;
  // `returned` orders are loaded as returns. Contacts carry their account (for unit=accounts).
  static analytics::OrderHistory load(Connection& c);

  // Changes whenever an order, order line (through its order), interaction, product, contact or
  // account is written or deleted: the highest ids of the audit trail and of those tables (on
  // PostgreSQL, their id sequences' last values). A handful of index look-ups.
  static std::string signature(Connection& c);

  // Settings rows: key → JSON value (only the keys ever set).
  static std::map<std::string, json> settings(Connection& c);
  // Both at once, in one round trip (store::stream_batch): a 360°'s value card reads them.
  static std::string settings_and_signature(Connection& c, std::map<std::string, json>& settings);
  // The same two statements for a caller's own batch (a 360°'s, read with its lists): their
  // callbacks fill sig and settings, which must outlive the batch.
  static std::vector<BatchStatement> settings_and_signature_statements(const Dialect& d, std::string& sig,
                                                                       std::map<std::string, json>& settings);
  static void put_setting(Connection& c, const std::string& key, const json& value, int64_t user_id,
                          const std::string& now);

  // Replaces the stored value tiers of a table ("contacts" or "accounts"): every record not in
  // `tiers` gets NULL. Does not change the records' version (a derived value, not an edit).
  static void write_tiers(Connection& c, const std::string& table, const std::vector<std::pair<int64_t, std::string>>& tiers);
  // Stored tier → number of records; key "" counts records without a tier.
  // Only the records scope may see.
  static std::map<std::string, int64_t> tier_counts(Connection& c, const std::string& table, const Scope& scope = {});

  // Ids of the records of e that scope may see, ascending (the customers a reader's analyses
  // run over).
  static std::vector<int64_t> visible_ids(Connection& c, const kernel::Entity& e, const Scope& scope);
  // Records shared with the user (one index range): with the signature and the user's team, it
  // tells when the user's visible set may have changed.
  static int64_t share_count(Connection& c, int64_t user_id);

  // Display names: "First Last" for contacts, the name for accounts and households.
  static std::map<int64_t, std::string> names(Connection& c, const std::string& table, const std::vector<int64_t>& ids);

  struct Spend {
    std::string type;  // "contacts", "accounts", "households"
    int64_t id = 0;
    std::string name;
    int64_t category_spend_cents = 0;
    std::vector<int64_t> contacts;  // households: their contacts
  };
  // Customers whose category_spend_cents is set, by type then id.
  static std::vector<Spend> category_spend(Connection& c);
};

}  // namespace gz::store
