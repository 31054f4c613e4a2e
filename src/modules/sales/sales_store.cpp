#include "modules/sales/sales_store.h"
#include "modules/settings/company_settings.h"

#include <algorithm>

#include "core/clock.h"
#include "core/text.h"
#include "store/record_store.h"

namespace gz::modules::sales {

json default_stages() {
  return json::array({
      {{"key", "qualification"}, {"name", "Qualification"}, {"probability_pct", 10}, {"outcome", "open"}, {"folded", false}, {"stale_after_days", 14}},
      {{"key", "decouverte"}, {"name", "Découverte des besoins"}, {"probability_pct", 25}, {"outcome", "open"}, {"folded", false}, {"stale_after_days", 21}},
      {{"key", "proposition"}, {"name", "Proposition"}, {"probability_pct", 50}, {"outcome", "open"}, {"folded", false}, {"stale_after_days", 21}},
      {{"key", "negociation"}, {"name", "Négociation"}, {"probability_pct", 75}, {"outcome", "open"}, {"folded", false}, {"stale_after_days", 14}},
      {{"key", "gagnee"}, {"name", "Gagnée"}, {"probability_pct", 100}, {"outcome", "won"}, {"folded", false}, {"stale_after_days", nullptr}},
      {{"key", "perdue"}, {"name", "Perdue"}, {"probability_pct", 0}, {"outcome", "lost"}, {"folded", true}, {"stale_after_days", nullptr}},
  });
}

std::vector<json> SalesStore::stages(store::Connection& c, int64_t pipeline_id) {
  auto rows = c.query("SELECT key, name, probability_pct, outcome, folded, stale_after_days FROM pipeline_stages "
                      "WHERE pipeline_id = ? ORDER BY position",
                      {pipeline_id});
  for (auto& r : rows) r["folded"] = r["folded"].is_number() ? r["folded"].get<int64_t>() != 0 : r["folded"].get<bool>();
  return rows;
}

int64_t SalesStore::default_pipeline(store::Connection& c, const domain::Actor& actor) {
  json r = c.query_one("SELECT id FROM pipelines ORDER BY is_default DESC, id LIMIT 1");
  if (!r.is_null()) return r["id"].get<int64_t>();
  const std::string now = clock::now_utc();
  json by = actor.user_id ? json(actor.user_id) : json();
  int64_t id = c.insert("INSERT INTO pipelines (name, is_default, currency, version, created_at, updated_at, created_by, updated_by) "
                        "VALUES (?, 1, 'EUR', 1, ?, ?, ?, ?)",
                        {"Ventes", now, now, by, by});
  store::RecordStore::replace_children(c, *kernel::entity("pipelines").child("stages"), id, default_stages());
  return id;
}

void SalesStore::make_only_default(store::Connection& c, int64_t pipeline_id) {
  c.execute("UPDATE pipelines SET is_default = 0 WHERE id <> ? AND is_default <> 0", {pipeline_id});
}

std::vector<std::pair<std::string, int64_t>> SalesStore::opportunities_per_stage(store::Connection& c, int64_t pipeline_id) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& r : c.query("SELECT stage, COUNT(*) AS n FROM opportunities WHERE pipeline_id = ? AND stage IS NOT NULL "
                               "GROUP BY stage ORDER BY stage",
                               {pipeline_id}))
    out.emplace_back(r["stage"].get<std::string>(), r["n"].get<int64_t>());
  return out;
}

std::optional<json> SalesStore::product(store::Connection& c, int64_t id) {
  json r = c.query_one("SELECT id, sku, name, unit_price_cents, currency FROM products WHERE id = ?", {id});
  if (r.is_null()) return std::nullopt;
  return r;
}

std::optional<json> SalesStore::product_by_sku(store::Connection& c, const std::string& sku) {
  json r = c.query_one("SELECT id, sku, name, unit_price_cents, currency FROM products WHERE sku = ?", {sku});
  if (r.is_null()) return std::nullopt;
  return r;
}

std::optional<int64_t> SalesStore::account_of_contact(store::Connection& c, int64_t contact_id) {
  json r = c.query_one("SELECT account_id FROM contacts WHERE id = ?", {contact_id});
  if (r.is_null() || !r["account_id"].is_number_integer()) return std::nullopt;
  return r["account_id"].get<int64_t>();
}

std::optional<json> SalesStore::opportunity_customer(store::Connection& c, int64_t opportunity_id) {
  json r = c.query_one("SELECT contact_id, account_id FROM opportunities WHERE id = ?", {opportunity_id});
  if (r.is_null()) return std::nullopt;
  return r;
}

std::optional<json> SalesStore::price_list(store::Connection& c, int64_t id) {
  json r = c.query_one("SELECT id, name, currency, valid_from, valid_until, active FROM price_lists WHERE id = ?", {id});
  if (r.is_null()) return std::nullopt;
  return r;
}

bool SalesStore::valid_on(const json& list, const std::string& date) {
  const json active = list.value("active", json(1));
  if ((active.is_number() && active.get<int64_t>() == 0) || (active.is_boolean() && !active.get<bool>())) return false;
  const json from = list.value("valid_from", json()), until = list.value("valid_until", json());
  return (!from.is_string() || from.get<std::string>() <= date) && (!until.is_string() || until.get<std::string>() >= date);
}

