// The sales module's own SQL: pipelines' stages, the default pipeline, the quote number
// sequence, price lookup through the price lists, and the board's per-stage figures.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json_text.h"
#include "domain/access.h"
#include "kernel/module.h"
#include "store/database.h"

namespace gz::modules::sales {

using json = nlohmann::json;

std::vector<kernel::Migration> migrations();


// Today's date where the company is, in a read transaction of its own.
std::string company_today(store::Database& db);

// Who manages sales (a manager or an admin): changes the sales settings, reassigns records,
// takes a forecast snapshot, sees the whole team's results.
inline bool manages_sales(const domain::Actor& a) { return a.is_admin() || a.role == "manager"; }

// An integer read from a row (SUM and COUNT answer null or a number): 0 when null.
inline int64_t num(const json& v) { return v.is_number() ? v.get<int64_t>() : 0; }

// What a quote line's price is looked up for.
struct PriceQuery {
  int64_t product_id = 0;
  int64_t quantity = 1;
  std::optional<int64_t> account_id, contact_id;
  std::optional<int64_t> price_list_id;  // the list the quote names, tried first
  std::string currency = "EUR";
  std::string date;  // the quote's date: lists valid on it
};
struct PriceFound {
  int64_t unit_price_cents = 0;
  std::string source;  // a value of price_sources()
};

// The stages a pipeline made without any gets (names in French: the company's words).
json default_stages();

struct SalesStore {
  // The stages of a pipeline in order ({key, name, probability_pct, outcome, folded, stale_after_days}).
  static std::vector<json> stages(store::Connection& c, int64_t pipeline_id);
  // The default pipeline (the one marked so, else the first); made with the usual stages when
  // there is none yet.
  static int64_t default_pipeline(store::Connection& c, const domain::Actor& actor);
  static void make_only_default(store::Connection& c, int64_t pipeline_id);
  static std::vector<std::pair<std::string, int64_t>> opportunities_per_stage(store::Connection& c, int64_t pipeline_id);

  static std::optional<json> product(store::Connection& c, int64_t id);
  static std::optional<json> product_by_sku(store::Connection& c, const std::string& sku);
  static std::optional<int64_t> account_of_contact(store::Connection& c, int64_t contact_id);
  static std::optional<json> opportunity_customer(store::Connection& c, int64_t opportunity_id);
  static std::optional<json> price_list(store::Connection& c, int64_t id);
  static bool valid_on(const json& price_list, const std::string& date);
  // The most specific price: the list the quote names, then the customer's own list, its value
  // tier's or segment's (a tag it carries), a general list, and last the catalogue's price
  // (catalogue_price); within a list, the largest volume break not above the quantity. Lists
  // in another currency, inactive or not valid on the date are passed over.
  static PriceFound find_price(store::Connection& c, const PriceQuery& q, int64_t catalogue_price);

  // "D-2026-0001": the next number of the year's sequence, in the caller's write transaction
  // (a rolled-back quote gives its number back: no gaps).
  static std::string next_quote_number(store::Connection& c, const std::string& year);
  // The order an accepted quote made: linked from the quote (quotes.order_id), the quote's VAT
  // kept on the order.
  static void set_quote_order(store::Connection& c, int64_t quote_id, int64_t order_id, int64_t vat_cents);

  // The board's figures per stage of a pipeline, over the opportunities visible_sql lets
  // through: count, amount, weighted amount, overdue (expected close before today) and stale.
  static std::vector<json> stage_figures(store::Connection& c, int64_t pipeline_id, const std::string& visible_sql,
                                         const store::Params& visible_params, std::optional<int64_t> owner_id,
                                         const std::string& today);
};

}  // namespace gz::modules::sales
