// The purchase and interaction history in memory, column by column, for the customer value
// analyses (docs/analytics.md). One entry per counted order (not draft or cancelled), per
// customer and per interaction, in flat arrays indexed by int32 so that a pass over ten million
// orders touches only the columns it needs.
//
// Customers: the order's contact when set, else its account (unit "contacts"). `Grouping` maps
// these customers onto the unit of an analysis (identity for contacts; for accounts, a contact
// goes to its account when it has one).
//
// Built by store::AnalyticsStore::load (or by hand in tests through add_* ). Immutable once
// built: share it between threads freely (the server keeps one behind a shared_ptr).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gz::analytics {

enum class CustomerType : uint8_t { Contact = 0, Account = 1 };
const char* customer_type_name(CustomerType t);  // "contacts" | "accounts"

// Days since 1970-01-01 for a civil date (proleptic Gregorian), and back.
int32_t date_to_day(int y, int m, int d);
void day_to_date(int32_t day, int& y, int& m, int& d);
// "YYYY-MM-DD" (or the date part of "YYYY-MM-DDTHH:MM:SSZ"); false unless a real date.
bool parse_date(std::string_view text, int32_t& day);
std::string date_text(int32_t day);  // "YYYY-MM-DD"
// Month index (year × 12 + month − 1) of a day.
int32_t month_of(int32_t day);

struct OrderHistory {
  // Customers (unit contacts): type, id, and for contacts the account they belong to (0: none).
  std::vector<CustomerType> customer_type;
  std::vector<int64_t> customer_id;
  std::vector<int64_t> customer_account;

  // Orders, any order of days. Money in cents. For a return every amount is ≤ 0.
  std::vector<int32_t> order_customer;
  std::vector<int32_t> order_day;
  std::vector<int64_t> order_purchases;      // subtotal (before discounts)
  std::vector<int64_t> order_discount;       // discounts
  std::vector<int64_t> order_revenue;        // purchases − discounts (net sales)
  std::vector<int64_t> order_rated_margin;   // Σ line total × product margin, for lines whose product has one
  std::vector<int64_t> order_unrated;        // revenue not covered by a product margin (default margin applies)
  std::vector<uint8_t> order_is_return;
  std::vector<uint8_t> order_channel;        // index into order_channels

  // Interactions (solicitation and service contacts).
  std::vector<int32_t> interaction_customer;
  std::vector<int32_t> interaction_day;
  std::vector<uint8_t> interaction_channel;  // index into interaction_channels

  std::vector<std::string> order_channels;        // code → name ("" = none)
  std::vector<std::string> interaction_channels;  // code → name

  size_t customers() const { return customer_id.size(); }
  size_t orders() const { return order_day.size(); }
  size_t interactions() const { return interaction_day.size(); }

  // Builders (loader and tests). customer() returns the index of (type, id), adding it.
  int32_t customer(CustomerType t, int64_t id);
  void set_account(int32_t customer_index, int64_t account_id);
  struct OrderInput {
    int32_t customer = 0;
    int32_t day = 0;
    int64_t purchases = 0, discount = 0;
    int64_t rated_margin = 0;  // cents
    int64_t rated_revenue = 0; // the revenue those rated lines make
    bool is_return = false;
    std::string_view channel;
  };
  // Returns are stored negative whatever the sign given.
  void add_order(const OrderInput& o);
  void add_interaction(int32_t customer, int32_t day, std::string_view channel);
  // Index of a customer, or −1.
  int32_t find_customer(CustomerType t, int64_t id) const;
  // Reorders the orders and the interactions by customer (stable), so that the passes that add
  // them up per customer write memory in sequence instead of jumping around a large array.
  // The loader calls it once; analyses never depend on the order of the rows.
  void cluster_by_customer();
  bool clustered = false;  // orders and interactions sorted by customer (until the next add)

 private:
  uint8_t channel_code(std::vector<std::string>& names, std::string_view name);
  // Customer index by id: a slot per id for the small, dense ids the database gives (4 bytes an
  // id; a hash map took about 40 bytes a customer, 50 MB at a million contacts), a map for the
  // rest.
  static constexpr int64_t kMaxSlotId = int64_t(1) << 24;
  std::vector<int32_t> contact_slots_, account_slots_;  // -1: no such customer
  std::unordered_map<int64_t, int32_t> contact_index_, account_index_;
};

// Customers of an analysis: `group[c]` is the unit customer of history customer c.
struct Grouping {
  bool identity = false;  // group[c] == c (unit contacts)
  std::vector<int32_t> group;
  std::vector<CustomerType> type;
  std::vector<int64_t> id;
  size_t size() const { return id.size(); }
};
enum class Unit { Contacts, Accounts };
bool parse_unit(std::string_view s, Unit& u);
Grouping make_grouping(const OrderHistory& h, Unit unit);

// The history of the customers c with keep[c] only (their orders and interactions, in the same
// order, so a clustered history stays clustered): what a reader who may see only some customers
// analyses. One pass over the rows.
OrderHistory restrict_history(const OrderHistory& h, const std::vector<uint8_t>& keep);

}  // namespace gz::analytics