namespace {

// The customer's value tier (the account's manual tier, else the computed one of the account,
// else the contact's) and tags, for the lists of a tier or a segment.
void customer_traits(store::Connection& c, const PriceQuery& q, std::string& tier, std::vector<std::string>& tags) {
  auto add_tags = [&](const json& t) {
    json arr = t.is_string() ? json::parse(t.get<std::string>(), nullptr, false) : t;
    if (arr.is_array())
      for (const auto& x : arr)
        if (x.is_string()) tags.push_back(x.get<std::string>());
  };
  if (q.account_id) {
    json a = c.query_one("SELECT tier, value_tier, tags FROM accounts WHERE id = ?", {*q.account_id});
    if (!a.is_null()) {
      if (a["tier"].is_string()) tier = a["tier"].get<std::string>();
      else if (a["value_tier"].is_string()) tier = a["value_tier"].get<std::string>();
      add_tags(a["tags"]);
    }
  }
  if (q.contact_id) {
    json p = c.query_one("SELECT value_tier, tags FROM contacts WHERE id = ?", {*q.contact_id});
    if (!p.is_null()) {
      if (tier.empty() && p["value_tier"].is_string()) tier = p["value_tier"].get<std::string>();
      add_tags(p["tags"]);
    }
  }
}

}  // namespace

PriceFound SalesStore::find_price(store::Connection& c, const PriceQuery& q, int64_t catalogue_price) {
  std::string tier;
  std::vector<std::string> tags;
  customer_traits(c, q, tier, tags);
  // Every valid break of the product in a list of the quote's currency; ranked below.
  auto rows = c.query(
      "SELECT l.id, l.account_id, l.contact_id, l.tier, l.segment, i.min_quantity, i.unit_price_cents FROM price_lists l "
      "JOIN price_list_items i ON i.price_list_id = l.id WHERE i.product_id = ? AND i.min_quantity <= ? AND l.currency = ? "
      "AND l.active <> 0 AND (l.valid_from IS NULL OR l.valid_from <= ?) AND (l.valid_until IS NULL OR l.valid_until >= ?)",
      {q.product_id, q.quantity, q.currency, q.date, q.date});
  int best_rank = 0;
  int64_t best_break = 0, best_price = catalogue_price;
  std::string best_source = "catalogue";
  for (const auto& r : rows) {
    int rank = 0;
    std::string source;
    const bool scoped = r["account_id"].is_number_integer() || r["contact_id"].is_number_integer() || r["tier"].is_string() ||
                        r["segment"].is_string();
    if (q.price_list_id && r["id"].get<int64_t>() == *q.price_list_id) rank = 5, source = "chosen_list";
    else if ((q.account_id && r["account_id"] == *q.account_id) || (q.contact_id && r["contact_id"] == *q.contact_id))
      rank = 4, source = "customer_list";
    else if (r["account_id"].is_number_integer() || r["contact_id"].is_number_integer()) continue;  // another customer's
    else if (r["segment"].is_string() && std::find(tags.begin(), tags.end(), text::fold(r["segment"].get<std::string>())) != tags.end())
      rank = 3, source = "segment_list";
    else if (r["tier"].is_string() && r["tier"] == tier && !r["segment"].is_string()) rank = 3, source = "tier_list";
    else if (!scoped) rank = 2, source = "general_list";
    else continue;  // a tier or segment the customer is not in
    const int64_t brk = r["min_quantity"].get<int64_t>();
    if (rank > best_rank || (rank == best_rank && brk > best_break)) {
      best_rank = rank;
      best_break = brk;
      best_price = r["unit_price_cents"].get<int64_t>();
      best_source = source;
    }
  }
  return {best_price, best_source};
}

std::string company_today(store::Database& db) {
  return store::with_transaction(db, false, [](store::Connection& c) { return settings::company_today(c); });
}

std::string SalesStore::next_quote_number(store::Connection& c, const std::string& year) {
  const std::string name = "quote-" + year;
  json r = c.query_one(
      "INSERT INTO sales_sequences (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = sales_sequences.value + 1 "
      "RETURNING value",
      {name});
  std::string n = std::to_string(r["value"].get<int64_t>());
  if (n.size() < 4) n.insert(0, 4 - n.size(), '0');
  return "D-" + year + "-" + n;
}

void SalesStore::set_quote_order(store::Connection& c, int64_t quote_id, int64_t order_id, int64_t vat_cents) {
  c.execute("UPDATE quotes SET order_id = ? WHERE id = ?", {order_id, quote_id});
  c.execute("UPDATE orders SET vat_cents = ? WHERE id = ?", {vat_cents, order_id});
}

std::vector<json> SalesStore::stage_figures(store::Connection& c, int64_t pipeline_id, const std::string& visible_sql,
                                            const store::Params& visible_params, std::optional<int64_t> owner_id,
                                            const std::string& today) {
  store::Params params = {today, pipeline_id};
  std::string sql =
      "SELECT o.stage, COUNT(*) AS count, COALESCE(SUM(o.company_amount_cents), 0) AS amount_cents, "
      "COALESCE(SUM(o.company_amount_cents * COALESCE(o.probability_pct, 0)), 0) AS weighted_x100, "
      "COALESCE(SUM(CASE WHEN o.status = 'open' AND o.expected_close_date < ? THEN 1 ELSE 0 END), 0) AS overdue "
      "FROM opportunities o WHERE o.pipeline_id = ? AND o.archived_at IS NULL";
  if (!visible_sql.empty()) {
    sql += " AND " + visible_sql;
    params.insert(params.end(), visible_params.begin(), visible_params.end());
  }
  if (owner_id) {
    sql += " AND o.owner_id = ?";
    params.push_back(*owner_id);
  }
  sql += " GROUP BY o.stage";
  return c.query(sql, params);
}

}  // namespace gz::modules::sales
